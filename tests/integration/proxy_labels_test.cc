// The `model` label of requests through the real proxy: names as Ollama
// lists them, `other` for the rest, and the --proxy.max-models cap.

#include <memory>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "proxy_checks.h"
#include "proxy_exchange.h"
#include "proxy_rig.h"
#include "require_ok.h"

namespace ollama_exporter::integration {
namespace {

constexpr char kOverflows[] = "ollama_exporter_proxy_model_overflows_total";

ProxyCall ChatCall(const std::string& model) {
  ProxyCall call;
  call.path = "/api/chat";
  call.model = model;
  return call;
}

double Overflows(ProxyRig& rig) {
  MetricsText metrics;
  REQUIRE_OK(rig.exporter().Metrics(&metrics));
  const std::optional<double> value = metrics.Value(kOverflows);
  REQUIRE(value.has_value());
  return *value;
}

std::set<std::string> RequestModels(ProxyRig& rig) {
  MetricsText metrics;
  REQUIRE_OK(rig.exporter().Metrics(&metrics));
  std::set<std::string> models;
  for (const MetricSample& sample : metrics.Named("ollama_requests_total")) {
    const auto model = sample.labels.find("model");
    models.insert(model == sample.labels.end() ? "" : model->second);
  }
  return models;
}

TEST_CASE("The proxy labels a request with the model's name as Ollama lists it",
          "[proxy][e2e]") {
  ProxyRig* rig = &SharedProxyRig();
  const double overflows = Overflows(*rig);

  SECTION("a name without a tag: its :latest") {
    CheckMeasuredExchange(*rig, ChatCall("qwen3"), kQwenLatest);
  }
  SECTION("the default registry's full name: the short one") {
    CheckMeasuredExchange(*rig, ChatCall("registry.ollama.ai/library/qwen3:8b"),
                          kQwen);
  }
  SECTION("another registry's name and a cloud model: as listed") {
    CheckMeasuredExchange(*rig, ChatCall(kCoder), kCoder);
    CheckMeasuredExchange(*rig, ChatCall(kCloud), kCloud);
  }
  SECTION("a name Ollama does not list: other") {
    CheckMeasuredExchange(*rig, ChatCall("qwen3:235b"), "other");
  }
  SECTION("a model pulled meanwhile: its name once a poll has listed it") {
    std::vector<TagsModel> models = ProxyTestModels();
    TagsModel pulled = models[0];
    pulled.name = "llama3.2:1b";
    models.push_back(pulled);
    rig->ollama().SetTagsJson(TagsJson(models));
    REQUIRE_OK(rig->WaitForFreshPoll());
    CheckMeasuredExchange(*rig, ChatCall("llama3.2:1b"), "llama3.2:1b");
    rig->ollama().SetTagsJson(TagsJson(ProxyTestModels()));
  }
  CHECK(Overflows(*rig) == overflows);
}

TEST_CASE(
    "--proxy.max-models caps the model labels; a model past the cap "
    "counts as other and as an overflow",
    "[proxy][e2e]") {
  std::unique_ptr<ProxyRig> rig;
  ProxyRigOptions options;
  options.extra_args = {"--proxy.max-models=1"};
  REQUIRE_OK(ProxyRig::Create(options, &rig));
  CHECK(Overflows(*rig) == 0);

  CheckMeasuredExchange(*rig, ChatCall(kQwen), kQwen);
  CHECK(Overflows(*rig) == 0);
  CheckMeasuredExchange(*rig, ChatCall(kCoder), "other");
  CHECK(Overflows(*rig) == 1);
  // The first model keeps its label; an unknown one is no overflow.
  CheckMeasuredExchange(*rig, ChatCall(kQwen), kQwen);
  CheckMeasuredExchange(*rig, ChatCall("nope:1b"), "other");
  CHECK(Overflows(*rig) == 1);
  CheckMeasuredExchange(*rig, ChatCall(kCloud), "other");
  CHECK(Overflows(*rig) == 2);
  CHECK(RequestModels(*rig) == std::set<std::string>{kQwen, "other"});
}

}  // namespace
}  // namespace ollama_exporter::integration
