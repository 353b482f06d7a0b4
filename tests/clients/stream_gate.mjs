// Reads a streamed reply through a client library while the fake Ollama
// holds the last write of that reply (script hold_last_chunk), and
// releases the fake from here once the library has handed over the
// content chunks sent before the held one. A proxy that buffered the
// reply would deliver nothing until the hold ended: then the gate's timer
// releases the fake so that the request still ends, and the result shows
// that the content only came after the release.

// Lets the fake's held writes go (POST /fake/release on the fake itself).
export async function releaseFake(fakeUrl) {
  const reply = await fetch(`${fakeUrl}/fake/release`, { method: 'POST' });
  if (!reply.ok) {
    throw new Error(`POST /fake/release: HTTP ${reply.status}`);
  }
  await reply.text();
}

// Calls `start()` for the stream (a promise of an async iterable of parsed
// chunks; the libraries resolve it once the reply's head arrived) and
// iterates it to its end. `isContent(chunk)` says whether a chunk carries
// generated text; the fake is released once `releaseAfter` of them
// arrived, or `gateTimeoutMs` after the start when they do not (a proxy
// that buffers the body may hold back the head as well). Resolves to
//   { chunks: [...every chunk...],
//     contentBeforeRelease: content chunks that arrived before the release,
//     firstContentBeforeRelease: whether the first one did,
//     releasedBy: 'client' (after the content) or 'timeout' }.
export async function readGated(start, options) {
  const { fakeUrl, isContent, releaseAfter, gateTimeoutMs } = options;
  const chunks = [];
  let releasedBy = null;
  let contentBeforeRelease = 0;
  let firstContentBeforeRelease = null;
  let releasing = null;

  const release = (by) => {
    if (releasedBy !== null) return releasing;
    releasedBy = by;
    releasing = releaseFake(fakeUrl);
    return releasing;
  };
  // Rejections of a timer-started release surface when it is awaited below.
  const timer = setTimeout(() => {
    release('timeout').catch(() => {});
  }, gateTimeoutMs);

  try {
    const stream = await start();
    for await (const chunk of stream) {
      chunks.push(chunk);
      if (!isContent(chunk)) continue;
      if (firstContentBeforeRelease === null) {
        firstContentBeforeRelease = releasedBy === null;
      }
      if (releasedBy !== null) continue;
      contentBeforeRelease += 1;
      if (contentBeforeRelease === releaseAfter) await release('client');
    }
  } finally {
    clearTimeout(timer);
  }
  if (releasing !== null) await releasing;
  return {
    chunks,
    contentBeforeRelease,
    firstContentBeforeRelease: firstContentBeforeRelease === true,
    releasedBy,
  };
}
