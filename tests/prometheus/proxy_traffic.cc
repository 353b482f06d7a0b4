#include "proxy_traffic.h"

#include <utility>

#include "inference_script.h"
#include "stream_client.h"

namespace ollama_exporter::prometheus_test {
namespace {

using integration::InferenceScript;

struct ScriptedRequest {
  std::string path;
  std::string body;
  InferenceScript script;
};

std::vector<ScriptedRequest> Requests(const std::string& model) {
  const std::string named = "{\"model\":\"" + model + "\",";
  const std::string chat =
      named + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
  InferenceScript healthy;
  InferenceScript slow_start;
  slow_start.first_byte_delay_ms = 30;
  InferenceScript truncated;
  truncated.stats.done_reason = "length";
  InferenceScript broken;
  broken.error_after_chunks = 1;
  return {
      {"/api/generate", named + "\"prompt\":\"Why?\",\"stream\":false}",
       healthy},
      {"/api/generate", named + "\"prompt\":\"Why?\"}", slow_start},
      {"/api/chat", chat + "}", healthy},
      {"/api/chat", chat + ",\"options\":{\"num_predict\":3}}", truncated},
      {"/v1/chat/completions", chat + ",\"stream\":true}", healthy},
      {"/api/generate", named + "\"prompt\":\"Why?\"}", broken},
      {"/api/generate", "{\"model\":\"no-such-model:1b\",\"prompt\":\"Hi\"}",
       healthy},
  };
}

}  // namespace

Status SendProxyTraffic(int proxy_port, const std::string& model,
                        integration::FakeOllama* ollama,
                        std::vector<long>* statuses) {
  const std::string base = "http://127.0.0.1:" + std::to_string(proxy_port);
  for (ScriptedRequest& request : Requests(model)) {
    ollama->QueueInferenceScript(std::move(request.script));
    integration::StreamRequest post;
    post.url = base + request.path;
    post.body = request.body;
    integration::StreamReply reply;
    Status status = integration::PostStreaming(post, &reply);
    if (!status.ok()) return status.WithContext("POST " + request.path);
    statuses->push_back(reply.status);
  }
  return Status::Ok();
}

}  // namespace ollama_exporter::prometheus_test
