#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

#include "api_replies.h"
#include "exporter_process.h"
#include "fake_ollama.h"
#include "rig.h"
#include "testing/temp_dir.h"

namespace ollama_exporter::integration {

// The models the proxy tests' fake lists in /api/tags: Rig's three
// (ThreeInstalled) plus "qwen3:latest", which a request naming "qwen3"
// runs.
inline constexpr char kQwenLatest[] = "qwen3:latest";
std::vector<TagsModel> ProxyTestModels();

struct ProxyRigOptions {
  std::vector<std::string> extra_args;  // After the proxy flag.
  FakeOllamaOptions ollama;
};

// Like Rig, with the exporter also running the measuring proxy
// (--proxy.listen-address) on a free port of 127.0.0.1; 200 ms polls.
//
// Thread safety: none, except ProxyUrl() and ollama(), which any thread
// may call while the rig lives.
// Ownership: owns the fake, the storage directory and the exporter.
class ProxyRig {
 public:
  // Starts the fake (serving ProxyTestModels(), TwoLoaded()) and the
  // exporter, and returns once a poll has listed the models (so the
  // proxy labels them). As ExporterProcess::Start, or kDeadlineExceeded
  // when no poll lists them within 5 s.
  static Status Create(const ProxyRigOptions& options,
                       std::unique_ptr<ProxyRig>* rig);

  // A rig with no extra flags, made on the first call and kept until the
  // program exits, for the test cases that need no flags of their own
  // (starting the exporter once keeps the program fast). The error of
  // that first Create on every call when it failed.
  static Status Shared(ProxyRig** rig);

  FakeOllama& ollama() { return *ollama_; }

  ExporterProcess& exporter() { return *exporter_; }

  // "http://127.0.0.1:<proxy port><path>".
  std::string ProxyUrl(std::string_view path) const;

  // GET /api/ollama/history<query>: 200 and a parsable success reply,
  // else kFailedPrecondition quoting the body.
  Status History(const std::string& query, HistoryReply* reply);

  // Waits for ollama_exporter_polls_total to grow by two: the poll running
  // now may have read Ollama before the caller's change, the next cannot.
  Status WaitForFreshPoll();

 private:
  ProxyRig() = default;

  std::unique_ptr<FakeOllama> ollama_;
  std::unique_ptr<testing::TempDir> storage_;
  std::unique_ptr<ExporterProcess> exporter_;
  int proxy_port_ = 0;
};

}  // namespace ollama_exporter::integration
