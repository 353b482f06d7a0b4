#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "tsdb/matcher.h"

namespace ollama_exporter::http {

// A query of the PromQL subset the query routes evaluate.
struct QueryExpr {
  enum class Kind {
    kSelector,       // up{job="x"}: an instant vector.
    kRangeSelector,  // up{job="x"}[5m]: a range vector of raw samples.
    kRate,           // rate(up{job="x"}[5m])
    kIncrease,       // increase(up{job="x"}[5m])
  };

  Kind kind = Kind::kSelector;
  std::vector<tsdb::Matcher> matchers;  // As ParseSelector gives them.
  int64_t range_ms = 0;                 // > 0 unless kSelector.
};

// Parses one query: a series selector (see ParseSelector), a selector with
// a range ("[5m]", a Prometheus duration above zero), or rate(...) or
// increase(...) of a selector with a range. Whitespace and # comments may
// surround every token.
//
// kInvalidArgument with Prometheus' "<line>:<column>: parse error: ..."
// otherwise, naming what is not supported (other functions, aggregations,
// operators, offset, @, subqueries, literals, parentheses) or what is
// wrong; *expr is then unchanged. Any byte sequence is safe to pass.
Status ParseQuery(std::string_view text, QueryExpr* expr);

}  // namespace ollama_exporter::http
