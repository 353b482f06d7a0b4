// The /api/* replies (shared/reference/ollama-api.md section 5).

#include <utility>

#include "payload_parts.h"

namespace ollama_exporter::integration::payload {
namespace {

// A conversation encoding, as non-raw /api/generate replies carry.
const std::vector<int> kContext = {151644, 872, 198, 3838};

// Adds the six metrics, each omitted when zero, in struct order.
void AddMetrics(const FinalStats& stats, Json* json) {
  const std::pair<const char*, int64_t> metrics[] = {
      {"total_duration", stats.total_duration},
      {"load_duration", stats.load_duration},
      {"prompt_eval_count", stats.prompt_eval_count},
      {"prompt_eval_duration", stats.prompt_eval_duration},
      {"eval_count", stats.eval_count},
      {"eval_duration", stats.eval_duration},
  };
  for (const auto& [name, value] : metrics) {
    if (value != 0) (*json)[name] = value;
  }
}

// The start of every generate/chat object: model, created_at, the text.
Json Chunk(const InferenceRequest& request,
           std::chrono::system_clock::time_point time, const Piece& piece) {
  Json json;
  json["model"] = request.model;
  json["created_at"] = Rfc3339Nanos(time);
  if (request.route == InferenceRoute::kGenerate) {
    json["response"] = piece.thinking ? "" : piece.text;
    if (piece.thinking) json["thinking"] = piece.text;
  } else {
    Json message;
    message["role"] = "assistant";
    message["content"] = piece.thinking ? "" : piece.text;
    if (piece.thinking) message["thinking"] = piece.text;
    json["message"] = std::move(message);
  }
  return json;
}

// Closes a chunk as the final one: done, reason, context, metrics.
void Finish(const InferenceRequest& request, const FinalStats& stats,
            Json* json) {
  (*json)["done"] = true;
  if (!stats.done_reason.empty()) (*json)["done_reason"] = stats.done_reason;
  if (request.route == InferenceRoute::kGenerate && !request.raw) {
    (*json)["context"] = kContext;
  }
  AddMetrics(stats, json);
}

ReplyPlan SingleObject(const Json& json, const FinalStats& carried) {
  ReplyPlan plan;
  plan.content_type = kJsonType;
  plan.writes.push_back({Dump(json), false, carried});
  return plan;
}

ReplyPlan LoadReply(const InferenceRequest& request,
                    const PlanContext& context) {
  FinalStats carried;
  carried.done_reason = request.unload ? "unload" : "load";
  Json json = Chunk(request, context.first_write, Piece());
  json["done"] = true;
  json["done_reason"] = carried.done_reason;
  return SingleObject(json, carried);
}

ReplyPlan EmbedReply(const InferenceRequest& request,
                     const InferenceScript& script) {
  Json json;
  FinalStats carried;
  if (request.route == InferenceRoute::kEmbeddings) {
    json["embedding"] = request.inputs == 0 ? std::vector<double>() : kVector;
    return SingleObject(json, carried);
  }
  json["model"] = request.model;
  json["embeddings"] = Json::array();
  for (int i = 0; i < request.inputs; ++i)
    json["embeddings"].push_back(kVector);
  // An empty input list has no metrics at all.
  if (request.inputs > 0) {
    carried.total_duration = script.stats.total_duration;
    carried.load_duration = script.stats.load_duration;
    carried.prompt_eval_count = script.stats.prompt_eval_count;
    AddMetrics(carried, &json);
  }
  return SingleObject(json, carried);
}

ReplyPlan WholeReply(const InferenceRequest& request,
                     const InferenceScript& script, const Story& story,
                     const PlanContext& context) {
  Piece all;
  all.text = story.all_text;
  Json json = Chunk(request, WriteTime(context, script, 0), all);
  if (!story.all_thinking.empty()) {
    Json& holder =
        request.route == InferenceRoute::kGenerate ? json : json["message"];
    holder["thinking"] = story.all_thinking;
  }
  Finish(request, script.stats, &json);
  return SingleObject(json, script.stats);
}

ReplyPlan StreamedReply(const InferenceRequest& request,
                        const InferenceScript& script, const Story& story,
                        const PlanContext& context) {
  ReplyPlan plan;
  plan.content_type = kNdjsonType;
  plan.streamed = true;
  for (const Piece& piece : story.pieces) {
    Json json =
        Chunk(request, WriteTime(context, script, plan.writes.size()), piece);
    json["done"] = false;
    plan.writes.push_back({Dump(json) + "\n", true, std::nullopt});
  }
  switch (story.end) {
    case Story::End::kFinal: {
      Json json = Chunk(request, WriteTime(context, script, plan.writes.size()),
                        Piece());
      Finish(request, script.stats, &json);
      plan.writes.push_back({Dump(json) + "\n", false, script.stats});
      break;
    }
    case Story::End::kError:
      plan.stream_error = true;
      plan.writes.push_back({Dump(Json{{"error", script.error_message}}) + "\n",
                             false, std::nullopt});
      break;
    case Story::End::kCut:
      plan.cut = true;
      break;
  }
  return plan;
}

}  // namespace

ReplyPlan PlanNativeReply(const InferenceRequest& request,
                          const InferenceScript& script,
                          const PlanContext& context) {
  if (request.route == InferenceRoute::kEmbed ||
      request.route == InferenceRoute::kEmbeddings) {
    return EmbedReply(request, script);
  }
  if (request.load || request.unload) return LoadReply(request, context);
  const Story story = TellStory(script);
  if (request.streamed) return StreamedReply(request, script, story, context);
  return NotStreamedPlan(request, script, story, [&] {
    return WholeReply(request, script, story, context);
  });
}

}  // namespace ollama_exporter::integration::payload
