#include "proxy_checks.h"

#include <cstdlib>
#include <map>
#include <set>
#include <vector>

#include <catch2/catch.hpp>

#include "http_get.h"
#include "require_ok.h"

namespace ollama_exporter::integration {
namespace {

constexpr int kRecordTimeoutMs = 5000;
constexpr int kPollPeriodMs = 10;
constexpr char kDurationRecord[] = "ollama_inference_duration_seconds";

// The lower bounds compare clocks of two processes.
constexpr double kTimerSlackSeconds = 0.002;

// The proxy's time runs from sending upstream to its last write, within
// the client's, give or take the scheduling of two processes.
constexpr double kClockSlackSeconds = 0.05;

// Counters whose samples carry a duration in seconds, with the ns field.
struct DurationFamily {
  const char* counter;    // ..._seconds_total{model,endpoint}
  const char* histogram;  // ..._seconds{model}
  const char* record;     // ollama_inference_..._seconds
  int64_t FinalStats::*nanoseconds;
};

const DurationFamily kDurationFamilies[] = {
    {"ollama_load_duration_seconds_total", "ollama_load_duration_seconds",
     "ollama_inference_load_duration_seconds", &FinalStats::load_duration},
    {"ollama_prompt_eval_duration_seconds_total",
     "ollama_prompt_eval_duration_seconds",
     "ollama_inference_prompt_eval_duration_seconds",
     &FinalStats::prompt_eval_duration},
    {"ollama_eval_duration_seconds_total", "ollama_eval_duration_seconds",
     "ollama_inference_eval_duration_seconds", &FinalStats::eval_duration},
};

// A label's value, "" when the series has none.
std::string LabelOf(const LabelSet& labels, const std::string& name) {
  const auto found = labels.find(name);
  return found == labels.end() ? "" : found->second;
}

// The records of the newest request of `expected`'s series: name ->
// value, all at the timestamp of its newest duration record.
std::map<std::string, double> NewestRequestRecords(
    const RangeReply& history, const ExpectedRecord& expected) {
  auto same_request = [&](const LabelSet& metric) {
    return metric.size() == 4 && LabelOf(metric, "model") == expected.model &&
           LabelOf(metric, "endpoint") == expected.endpoint &&
           LabelOf(metric, "outcome") == expected.outcome;
  };
  std::optional<double> newest;
  for (const RangeSeries& series : history.result) {
    if (LabelOf(series.metric, "__name__") == kDurationRecord &&
        same_request(series.metric) && !series.values.empty()) {
      newest = series.values.back().first;
    }
  }
  std::map<std::string, double> records;
  if (!newest) return records;
  for (const RangeSeries& series : history.result) {
    if (!same_request(series.metric)) continue;
    for (const auto& [seconds, value] : series.values) {
      if (seconds == *newest) {
        records[LabelOf(series.metric, "__name__")] = std::atof(value.c_str());
      }
    }
  }
  return records;
}

// A count the fake sent (0: none) against the metric and the record.
void CheckCount(const std::map<std::string, double>& records,
                const std::string& record, int64_t sent) {
  INFO(record);
  const auto found = records.find(record);
  if (sent != 0) {
    REQUIRE(found != records.end());
    CHECK(found->second == static_cast<double>(sent));
  } else if (found != records.end()) {
    CHECK(found->second == 0);
  }
}

// The history records a request must have: those of the values it
// certainly carried (a 0 count may or may not be recorded).
std::set<std::string> RecordNames(const ExpectedRecord& expected,
                                  bool speed_measured) {
  std::set<std::string> names = {kDurationRecord};
  if (expected.time_to_first_token) {
    names.insert("ollama_inference_time_to_first_token_seconds");
  }
  if (expected.stats.prompt_eval_count != 0) {
    names.insert("ollama_inference_prompt_tokens");
  }
  if (expected.stats.eval_count != 0) {
    names.insert("ollama_inference_generated_tokens");
  }
  for (const DurationFamily& family : kDurationFamilies) {
    if (expected.stats.*family.nanoseconds != 0) names.insert(family.record);
  }
  if (speed_measured) names.insert("ollama_inference_tokens_per_second");
  return names;
}

void CheckMetrics(const MetricsText& before, const MetricsText& after,
                  const ExpectedRecord& expected,
                  std::optional<double> client_seconds) {
  const LabelSet model = {{"model", expected.model}};
  const LabelSet series = {{"model", expected.model},
                           {"endpoint", expected.endpoint}};
  auto delta = [&](const std::string& name, const LabelSet& labels) {
    return Delta(before, after, name, labels);
  };
  LabelSet with_outcome = series;
  with_outcome["outcome"] = expected.outcome;
  LabelSet with_reason = series;
  with_reason["done_reason"] = expected.done_reason;

  CHECK(delta("ollama_requests_total", with_outcome) == 1);
  CHECK(DeltaOfAll(before, after, "ollama_requests_total") == 1);
  CHECK(delta("ollama_done_reasons_total", with_reason) == 1);
  CHECK(DeltaOfAll(before, after, "ollama_done_reasons_total") == 1);
  CHECK(delta("ollama_prompt_tokens_total", series) ==
        expected.stats.prompt_eval_count);
  CHECK(delta("ollama_generated_tokens_total", series) ==
        expected.stats.eval_count);
  CHECK(after.Value("ollama_requests_in_flight", model).value_or(0) == 0);

  for (const DurationFamily& family : kDurationFamilies) {
    INFO(family.histogram);
    const double seconds =
        static_cast<double>(expected.stats.*family.nanoseconds) / 1e9;
    CHECK(delta(family.counter, series) == Approx(seconds).margin(1e-9));
    CHECK(delta(std::string(family.histogram) + "_count", model) ==
          (seconds > 0 ? 1 : 0));
    CHECK(delta(std::string(family.histogram) + "_sum", model) ==
          Approx(seconds).margin(1e-9));
  }

  const double request_seconds =
      delta("ollama_request_duration_seconds_sum", model);
  CHECK(delta("ollama_request_duration_seconds_count", model) == 1);
  CHECK(request_seconds > 0);
  CHECK(request_seconds >= expected.min_request_seconds - kTimerSlackSeconds);
  if (client_seconds) {
    CHECK(request_seconds <= *client_seconds + kClockSlackSeconds);
  }

  const double first_token_seconds =
      delta("ollama_time_to_first_token_seconds_sum", model);
  CHECK(delta("ollama_time_to_first_token_seconds_count", model) ==
        (expected.time_to_first_token ? 1 : 0));
  CHECK(first_token_seconds <= request_seconds);
  CHECK(first_token_seconds >=
        expected.min_first_token_seconds - kTimerSlackSeconds);

  const double speed_count =
      delta("ollama_eval_tokens_per_second_count", model);
  const double speed_sum = delta("ollama_eval_tokens_per_second_sum", model);
  switch (expected.speed) {
    case ExpectedRecord::Speed::kNone:
      CHECK(speed_count == 0);
      break;
    case ExpectedRecord::Speed::kExact:
      CHECK(speed_count == 1);
      CHECK(speed_sum == Approx(expected.tokens_per_second).epsilon(1e-9));
      break;
    case ExpectedRecord::Speed::kMeasured:
      // Chunks come at least as far apart as scripted, and not four
      // times as far even on a busy machine.
      CHECK(speed_count == 1);
      CHECK(speed_sum <= expected.tokens_per_second * 1.05);
      CHECK(speed_sum >= expected.tokens_per_second / 4);
      break;
    case ExpectedRecord::Speed::kMaybe:
      CHECK(speed_count <= 1);
      break;
  }
}

void CheckHistory(const std::map<std::string, double>& records,
                  const MetricsText& before, const MetricsText& after,
                  const ExpectedRecord& expected) {
  const LabelSet model = {{"model", expected.model}};
  auto delta = [&](const std::string& name) {
    return Delta(before, after, name, model);
  };
  REQUIRE(records.count(kDurationRecord) == 1);
  CHECK(records.at(kDurationRecord) ==
        Approx(delta("ollama_request_duration_seconds_sum")).margin(1e-6));

  const auto first_token =
      records.find("ollama_inference_time_to_first_token_seconds");
  CHECK((first_token != records.end()) == expected.time_to_first_token);
  if (first_token != records.end()) {
    CHECK(first_token->second ==
          Approx(delta("ollama_time_to_first_token_seconds_sum")).margin(1e-6));
  }

  CheckCount(records, "ollama_inference_prompt_tokens",
             expected.stats.prompt_eval_count);
  CheckCount(records, "ollama_inference_generated_tokens",
             expected.stats.eval_count);
  for (const DurationFamily& family : kDurationFamilies) {
    INFO(family.record);
    const int64_t nanoseconds = expected.stats.*family.nanoseconds;
    const auto found = records.find(family.record);
    if (nanoseconds != 0) {
      REQUIRE(found != records.end());
      CHECK(found->second ==
            Approx(static_cast<double>(nanoseconds) / 1e9).margin(1e-9));
    } else if (found != records.end()) {
      CHECK(found->second == 0);
    }
  }

  const auto speed = records.find("ollama_inference_tokens_per_second");
  const bool measured = delta("ollama_eval_tokens_per_second_count") == 1;
  CHECK((speed != records.end()) == measured);
  if (speed != records.end()) {
    CHECK(speed->second ==
          Approx(delta("ollama_eval_tokens_per_second_sum")).margin(1e-6));
  }
}

}  // namespace

ProxyRig& SharedProxyRig() {
  ProxyRig* rig = nullptr;
  REQUIRE_OK(ProxyRig::Shared(&rig));
  return *rig;
}

Status QueryInferenceHistory(ExporterProcess& exporter, RangeReply* reply) {
  HttpReply http;
  Status status =
      exporter.Get("/api/v1/query?query=" +
                       UrlEscape(R"({__name__=~"ollama_inference_.+"}[1h])"),
                   &http);
  if (!status.ok()) return status;
  status = ParseRangeReply(http.body, reply);
  if (status.ok() && (http.status != 200 || reply->status != "success" ||
                      reply->result_type != "matrix")) {
    status = Status::FailedPrecondition("not a matrix");
  }
  if (!status.ok()) return status.WithContext("history query: " + http.body);
  return Status::Ok();
}

Status TakeProxySnapshot(ProxyRig& rig, ProxySnapshot* snapshot) {
  Status status = rig.exporter().Metrics(&snapshot->metrics);
  RangeReply history;
  if (status.ok()) status = QueryInferenceHistory(rig.exporter(), &history);
  if (!status.ok()) return status;
  snapshot->history_requests = StoredRequests(history);
  return Status::Ok();
}

size_t StoredRequests(const RangeReply& history, const std::string& outcome) {
  size_t count = 0;
  for (const RangeSeries& series : history.result) {
    if (LabelOf(series.metric, "__name__") == kDurationRecord &&
        (outcome.empty() || LabelOf(series.metric, "outcome") == outcome)) {
      count += series.values.size();
    }
  }
  return count;
}

double Delta(const MetricsText& before, const MetricsText& after,
             const std::string& name, const LabelSet& labels) {
  return after.Value(name, labels).value_or(0) -
         before.Value(name, labels).value_or(0);
}

double DeltaOfAll(const MetricsText& before, const MetricsText& after,
                  const std::string& name) {
  double delta = 0;
  for (const MetricSample& sample : after.Named(name)) delta += sample.value;
  for (const MetricSample& sample : before.Named(name)) delta -= sample.value;
  return delta;
}

void CheckOneRequestRecorded(ProxyRig& rig, const ProxySnapshot& before,
                             const ExpectedRecord& expected,
                             std::optional<double> client_seconds) {
  INFO("expected model=" << expected.model << " endpoint=" << expected.endpoint
                         << " outcome=" << expected.outcome
                         << " done_reason=" << expected.done_reason);
  // The in-flight gauge drops after the counters and the history queue
  // took the request.
  MetricsText after;
  const LabelSet model = {{"model", expected.model}};
  REQUIRE_OK(rig.exporter().WaitForMetrics(
      [&](const MetricsText& metrics) {
        return DeltaOfAll(before.metrics, metrics, "ollama_requests_total") >=
                   1 &&
               metrics.Value("ollama_requests_in_flight", model).value_or(0) ==
                   0;
      },
      kRecordTimeoutMs, &after));
  CheckMetrics(before.metrics, after, expected, client_seconds);

  // A request's records are one write, but the store shows a series
  // first written by it a moment after the others: wait for all.
  const std::set<std::string> names = RecordNames(
      expected, Delta(before.metrics, after,
                      "ollama_eval_tokens_per_second_count", model) == 1);
  RangeReply history;
  std::map<std::string, double> records;
  const bool stored = Eventually(
      [&] {
        if (!QueryInferenceHistory(rig.exporter(), &history).ok() ||
            StoredRequests(history) <= before.history_requests) {
          return false;
        }
        records = NewestRequestRecords(history, expected);
        for (const std::string& name : names) {
          if (records.count(name) == 0) return false;
        }
        return true;
      },
      kRecordTimeoutMs, kPollPeriodMs);
  INFO("history records: " << records.size() << " of at least "
                           << names.size());
  REQUIRE(stored);
  CHECK(StoredRequests(history) == before.history_requests + 1);
  CheckHistory(records, before.metrics, after, expected);
}

}  // namespace ollama_exporter::integration
