#include "ollama_payloads.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace ollama_exporter::integration {
namespace {

using Json = nlohmann::ordered_json;

Json Details(const std::string& format, const std::string& family,
             bool families_null, const std::string& parameter_size,
             const std::string& quantization_level) {
  Json details;
  details["parent_model"] = "";
  details["format"] = format;
  details["family"] = family;
  details["families"] =
      families_null ? Json(nullptr) : Json(std::vector<std::string>{family});
  details["parameter_size"] = parameter_size;
  details["quantization_level"] = quantization_level;
  return details;
}

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

std::string TagsJson(const std::vector<TagsModel>& models) {
  Json list = Json::array();
  for (const TagsModel& m : models) {
    Json entry;
    entry["name"] = m.name;
    entry["model"] = m.name;
    if (!m.remote_model.empty()) entry["remote_model"] = m.remote_model;
    if (!m.remote_host.empty()) entry["remote_host"] = m.remote_host;
    entry["modified_at"] = m.modified_at;
    entry["size"] = m.size;
    entry["digest"] = FakeDigest(m.name);
    Json details = Details(m.format, m.family, m.families_null,
                           m.parameter_size, m.quantization_level);
    if (m.context_length != 0) details["context_length"] = m.context_length;
    if (m.embedding_length != 0) {
      details["embedding_length"] = m.embedding_length;
    }
    entry["details"] = std::move(details);
    if (!m.capabilities.empty()) entry["capabilities"] = m.capabilities;
    list.push_back(std::move(entry));
  }
  return Dump(Json{{"models", std::move(list)}});
}

std::string PsJson(const std::vector<PsModel>& models) {
  Json list = Json::array();
  for (const PsModel& m : models) {
    Json entry;
    entry["name"] = m.name;
    entry["model"] = m.name;
    entry["size"] = m.size;
    entry["digest"] = FakeDigest(m.name);
    entry["details"] = Details(m.format, m.family, false, m.parameter_size,
                               m.quantization_level);
    entry["expires_at"] = m.expires_at;
    entry["size_vram"] = m.size_vram;
    if (m.context_length) entry["context_length"] = *m.context_length;
    list.push_back(std::move(entry));
  }
  return Dump(Json{{"models", std::move(list)}});
}

std::string FakeDigest(std::string_view name) {
  // Four FNV-1a hashes with different seeds make 64 hex digits.
  std::string digest;
  for (uint64_t seed = 0; seed < 4; ++seed) {
    uint64_t hash = 14695981039346656037ULL ^ seed;
    for (unsigned char c : name) {
      hash = (hash ^ c) * 1099511628211ULL;
    }
    char part[17];
    std::snprintf(part, sizeof(part), "%016llx",
                  static_cast<unsigned long long>(hash));
    digest += part;
  }
  return digest;
}

}  // namespace ollama_exporter::integration
