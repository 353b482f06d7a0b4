#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include "common/failure_streak.h"
#include "tsdb/sample.h"
#include "tsdb/series_store.h"

#include "proxy/inference_facts.h"

namespace ollama_exporter::proxy {

// One request's history records, all at `timestamp_ms`, labelled
// {model, endpoint, outcome}: ollama_inference_duration_seconds (always),
// then ollama_inference_time_to_first_token_seconds,
// ollama_inference_prompt_tokens, ollama_inference_generated_tokens,
// ollama_inference_tokens_per_second,
// ollama_inference_load_duration_seconds,
// ollama_inference_prompt_eval_duration_seconds and
// ollama_inference_eval_duration_seconds, each only when the facts hold a
// value that is set, finite and not negative.
std::vector<tsdb::LabeledSample> InferenceRecords(
    const std::string& model_label, const InferenceFacts& facts,
    int64_t timestamp_ms);

// Appends each measured request's records to the store, off the request's
// thread.
//
// Cost: a store Append is one RocksDB write batch, fdatasync'd with the
// store's default sync=true (about 0.5 ms on a quiet disk, far more on a
// busy one). A request must not wait for that, nor spend its own CPU on
// building records, so Record() only queues the facts, and a writer thread
// turns everything queued meanwhile into records and appends them in one
// batch: under load, many requests share one sync. When `max_queued`
// requests are already waiting (the disk stalls), the new one is dropped.
//
// Timestamps: the records of a series {model, endpoint, outcome} get
// strictly increasing timestamps in the order Record() is called: the
// request's end time, or 1 ms after the series' previous record when that
// is not later. So two requests that end in the same millisecond (or are
// recorded slightly out of order by racing threads) are both kept instead
// of one overwriting the other. The last timestamp of each series is kept
// in memory; model labels must be bounded (ModelLabeler).
//
// Failures: a batch the store refuses is appended again request by
// request, so only the requests refused on their own are lost. Each lost
// request (refused, or dropped by the full queue) counts in
// ollama_exporter_proxy_history_append_failures_total and is logged as a
// WARN (the first of a run, then at most once a minute, and once when
// appends succeed again). Nothing throws.
//
// Thread safety: any method, any thread.
// Ownership: borrows `store`, which must outlive this object.
class InferenceHistory {
 public:
  static constexpr size_t kDefaultMaxQueued = 4096;

  explicit InferenceHistory(tsdb::SeriesStore* store,
                            size_t max_queued = kDefaultMaxQueued);
  // Writes every queued request, then stops the writer.
  ~InferenceHistory();

  InferenceHistory(const InferenceHistory&) = delete;
  InferenceHistory& operator=(const InferenceHistory&) = delete;

  // Queues the records of one request that ended at `end_ms` (Unix ms).
  // Never blocks on storage; copies the facts and stamps, nothing more.
  void Record(const std::string& model_label, const InferenceFacts& facts,
              int64_t end_ms);

  // Waits up to `timeout_ms` until every request recorded before the call
  // is appended or counted as failed. True when it is.
  bool WaitUntilWritten(int64_t timeout_ms);

  // ollama_exporter_proxy_history_append_failures_total; fresh copies.
  std::vector<prometheus::MetricFamily> Collect() const;

 private:
  // One recorded request, its timestamp already stamped.
  struct Pending {
    std::string model_label;
    InferenceFacts facts;
    int64_t timestamp_ms = 0;
  };

  // {model, endpoint, outcome}: one series of each record name.
  using SeriesKey = std::tuple<std::string, InferenceEndpoint, Outcome>;

  void RunWriter();

  // Appends `batch` in one store Append, or request by request when the
  // store refuses it; counts what is lost. mu_ not held.
  void Write(const std::vector<Pending>& batch);

  // Counts `requests` requests whose records were lost; logs as
  // failure_streak_ decides. mu_ not held.
  void CountFailure(const Status& status, uint64_t requests = 1);

  tsdb::SeriesStore* const store_;
  const size_t max_queued_;

  prometheus::Registry registry_;
  prometheus::Counter& append_failures_;

  std::mutex mu_;
  std::condition_variable wake_writer_;
  std::condition_variable written_;
  std::vector<Pending> queue_;  // Guarded by mu_.
  // Requests queued since construction, and those appended or failed.
  uint64_t queued_total_ = 0;    // Guarded by mu_.
  uint64_t finished_total_ = 0;  // Guarded by mu_.
  bool stopping_ = false;        // Guarded by mu_.
  // Series -> last record's timestamp.
  std::map<SeriesKey, int64_t, std::less<>>
      last_timestamp_ms_;                    // Guarded by mu_.
  FailureStreak failure_streak_{60 * 1000};  // Guarded by mu_.

  std::thread writer_;  // Last: starts once the rest is initialised.
};

}  // namespace ollama_exporter::proxy
