#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "http/promql_cursor.h"
#include "tsdb/matcher.h"

namespace ollama_exporter::http {

// Parses a PromQL instant vector selector, the one kind of expression the
// query routes evaluate:
//
//   ollama_up
//   ollama_model_loaded{model="llama3", size!="", quant=~"Q4.*", x!~'y',}
//   {__name__="ollama_up"}
//
// Label values may be in double, single or back quotes; the first two take
// PromQL's escapes (\n, \\, the quote itself, \x41, \101, \u00e9,
// \U0001F600), back quotes take none. Whitespace and # comments may
// surround every token, and a trailing comma may end the braces.
//
// On success *matchers holds the metric name written before the braces as a
// __name__ equality matcher first, then the braced matchers in order.
// kInvalidArgument with Prometheus' "<line>:<column>: parse error: ..."
// otherwise, naming what is not supported (functions, aggregations,
// operators, ranges, offsets, @, literals, parentheses), an empty selector
// "{}", a selector whose matchers all match the empty string, a metric name
// given twice, or a bad regular expression; *matchers is then unchanged.
// Any byte sequence is safe to pass.
Status ParseSelector(std::string_view text,
                     std::vector<tsdb::Matcher>* matchers);

// ParseSelector without the checks Prometheus makes only on whole
// expressions (a matcher that does not match "", the metric name set
// once), as Prometheus' ParseMetricSelector reads the match[] parameters:
// the caller checks what it needs with its own message.
Status ParseMetricSelector(std::string_view text,
                           std::vector<tsdb::Matcher>* matchers);

// Whether some matcher fails on a series with no labels, which Prometheus
// requires of every selector so that it cannot select all series.
bool HasNonEmptyMatcher(const std::vector<tsdb::Matcher>& matchers);

// For parsers of larger expressions: parses the selector at
// cursor->pos() (after any whitespace and comments) with ParseSelector's
// checks, and on success moves the cursor just past it, looking no
// further. Errors as ParseSelector's, positioned within the cursor's
// text; *matchers and *cursor are then unchanged.
Status ParseSelectorAt(PromqlCursor* cursor,
                       std::vector<tsdb::Matcher>* matchers);

}  // namespace ollama_exporter::http
