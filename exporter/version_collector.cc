#include "exporter/version_collector.h"

#include <nlohmann/json.hpp>

#include "exporter/metric_families.h"
#include "exporter/reply_json.h"

namespace ollama_exporter {
namespace {

constexpr char kVersionPath[] = "/api/version";

}  // namespace

VersionCollector::VersionCollector(OllamaClient* client) : client_(client) {}

Status VersionCollector::Collect(std::vector<prometheus::MetricFamily>* out) {
  std::string body;
  Status status = client_->Get(kVersionPath, &body);
  if (!status.ok()) return status.WithContext("version collector");

  std::string version;
  status = ParseVersionReply(body, &version);
  if (!status.ok()) {
    return status.WithContext(std::string("version collector: GET ") +
                              kVersionPath);
  }

  for (auto& family : VersionFamilies(version)) {
    out->push_back(std::move(family));
  }
  return Status::Ok();
}

Status ParseVersionReply(std::string_view json, std::string* version) {
  nlohmann::json reply;
  Status status = ParseJsonObject(json, &reply);
  if (!status.ok()) return status;
  auto field = reply.find("version");
  if (field == reply.end()) {
    return Status::FailedPrecondition("reply has no \"version\" field");
  }
  if (!field->is_string()) {
    return Status::FailedPrecondition("\"version\" is " + DescribeType(*field) +
                                      ", not a string");
  }
  if (field->get_ref<const std::string&>().empty()) {
    return Status::FailedPrecondition("\"version\" is empty");
  }
  *version = field->get<std::string>();
  return Status::Ok();
}

std::vector<prometheus::MetricFamily> VersionFamilies(
    const std::string& version) {
  prometheus::MetricFamily info = MakeGauge(
      "ollama_version_info",
      "Version of the Ollama server as reported by /api/version; always 1.");
  AddSample(&info, {{"version", version}}, 1);
  std::vector<prometheus::MetricFamily> families;
  families.push_back(std::move(info));
  return families;
}

}  // namespace ollama_exporter
