#pragma once

// Pieces shared by the native and the OpenAI reply builders; private to
// inference_payloads*.cc.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "inference_payloads.h"

namespace ollama_exporter::integration::payload {

using Json = nlohmann::ordered_json;

inline constexpr char kJsonType[] = "application/json; charset=utf-8";
inline constexpr char kNdjsonType[] = "application/x-ndjson";
inline constexpr char kSseType[] = "text/event-stream";

// The vector every embedding reply carries, once per input.
inline const std::vector<double> kVector = {0.0131, -0.0442, 0.0907};

// One generated chunk: text, or thinking when `thinking`.
struct Piece {
  std::string text;
  bool thinking = false;
};

// The chunks a script generates and how the reply ends.
struct Story {
  enum class End { kFinal, kError, kCut };
  std::vector<Piece> pieces;
  End end = End::kFinal;
  std::string all_text;      // Every text piece, concatenated.
  std::string all_thinking;  // Every thinking piece, concatenated.
};

Story TellStory(const InferenceScript& script);

// Compact JSON, Go-like: invalid UTF-8 replaced, never throws.
std::string Dump(const Json& json);

// The time of write `index`.
std::chrono::system_clock::time_point WriteTime(const PlanContext& context,
                                                const InferenceScript& script,
                                                size_t index);

int64_t UnixSeconds(std::chrono::system_clock::time_point time);

// Standard base64, padded, of `vector`'s values as float32 in
// little-endian order: a /v1/embeddings vector when the request asks for
// "encoding_format":"base64".
std::string Float32Base64(const std::vector<double>& vector);

// `status` with the error body of the request's route family:
// {"error":text}, OpenAI's {"error":{message,type,param,code}} on /v1,
// Anthropic's {"type":"error","error":{type,message}} on /v1/messages.
ReplyPlan ErrorPlan(int status, const std::string& text,
                    const InferenceRequest& request);

// The plan of a reply that is not streamed: the generation (the story's
// pieces at the script's pace) happens before the one reply, which is
// `whole()` unless the story ends in an error (500) or a cut.
ReplyPlan NotStreamedPlan(const InferenceRequest& request,
                          const InferenceScript& script, const Story& story,
                          const std::function<ReplyPlan()>& whole);

// Plans for the routes of each family; `request` is a normal request of
// an installed model and script.status is 200.
ReplyPlan PlanNativeReply(const InferenceRequest& request,
                          const InferenceScript& script,
                          const PlanContext& context);
ReplyPlan PlanOpenAiReply(const InferenceRequest& request,
                          const InferenceScript& script,
                          const PlanContext& context);

}  // namespace ollama_exporter::integration::payload
