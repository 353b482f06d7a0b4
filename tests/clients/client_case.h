#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace ollama_exporter::clients {

// One request made by a Node.js client library (the npm `ollama` or
// `openai` package, unchanged) through the proxy: a case of
// tests/clients/run_case.mjs.
struct ClientCase {
  std::string name;       // "ollama_chat_stream", "openai_embeddings", ...
  std::string proxy_url;  // "http://127.0.0.1:PORT", the client's host.
  std::string fake_url;   // The fake Ollama's own URL, for /fake/release.
  std::string model;
  // A streamed case releases the fake's held last write once this many
  // content chunks reached the library, or after gate_timeout_ms.
  int release_after = 1;
  int gate_timeout_ms = 3000;
};

// Runs the case with the Node.js and the installed packages of the
// build tree (OE_NODE_BINARY, OE_CLIENTS_DIR) and parses the JSON object
// it prints into *result. kUnavailable when node cannot start,
// kDeadlineExceeded after 20 s, kFailedPrecondition (quoting stderr) when
// the library threw or the output is not a JSON object. *result is
// unchanged on error.
[[nodiscard]] Status RunClientCase(const ClientCase& client_case,
                                   nlohmann::json* result);

}  // namespace ollama_exporter::clients
