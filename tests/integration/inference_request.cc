#include "inference_request.h"

#include <array>
#include <cctype>
#include <utility>

#include <nlohmann/json.hpp>

namespace ollama_exporter::integration {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::pair<std::string_view, InferenceRoute>, 9> kRoutes = {
    {
        {"/api/generate", InferenceRoute::kGenerate},
        {"/api/chat", InferenceRoute::kChat},
        {"/api/embed", InferenceRoute::kEmbed},
        {"/api/embeddings", InferenceRoute::kEmbeddings},
        {"/v1/chat/completions", InferenceRoute::kV1ChatCompletions},
        {"/v1/completions", InferenceRoute::kV1Completions},
        {"/v1/embeddings", InferenceRoute::kV1Embeddings},
        {"/v1/responses", InferenceRoute::kV1Responses},
        {"/v1/messages", InferenceRoute::kV1Messages},
    }};

// Ollama reads keep_alive as seconds (a number) or a Go duration string.
bool IsZeroKeepAlive(const Json& keep_alive) {
  if (keep_alive.is_number()) return keep_alive.get<double>() == 0;
  if (!keep_alive.is_string()) return false;
  const std::string text = keep_alive.get<std::string>();
  return text == "0" || text == "0s" || text == "0m" || text == "0h";
}

bool IsEmptyText(const Json& body, const char* name) {
  auto it = body.find(name);
  return it == body.end() || !it->is_string() ||
         it->get_ref<const std::string&>().empty();
}

bool IsEmptyList(const Json& body, const char* name) {
  auto it = body.find(name);
  return it == body.end() || !it->is_array() || it->empty();
}

bool StreamsByDefault(InferenceRoute route) {
  return route == InferenceRoute::kGenerate || route == InferenceRoute::kChat;
}

bool NeverStreams(InferenceRoute route) {
  return route == InferenceRoute::kEmbed ||
         route == InferenceRoute::kEmbeddings ||
         route == InferenceRoute::kV1Embeddings;
}

// Ollama compares with strings.EqualFold; for ASCII that is ignoring case.
bool AsksForBase64(const Json& body) {
  auto format = body.find("encoding_format");
  if (format == body.end() || !format->is_string()) return false;
  const std::string& text = format->get_ref<const std::string&>();
  constexpr std::string_view kBase64 = "base64";
  if (text.size() != kBase64.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != kBase64[i]) {
      return false;
    }
  }
  return true;
}

int CountInputs(const Json& body) {
  auto it = body.find("input");
  if (it == body.end()) return 0;
  if (it->is_array()) return static_cast<int>(it->size());
  return 1;
}

}  // namespace

std::optional<InferenceRoute> InferenceRouteOf(std::string_view path) {
  for (const auto& [known, route] : kRoutes) {
    if (path == known) return route;
  }
  return std::nullopt;
}

bool IsOpenAiRoute(InferenceRoute route) {
  return route >= InferenceRoute::kV1ChatCompletions;
}

Status ParseInferenceRequest(InferenceRoute route, std::string_view body,
                             InferenceRequest* request) {
  if (body.empty()) return Status::InvalidArgument("missing request body");
  const Json json = Json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return Status::InvalidArgument("invalid request body: not a JSON object");
  }

  InferenceRequest result;
  result.route = route;
  auto model = json.find("model");
  if (model != json.end() && model->is_string()) {
    result.model = model->get<std::string>();
  }
  auto stream = json.find("stream");
  result.streamed = stream != json.end() && stream->is_boolean()
                        ? stream->get<bool>()
                        : StreamsByDefault(route);
  if (NeverStreams(route)) result.streamed = false;
  auto options = json.find("stream_options");
  if (options != json.end() && options->is_object()) {
    auto usage = options->find("include_usage");
    result.include_usage =
        usage != options->end() && usage->is_boolean() && usage->get<bool>();
  }

  // Only the native routes know load and unload requests.
  const bool empty = route == InferenceRoute::kGenerate
                         ? IsEmptyText(json, "prompt")
                         : IsEmptyList(json, "messages");
  if (route == InferenceRoute::kGenerate || route == InferenceRoute::kChat) {
    auto keep_alive = json.find("keep_alive");
    result.unload =
        empty && keep_alive != json.end() && IsZeroKeepAlive(*keep_alive);
    result.load = empty && !result.unload;
  }
  auto raw = json.find("raw");
  result.raw = raw != json.end() && raw->is_boolean() && raw->get<bool>();
  if (route == InferenceRoute::kEmbed ||
      route == InferenceRoute::kV1Embeddings) {
    result.inputs = CountInputs(json);
  } else if (route == InferenceRoute::kEmbeddings) {
    result.inputs = IsEmptyText(json, "prompt") ? 0 : 1;
  }
  result.base64_embeddings =
      route == InferenceRoute::kV1Embeddings && AsksForBase64(json);
  auto messages = json.find("messages");
  result.empty_v1_messages = route == InferenceRoute::kV1ChatCompletions &&
                             messages != json.end() && messages->is_array() &&
                             messages->empty();
  *request = std::move(result);
  return Status::Ok();
}

std::string CanonicalModelName(std::string_view name) {
  constexpr std::string_view kRegistry = "registry.ollama.ai/library/";
  std::string canonical(name);
  if (canonical.compare(0, kRegistry.size(), kRegistry) == 0) {
    canonical.erase(0, kRegistry.size());
  }
  const size_t slash = canonical.rfind('/');
  const size_t colon = canonical.rfind(':');
  if (colon == std::string::npos ||
      (slash != std::string::npos && colon < slash)) {
    canonical += ":latest";
  }
  return canonical;
}

bool ModelInstalled(std::string_view tags_json, std::string_view model) {
  if (model.empty()) return false;
  const Json tags = Json::parse(tags_json, nullptr, false);
  if (tags.is_discarded() || !tags.is_object()) return false;
  auto models = tags.find("models");
  if (models == tags.end() || !models->is_array()) return false;
  const std::string wanted = CanonicalModelName(model);
  for (const Json& entry : *models) {
    if (!entry.is_object()) continue;
    auto name = entry.find("name");
    if (name != entry.end() && name->is_string() &&
        CanonicalModelName(name->get<std::string>()) == wanted) {
      return true;
    }
  }
  return false;
}

}  // namespace ollama_exporter::integration
