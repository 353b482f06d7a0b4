// Runs one client case against the proxy and prints its result as one
// JSON line on stdout; the C++ driver (clients_test.cc) checks it.
//
//   node run_case.mjs CASE --proxy=URL --fake=URL --model=NAME
//                    [--release-after=N] [--gate-timeout-ms=N]
//
// CASE is a key of ollamaCases or openaiCases. --fake is the fake
// Ollama's own URL, for POST /fake/release. A streamed case releases the
// fake's held last write once N content chunks (default 1) arrived, or
// after --gate-timeout-ms (default 3000) without them (stream_gate.mjs).
// Exit 0 with the result; 1 with the error on stderr when the library
// threw; 2 for bad arguments.

import { ollamaCases } from './ollama_cases.mjs';
import { openaiCases } from './openai_cases.mjs';

const kCases = { ...ollamaCases, ...openaiCases };

// "--name=value" arguments into an object; anything else is positional.
function parseArguments(argv) {
  const named = {};
  const positional = [];
  for (const arg of argv) {
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (match) named[match[1]] = match[2];
    else positional.push(arg);
  }
  return { named, positional };
}

function usageError(message) {
  process.stderr.write(`run_case: ${message}\n`);
  process.stderr.write(
    'usage: node run_case.mjs CASE --proxy=URL --fake=URL --model=NAME ' +
      '[--release-after=N] [--gate-timeout-ms=N]\n',
  );
  process.exit(2);
}

// The value of --`name`, `fallback` when absent.
function positiveInteger(named, name, fallback) {
  const value = Number(named[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) {
    usageError(`--${name}: not a positive integer`);
  }
  return value;
}

async function main() {
  const { named, positional } = parseArguments(process.argv.slice(2));
  const run = kCases[positional[0]];
  if (positional.length !== 1 || run === undefined) {
    usageError(`one case expected, one of: ${Object.keys(kCases).join(' ')}`);
  }
  for (const required of ['proxy', 'fake', 'model']) {
    if (!named[required]) usageError(`--${required} missing`);
  }
  const releaseAfter = positiveInteger(named, 'release-after', 1);
  const gateTimeoutMs = positiveInteger(named, 'gate-timeout-ms', 3000);
  const context = {
    proxyUrl: named.proxy,
    model: named.model,
    requestTimeoutMs: 15000,
    gate: { fakeUrl: named.fake, releaseAfter, gateTimeoutMs },
  };
  const result = await run(context);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error) => {
  process.stderr.write(`run_case: ${error?.stack ?? error}\n`);
  process.exit(1);
});
