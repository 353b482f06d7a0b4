#include "proxy/reply_chunk.h"

namespace ollama_exporter::proxy {
namespace {

// Token counts of an OpenAI, Responses or Anthropic usage object.
void ReadUsage(const UsageFields& usage, ReplyChunk* chunk) {
  for (const auto& count : {usage.prompt_tokens, usage.input_tokens}) {
    if (count) chunk->prompt_tokens = count;
  }
  for (const auto& count : {usage.completion_tokens, usage.output_tokens}) {
    if (count) chunk->generated_tokens = count;
  }
}

// A Responses API object: its status says how generation ended.
void ReadResponseStatus(const ResponseFields& response, ReplyChunk* chunk) {
  if (!response.status) return;
  if (*response.status == ReplyWord::kCompleted) {
    chunk->done_reason = DoneReason::kStop;
  } else if (*response.status == ReplyWord::kIncomplete) {
    chunk->done_reason =
        response.incomplete_reason.value_or(DoneReason::kOther);
  } else if (*response.status == ReplyWord::kFailed) {
    chunk->is_error = true;
  }
  ReadUsage(response.usage, chunk);
}

// Streamed events of the Responses API ("response.*") and Anthropic
// messages, which carry a "type" instead of OpenAI's choices.
void ReadTypedEvent(const ReplyFields& object, ReplyWord type,
                    ReplyChunk* chunk) {
  if (type == ReplyWord::kError || type == ReplyWord::kResponseFailed) {
    chunk->is_error = true;
  }
  if (type == ReplyWord::kMessageStop ||
      type == ReplyWord::kResponseCompleted ||
      type == ReplyWord::kResponseIncomplete) {
    chunk->ends_stream = true;
  }

  // Responses text/reasoning deltas carry a string "delta"; Anthropic's
  // content_block_delta an object with text, thinking or partial_json.
  const auto& delta = object.delta;
  if (delta.text) chunk->has_content = true;
  if (type == ReplyWord::kContentBlockDelta &&
      (delta.text_member_text || delta.thinking_text ||
       delta.partial_json_text)) {
    chunk->has_content = true;
  }
  if (type == ReplyWord::kMessageDelta && delta.stop_reason) {
    chunk->done_reason = delta.stop_reason;
  }

  ReadResponseStatus(object.response, chunk);
  ReadUsage(object.message.usage, chunk);
}

}  // namespace

ReplyChunk ReadNativeChunk(const ReplyFields& object) {
  ReplyChunk chunk;
  chunk.is_error = object.error;
  chunk.ends_stream = object.done;
  chunk.done_reason = object.done_reason;
  chunk.has_content = object.response_text || object.thinking_text ||
                      object.tool_calls_items || object.message.content_text ||
                      object.message.thinking_text ||
                      object.message.tool_calls_items;
  chunk.prompt_tokens = object.prompt_eval_count;
  chunk.generated_tokens = object.eval_count;
  chunk.load_ns = object.load_duration;
  chunk.prompt_eval_ns = object.prompt_eval_duration;
  chunk.eval_ns = object.eval_duration;
  chunk.total_ns = object.total_duration;
  return chunk;
}

ReplyChunk ReadOpenAiChunk(const ReplyFields& object) {
  ReplyChunk chunk;
  chunk.is_error = object.error;
  chunk.has_content = object.choices.content;
  chunk.done_reason = object.choices.finish_reason;
  ReadUsage(object.own.usage, &chunk);

  // Whole replies of the Responses API and Anthropic messages.
  if (object.object == ReplyWord::kResponse) {
    ReadResponseStatus(object.own, &chunk);
  }
  if (object.stop_reason) chunk.done_reason = object.stop_reason;

  if (object.type) ReadTypedEvent(object, *object.type, &chunk);
  return chunk;
}

}  // namespace ollama_exporter::proxy
