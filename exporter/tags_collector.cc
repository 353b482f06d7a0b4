#include "exporter/tags_collector.h"

#include <algorithm>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "exporter/metric_families.h"
#include "exporter/reply_json.h"

namespace ollama_exporter {
namespace {

constexpr char kTagsPath[] = "/api/tags";

}  // namespace

TagsCollector::TagsCollector(OllamaClient* client) : client_(client) {}

Status TagsCollector::Collect(std::vector<prometheus::MetricFamily>* out) {
  last_skipped_entries_ = 0;
  std::string body;
  Status status = client_->Get(kTagsPath, &body);
  if (!status.ok()) return status.WithContext("tags collector");

  TagsReply reply;
  status = ParseTagsReply(body, &reply);
  if (!status.ok()) {
    return status.WithContext(std::string("tags collector: GET ") + kTagsPath);
  }
  last_skipped_entries_ = reply.skipped_entries;

  for (auto& family : TagsFamilies(reply)) out->push_back(std::move(family));
  return Status::Ok();
}

Status ParseTagsReply(std::string_view json, TagsReply* reply) {
  TagsReply parsed;
  Status status = ForEachModel(
      json,
      [&parsed](const nlohmann::json& entry, std::string name) {
        InstalledModel model;
        model.name = std::move(name);
        model.size_bytes = BytesField(entry, "size");
        model.digest = StringField(entry, "digest");
        model.details = DetailsField(entry);
        model.remote = !StringField(entry, "remote_host").empty() ||
                       !StringField(entry, "remote_model").empty();
        model.modified_unix_ms = TimestampField(entry, "modified_at");
        parsed.models.push_back(std::move(model));
      },
      &parsed.skipped_entries);
  if (!status.ok()) return status;
  *reply = std::move(parsed);
  return Status::Ok();
}

std::vector<prometheus::MetricFamily> TagsFamilies(const TagsReply& reply) {
  std::vector<const InstalledModel*> models;
  for (const InstalledModel& model : reply.models) models.push_back(&model);
  std::sort(models.begin(), models.end(),
            [](const InstalledModel* a, const InstalledModel* b) {
              return a->name < b->name;
            });

  prometheus::MetricFamily installed =
      MakeGauge("ollama_models_installed",
                "Models listed by /api/tags, cloud stubs included.");
  prometheus::MetricFamily size =
      MakeGauge("ollama_model_size_bytes",
                "Bytes a model's layers take on disk, as listed by /api/tags.");
  prometheus::MetricFamily info = MakeGauge(
      "ollama_model_info",
      "Build details of a model listed by /api/tags; remote=\"true\" marks "
      "a cloud stub. Always 1.");
  prometheus::MetricFamily modified =
      MakeGauge("ollama_model_modified_timestamp_seconds",
                "When a model's manifest last changed, in Unix seconds.");

  AddSample(&installed, {}, static_cast<double>(models.size()));
  for (const InstalledModel* model : models) {
    AddSample(&size, {{"model", model->name}},
              static_cast<double>(model->size_bytes));
    const ModelDetails& details = model->details;
    AddSample(&info,
              {{"model", model->name},
               {"family", details.family},
               {"parameter_size", details.parameter_size},
               {"quantization", details.quantization_level},
               {"format", details.format},
               {"remote", model->remote ? "true" : "false"}},
              1);
    if (model->modified_unix_ms) {
      AddSample(&modified, {{"model", model->name}},
                static_cast<double>(*model->modified_unix_ms) / 1000);
    }
  }

  std::vector<prometheus::MetricFamily> families;
  families.push_back(std::move(installed));
  families.push_back(std::move(size));
  families.push_back(std::move(info));
  families.push_back(std::move(modified));
  return families;
}

}  // namespace ollama_exporter
