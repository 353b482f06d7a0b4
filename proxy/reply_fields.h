#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "proxy/inference_facts.h"

namespace ollama_exporter::proxy {

// The strings that reply readers compare "object", "status" and "type"
// members with; any other string is kOther.
enum class ReplyWord {
  kOther,
  kResponse,            // "response" (an "object" kind)
  kCompleted,           // "completed" (a Responses API status)
  kIncomplete,          // "incomplete"
  kFailed,              // "failed"
  kError,               // "error" (an event type)
  kResponseFailed,      // "response.failed"
  kResponseCompleted,   // "response.completed"
  kResponseIncomplete,  // "response.incomplete"
  kMessageStop,         // "message_stop"
  kMessageDelta,        // "message_delta"
  kContentBlockDelta,   // "content_block_delta"
};

// Below, a "text" flag is set when the member is a non-empty string, an
// "items" flag when it is a non-empty array, a count is a JSON number
// (truncated, negatives clamped to 0, values past int64 to its maximum),
// a reason is a string folded by DoneReasonFromText and a word a string
// folded to a ReplyWord. A member of any other type reads as absent.

// Token counts of an OpenAI, Responses API or Anthropic "usage" object.
struct UsageFields {
  bool object = false;  // The member is an object, even an empty one.
  std::optional<int64_t> prompt_tokens;
  std::optional<int64_t> input_tokens;
  std::optional<int64_t> completion_tokens;
  std::optional<int64_t> output_tokens;
};

// The members of a Responses API response object (the reply itself or an
// event's "response") that say how generation ended.
struct ResponseFields {
  std::optional<ReplyWord> status;
  std::optional<DoneReason> incomplete_reason;  // incomplete_details.reason
  UsageFields usage;
};

// The members of a reply object that ReadNativeChunk and ReadOpenAiChunk
// use, each reduced to what they ask of it, from both reply dialects.
struct ReplyFields {
  bool error = false;  // "error" is present and not null.
  bool done = false;   // "done" is true.
  std::optional<DoneReason> done_reason;
  std::optional<DoneReason> stop_reason;
  bool response_text = false;  // "response" as a string (native replies).
  bool thinking_text = false;
  bool tool_calls_items = false;
  std::optional<int64_t> prompt_eval_count;
  std::optional<int64_t> eval_count;
  std::optional<int64_t> load_duration;
  std::optional<int64_t> prompt_eval_duration;
  std::optional<int64_t> eval_duration;
  std::optional<int64_t> total_duration;

  // "message": a native chat message or an Anthropic message_start's.
  struct {
    bool content_text = false;
    bool thinking_text = false;
    bool tool_calls_items = false;
    UsageFields usage;
  } message;

  // "choices", an array; only its object entries count, but for `entries`.
  struct {
    bool array = false;    // "choices" is an array,
    bool entries = false;  // with at least one entry, of any type.
    // Some entry has delta.{content, reasoning} text, delta.tool_calls
    // items or text.
    bool content = false;
    // finish_reason of the last entry where it is a string.
    std::optional<DoneReason> finish_reason;
  } choices;

  // status, incomplete_details and usage at the top level.
  ResponseFields own;
  std::optional<ReplyWord> object;
  std::optional<ReplyWord> type;

  // "delta" of a typed event: a string (Responses API) or an object
  // (Anthropic).
  struct {
    bool text = false;  // The string itself.
    bool text_member_text = false;
    bool thinking_text = false;
    bool partial_json_text = false;
    std::optional<DoneReason> stop_reason;
  } delta;

  // "response" as an object (Responses API events).
  ResponseFields response;
};

// Reads the fields of `text` when it is one JSON object, as
// nlohmann::json::parse would accept it, without building the document
// (ScanJson): like parse, the last of repeated keys wins and keys match
// exactly. Returns false, with *fields unspecified, when the text is not
// JSON or not an object. Pure. Memory: the longest escaped string or long
// number in the text and a bit per open container; arrays and unread
// members are skipped, not stored.
bool ReadReplyFields(std::string_view text, ReplyFields* fields);

}  // namespace ollama_exporter::proxy
