#include "proxy/inference_history.h"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <optional>
#include <utility>

#include "common/log.h"
#include "common/time_format.h"

#include "proxy/measured_value.h"

namespace ollama_exporter::proxy {
namespace {

void AddRecord(const tsdb::Labels& series, const char* name,
               std::optional<double> value, int64_t timestamp_ms,
               std::vector<tsdb::LabeledSample>* records) {
  if (!value) return;
  tsdb::LabeledSample record;
  record.labels = series;
  record.labels[tsdb::kMetricNameLabel] = name;
  record.sample = {timestamp_ms, *value};
  records->push_back(std::move(record));
}

tsdb::Labels SeriesLabels(const std::string& model_label,
                          const InferenceFacts& facts) {
  return {{"model", model_label},
          {"endpoint", std::string(EndpointLabel(facts.endpoint))},
          {"outcome", std::string(OutcomeLabel(facts.outcome))}};
}

}  // namespace

std::vector<tsdb::LabeledSample> InferenceRecords(
    const std::string& model_label, const InferenceFacts& facts,
    int64_t timestamp_ms) {
  const tsdb::Labels series = SeriesLabels(model_label, facts);
  std::vector<tsdb::LabeledSample> records;
  AddRecord(series, "ollama_inference_duration_seconds",
            MeasuredValue(std::optional<double>(facts.request_seconds)),
            timestamp_ms, &records);
  AddRecord(series, "ollama_inference_time_to_first_token_seconds",
            MeasuredValue(facts.time_to_first_token_seconds), timestamp_ms,
            &records);
  AddRecord(series, "ollama_inference_prompt_tokens",
            MeasuredValue(facts.prompt_tokens), timestamp_ms, &records);
  AddRecord(series, "ollama_inference_generated_tokens",
            MeasuredValue(facts.generated_tokens), timestamp_ms, &records);
  AddRecord(series, "ollama_inference_tokens_per_second",
            MeasuredValue(facts.tokens_per_second), timestamp_ms, &records);
  AddRecord(series, "ollama_inference_load_duration_seconds",
            MeasuredValue(facts.load_seconds), timestamp_ms, &records);
  AddRecord(series, "ollama_inference_prompt_eval_duration_seconds",
            MeasuredValue(facts.prompt_eval_seconds), timestamp_ms, &records);
  AddRecord(series, "ollama_inference_eval_duration_seconds",
            MeasuredValue(facts.eval_seconds), timestamp_ms, &records);
  return records;
}

InferenceHistory::InferenceHistory(tsdb::SeriesStore* store, size_t max_queued)
    : store_(store),
      max_queued_(max_queued),
      append_failures_(
          prometheus::BuildCounter()
              .Name("ollama_exporter_proxy_history_append_failures_total")
              .Help("Proxied requests whose history records were not "
                    "stored: the store refused them or its write queue was "
                    "full.")
              .Register(registry_)
              .Add({})),
      writer_([this] { RunWriter(); }) {}

InferenceHistory::~InferenceHistory() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_writer_.notify_one();
  writer_.join();
}

void InferenceHistory::Record(const std::string& model_label,
                              const InferenceFacts& facts, int64_t end_ms) {
  Pending request{model_label, facts, end_ms};
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() < max_queued_) {
      // Stamped here, under the lock, so each series' timestamps follow
      // the order of Record() calls whatever order the writer sees.
      auto last = last_timestamp_ms_.find(
          std::tie(model_label, facts.endpoint, facts.outcome));
      if (last == last_timestamp_ms_.end()) {
        last_timestamp_ms_.emplace(
            SeriesKey(model_label, facts.endpoint, facts.outcome), end_ms);
      } else {
        last->second = std::max(end_ms, last->second + 1);
        request.timestamp_ms = last->second;
      }
      queue_.push_back(std::move(request));
      ++queued_total_;
      // A longer queue means the writer is busy or already woken.
      if (queue_.size() == 1) wake_writer_.notify_one();
      return;
    }
  }
  CountFailure(Status::Unavailable("history write queue full"));
}

bool InferenceHistory::WaitUntilWritten(int64_t timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t target = queued_total_;
  return written_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                           [&] { return finished_total_ >= target; });
}

std::vector<prometheus::MetricFamily> InferenceHistory::Collect() const {
  return registry_.Collect();
}

void InferenceHistory::RunWriter() {
  std::vector<Pending> batch;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_writer_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // Stopping, and everything is written.
    batch.clear();
    batch.swap(queue_);

    lock.unlock();
    Write(batch);
    lock.lock();

    finished_total_ += batch.size();
    written_.notify_all();
  }
}

void InferenceHistory::Write(const std::vector<Pending>& batch) {
  std::vector<tsdb::LabeledSample> records;
  for (const Pending& request : batch) {
    std::vector<tsdb::LabeledSample> own = InferenceRecords(
        request.model_label, request.facts, request.timestamp_ms);
    std::move(own.begin(), own.end(), std::back_inserter(records));
  }
  Status status = store_->Append(records);
  if (!status.ok() && batch.size() > 1) {
    // The store refuses a whole batch for one bad record; the other
    // requests in it must not be lost with that one.
    uint64_t lost = 0;
    for (const Pending& request : batch) {
      Status alone = store_->Append(InferenceRecords(
          request.model_label, request.facts, request.timestamp_ms));
      if (alone.ok()) continue;
      if (lost++ == 0) status = alone;
    }
    if (lost > 0) {
      CountFailure(status, lost);
      return;
    }
    status = Status::Ok();
  }
  if (!status.ok()) {
    CountFailure(status);
    return;
  }
  bool recovered;
  {
    std::lock_guard<std::mutex> lock(mu_);
    recovered = failure_streak_.Succeed();
  }
  if (recovered) LOG_INFO("history appends of proxied requests recovered");
}

void InferenceHistory::CountFailure(const Status& status, uint64_t requests) {
  append_failures_.Increment(static_cast<double>(requests));
  bool log = false;
  int64_t failures;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const int64_t now_ms = NowMillis();
    for (uint64_t i = 0; i < requests; ++i) {
      log = failure_streak_.Fail(now_ms) || log;
    }
    failures = failure_streak_.failures();
  }
  if (log) {
    LOG_WARN("history records of a proxied request lost",
             {{"err", status}, {"failures_in_a_row", failures}});
  }
}

}  // namespace ollama_exporter::proxy
