// The npm `openai` client, unchanged, pointed at the proxy's /v1 (as
// Ollama's OpenAI compatibility is used): each case makes one request and
// returns what the library handed over.

import OpenAI from 'openai';

import { readGated } from './stream_gate.mjs';

const kMessages = [{ role: 'user', content: 'Why is the sky blue?' }];

// No retries: a second attempt would hide a failure and add a request
// the counters would then show.
function clientFor(context) {
  return new OpenAI({
    baseURL: `${context.proxyUrl}/v1`,
    apiKey: 'ollama',
    maxRetries: 0,
    timeout: context.requestTimeoutMs,
  });
}

// A streamed reply of `start()` read through the gate; `textOf` picks a
// choice's text. Usage-only chunks ("choices":[]) are counted apart from
// the others.
async function streamed(start, context, textOf) {
  const choiceText = (chunk) =>
    chunk.choices.length > 0 ? textOf(chunk.choices[0]) ?? '' : '';
  const gated = await readGated(start, {
    ...context.gate,
    isContent: (chunk) => choiceText(chunk) !== '',
  });
  const usageOnly = gated.chunks.filter((chunk) => chunk.choices.length === 0);
  const withChoices = gated.chunks.filter((chunk) => chunk.choices.length > 0);
  const finishes = withChoices
    .map((chunk) => chunk.choices[0].finish_reason)
    .filter((reason) => reason !== null && reason !== undefined);
  return {
    text: gated.chunks.map(choiceText).join(''),
    chunk_count: gated.chunks.length,
    content_before_release: gated.contentBeforeRelease,
    first_content_before_release: gated.firstContentBeforeRelease,
    released_by: gated.releasedBy,
    finish_reasons: finishes,
    usage_only_chunks: usageOnly.length,
    usage: usageOnly.length > 0 ? usageOnly[usageOnly.length - 1].usage : null,
    // What the chunks with choices carried as usage (absent: null).
    choice_chunk_usages: withChoices.map((chunk) => chunk.usage ?? null),
  };
}

// One embeddings call of two inputs, with `options` added to the
// request; the vectors come back as plain arrays of numbers.
async function embeddings(context, options) {
  const reply = await clientFor(context).embeddings.create({
    model: context.model,
    input: ['Why is the sky blue?', 'Rayleigh scattering'],
    ...options,
  });
  return {
    embeddings: reply.data.map((item) => Array.from(item.embedding)),
    usage: reply.usage,
  };
}

export const openaiCases = {
  async openai_chat_stream(context) {
    const start = () => clientFor(context).chat.completions.create({
      model: context.model,
      messages: kMessages,
      stream: true,
    });
    return streamed(start, context, (choice) => choice.delta.content);
  },

  async openai_chat_stream_usage(context) {
    const start = () => clientFor(context).chat.completions.create({
      model: context.model,
      messages: kMessages,
      stream: true,
      stream_options: { include_usage: true },
    });
    return streamed(start, context, (choice) => choice.delta.content);
  },

  async openai_chat(context) {
    const reply = await clientFor(context).chat.completions.create({
      model: context.model,
      messages: kMessages,
    });
    return {
      text: reply.choices[0].message.content,
      finish_reasons: [reply.choices[0].finish_reason],
      usage: reply.usage,
    };
  },

  async openai_completions_stream(context) {
    const start = () => clientFor(context).completions.create({
      model: context.model,
      prompt: 'Why is the sky blue?',
      stream: true,
    });
    return streamed(start, context, (choice) => choice.text);
  },

  // The library's default: it asks for base64 and decodes the float32
  // values itself.
  async openai_embeddings(context) {
    return embeddings(context, {});
  },

  async openai_embeddings_float(context) {
    return embeddings(context, { encoding_format: 'float' });
  },
};
