// The npm `ollama` client, unchanged, pointed at the proxy: each case
// makes one request and returns what the library handed over.

import { Ollama } from 'ollama';

import { readGated } from './stream_gate.mjs';

const kMessages = [{ role: 'user', content: 'Why is the sky blue?' }];

// The numbers Ollama puts in a final chunk or a whole reply, as the
// library exposes them.
function finalFacts(reply) {
  return {
    done: reply.done,
    done_reason: reply.done_reason,
    prompt_eval_count: reply.prompt_eval_count,
    eval_count: reply.eval_count,
    eval_duration: reply.eval_duration,
  };
}

// A streamed reply of `start()` read through the gate; `textOf` picks a
// chunk's text.
async function streamed(start, context, textOf) {
  const gated = await readGated(start, {
    ...context.gate,
    isContent: (chunk) => textOf(chunk) !== '',
  });
  const last = gated.chunks[gated.chunks.length - 1];
  return {
    text: gated.chunks.map(textOf).join(''),
    chunk_count: gated.chunks.length,
    content_before_release: gated.contentBeforeRelease,
    first_content_before_release: gated.firstContentBeforeRelease,
    released_by: gated.releasedBy,
    final: finalFacts(last),
  };
}

export const ollamaCases = {
  async ollama_chat_stream(context) {
    const client = new Ollama({ host: context.proxyUrl });
    const start = () => client.chat({
      model: context.model,
      messages: kMessages,
      stream: true,
    });
    return streamed(start, context, (chunk) => chunk.message.content);
  },

  async ollama_generate_stream(context) {
    const client = new Ollama({ host: context.proxyUrl });
    const start = () => client.generate({
      model: context.model,
      prompt: 'Why is the sky blue?',
      stream: true,
    });
    return streamed(start, context, (chunk) => chunk.response);
  },

  async ollama_chat(context) {
    const client = new Ollama({ host: context.proxyUrl });
    const reply = await client.chat({
      model: context.model,
      messages: kMessages,
      stream: false,
    });
    return { text: reply.message.content, final: finalFacts(reply) };
  },

  async ollama_embed(context) {
    const client = new Ollama({ host: context.proxyUrl });
    const reply = await client.embed({
      model: context.model,
      input: ['Why is the sky blue?', 'Rayleigh scattering'],
    });
    return {
      embeddings: reply.embeddings,
      final: { prompt_eval_count: reply.prompt_eval_count },
    };
  },
};
