#include "proxy/model_labeler.h"

#include <utility>

#include "common/ascii.h"

namespace ollama_exporter::proxy {
namespace {

constexpr std::string_view kDefaultHost = "registry.ollama.ai";
constexpr std::string_view kDefaultNamespace = "library";
constexpr std::string_view kDefaultTag = "latest";

// Splits *rest at its last `separator`: the part after it goes to *part.
// False when there is no separator.
bool CutLast(std::string_view* rest, char separator, std::string_view* part) {
  size_t at = rest->rfind(separator);
  if (at == std::string_view::npos) return false;
  *part = rest->substr(at + 1);
  *rest = rest->substr(0, at);
  return true;
}

}  // namespace

std::optional<std::string> CanonicalModelName(std::string_view name) {
  // Parsed from the right, as Ollama's ParseName does: '/' cannot occur in
  // a tag, so only a ':' after the last '/' starts one (a host's port
  // comes before it).
  std::string_view rest = name;
  std::string_view tag = kDefaultTag;
  size_t last_colon = rest.rfind(':');
  size_t last_slash = rest.rfind('/');
  if (last_colon != std::string_view::npos &&
      (last_slash == std::string_view::npos || last_colon > last_slash)) {
    CutLast(&rest, ':', &tag);
  }

  std::string_view model = rest;
  std::string_view name_space = kDefaultNamespace;
  std::string_view host = kDefaultHost;
  if (CutLast(&rest, '/', &model)) {
    name_space = rest;
    if (CutLast(&rest, '/', &name_space)) {
      host = rest;
      size_t scheme_end = host.find("://");
      if (scheme_end != std::string_view::npos) {
        host = host.substr(scheme_end + 3);
      }
    }
  }
  if (tag.empty() || model.empty() || name_space.empty() || host.empty() ||
      host.find('/') != std::string_view::npos) {
    return std::nullopt;
  }

  std::string canonical;
  if (!EqualsIgnoreAsciiCase(host, kDefaultHost)) {
    canonical.append(host).append("/").append(name_space).append("/");
  } else if (!EqualsIgnoreAsciiCase(name_space, kDefaultNamespace)) {
    canonical.append(name_space).append("/");
  }
  canonical.append(model).append(":").append(tag);
  return canonical;
}

ModelLabeler::ModelLabeler(size_t max_models) : max_models_(max_models) {}

void ModelLabeler::SetListedModels(ModelListing listing,
                                   const std::vector<std::string>& names) {
  NameIndex index;
  for (const std::string& name : names) {
    std::optional<std::string> canonical = CanonicalModelName(name);
    if (!canonical) continue;  // Ollama lists no such name; nothing matches.
    index.emplace(AsciiLower(*canonical), std::move(*canonical));
  }

  std::lock_guard<std::mutex> lock(mu_);
  listed_[static_cast<int>(listing)] = std::move(index);
}

ModelLabel ModelLabeler::Label(std::string_view requested_model) {
  std::optional<std::string> canonical = CanonicalModelName(requested_model);
  if (!canonical) return {kOtherModelLabel, false};
  std::string key = AsciiLower(*canonical);

  std::lock_guard<std::mutex> lock(mu_);
  const std::string* listed_name = nullptr;
  for (const NameIndex& listed : listed_) {
    auto found = listed.find(key);
    if (found != listed.end()) {
      listed_name = &found->second;
      break;
    }
  }
  if (listed_name == nullptr) return {kOtherModelLabel, false};

  auto handed_out = handed_out_.find(key);
  if (handed_out != handed_out_.end()) return {handed_out->second, false};
  if (handed_out_.size() >= max_models_) return {kOtherModelLabel, true};
  handed_out_.emplace(std::move(key), *listed_name);
  return {*listed_name, false};
}

size_t ModelLabeler::labels_handed_out() const {
  std::lock_guard<std::mutex> lock(mu_);
  return handed_out_.size();
}

}  // namespace ollama_exporter::proxy
