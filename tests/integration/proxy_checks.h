#pragma once

// Catch2 checks of what the exporter recorded for requests through the
// proxy: /metrics and the per-request history, against ExpectedRecord.

#include <cstddef>
#include <optional>
#include <string>

#include "common/status.h"

#include "api_replies.h"
#include "metrics_text.h"
#include "proxy_expected.h"
#include "proxy_rig.h"

namespace ollama_exporter::integration {

// ProxyRig::Shared's rig; fails the test case when it could not start.
ProxyRig& SharedProxyRig();

// What the exporter showed before a request, to compare with after it.
struct ProxySnapshot {
  MetricsText metrics;
  // Requests in the stored history: ollama_inference_duration_seconds
  // samples of the last hour, every series.
  size_t history_requests = 0;
};

// Reads /metrics and the history. As ExporterProcess::Metrics, or the
// failure of the history query.
[[nodiscard]] Status TakeProxySnapshot(ProxyRig& rig, ProxySnapshot* snapshot);

// Every stored ollama_inference_* series with its samples of the last
// hour (GET /api/v1/query with a [1h] range selector). kFailedPrecondition
// quoting the body unless it answers a success.
[[nodiscard]] Status QueryInferenceHistory(ExporterProcess& exporter,
                                           RangeReply* reply);

// Requests whose records `history` holds (ollama_inference_duration_
// seconds samples), those with outcome `outcome` when it is not empty.
size_t StoredRequests(const RangeReply& history,
                      const std::string& outcome = "");

// after - before for one series; an absent series counts as 0.
double Delta(const MetricsText& before, const MetricsText& after,
             const std::string& name, const LabelSet& labels);

// The same summed over every series of `name`.
double DeltaOfAll(const MetricsText& before, const MetricsText& after,
                  const std::string& name);

// Waits (bounded) until the exporter has ended one more measured request
// than in `before` and its history holds it, then checks that exactly
// that one request was added, as `expected` says: every proxy counter,
// histogram and the in-flight gauge on /metrics, and the history records
// of the request (one timestamp, each value equal to the metric's).
// `client_seconds`, when set, is the client's own time for the exchange,
// which the measured duration cannot exceed (but for a little slack
// between the clocks of two processes); leave it unset when the client
// left early. Fails the test case when the request is not recorded
// within 5 s.
void CheckOneRequestRecorded(ProxyRig& rig, const ProxySnapshot& before,
                             const ExpectedRecord& expected,
                             std::optional<double> client_seconds);

}  // namespace ollama_exporter::integration
