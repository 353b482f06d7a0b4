#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "tsdb/series_store.h"

namespace ollama_exporter::http {

// An in-memory SeriesReader for handler tests: series keyed by labels, ids
// handed out in insertion order, samples kept sorted by time.
//
// Thread safety: any method, any thread (the server reads while the test
// writes).
class FakeSeriesReader final : public tsdb::SeriesReader {
 public:
  // Adds samples to the series with `labels`, creating it; a sample at an
  // existing timestamp replaces the old one, as in the real store.
  void Add(const tsdb::Labels& labels,
           const std::vector<tsdb::Sample>& samples);

  // Drops every series and any configured failure or throwing.
  void Clear();

  // From now on every method throws std::runtime_error, which the real
  // store never does; for testing that the server contains it.
  void SetThrows(bool throws);

  // From now on the named method ("Select", "Read", "ReadNewestFirst", or
  // "" for all of them) fails with `status`. Ok() heals.
  void FailWith(Status status, const std::string& method = "");

  Status Select(const std::vector<tsdb::Matcher>& matchers,
                std::vector<tsdb::SeriesInfo>* out) const override;
  Status Read(uint32_t id, int64_t start_ms, int64_t end_ms,
              std::vector<tsdb::Sample>* out) const override;
  Status ReadNewestFirst(uint32_t id, int64_t start_ms, int64_t end_ms,
                         size_t limit,
                         std::vector<tsdb::Sample>* out) const override;

 private:
  struct Series {
    uint32_t id = 0;
    std::map<int64_t, double> samples;  // timestamp_ms -> value
  };

  // The configured failure for `method`, or OK; throws when set to.
  // Requires mu_.
  Status Failure(const std::string& method) const;
  const Series* FindId(uint32_t id) const;

  mutable std::mutex mu_;
  std::map<tsdb::Labels, Series> series_;  // Guarded by mu_.
  Status failure_;                         // Guarded by mu_.
  std::string failing_method_;             // Guarded by mu_.
  bool throws_ = false;                    // Guarded by mu_.
};

}  // namespace ollama_exporter::http
