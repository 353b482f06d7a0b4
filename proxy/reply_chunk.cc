#include "proxy/reply_chunk.h"

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "exporter/reply_json.h"

#include "proxy/done_reason_text.h"

namespace ollama_exporter::proxy {
namespace {

using nlohmann::json;

// object[key], or nullptr when object is not an object or lacks the key.
const json* Member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

bool HasText(const json& object, const char* key) {
  const json* value = Member(object, key);
  return value != nullptr && value->is_string() &&
         !value->get_ref<const std::string&>().empty();
}

bool HasItems(const json& object, const char* key) {
  const json* value = Member(object, key);
  return value != nullptr && value->is_array() && !value->empty();
}

// A present error in either shape: {"error":"..."} or {"error":{...}}.
bool HasError(const json& object) {
  const json* error = Member(object, "error");
  return error != nullptr && !error->is_null();
}

std::optional<DoneReason> ReasonField(const json& object, const char* key) {
  const json* value = Member(object, key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return DoneReasonFromText(value->get_ref<const std::string&>());
}

// Token counts of an OpenAI, Responses or Anthropic usage object.
void ReadUsage(const json& usage, ReplyChunk* chunk) {
  if (!usage.is_object()) return;
  for (const char* key : {"prompt_tokens", "input_tokens"}) {
    if (auto count = CountField(usage, key)) chunk->prompt_tokens = count;
  }
  for (const char* key : {"completion_tokens", "output_tokens"}) {
    if (auto count = CountField(usage, key)) chunk->generated_tokens = count;
  }
}

// One entry of "choices": a streamed delta, a /v1/completions text, or a
// whole message.
void ReadChoice(const json& choice, ReplyChunk* chunk) {
  const json* delta = Member(choice, "delta");
  if (delta != nullptr &&
      (HasText(*delta, "content") || HasText(*delta, "reasoning") ||
       HasItems(*delta, "tool_calls"))) {
    chunk->has_content = true;
  }
  if (HasText(choice, "text")) chunk->has_content = true;
  if (auto reason = ReasonField(choice, "finish_reason")) {
    chunk->done_reason = reason;
  }
}

// A Responses API object: its status says how generation ended.
void ReadResponseStatus(const json& response, ReplyChunk* chunk) {
  const json* status = Member(response, "status");
  if (status == nullptr || !status->is_string()) return;
  const std::string& text = status->get_ref<const std::string&>();
  if (text == "completed") {
    chunk->done_reason = DoneReason::kStop;
  } else if (text == "incomplete") {
    const json* details = Member(response, "incomplete_details");
    const std::optional<DoneReason> reason =
        details == nullptr ? std::nullopt : ReasonField(*details, "reason");
    chunk->done_reason = reason.value_or(DoneReason::kOther);
  } else if (text == "failed") {
    chunk->is_error = true;
  }
  if (const json* usage = Member(response, "usage")) ReadUsage(*usage, chunk);
}

// Streamed events of the Responses API ("response.*") and Anthropic
// messages, which carry a "type" instead of OpenAI's choices.
void ReadTypedEvent(const json& object, const std::string& type,
                    ReplyChunk* chunk) {
  if (type == "error" || type == "response.failed") chunk->is_error = true;
  if (type == "message_stop" || type == "response.completed" ||
      type == "response.incomplete") {
    chunk->ends_stream = true;
  }

  // Responses text/reasoning deltas carry a string "delta"; Anthropic's
  // content_block_delta an object with text, thinking or partial_json.
  const json* delta = Member(object, "delta");
  if (delta != nullptr && delta->is_string() &&
      !delta->get_ref<const std::string&>().empty()) {
    chunk->has_content = true;
  }
  if (delta != nullptr && type == "content_block_delta" &&
      (HasText(*delta, "text") || HasText(*delta, "thinking") ||
       HasText(*delta, "partial_json"))) {
    chunk->has_content = true;
  }
  if (delta != nullptr && type == "message_delta") {
    if (auto reason = ReasonField(*delta, "stop_reason")) {
      chunk->done_reason = reason;
    }
  }

  if (const json* response = Member(object, "response")) {
    ReadResponseStatus(*response, chunk);
  }
  if (const json* message = Member(object, "message")) {
    if (const json* usage = Member(*message, "usage")) ReadUsage(*usage, chunk);
  }
}

}  // namespace

ReplyChunk ReadNativeChunk(const json& object) {
  ReplyChunk chunk;
  if (!object.is_object()) return chunk;
  chunk.is_error = HasError(object);
  const json* done = Member(object, "done");
  chunk.ends_stream =
      done != nullptr && done->is_boolean() && done->get<bool>();
  chunk.done_reason = ReasonField(object, "done_reason");

  const json* message = Member(object, "message");
  chunk.has_content =
      HasText(object, "response") || HasText(object, "thinking") ||
      HasItems(object, "tool_calls") ||
      (message != nullptr &&
       (HasText(*message, "content") || HasText(*message, "thinking") ||
        HasItems(*message, "tool_calls")));

  chunk.prompt_tokens = CountField(object, "prompt_eval_count");
  chunk.generated_tokens = CountField(object, "eval_count");
  chunk.load_ns = CountField(object, "load_duration");
  chunk.prompt_eval_ns = CountField(object, "prompt_eval_duration");
  chunk.eval_ns = CountField(object, "eval_duration");
  chunk.total_ns = CountField(object, "total_duration");
  return chunk;
}

ReplyChunk ReadOpenAiChunk(const json& object) {
  ReplyChunk chunk;
  if (!object.is_object()) return chunk;
  chunk.is_error = HasError(object);

  if (const json* choices = Member(object, "choices");
      choices != nullptr && choices->is_array()) {
    for (const json& choice : *choices) ReadChoice(choice, &chunk);
  }
  if (const json* usage = Member(object, "usage")) ReadUsage(*usage, &chunk);

  // Whole replies of the Responses API and Anthropic messages.
  if (const json* kind = Member(object, "object");
      kind != nullptr && *kind == "response") {
    ReadResponseStatus(object, &chunk);
  }
  if (auto reason = ReasonField(object, "stop_reason")) {
    chunk.done_reason = reason;
  }

  const json* type = Member(object, "type");
  if (type != nullptr && type->is_string()) {
    ReadTypedEvent(object, type->get_ref<const std::string&>(), &chunk);
  }
  return chunk;
}

}  // namespace ollama_exporter::proxy
