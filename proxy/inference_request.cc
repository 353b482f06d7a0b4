#include "proxy/inference_request.h"

#include <nlohmann/json.hpp>

#include "proxy/inference_endpoint.h"
#include "proxy/json_key.h"

namespace ollama_exporter::proxy {
namespace {

using nlohmann::ordered_json;

// The member Go's decoder would keep for `name`: the last key equal to it
// ignoring ASCII case. Insertion order matters, hence ordered_json.
const ordered_json* GoMember(const ordered_json& object,
                             std::string_view name) {
  if (!object.is_object()) return nullptr;
  const ordered_json* found = nullptr;
  for (const auto& [key, value] : object.items()) {
    if (KeyMatches(key, name)) found = &value;
  }
  return found;
}

}  // namespace

InferenceRequest ReadInferenceRequest(InferenceEndpoint endpoint,
                                      std::string_view body) {
  InferenceRequest request;
  request.streamed = StreamsByDefault(endpoint);
  const ordered_json object = ordered_json::parse(body, nullptr, false);
  if (object.is_discarded() || !object.is_object()) return request;

  const ordered_json* model = GoMember(object, "model");
  if (model != nullptr && model->is_string()) {
    request.model = model->get<std::string>();
  }

  // null leaves Go's field at its default; other non-booleans are a 400.
  const ordered_json* stream = GoMember(object, "stream");
  if (stream != nullptr && !stream->is_null()) {
    request.streamed = stream->is_boolean() && stream->get<bool>();
  }
  if (!CanStream(endpoint)) request.streamed = false;

  const ordered_json* options = GoMember(object, "stream_options");
  const ordered_json* include_usage =
      options == nullptr ? nullptr : GoMember(*options, "include_usage");
  request.asked_for_usage = include_usage != nullptr &&
                            include_usage->is_boolean() &&
                            include_usage->get<bool>();
  return request;
}

bool NeedsUsageInjection(InferenceEndpoint endpoint,
                         const InferenceRequest& request) {
  return HasOptionalStreamUsage(endpoint) && request.streamed &&
         !request.asked_for_usage;
}

}  // namespace ollama_exporter::proxy
