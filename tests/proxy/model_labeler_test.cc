#include "proxy/model_labeler.h"

#include <atomic>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

namespace ollama_exporter::proxy {
namespace {

std::string Canonical(std::string_view name) {
  return CanonicalModelName(name).value_or("<none>");
}

TEST_CASE("CanonicalModelName writes names as Ollama lists them",
          "[proxy][labeler]") {
  // Default tag, host and namespace.
  CHECK(Canonical("llama3") == "llama3:latest");
  CHECK(Canonical("llama3:8b") == "llama3:8b");
  CHECK(Canonical("library/llama3") == "llama3:latest");
  CHECK(Canonical("registry.ollama.ai/library/llama3:8b") == "llama3:8b");
  CHECK(Canonical("https://registry.ollama.ai/library/llama3") ==
        "llama3:latest");
  CHECK(Canonical("REGISTRY.Ollama.AI/Library/Llama3") == "Llama3:latest");

  // Other namespaces and registries keep what identifies them.
  CHECK(Canonical("registry.ollama.ai/acme/x:1") == "acme/x:1");
  CHECK(Canonical("acme/x") == "acme/x:latest");
  CHECK(Canonical("hf.co/acme-labs/Tiny-Coder-1.5B-GGUF:Q5_K_M") ==
        "hf.co/acme-labs/Tiny-Coder-1.5B-GGUF:Q5_K_M");
  CHECK(Canonical("hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF") ==
        "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:latest");
  CHECK(Canonical("registry.lan:5000/team/model:v2") ==
        "registry.lan:5000/team/model:v2");
  CHECK(Canonical("registry.lan:5000/team/model") ==
        "registry.lan:5000/team/model:latest");
  CHECK(Canonical("registry.lan:5000/library/model") ==
        "registry.lan:5000/library/model:latest");
  CHECK(Canonical("https://hf.co/u/r:Q4_0") == "hf.co/u/r:Q4_0");

  // Cloud stubs and dotted tags are ordinary names.
  CHECK(Canonical("gpt-oss:120b-cloud") == "gpt-oss:120b-cloud");
  CHECK(Canonical("qwen2.5:0.5b") == "qwen2.5:0.5b");

  // Already canonical names stay as they are.
  CHECK(Canonical("qwen3:8b") == "qwen3:8b");
}

TEST_CASE("CanonicalModelName refuses names with an empty part",
          "[proxy][labeler]") {
  for (const char* name : {"", ":", ":8b", "llama3:", "/llama3", "acme/",
                           "a//b", "a/b/c/d", "http://x/m", "/", "//m"}) {
    INFO(name);
    CHECK_FALSE(CanonicalModelName(name).has_value());
  }
}

TEST_CASE("ModelLabeler labels a request with the listed name",
          "[proxy][labeler]") {
  ModelLabeler labeler(100);
  labeler.SetListedModels(
      ModelListing::kTags,
      {"qwen3:latest", "acme/x:1", "hf.co/acme-labs/Tiny-GGUF:Q5_K_M",
       "registry.lan:5000/team/model:v2"});

  auto label = [&](std::string_view requested) {
    ModelLabel result = labeler.Label(requested);
    CHECK_FALSE(result.overflowed);
    return result.value;
  };
  CHECK(label("qwen3") == "qwen3:latest");
  // Ollama runs "Qwen3" as qwen3:latest (edge case 11).
  CHECK(label("Qwen3") == "qwen3:latest");
  CHECK(label("registry.ollama.ai/library/QWEN3:LATEST") == "qwen3:latest");
  CHECK(label("registry.ollama.ai/acme/x:1") == "acme/x:1");
  CHECK(label("hf.co/acme-labs/tiny-gguf:q5_k_m") ==
        "hf.co/acme-labs/Tiny-GGUF:Q5_K_M");
  CHECK(label("registry.lan:5000/team/model:v2") ==
        "registry.lan:5000/team/model:v2");

  SECTION("unknown, empty and malformed names are other") {
    CHECK(label("qwen3:8b") == "other");
    CHECK(label("mistral") == "other");
    CHECK(label("") == "other");
    CHECK(label("qwen3:") == "other");
    CHECK(label("other") == "other");
    CHECK(labeler.labels_handed_out() == 4);
  }
}

TEST_CASE("ModelLabeler knows the names of both listings", "[proxy][labeler]") {
  ModelLabeler labeler(100);
  labeler.SetListedModels(ModelListing::kTags, {"qwen3:latest"});
  labeler.SetListedModels(ModelListing::kPs, {"phi4-mini:latest"});
  CHECK(labeler.Label("qwen3").value == "qwen3:latest");
  CHECK(labeler.Label("phi4-mini").value == "phi4-mini:latest");

  SECTION("a new list replaces only its own listing's names") {
    labeler.SetListedModels(ModelListing::kPs, {});
    CHECK(labeler.Label("qwen3").value == "qwen3:latest");
    CHECK(labeler.Label("phi4-mini").value == "other");
  }

  SECTION("a deleted model is other, then its old label when it is back") {
    labeler.SetListedModels(ModelListing::kTags, {});
    CHECK(labeler.Label("qwen3").value == "other");
    labeler.SetListedModels(ModelListing::kTags, {"Qwen3:latest"});
    CHECK(labeler.Label("qwen3").value == "qwen3:latest");
    CHECK(labeler.labels_handed_out() == 2);
  }
}

TEST_CASE("ModelLabeler hands out at most max_models labels",
          "[proxy][labeler]") {
  ModelLabeler labeler(2);
  labeler.SetListedModels(ModelListing::kTags,
                          {"a:latest", "b:latest", "c:latest"});

  CHECK(labeler.Label("b").value == "b:latest");
  CHECK(labeler.Label("unknown").value == "other");  // Takes no place.
  CHECK(labeler.Label("a").value == "a:latest");

  ModelLabel third = labeler.Label("c");
  CHECK(third.value == "other");
  CHECK(third.overflowed);

  // Labels already handed out keep working; unknown names do not count
  // as overflow.
  ModelLabel again = labeler.Label("B");
  CHECK(again.value == "b:latest");
  CHECK_FALSE(again.overflowed);
  CHECK_FALSE(labeler.Label("unknown").overflowed);
  CHECK(labeler.labels_handed_out() == 2);

  SECTION("a label whose model left the listings keeps its place") {
    labeler.SetListedModels(ModelListing::kTags, {"c:latest"});
    CHECK(labeler.Label("c").overflowed);
  }
}

TEST_CASE("ModelLabeler with no room labels every model other",
          "[proxy][labeler]") {
  ModelLabeler labeler(0);
  labeler.SetListedModels(ModelListing::kTags, {"a:latest"});
  ModelLabel label = labeler.Label("a");
  CHECK(label.value == "other");
  CHECK(label.overflowed);
}

TEST_CASE("ModelLabeler hands out each label once under concurrent use",
          "[proxy][labeler]") {
  constexpr int kModels = 50;
  constexpr int kCap = 20;
  std::vector<std::string> names;
  for (int i = 0; i < kModels; ++i) names.push_back("m" + std::to_string(i));
  ModelLabeler labeler(kCap);
  labeler.SetListedModels(ModelListing::kTags, names);

  std::vector<std::set<std::string>> seen(8);
  std::atomic<int> overflows{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        for (int i = 0; i < kModels; ++i) {
          // Listings change while requests are labelled.
          if (t == 0 && i == 0) {
            labeler.SetListedModels(ModelListing::kPs, {names[round]});
          }
          ModelLabel label = labeler.Label(names[(i + t) % kModels]);
          if (label.overflowed) ++overflows;
          seen[t].insert(label.value);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::set<std::string> all;
  for (const auto& labels : seen) all.insert(labels.begin(), labels.end());
  CHECK(labeler.labels_handed_out() == kCap);
  CHECK(all.size() == kCap + 1);  // Plus "other".
  CHECK(all.count("other") == 1);
  // Every request for one of the 30 models left out overflowed.
  CHECK(overflows.load() == 8 * 20 * (kModels - kCap));
}

}  // namespace
}  // namespace ollama_exporter::proxy
