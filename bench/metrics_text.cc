#include "metrics_text.h"

#include <charconv>
#include <limits>
#include <string>

namespace ollama_exporter::bench {
namespace {

Status ParseNumber(std::string_view name, std::string_view text,
                   double* value) {
  if (text == "+Inf") {
    *value = std::numeric_limits<double>::infinity();
    return Status::Ok();
  }
  if (text == "-Inf") {
    *value = -std::numeric_limits<double>::infinity();
    return Status::Ok();
  }
  if (text == "NaN") {
    *value = std::numeric_limits<double>::quiet_NaN();
    return Status::Ok();
  }
  // from_chars takes no '+' and, unlike Prometheus, words such as "inf".
  const bool word = text.find_first_not_of("+-.0123456789eE") !=
                    std::string_view::npos;
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, *value);
  if (text.empty() || word || ptr != end || error != std::errc()) {
    return Status::InvalidArgument(std::string(name) + " has value \"" +
                                   std::string(text) + "\", not a number");
  }
  return Status::Ok();
}

}  // namespace

Status FindUnlabelledSample(std::string_view text, std::string_view name,
                            double* value) {
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() <= name.size() || line.substr(0, name.size()) != name ||
        line[name.size()] != ' ') {
      continue;
    }
    std::string_view number = line.substr(name.size() + 1);
    number = number.substr(0, number.find(' '));
    return ParseNumber(name, number, value);
  }
  return Status::NotFound("no sample " + std::string(name));
}

}  // namespace ollama_exporter::bench
