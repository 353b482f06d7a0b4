#include "exporter/poller.h"

#include <malloc.h>

#include <chrono>
#include <utility>

#include "common/log.h"
#include "exporter/metric_families.h"
#include "tsdb/stale_marker.h"

namespace ollama_exporter {
namespace {

bool Unreachable(const Status& status) {
  return status.code() == StatusCode::kUnavailable ||
         status.code() == StatusCode::kDeadlineExceeded;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  using std::chrono::duration;
  return duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

Poller::Poller(std::vector<std::unique_ptr<Collector>> collectors,
               tsdb::SeriesStore* store, int64_t interval_ms,
               std::function<int64_t()> now_ms,
               const std::atomic<bool>* shutting_down, PollHooks hooks)
    : collectors_(std::move(collectors)),
      store_(store),
      interval_ms_(interval_ms),
      now_ms_(std::move(now_ms)),
      shutting_down_(shutting_down),
      hooks_(std::move(hooks)),
      health_(collectors_.size()) {}

Poller::~Poller() { Stop(); }

void Poller::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Poller::Stop() {
  {
    std::lock_guard<std::mutex> lock(wake_mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Poller::Run() {
  auto next = std::chrono::steady_clock::now();
  while (true) {
    PollOnce();

    // A poll parses replies of up to megabytes (5,000 models are 3 MB of
    // JSON, several times that as a DOM) and requests between polls build
    // large replies; hand the freed pages back to the system rather than
    // keep every peak resident until exit.
    malloc_trim(0);

    // Keep a steady cadence; after a poll longer than the interval, start
    // the next one at once rather than queueing missed ones.
    next += std::chrono::milliseconds(interval_ms_);
    auto now = std::chrono::steady_clock::now();
    if (next < now) {
      // The three calls have a timeout each, so a slow Ollama can make a
      // poll outlast the interval; say so rather than thin the history
      // silently.
      if (overrun_streak_.Fail(now_ms_())) {
        LOG_WARN("poll took longer than the interval",
                 {{"interval_seconds", interval_ms_ / 1000.0},
                  {"late_seconds",
                   std::chrono::duration<double>(now - next).count()}});
      }
      next = now;
    } else {
      overrun_streak_.Succeed();
    }
    std::unique_lock<std::mutex> lock(wake_mu_);
    if (wake_.wait_until(lock, next, [this] { return stopping_; })) return;
  }
}

void Poller::PollOnce() {
  const int64_t timestamp_ms = now_ms_();

  // Run the collectors; skip the rest when the probe cannot reach Ollama.
  std::vector<prometheus::MetricFamily> collected;
  std::vector<Status> results(
      collectors_.size(), Status::Unavailable("skipped: Ollama unreachable"));
  std::vector<double> durations(collectors_.size(), 0);
  std::vector<bool> attempted(collectors_.size(), false);
  bool reachable = true;
  for (size_t i = 0; i < collectors_.size() && reachable; ++i) {
    attempted[i] = true;
    auto start = std::chrono::steady_clock::now();
    results[i] = collectors_[i]->Collect(&collected);
    durations[i] = SecondsSince(start);
    if (i == 0 && Unreachable(results[i])) reachable = false;
  }

  if (shutting_down_ != nullptr && shutting_down_->load()) {
    LOG_DEBUG("poll discarded at shutdown");
    return;
  }

  bool up = false;
  for (const Status& result : results) up = up || result.ok();
  prometheus::MetricFamily up_family =
      MakeGauge("ollama_up", "1 if the last poll reached Ollama, else 0.");
  AddSample(&up_family, {}, up ? 1 : 0);
  collected.insert(collected.begin(), std::move(up_family));
  if (hooks_.polled) hooks_.polled(collected);

  // Record health, log failures (rate-limited), publish the snapshot.
  std::vector<prometheus::MetricFamily> to_store;
  {
    std::lock_guard<std::mutex> lock(mu_);
    polls_total_ += 1;
    bool all_ok = true;
    for (size_t i = 0; i < collectors_.size(); ++i) {
      CollectorHealth& health = health_[i];
      const Status& result = results[i];
      health.last_duration_seconds = durations[i];
      health.last_success = result.ok();
      all_ok = all_ok && result.ok();
      if (result.ok()) {
        health.skipped_entries_total += collectors_[i]->last_skipped_entries();
        if (health.streak.Succeed()) {
          LOG_INFO("poll recovered", {{"collector", collectors_[i]->name()}});
        }
        continue;
      }
      if (!attempted[i]) continue;
      health.failures_total += 1;
      if (health.streak.Fail(timestamp_ms)) {
        LOG_WARN("poll failed",
                 {{"collector", collectors_[i]->name()},
                  {"err", result},
                  {"failures_in_a_row", health.streak.failures()},
                  {"duration_seconds", durations[i]}});
      }
    }
    if (all_ok) last_success_seconds_ = timestamp_ms / 1000.0;
    ollama_families_ = collected;
    to_store = std::move(collected);
    std::vector<prometheus::MetricFamily> health = HealthFamilies();
    to_store.insert(to_store.end(), health.begin(), health.end());
  }
  if (hooks_.extra_families) {
    std::vector<prometheus::MetricFamily> extra = hooks_.extra_families();
    to_store.insert(to_store.end(), extra.begin(), extra.end());
  }

  // Append the poll and its staleness markers in one batch.
  std::vector<tsdb::LabeledSample> samples = ToSamples(to_store, timestamp_ms);
  const size_t series_count = samples.size();
  AddStaleMarkers(timestamp_ms, &samples);
  Status appended = store_->Append(samples);
  if (appended.ok()) {
    last_stored_.clear();
    for (size_t i = 0; i < series_count; ++i) {
      last_stored_.insert(std::move(samples[i].labels));
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (appended.ok()) {
      samples_appended_total_ += samples.size();
      if (append_streak_.Succeed()) LOG_INFO("storage append recovered");
    } else {
      append_failures_total_ += 1;
      if (append_streak_.Fail(timestamp_ms)) {
        LOG_ERROR("storage append failed",
                  {{"err", appended},
                   {"failures_in_a_row", append_streak_.failures()}});
      }
    }
  }
  has_polled_ = true;
  LOG_DEBUG("poll done", {{"up", up}, {"samples", samples.size()}});
}

void Poller::AddStaleMarkers(int64_t timestamp_ms,
                             std::vector<tsdb::LabeledSample>* samples) const {
  if (last_stored_.empty()) return;
  std::set<tsdb::Labels> present;
  for (const tsdb::LabeledSample& sample : *samples) {
    present.insert(sample.labels);
  }
  for (const tsdb::Labels& labels : last_stored_) {
    if (present.count(labels) == 0) {
      samples->push_back({labels, {timestamp_ms, tsdb::StaleMarker()}});
    }
  }
}

std::vector<prometheus::MetricFamily> Poller::Collect() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<prometheus::MetricFamily> families = ollama_families_;
  std::vector<prometheus::MetricFamily> health = HealthFamilies();
  families.insert(families.end(), health.begin(), health.end());

  prometheus::MetricFamily appended =
      MakeCounter("ollama_exporter_storage_samples_appended_total",
                  "Samples written to the history store.");
  AddSample(&appended, {}, samples_appended_total_);
  prometheus::MetricFamily failures = MakeCounter(
      "ollama_exporter_storage_append_failures_total",
      "Polls whose samples could not be written to the history store.");
  AddSample(&failures, {}, append_failures_total_);
  prometheus::MetricFamily disk =
      MakeGauge("ollama_exporter_storage_disk_bytes",
                "Bytes of table files of the history store on disk.");
  AddSample(&disk, {}, static_cast<double>(store_->DiskBytes()));
  families.push_back(std::move(appended));
  families.push_back(std::move(failures));
  families.push_back(std::move(disk));
  return families;
}

std::vector<prometheus::MetricFamily> Poller::HealthFamilies() const {
  prometheus::MetricFamily duration =
      MakeGauge("ollama_exporter_collector_duration_seconds",
                "How long the last poll of each Ollama endpoint took.");
  prometheus::MetricFamily success = MakeGauge(
      "ollama_exporter_collector_success",
      "1 if the last poll of each Ollama endpoint succeeded, else 0.");
  prometheus::MetricFamily failures =
      MakeCounter("ollama_exporter_collector_failures_total",
                  "Failed polls of each Ollama endpoint.");
  prometheus::MetricFamily skipped = MakeCounter(
      "ollama_exporter_reply_entries_skipped_total",
      "List entries of Ollama replies left out as unusable (no name or a "
      "duplicate name).");
  for (size_t i = 0; i < collectors_.size(); ++i) {
    LabelPairs labels = {{"collector", std::string(collectors_[i]->name())}};
    const CollectorHealth& health = health_[i];
    AddSample(&duration, labels, health.last_duration_seconds);
    AddSample(&success, labels, health.last_success ? 1 : 0);
    AddSample(&failures, labels, health.failures_total);
    AddSample(&skipped, labels, health.skipped_entries_total);
  }
  prometheus::MetricFamily polls = MakeCounter("ollama_exporter_polls_total",
                                               "Polls of Ollama since start.");
  AddSample(&polls, {}, polls_total_);
  prometheus::MetricFamily last_success =
      MakeGauge("ollama_exporter_last_successful_poll_timestamp_seconds",
                "When every endpoint last answered in one poll (0 if never).");
  AddSample(&last_success, {}, last_success_seconds_);
  return {std::move(duration), std::move(success), std::move(failures),
          std::move(skipped),  std::move(polls),   std::move(last_success)};
}

std::vector<tsdb::LabeledSample> ToSamples(
    const std::vector<prometheus::MetricFamily>& families,
    int64_t timestamp_ms) {
  std::vector<tsdb::LabeledSample> samples;
  for (const prometheus::MetricFamily& family : families) {
    if (family.name.rfind("ollama_", 0) != 0) continue;
    if (family.type != prometheus::MetricType::Gauge &&
        family.type != prometheus::MetricType::Counter) {
      continue;
    }
    for (const prometheus::ClientMetric& metric : family.metric) {
      tsdb::LabeledSample sample;
      sample.labels[tsdb::kMetricNameLabel] = family.name;
      for (const auto& label : metric.label) {
        sample.labels[label.name] = label.value;
      }
      sample.sample = {timestamp_ms, SampleValue(family, metric)};
      samples.push_back(std::move(sample));
    }
  }
  return samples;
}

}  // namespace ollama_exporter
