#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "tsdb/matcher.h"
#include "tsdb/series_store.h"

namespace ollama_exporter::http {

// The series the metadata routes (/api/v1/labels, /api/v1/label/<name>/
// values, /api/v1/series) report: those matching all matchers of any one
// of `matcher_sets` (every stored series when there are none) that hold
// at least one sample, a staleness marker included, with
// start_ms <= timestamp <= end_ms. Like Prometheus, which keeps series
// whose samples fall in the range; the catalogue also lists series whose
// samples have all expired, and these are left out.
//
// On success *out holds each such series once, sorted by labels. A store
// error comes back with its code and context; *out is then unspecified.
// Thread safety: as `store`.
Status FindSeriesWithSamples(
    const tsdb::SeriesReader& store,
    const std::vector<std::vector<tsdb::Matcher>>& matcher_sets,
    int64_t start_ms, int64_t end_ms, std::vector<tsdb::SeriesInfo>* out);

}  // namespace ollama_exporter::http
