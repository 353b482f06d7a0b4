#include "rig.h"

#include <utility>

namespace ollama_exporter::integration {

Status Rig::Create(std::unique_ptr<Rig>* rig) {
  std::unique_ptr<Rig> made(new Rig());
  Status status = FakeOllama::Start(&made->ollama_);
  if (status.ok())
    status = testing::TempDir::Create("oe-storage", &made->storage_);
  if (!status.ok()) return status;
  made->Serve(ThreeInstalled(), TwoLoaded());
  *rig = std::move(made);
  return Status::Ok();
}

ExporterOptions Rig::Options() const {
  ExporterOptions options;
  options.binary = OE_EXPORTER_BINARY;
  options.ollama_url = ollama_->url();
  options.storage_path = storage_->path();
  return options;
}

Status Rig::StartExporter(const std::vector<std::string>& extra_args) {
  ExporterOptions options = Options();
  options.extra_args = extra_args;
  return StartExporterWith(options);
}

Status Rig::StartExporterWith(const ExporterOptions& options) {
  exporter_.reset();
  return ExporterProcess::Start(options, &exporter_);
}

Status Rig::History(const std::string& query, HistoryReply* reply) {
  HttpReply http;
  Status status = exporter_->Get("/api/ollama/history" + query, &http);
  if (!status.ok()) return status;
  if (http.status != 200) {
    return Status::FailedPrecondition(
        "history answered " + std::to_string(http.status) + ": " + http.body);
  }
  status = ParseHistoryReply(http.body, reply);
  if (status.ok() && !reply->success) {
    status = Status::FailedPrecondition("history failed: " + reply->error);
  }
  if (!status.ok()) return status.WithContext("history reply " + http.body);
  return Status::Ok();
}

void Rig::Serve(const std::vector<TagsModel>& tags,
                const std::vector<PsModel>& ps) {
  ollama_->SetTagsJson(TagsJson(tags));
  ollama_->SetPsJson(PsJson(ps));
}

std::vector<TagsModel> ThreeInstalled() {
  TagsModel qwen;
  qwen.name = kQwen;
  qwen.size = 5225388164;
  qwen.family = "qwen3";
  qwen.parameter_size = "8.2B";
  qwen.quantization_level = "Q4_K_M";
  qwen.context_length = 40960;
  qwen.embedding_length = 4096;
  qwen.capabilities = {"completion", "tools", "thinking"};

  TagsModel coder;
  coder.name = kCoder;
  coder.size = 1285493011;
  coder.family = "qwen2";
  coder.parameter_size = "1.5B";
  coder.quantization_level = "Q5_K_M";
  coder.modified_at = "2026-07-11T08:03:55.9+02:00";
  coder.context_length = 32768;
  coder.embedding_length = 1536;
  coder.capabilities = {"completion", "insert"};

  TagsModel cloud;
  cloud.name = kCloud;
  cloud.size = 384;
  cloud.format = "";
  cloud.family = "gptoss";
  cloud.families_null = true;
  cloud.parameter_size = "116.8B";
  cloud.remote_model = "gpt-oss:120b";
  cloud.remote_host = "https://ollama.com:443";
  cloud.modified_at = "2026-06-20T12:00:41.005+02:00";
  cloud.capabilities = {"completion", "tools", "thinking"};
  return {qwen, coder, cloud};
}

std::vector<PsModel> TwoLoaded() {
  PsModel qwen;
  qwen.name = kQwen;
  qwen.size = 6918709248;
  qwen.size_vram = 6918709248;
  qwen.context_length = 8192;
  qwen.expires_at = "2318-11-30T09:12:44.61830527+01:00";
  qwen.family = "qwen3";
  qwen.parameter_size = "8.2B";
  qwen.quantization_level = "Q4_K_M";

  PsModel coder;
  coder.name = kCoder;
  coder.size = 1900000000;
  coder.size_vram = 0;
  coder.expires_at = "2026-08-21T12:17:02.0041+02:00";
  coder.family = "qwen2";
  coder.parameter_size = "1.5B";
  coder.quantization_level = "Q5_K_M";
  return {qwen, coder};
}

}  // namespace ollama_exporter::integration
