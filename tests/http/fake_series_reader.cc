#include "fake_series_reader.h"

#include <stdexcept>
#include <utility>

namespace ollama_exporter::http {

void FakeSeriesReader::Add(const tsdb::Labels& labels,
                           const std::vector<tsdb::Sample>& samples) {
  std::lock_guard<std::mutex> lock(mu_);
  Series& series = series_[labels];
  if (series.id == 0) series.id = static_cast<uint32_t>(series_.size());
  for (const tsdb::Sample& sample : samples) {
    series.samples[sample.timestamp_ms] = sample.value;
  }
}

void FakeSeriesReader::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  series_.clear();
  failure_ = Status::Ok();
  failing_method_.clear();
  throws_ = false;
}

void FakeSeriesReader::SetThrows(bool throws) {
  std::lock_guard<std::mutex> lock(mu_);
  throws_ = throws;
}

void FakeSeriesReader::FailWith(Status status, const std::string& method) {
  std::lock_guard<std::mutex> lock(mu_);
  failure_ = std::move(status);
  failing_method_ = method;
}

Status FakeSeriesReader::Failure(const std::string& method) const {
  if (throws_) throw std::runtime_error("fake store threw in " + method);
  if (failing_method_.empty() || failing_method_ == method) return failure_;
  return Status::Ok();
}

const FakeSeriesReader::Series* FakeSeriesReader::FindId(uint32_t id) const {
  for (const auto& [labels, series] : series_) {
    if (series.id == id) return &series;
  }
  return nullptr;
}

Status FakeSeriesReader::Select(const std::vector<tsdb::Matcher>& matchers,
                                std::vector<tsdb::SeriesInfo>* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (Status failure = Failure("Select"); !failure.ok()) return failure;
  if (matchers.empty()) {
    return Status::InvalidArgument("Select needs at least one matcher");
  }
  out->clear();
  for (const auto& [labels, series] : series_) {
    if (tsdb::MatchesAll(matchers, labels)) out->push_back({series.id, labels});
  }
  return Status::Ok();
}

Status FakeSeriesReader::Read(uint32_t id, int64_t start_ms, int64_t end_ms,
                              std::vector<tsdb::Sample>* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (Status failure = Failure("Read"); !failure.ok()) return failure;
  out->clear();
  const Series* series = FindId(id);
  if (series == nullptr) return Status::Ok();
  for (auto it = series->samples.lower_bound(start_ms);
       it != series->samples.end() && it->first <= end_ms; ++it) {
    out->push_back({it->first, it->second});
  }
  return Status::Ok();
}

Status FakeSeriesReader::ReadNewestFirst(uint32_t id, int64_t start_ms,
                                         int64_t end_ms, size_t limit,
                                         std::vector<tsdb::Sample>* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (Status failure = Failure("ReadNewestFirst"); !failure.ok()) {
    return failure;
  }
  out->clear();
  const Series* series = FindId(id);
  if (series == nullptr) return Status::Ok();
  for (auto it = series->samples.upper_bound(end_ms);
       it != series->samples.begin() && out->size() < limit;) {
    --it;
    if (it->first < start_ms) break;
    out->push_back({it->first, it->second});
  }
  return Status::Ok();
}

}  // namespace ollama_exporter::http
