#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ollama_exporter::proxy {

// The `model` label of every request whose model is not one Ollama
// reported, or that came after the cap was reached.
inline constexpr char kOtherModelLabel[] = "other";

// `name` as Ollama displays it in /api/tags and /api/ps
// ([host/][namespace/]model:tag): ":latest" added when there is no tag
// (a ':' after the last '/'), a "scheme://" before the host dropped, and
// the default host "registry.ollama.ai" with its namespace "library"
// elided (compared case-insensitively, as Ollama does). Host and namespace
// of another registry are kept: "hf.co/u/Repo:Q4_K_M",
// "registry.lan:5000/team/m:v2". Case is kept. nullopt when a part is
// empty ("", ":8b", "a/", "a:") or there are more than three '/'-separated
// parts before the tag: no such name can be listed. Other characters are
// not checked; such a name simply matches nothing Ollama lists.
std::optional<std::string> CanonicalModelName(std::string_view name);

// The listings that tell which models Ollama knows.
enum class ModelListing { kTags, kPs };

// A request's model label and whether the cap turned a known model into
// `other`.
struct ModelLabel {
  std::string value;        // A listed model name, or kOtherModelLabel.
  bool overflowed = false;  // True only when value is kOtherModelLabel.
};

// Maps the model a request names to a bounded `model` label.
//
// Known names are those of the latest /api/tags and /api/ps listings
// (each replaces only its own earlier list, so a failed or skipped poll of
// one keeps the other's names). A request's name is canonicalised and
// matched case-insensitively (ASCII), as Ollama matches the names it is
// sent (edge case 11: "Qwen3" runs "qwen3:latest"); the label is the
// name as listed. Names no listing holds, empty names and names that
// cannot be canonicalised get `other`: a model pulled since the last poll
// is `other` until the next one.
//
// Cardinality: at most `max_models` distinct listed names are ever handed
// out, in order of first request, plus `other`. A handed-out label keeps
// its place for the labeler's lifetime, so its counters stay monotonic:
// it is returned again whenever its model is requested while listed. A
// listed model requested after the cap is full gets `other` with
// overflowed = true.
//
// Thread safety: any method, any thread.
class ModelLabeler {
 public:
  explicit ModelLabeler(size_t max_models);

  ModelLabeler(const ModelLabeler&) = delete;
  ModelLabeler& operator=(const ModelLabeler&) = delete;

  // Replaces the names `listing` last reported, as it lists them.
  void SetListedModels(ModelListing listing,
                       const std::vector<std::string>& names);

  // The label for a request naming `requested_model` (as sent).
  ModelLabel Label(std::string_view requested_model);

  // Labels handed out so far, `other` not counted.
  size_t labels_handed_out() const;

 private:
  // Lower-cased canonical name -> name as listed.
  using NameIndex = std::map<std::string, std::string>;

  const size_t max_models_;

  mutable std::mutex mu_;
  NameIndex listed_[2];   // By ModelListing. Guarded by mu_.
  NameIndex handed_out_;  // Guarded by mu_.
};

}  // namespace ollama_exporter::proxy
