#include "inference_payloads.h"

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "payload_parts.h"

namespace ollama_exporter::integration {
namespace payload {

Story TellStory(const InferenceScript& script) {
  Story story;
  int stop_at = script.chunks;
  if (script.error_after_chunks >= 0 && script.error_after_chunks <= stop_at) {
    stop_at = script.error_after_chunks;
    story.end = Story::End::kError;
  }
  if (script.close_after_chunks >= 0 && script.close_after_chunks < stop_at) {
    stop_at = script.close_after_chunks;
    story.end = Story::End::kCut;
  }
  // An error after all chunks replaces the final chunk.
  stop_at = std::min(stop_at, script.chunks);
  for (int i = 0; i < stop_at; ++i) {
    Piece piece;
    piece.thinking = i < script.thinking_chunks;
    piece.text = piece.thinking ? ScriptThinkingText(i) : ScriptChunkText(i);
    (piece.thinking ? story.all_thinking : story.all_text) += piece.text;
    story.pieces.push_back(std::move(piece));
  }
  return story;
}

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::chrono::system_clock::time_point WriteTime(const PlanContext& context,
                                                const InferenceScript& script,
                                                size_t index) {
  return context.first_write +
         std::chrono::milliseconds(script.chunk_delay_ms) *
             static_cast<int64_t>(index);
}

int64_t UnixSeconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(
             time.time_since_epoch())
      .count();
}

namespace {

std::string OpenAiErrorType(int status) {
  if (status == 400) return "invalid_request_error";
  if (status == 404) return "not_found_error";
  return "api_error";
}

std::string AnthropicErrorType(int status) {
  if (status == 503) return "overloaded_error";
  return OpenAiErrorType(status);
}

}  // namespace

ReplyPlan NotStreamedPlan(const InferenceRequest& request,
                          const InferenceScript& script, const Story& story,
                          const std::function<ReplyPlan()>& whole) {
  ReplyPlan plan;
  if (story.end == Story::End::kError) {
    plan = ErrorPlan(500, script.error_message, request);
  } else if (story.end == Story::End::kCut) {
    plan.status = 0;
    plan.cut = true;
  } else {
    plan = whole();
  }
  plan.generation_delay_ms =
      static_cast<int>(story.pieces.size()) * script.chunk_delay_ms;
  return plan;
}

ReplyPlan ErrorPlan(int status, const std::string& text,
                    const InferenceRequest& request) {
  Json body;
  if (request.route == InferenceRoute::kV1Messages) {
    body["type"] = "error";
    body["error"] = {{"type", AnthropicErrorType(status)}, {"message", text}};
  } else if (IsOpenAiRoute(request.route)) {
    Json error;
    error["message"] = text;
    error["type"] = OpenAiErrorType(status);
    error["param"] = nullptr;
    error["code"] = nullptr;
    body["error"] = std::move(error);
  } else {
    body["error"] = text;
  }
  ReplyPlan plan;
  plan.status = status;
  plan.content_type = kJsonType;
  plan.writes.push_back({Dump(body), false, std::nullopt});
  return plan;
}

}  // namespace payload

namespace {

using payload::Json;

// The text Ollama sends with `status` on `route` when the script sets none.
std::string DefaultErrorText(int status, const InferenceRequest& request) {
  const bool embedding = request.route == InferenceRoute::kEmbed ||
                         request.route == InferenceRoute::kEmbeddings ||
                         request.route == InferenceRoute::kV1Embeddings;
  switch (status) {
    case 404:
      return embedding ? "model \"" + request.model +
                             "\" not found, try pulling it first"
                       : "model '" + request.model + "' not found";
    case 499:
      return "request canceled";
    case 500:
      return "model requires more system memory (9.6 GiB) than is "
             "available (7.1 GiB)";
    case 503:
      return "server busy, please try again.  maximum pending requests "
             "exceeded";
    default:
      return "fake ollama status " + std::to_string(status);
  }
}

}  // namespace

ReplyPlan PlanInferenceReply(const Status& body_status,
                             const InferenceRequest& request,
                             const InferenceScript& script,
                             const PlanContext& context) {
  if (!body_status.ok()) {
    return payload::ErrorPlan(400, body_status.message(), request);
  }
  if (request.route == InferenceRoute::kChat && request.model.empty()) {
    return payload::ErrorPlan(400, "model is required", request);
  }
  if (!context.model_installed) {
    return payload::ErrorPlan(404, DefaultErrorText(404, request), request);
  }
  if (request.empty_v1_messages) {
    return payload::ErrorPlan(400, "[] is too short - 'messages'", request);
  }
  if (script.status != 200) {
    const std::string text = script.status_message.empty()
                                 ? DefaultErrorText(script.status, request)
                                 : script.status_message;
    return payload::ErrorPlan(script.status, text, request);
  }
  return IsOpenAiRoute(request.route)
             ? payload::PlanOpenAiReply(request, script, context)
             : payload::PlanNativeReply(request, script, context);
}

std::string Rfc3339Nanos(std::chrono::system_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const int64_t nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            since_epoch - seconds)
                            .count();
  const time_t whole = static_cast<time_t>(seconds.count());
  struct tm utc;
  gmtime_r(&whole, &utc);
  char text[64];
  strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &utc);
  std::string result(text);
  if (nanos != 0) {
    char fraction[16];
    std::snprintf(fraction, sizeof(fraction), ".%09lld",
                  static_cast<long long>(nanos));
    std::string digits(fraction);
    digits.erase(digits.find_last_not_of('0') + 1);
    result += digits;
  }
  return result + "Z";
}

}  // namespace ollama_exporter::integration
