#include "proxy_rig.h"

#include <optional>
#include <utility>

#include "testing/loopback_port.h"

namespace ollama_exporter::integration {
namespace {

constexpr int kFirstPollTimeoutMs = 5000;

}  // namespace

std::vector<TagsModel> ProxyTestModels() {
  std::vector<TagsModel> models = ThreeInstalled();
  TagsModel latest = models[0];
  latest.name = kQwenLatest;
  models.push_back(latest);
  return models;
}

Status ProxyRig::Create(const ProxyRigOptions& options,
                        std::unique_ptr<ProxyRig>* rig) {
  std::unique_ptr<ProxyRig> made(new ProxyRig());
  Status status = FakeOllama::Start(options.ollama, &made->ollama_);
  if (status.ok()) {
    status = testing::TempDir::Create("oe-proxy-storage", &made->storage_);
  }
  if (status.ok()) status = testing::PickFreeLoopbackPort(&made->proxy_port_);
  if (!status.ok()) return status;
  made->ollama_->SetTagsJson(TagsJson(ProxyTestModels()));
  made->ollama_->SetPsJson(PsJson(TwoLoaded()));

  ExporterOptions exporter;
  exporter.binary = OE_EXPORTER_BINARY;
  exporter.ollama_url = made->ollama_->url();
  exporter.storage_path = made->storage_->path();
  exporter.extra_args = {"--proxy.listen-address=127.0.0.1:" +
                         std::to_string(made->proxy_port_)};
  exporter.extra_args.insert(exporter.extra_args.end(),
                             options.extra_args.begin(),
                             options.extra_args.end());
  status = ExporterProcess::Start(exporter, &made->exporter_);
  if (!status.ok()) return status;

  // The proxy learns the names from the poll that publishes them, so a
  // second poll after they show guarantees it knows them.
  status = made->exporter().WaitForMetrics(
      [](const MetricsText& metrics) {
        return metrics
            .Value("ollama_model_size_bytes", {{"model", kQwenLatest}})
            .has_value();
      },
      kFirstPollTimeoutMs);
  if (status.ok()) status = made->WaitForFreshPoll();
  if (!status.ok()) {
    return status.WithContext("first poll; log:\n" + made->exporter().Log());
  }
  *rig = std::move(made);
  return Status::Ok();
}

Status ProxyRig::Shared(ProxyRig** rig) {
  static std::unique_ptr<ProxyRig> shared;
  static const Status created = Create(ProxyRigOptions(), &shared);
  if (!created.ok()) return created;
  *rig = shared.get();
  return Status::Ok();
}

std::string ProxyRig::ProxyUrl(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(proxy_port_) + std::string(path);
}

Status ProxyRig::History(const std::string& query, HistoryReply* reply) {
  HttpReply http;
  Status status = exporter().Get("/api/ollama/history" + query, &http);
  if (!status.ok()) return status;
  if (http.status == 200) status = ParseHistoryReply(http.body, reply);
  if (status.ok() && (http.status != 200 || !reply->success)) {
    status = Status::FailedPrecondition("not a success");
  }
  if (!status.ok()) return status.WithContext("history reply " + http.body);
  return Status::Ok();
}

Status ProxyRig::WaitForFreshPoll() {
  MetricsText metrics;
  Status status = exporter().Metrics(&metrics);
  if (!status.ok()) return status;
  const double polls = metrics.Value("ollama_exporter_polls_total").value_or(0);
  return exporter().WaitForMetrics(
      [polls](const MetricsText& now) {
        return now.Value("ollama_exporter_polls_total").value_or(0) >=
               polls + 2;
      },
      kFirstPollTimeoutMs);
}

}  // namespace ollama_exporter::integration
