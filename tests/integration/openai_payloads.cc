// The /v1/* replies (shared/reference/ollama-api.md section 6; OpenAI's
// and Anthropic's published shapes for /v1/responses and /v1/messages).

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

#include "payload_parts.h"

namespace ollama_exporter::integration::payload {
namespace {

std::string Id(const InferenceRequest& request, const PlanContext& context) {
  const std::string number = std::to_string(context.sequence % 999);
  switch (request.route) {
    case InferenceRoute::kV1Completions:
      return "cmpl-" + number;
    case InferenceRoute::kV1Responses:
      return "resp_" + number;
    case InferenceRoute::kV1Messages:
      return "msg_" + number;
    default:
      return "chatcmpl-" + number;
  }
}

// A /v1 reply carries counts and a reason, never durations.
FinalStats Carried(const InferenceScript& script, bool with_counts,
                   std::string done_reason) {
  FinalStats carried;
  if (with_counts) {
    carried.prompt_eval_count = script.stats.prompt_eval_count;
    carried.eval_count = script.stats.eval_count;
  }
  carried.done_reason = std::move(done_reason);
  return carried;
}

Json Usage(const FinalStats& stats) {
  Json usage;
  usage["prompt_tokens"] = stats.prompt_eval_count;
  usage["completion_tokens"] = stats.eval_count;
  usage["total_tokens"] = stats.prompt_eval_count + stats.eval_count;
  return usage;
}

Json ZeroUsage() { return Usage(FinalStats()); }

// finish_reason: the native reason, null when there is none.
Json FinishReason(const std::string& done_reason) {
  return done_reason.empty() ? Json(nullptr) : Json(done_reason);
}

std::string SseData(const Json& json) { return "data: " + Dump(json) + "\n\n"; }

std::string SseEvent(const std::string& type, const Json& json) {
  return "event: " + type + "\n" + SseData(json);
}

const char kSseDone[] = "data: [DONE]\n\n";

ReplyPlan Whole(const Json& json, const FinalStats& carried) {
  ReplyPlan plan;
  plan.content_type = kJsonType;
  plan.writes.push_back({Dump(json), false, carried});
  return plan;
}

ReplyPlan Sse(const Story& story) {
  ReplyPlan plan;
  plan.content_type = kSseType;
  plan.streamed = true;
  plan.stream_error = story.end == Story::End::kError;
  plan.cut = story.end == Story::End::kCut;
  return plan;
}

// The last write of a /v1 SSE stream, in one piece as Ollama sends it:
// `finish` (the chunk with the finish reason), then when the client asked
// for usage `usage_chunk` (choices []) with the usage added, then [DONE].
void EndSse(const InferenceRequest& request, const InferenceScript& script,
            const std::string& reason, const Json& finish, Json usage_chunk,
            ReplyPlan* plan) {
  std::string bytes = SseData(finish);
  if (request.include_usage) {
    usage_chunk["usage"] = Usage(script.stats);
    bytes += SseData(usage_chunk);
  }
  bytes += kSseDone;
  plan->writes.push_back(
      {bytes, false, Carried(script, request.include_usage, reason)});
}

// --- /v1/chat/completions ----------------------------------------------

Json ChatChunk(const InferenceRequest& request, const PlanContext& context,
               int64_t created, Json choices) {
  Json json;
  json["id"] = Id(request, context);
  json["object"] = "chat.completion.chunk";
  json["created"] = created;
  json["model"] = request.model;
  json["system_fingerprint"] = "fp_ollama";
  json["choices"] = std::move(choices);
  return json;
}

Json ChatChoice(Json delta, Json finish_reason) {
  Json choice;
  choice["index"] = 0;
  choice["delta"] = std::move(delta);
  choice["finish_reason"] = std::move(finish_reason);
  return Json::array({std::move(choice)});
}

// The old shape has role and content in every delta; the new one role
// only in the first and content only when not empty.
Json ChatDelta(const Piece& piece, bool with_role, bool old) {
  Json delta = Json::object();
  if (with_role) delta["role"] = "assistant";
  if (old || (!piece.thinking && !piece.text.empty())) {
    delta["content"] = piece.thinking ? "" : piece.text;
  }
  if (piece.thinking) delta["reasoning"] = piece.text;
  return delta;
}

ReplyPlan ChatStream(const InferenceRequest& request,
                     const InferenceScript& script, const Story& story,
                     const PlanContext& context) {
  ReplyPlan plan = Sse(story);
  const bool old = script.old_chat_sse;
  const int64_t pinned = UnixSeconds(context.first_write);
  auto created = [&](size_t index) {
    return old ? UnixSeconds(WriteTime(context, script, index)) : pinned;
  };
  for (const Piece& piece : story.pieces) {
    const size_t index = plan.writes.size();
    Json chunk = ChatChunk(
        request, context, created(index),
        ChatChoice(ChatDelta(piece, old || index == 0, old), nullptr));
    plan.writes.push_back({SseData(chunk), true, std::nullopt});
  }
  const size_t index = plan.writes.size();
  if (story.end == Story::End::kError && old) {
    Json chunk = ChatChunk(request, context, created(index),
                           ChatChoice(ChatDelta(Piece(), true, true), nullptr));
    plan.writes.push_back({SseData(chunk), false, std::nullopt});
  }
  if (story.end != Story::End::kFinal) return plan;

  // The finish chunk: new shape, empty delta and a reason that falls back
  // to stop; old shape, rides on the chunk made from the final native one.
  std::string reason = script.stats.done_reason;
  if (!old && reason.empty()) reason = "stop";
  const Json delta =
      old ? ChatDelta(Piece(), true, true) : Json(Json::object());
  EndSse(request, script, reason,
         ChatChunk(request, context, created(index),
                   ChatChoice(delta, FinishReason(reason))),
         ChatChunk(request, context, created(index), Json::array()), &plan);
  return plan;
}

ReplyPlan ChatWhole(const InferenceRequest& request,
                    const InferenceScript& script, const Story& story,
                    const PlanContext& context) {
  Json message;
  message["role"] = "assistant";
  message["content"] = story.all_text;
  if (!story.all_thinking.empty()) message["reasoning"] = story.all_thinking;
  Json choice;
  choice["index"] = 0;
  choice["message"] = std::move(message);
  choice["finish_reason"] = FinishReason(script.stats.done_reason);
  Json json;
  json["id"] = Id(request, context);
  json["object"] = "chat.completion";
  json["created"] = UnixSeconds(context.first_write);
  json["model"] = request.model;
  json["system_fingerprint"] = "fp_ollama";
  json["choices"] = Json::array({std::move(choice)});
  json["usage"] = Usage(script.stats);
  return Whole(json, Carried(script, true, script.stats.done_reason));
}

// --- /v1/completions ---------------------------------------------------

Json CompletionChoice(const std::string& text, Json finish_reason) {
  Json choice;
  choice["text"] = text;
  choice["index"] = 0;
  choice["finish_reason"] = std::move(finish_reason);
  return choice;
}

ReplyPlan CompletionStream(const InferenceRequest& request,
                           const InferenceScript& script, const Story& story,
                           const PlanContext& context) {
  ReplyPlan plan = Sse(story);
  auto chunk = [&](Json choices, bool zero_usage) {
    Json json;
    json["id"] = Id(request, context);
    json["object"] = "text_completion";
    json["created"] = UnixSeconds(context.first_write);
    json["choices"] = std::move(choices);
    json["model"] = request.model;
    json["system_fingerprint"] = "fp_ollama";
    if (zero_usage) json["usage"] = ZeroUsage();
    return json;
  };
  // A thinking chunk of /api/generate has no text here.
  for (const Piece& piece : story.pieces) {
    const std::string text = piece.thinking ? "" : piece.text;
    plan.writes.push_back(
        {SseData(chunk(Json::array({CompletionChoice(text, nullptr)}),
                       request.include_usage)),
         !text.empty(), std::nullopt});
  }
  if (story.end != Story::End::kFinal) return plan;

  const std::string& reason = script.stats.done_reason;
  EndSse(request, script, reason,
         chunk(Json::array({CompletionChoice("", FinishReason(reason))}),
               request.include_usage),
         chunk(Json::array(), false), &plan);
  return plan;
}

ReplyPlan CompletionWhole(const InferenceRequest& request,
                          const InferenceScript& script, const Story& story,
                          const PlanContext& context) {
  Json json;
  json["id"] = Id(request, context);
  json["object"] = "text_completion";
  json["created"] = UnixSeconds(context.first_write);
  json["model"] = request.model;
  json["system_fingerprint"] = "fp_ollama";
  json["choices"] = Json::array({CompletionChoice(
      story.all_text, FinishReason(script.stats.done_reason))});
  json["usage"] = Usage(script.stats);
  return Whole(json, Carried(script, true, script.stats.done_reason));
}

// --- /v1/embeddings ----------------------------------------------------

ReplyPlan EmbeddingsWhole(const InferenceRequest& request,
                          const InferenceScript& script) {
  Json data = Json::array();
  for (int i = 0; i < request.inputs; ++i) {
    Json entry;
    entry["object"] = "embedding";
    if (request.base64_embeddings) {
      entry["embedding"] = Float32Base64(kVector);
    } else {
      entry["embedding"] = kVector;
    }
    entry["index"] = i;
    data.push_back(std::move(entry));
  }
  // The native reply of an empty input list has no prompt_eval_count.
  const int64_t prompt =
      request.inputs > 0 ? script.stats.prompt_eval_count : 0;
  Json json;
  json["object"] = "list";
  json["data"] = std::move(data);
  json["model"] = request.model;
  json["usage"] = {{"prompt_tokens", prompt}, {"total_tokens", prompt}};
  FinalStats carried;
  carried.prompt_eval_count = prompt;
  return Whole(json, carried);
}

// --- /v1/responses -----------------------------------------------------

Json OutputPart(const std::string& text) {
  Json part;
  part["type"] = "output_text";
  part["text"] = text;
  part["annotations"] = Json::array();
  return part;
}

Json MessageItem(const PlanContext& context, const std::string& status,
                 Json content) {
  Json item;
  item["id"] = "msg_" + std::to_string(context.sequence % 999);
  item["type"] = "message";
  item["status"] = status;
  item["role"] = "assistant";
  item["content"] = std::move(content);
  return item;
}

Json ResponseObject(const InferenceRequest& request,
                    const InferenceScript& script, const PlanContext& context,
                    const std::string& text, bool done) {
  const bool truncated = script.stats.done_reason == "length";
  Json json;
  json["id"] = Id(request, context);
  json["object"] = "response";
  json["created_at"] = UnixSeconds(context.first_write);
  json["status"] =
      !done ? "in_progress" : (truncated ? "incomplete" : "completed");
  if (done && truncated) {
    json["incomplete_details"] = {{"reason", "max_output_tokens"}};
  }
  json["model"] = request.model;
  json["output"] =
      done ? Json::array({MessageItem(context, "completed",
                                      Json::array({OutputPart(text)}))})
           : Json::array();
  if (done) {
    json["usage"] = {{"input_tokens", script.stats.prompt_eval_count},
                     {"output_tokens", script.stats.eval_count},
                     {"total_tokens", script.stats.prompt_eval_count +
                                          script.stats.eval_count}};
  } else {
    json["usage"] = nullptr;
  }
  return json;
}

// Numbers the events of one /v1/responses stream.
class ResponseEvents {
 public:
  std::string Event(const std::string& type, Json fields) {
    Json json;
    json["type"] = type;
    json["sequence_number"] = next_++;
    for (auto& [name, value] : fields.items()) json[name] = value;
    return SseEvent(type, json);
  }

 private:
  int next_ = 0;
};

ReplyPlan ResponsesStream(const InferenceRequest& request,
                          const InferenceScript& script, const Story& story,
                          const PlanContext& context) {
  ReplyPlan plan = Sse(story);
  ResponseEvents events;
  const std::string item_id = "msg_" + std::to_string(context.sequence % 999);
  auto where = [&] {
    return Json{
        {"item_id", item_id}, {"output_index", 0}, {"content_index", 0}};
  };
  // One statement per event: the sequence numbers follow the text order.
  std::string opening = events.Event(
      "response.created",
      {{"response", ResponseObject(request, script, context, "", false)}});
  opening += events.Event(
      "response.in_progress",
      {{"response", ResponseObject(request, script, context, "", false)}});
  opening += events.Event(
      "response.output_item.added",
      {{"output_index", 0},
       {"item", MessageItem(context, "in_progress", Json::array())}});
  Json part_added = where();
  part_added["part"] = OutputPart("");
  opening += events.Event("response.content_part.added", part_added);
  std::string text;
  for (const Piece& piece : story.pieces) {
    Json fields = where();
    fields["delta"] = piece.text;
    text += piece.text;
    std::string bytes = plan.writes.empty() ? opening : "";
    bytes += events.Event("response.output_text.delta", fields);
    plan.writes.push_back({bytes, true, std::nullopt});
  }
  const std::string prefix = plan.writes.empty() ? opening : "";
  if (story.end == Story::End::kError) {
    Json error;
    error["code"] = nullptr;
    error["message"] = script.error_message;
    error["param"] = nullptr;
    plan.writes.push_back(
        {prefix + events.Event("error", error), false, std::nullopt});
  }
  if (story.end != Story::End::kFinal) return plan;

  Json text_done = where();
  text_done["text"] = text;
  Json part_done = where();
  part_done["part"] = OutputPart(text);
  std::string bytes = prefix;
  bytes += events.Event("response.output_text.done", text_done);
  bytes += events.Event("response.content_part.done", part_done);
  bytes += events.Event(
      "response.output_item.done",
      {{"output_index", 0},
       {"item",
        MessageItem(context, "completed", Json::array({OutputPart(text)}))}});
  bytes += events.Event(
      "response.completed",
      {{"response", ResponseObject(request, script, context, text, true)}});
  plan.writes.push_back(
      {bytes, false, Carried(script, true, script.stats.done_reason)});
  return plan;
}

// --- /v1/messages (Anthropic) ------------------------------------------

std::string StopReason(const std::string& done_reason) {
  return done_reason == "length" ? "max_tokens" : "end_turn";
}

Json MessageObject(const InferenceRequest& request,
                   const InferenceScript& script, const PlanContext& context,
                   Json content, bool done) {
  Json json;
  json["id"] = Id(request, context);
  json["type"] = "message";
  json["role"] = "assistant";
  json["model"] = request.model;
  json["content"] = std::move(content);
  json["stop_reason"] =
      done ? Json(StopReason(script.stats.done_reason)) : Json(nullptr);
  json["stop_sequence"] = nullptr;
  json["usage"] = {{"input_tokens", done ? script.stats.prompt_eval_count : 0},
                   {"output_tokens", done ? script.stats.eval_count : 0}};
  return json;
}

Json TextBlock(const std::string& text) {
  return {{"type", "text"}, {"text", text}};
}

ReplyPlan MessagesStream(const InferenceRequest& request,
                         const InferenceScript& script, const Story& story,
                         const PlanContext& context) {
  ReplyPlan plan = Sse(story);
  const std::string opening =
      SseEvent("message_start",
               {{"type", "message_start"},
                {"message", MessageObject(request, script, context,
                                          Json::array(), false)}}) +
      SseEvent("content_block_start", {{"type", "content_block_start"},
                                       {"index", 0},
                                       {"content_block", TextBlock("")}});
  for (const Piece& piece : story.pieces) {
    std::string bytes = plan.writes.empty() ? opening : "";
    bytes +=
        SseEvent("content_block_delta",
                 {{"type", "content_block_delta"},
                  {"index", 0},
                  {"delta", {{"type", "text_delta"}, {"text", piece.text}}}});
    plan.writes.push_back({bytes, true, std::nullopt});
  }
  const std::string prefix = plan.writes.empty() ? opening : "";
  if (story.end == Story::End::kError) {
    Json error;
    error["type"] = "error";
    error["error"] = {{"type", "api_error"}, {"message", script.error_message}};
    plan.writes.push_back(
        {prefix + SseEvent("error", error), false, std::nullopt});
  }
  if (story.end != Story::End::kFinal) return plan;

  Json delta;
  delta["type"] = "message_delta";
  delta["delta"] = {{"stop_reason", StopReason(script.stats.done_reason)},
                    {"stop_sequence", nullptr}};
  delta["usage"] = {{"input_tokens", script.stats.prompt_eval_count},
                    {"output_tokens", script.stats.eval_count}};
  const std::string bytes =
      prefix +
      SseEvent("content_block_stop",
               {{"type", "content_block_stop"}, {"index", 0}}) +
      SseEvent("message_delta", delta) +
      SseEvent("message_stop", {{"type", "message_stop"}});
  plan.writes.push_back(
      {bytes, false, Carried(script, true, script.stats.done_reason)});
  return plan;
}

ReplyPlan Streamed(const InferenceRequest& request,
                   const InferenceScript& script, const Story& story,
                   const PlanContext& context) {
  switch (request.route) {
    case InferenceRoute::kV1Completions:
      return CompletionStream(request, script, story, context);
    case InferenceRoute::kV1Responses:
      return ResponsesStream(request, script, story, context);
    case InferenceRoute::kV1Messages:
      return MessagesStream(request, script, story, context);
    default:
      return ChatStream(request, script, story, context);
  }
}

ReplyPlan Whole(const InferenceRequest& request, const InferenceScript& script,
                const Story& story, const PlanContext& context) {
  switch (request.route) {
    case InferenceRoute::kV1Completions:
      return CompletionWhole(request, script, story, context);
    case InferenceRoute::kV1Responses:
      return Whole(
          ResponseObject(request, script, context, story.all_text, true),
          Carried(script, true, script.stats.done_reason));
    case InferenceRoute::kV1Messages:
      return Whole(
          MessageObject(request, script, context,
                        Json::array({TextBlock(story.all_text)}), true),
          Carried(script, true, script.stats.done_reason));
    default:
      return ChatWhole(request, script, story, context);
  }
}

}  // namespace

std::string Float32Base64(const std::vector<double>& vector) {
  constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  // memcpy keeps the float's bits; the shifts fix the byte order whatever
  // the machine's is.
  std::string bytes;
  for (double value : vector) {
    const float single = static_cast<float>(value);
    uint32_t bits = 0;
    std::memcpy(&bits, &single, sizeof(bits));
    for (int shift = 0; shift < 32; shift += 8) {
      bytes.push_back(static_cast<char>((bits >> shift) & 0xFF));
    }
  }

  std::string text;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t count = std::min<size_t>(3, bytes.size() - i);
    uint32_t group = 0;
    for (size_t k = 0; k < 3; ++k) {
      const uint8_t byte = k < count ? static_cast<uint8_t>(bytes[i + k]) : 0;
      group = (group << 8) | byte;
    }
    // `count` bytes fill count + 1 characters; '=' pads to four.
    for (size_t k = 0; k < 4; ++k) {
      text.push_back(k <= count ? kAlphabet[(group >> (18 - 6 * k)) & 0x3F]
                                : '=');
    }
  }
  return text;
}

ReplyPlan PlanOpenAiReply(const InferenceRequest& request,
                          const InferenceScript& script,
                          const PlanContext& context) {
  if (request.route == InferenceRoute::kV1Embeddings) {
    return EmbeddingsWhole(request, script);
  }
  const Story story = TellStory(script);
  if (request.streamed) return Streamed(request, script, story, context);
  return NotStreamedPlan(request, script, story, [&] {
    return Whole(request, script, story, context);
  });
}

}  // namespace ollama_exporter::integration::payload
