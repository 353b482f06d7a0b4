#pragma once

#include <string>
#include <vector>

#include "common/status.h"

#include "fake_ollama.h"

namespace ollama_exporter::prometheus_test {

// Sends a fixed mix of inference requests through the exporter's proxy at
// 127.0.0.1:<proxy_port> to `ollama` behind it, all for `model` (which
// must be installed there) unless said otherwise:
//   /api/generate, not streamed                      -> ok, stop
//   /api/generate, streamed, first byte after 30 ms  -> ok, stop
//   /api/chat, streamed                              -> ok, stop
//   /api/chat, streamed, cut by num_predict          -> ok, length
//   /v1/chat/completions, streamed                   -> ok, stop
//   /api/generate, streamed, an error line mid-way   -> stream_error
//   /api/generate for a model that is not installed  -> client_error (404)
// One at a time, each within 10 s. *statuses gets each reply's HTTP
// status in that order. kUnavailable when the proxy cannot be reached,
// kDeadlineExceeded when a reply does not end in time.
Status SendProxyTraffic(int proxy_port, const std::string& model,
                        integration::FakeOllama* ollama,
                        std::vector<long>* statuses);

}  // namespace ollama_exporter::prometheus_test
