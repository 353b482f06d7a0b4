#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <prometheus/metric_family.h>

#include "common/failure_streak.h"
#include "exporter/collector.h"
#include "tsdb/series_store.h"

namespace ollama_exporter {

// What the rest of the program adds to each poll. Both are called on the
// polling thread and must be thread-safe with the rest of the program.
struct PollHooks {
  // Families stored with each poll besides the collectors' (the proxy's
  // counters and gauges); not served by Collect().
  std::function<std::vector<prometheus::MetricFamily>()> extra_families;
  // Told the families of each completed poll (the collectors' and
  // ollama_up), e.g. to learn the model names Ollama reports.
  std::function<void(const std::vector<prometheus::MetricFamily>&)> polled;
};

// Polls Ollama on a background thread, keeps what the last poll saw for
// /metrics, and appends every ollama_* sample of each poll to the store
// at the poll's timestamp.
//
// A poll runs the collectors in order. The first is the liveness probe:
// when it cannot reach Ollama (kUnavailable, kDeadlineExceeded) the others
// are skipped for that poll. ollama_up is 1 when any collector succeeded.
// A failed collector contributes no series, so nothing stale is served.
//
// Staleness: a series the last successful append stored that this poll
// lacks (a model unloaded, a failed or skipped collector) gets a
// staleness marker (tsdb/stale_marker.h) at this poll's timestamp in the
// same batch, so queries stop showing it from then on rather than for
// their 5 minute lookback. Markers go to the store only, never to
// Collect(). The poller remembers just the series of that one append, in
// memory: after a restart nothing is remembered, so a series that vanished
// while the exporter was down gets no marker and fades after the lookback.
// When an append fails, the series of the append before it stay the ones
// compared against, so a marker that could not be written is retried.
//
// Shutdown: once `*shutting_down` is true (main sets it when it cancels
// the calls in flight), a poll that was running is discarded, neither
// served nor stored: its canceled calls would record an outage that never
// happened.
//
// Thread safety: Collect() and has_polled() from any thread; Start(),
// Stop() and PollOnce() from the owning thread.
// Ownership: owns the collectors; `store` and `shutting_down` (may be null)
// must outlive the poller.
class Poller {
 public:
  Poller(std::vector<std::unique_ptr<Collector>> collectors,
         tsdb::SeriesStore* store, int64_t interval_ms,
         std::function<int64_t()> now_ms,
         const std::atomic<bool>* shutting_down = nullptr,
         PollHooks hooks = {});
  ~Poller();  // Stops.

  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  // Starts the thread; the first poll runs at once.
  void Start();

  // Wakes and joins the thread. A poll in progress finishes first; its
  // batch is written unless it was cut short by shutting_down.
  void Stop();

  // One poll on the calling thread.
  void PollOnce();

  // The last poll's Ollama families, the poll and storage health
  // families. Fresh copies on each call.
  std::vector<prometheus::MetricFamily> Collect() const;

  // True once a poll has completed.
  bool has_polled() const { return has_polled_.load(); }

 private:
  struct CollectorHealth {
    double last_duration_seconds = 0;
    bool last_success = false;
    double failures_total = 0;
    double skipped_entries_total = 0;
    FailureStreak streak{60 * 1000};
  };

  void Run();
  std::vector<prometheus::MetricFamily> HealthFamilies() const;  // mu_ held.

  // Appends a staleness marker at `timestamp_ms` to *samples for each
  // series of last_stored_ that *samples lacks.
  void AddStaleMarkers(int64_t timestamp_ms,
                       std::vector<tsdb::LabeledSample>* samples) const;

  const std::vector<std::unique_ptr<Collector>> collectors_;
  tsdb::SeriesStore* const store_;
  const int64_t interval_ms_;
  const std::function<int64_t()> now_ms_;
  const std::atomic<bool>* const shutting_down_;
  const PollHooks hooks_;

  mutable std::mutex mu_;
  std::vector<prometheus::MetricFamily> ollama_families_;  // Guarded by mu_.
  std::vector<CollectorHealth> health_;                    // Guarded by mu_.
  double polls_total_ = 0;                                 // Guarded by mu_.
  double last_success_seconds_ = 0;                        // Guarded by mu_.
  double samples_appended_total_ = 0;                      // Guarded by mu_.
  double append_failures_total_ = 0;                       // Guarded by mu_.
  FailureStreak append_streak_{60 * 1000};                 // Guarded by mu_.
  FailureStreak overrun_streak_{60 * 1000};  // Run()'s thread only.
  std::atomic<bool> has_polled_{false};

  // The series of the last successful append. Used only by PollOnce(),
  // whose calls never overlap.
  std::set<tsdb::Labels> last_stored_;

  std::mutex wake_mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // Guarded by wake_mu_.
  std::thread thread_;
};

// Every gauge and counter series of `families` whose name starts with
// "ollama_", as store samples at `timestamp_ms`. Histograms are left out:
// their facts are stored per request (proxy/).
std::vector<tsdb::LabeledSample> ToSamples(
    const std::vector<prometheus::MetricFamily>& families,
    int64_t timestamp_ms);

}  // namespace ollama_exporter
