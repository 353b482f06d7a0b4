#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
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

// For parsers of larger expressions: parses the selector that starts at
// text[*pos] (after any whitespace and comments) with ParseSelector's
// checks, and on success sets *pos just past it, looking no further.
// Errors as ParseSelector's, positioned within `text`; *matchers and *pos
// are then unchanged. Requires *pos <= text.size().
Status ParseSelectorAt(std::string_view text, size_t* pos,
                       std::vector<tsdb::Matcher>* matchers);

// The parse error for an unsupported feature starting at text[pos] (such
// as "1:4: parse error: offset modifiers" + `only`), naming the feature by
// its first token, or an unexpected character or end of input.
Status UnsupportedAt(std::string_view text, size_t pos, std::string_view only);

// kInvalidArgument "<line>:<column>: parse error: <message>" for byte
// offset `pos` of `text`, as Prometheus words parse errors.
Status ParseErrorAt(std::string_view text, size_t pos,
                    const std::string& message);

}  // namespace ollama_exporter::http
