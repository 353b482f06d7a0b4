#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

#include "api_replies.h"
#include "exporter_process.h"
#include "fake_ollama.h"
#include "metrics_text.h"
#include "ollama_payloads.h"
#include "testing/temp_dir.h"

namespace ollama_exporter::integration {

// What the end-to-end tests share: a fake Ollama, a fresh storage
// directory and the exporter polling the one and writing the other.
//
// Thread safety: none; use from the test's thread.
class Rig {
 public:
  // Starts the fake (serving ThreeInstalledTwoLoaded()) and makes the
  // storage directory; the exporter is not started yet.
  static Status Create(std::unique_ptr<Rig>* rig);

  FakeOllama& ollama() { return *ollama_; }

  const std::string& storage_path() const { return storage_->path(); }

  // The options StartExporter() uses: the real binary, the fake's URL,
  // the storage directory, a 200ms interval and a 150ms timeout.
  ExporterOptions Options() const;

  // Starts an exporter with Options() plus `extra_args`, replacing (and
  // killing) any earlier one. As ExporterProcess::Start.
  Status StartExporter(const std::vector<std::string>& extra_args = {});

  // The same with options of the caller's own.
  Status StartExporterWith(const ExporterOptions& options);

  // The exporter of the last successful StartExporter().
  ExporterProcess& exporter() { return *exporter_; }

  // GET /api/ollama/history<query>: 200 and a parsable success reply, else
  // kFailedPrecondition quoting the body.
  Status History(const std::string& query, HistoryReply* reply);

  // Serves `tags` and `ps` from now on.
  void Serve(const std::vector<TagsModel>& tags,
             const std::vector<PsModel>& ps);

 private:
  Rig() = default;

  std::unique_ptr<FakeOllama> ollama_;
  std::unique_ptr<testing::TempDir> storage_;
  std::unique_ptr<ExporterProcess> exporter_;
};

// The models of the usual scenario (values from ollama-api.md):
//   installed: qwen3:8b, hf.co/acme-labs/Tiny-Coder-1.5B-GGUF:Q5_K_M and
//              the cloud stub gpt-oss:120b-cloud;
//   loaded:    qwen3:8b (all in VRAM, 8192 context, pinned until 2318) and
//              the Tiny-Coder (CPU only, no context_length, expiry past).
inline constexpr char kQwen[] = "qwen3:8b";
inline constexpr char kCoder[] = "hf.co/acme-labs/Tiny-Coder-1.5B-GGUF:Q5_K_M";
inline constexpr char kCloud[] = "gpt-oss:120b-cloud";
std::vector<TagsModel> ThreeInstalled();
std::vector<PsModel> TwoLoaded();

}  // namespace ollama_exporter::integration
