#include "exporter/ps_collector.h"

#include <algorithm>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "exporter/metric_families.h"
#include "exporter/reply_json.h"

namespace ollama_exporter {
namespace {

constexpr char kPsPath[] = "/api/ps";

}  // namespace

PsCollector::PsCollector(OllamaClient* client) : client_(client) {}

Status PsCollector::Collect(std::vector<prometheus::MetricFamily>* out) {
  last_skipped_entries_ = 0;
  std::string body;
  Status status = client_->Get(kPsPath, &body);
  if (!status.ok()) return status.WithContext("ps collector");

  PsReply reply;
  status = ParsePsReply(body, &reply);
  if (!status.ok()) {
    return status.WithContext(std::string("ps collector: GET ") + kPsPath);
  }
  last_skipped_entries_ = reply.skipped_entries;

  for (auto& family : PsFamilies(reply)) out->push_back(std::move(family));
  return Status::Ok();
}

Status ParsePsReply(std::string_view json, PsReply* reply) {
  PsReply parsed;
  Status status = ForEachModel(
      json,
      [&parsed](const nlohmann::json& entry, std::string name) {
        LoadedModel model;
        model.name = std::move(name);
        model.size_bytes = BytesField(entry, "size");
        model.vram_bytes = BytesField(entry, "size_vram");
        model.context_length = CountField(entry, "context_length");
        model.expires_unix_ms = TimestampField(entry, "expires_at");
        model.details = DetailsField(entry);
        parsed.models.push_back(std::move(model));
      },
      &parsed.skipped_entries);
  if (!status.ok()) return status;
  *reply = std::move(parsed);
  return Status::Ok();
}

std::vector<prometheus::MetricFamily> PsFamilies(const PsReply& reply) {
  std::vector<const LoadedModel*> models;
  for (const LoadedModel& model : reply.models) models.push_back(&model);
  std::sort(models.begin(), models.end(),
            [](const LoadedModel* a, const LoadedModel* b) {
              return a->name < b->name;
            });

  prometheus::MetricFamily loaded = MakeGauge(
      "ollama_models_loaded", "Models held in memory, as listed by /api/ps.");
  prometheus::MetricFamily size =
      MakeGauge("ollama_loaded_model_size_bytes",
                "Memory a loaded model uses, GPU and CPU together, in bytes.");
  prometheus::MetricFamily vram =
      MakeGauge("ollama_loaded_model_vram_bytes",
                "Part of a loaded model's memory held in GPU memory, in "
                "bytes; 0 when it runs on the CPU only.");
  prometheus::MetricFamily context = MakeGauge(
      "ollama_loaded_model_context_length",
      "Context tokens per request slot of a loaded model; 0 while its runner "
      "starts. Absent on Ollama before 0.10.0.");
  prometheus::MetricFamily expires = MakeGauge(
      "ollama_loaded_model_expires_timestamp_seconds",
      "When Ollama will unload an idle model, in Unix seconds; in the past "
      "while it is busy or stopping, centuries ahead when kept forever.");

  AddSample(&loaded, {}, static_cast<double>(models.size()));
  for (const LoadedModel* model : models) {
    AddSample(&size, {{"model", model->name}},
              static_cast<double>(model->size_bytes));
    AddSample(&vram, {{"model", model->name}},
              static_cast<double>(model->vram_bytes));
    if (model->context_length) {
      AddSample(&context, {{"model", model->name}},
                static_cast<double>(*model->context_length));
    }
    if (model->expires_unix_ms) {
      AddSample(&expires, {{"model", model->name}},
                static_cast<double>(*model->expires_unix_ms) / 1000);
    }
  }

  std::vector<prometheus::MetricFamily> families;
  families.push_back(std::move(loaded));
  families.push_back(std::move(size));
  families.push_back(std::move(vram));
  families.push_back(std::move(context));
  families.push_back(std::move(expires));
  return families;
}

}  // namespace ollama_exporter
