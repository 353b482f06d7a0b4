#include "proc_status.h"

#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>
#include <utility>

namespace ollama_exporter::bench {
namespace {

// The next line of *text without its '\n', removed from *text.
std::string_view NextLine(std::string_view* text) {
  const size_t end = text->find('\n');
  std::string_view line = text->substr(0, end);
  text->remove_prefix(end == std::string_view::npos ? text->size() : end + 1);
  return line;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text[0]))) {
    text.remove_prefix(1);
  }
  while (!text.empty() &&
         std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

// "<n>" or "<n> kB".
Status ParseValue(std::string_view name, std::string_view value,
                  int64_t* number) {
  value = Trim(value);
  if (value.size() >= 2 && value.substr(value.size() - 2) == "kB") {
    value = Trim(value.substr(0, value.size() - 2));
  }
  const char* end = value.data() + value.size();
  int64_t parsed = 0;
  auto [ptr, error] = std::from_chars(value.data(), end, parsed);
  if (value.empty() || error != std::errc() || ptr != end) {
    return Status::InvalidArgument(std::string(name) + " is \"" +
                                   std::string(value) +
                                   "\", not a whole number");
  }
  *number = parsed;
  return Status::Ok();
}

// Field lines are "Name: value" with no space in the name; mapping lines
// start "address-range perms ...", whose first word has no colon.
bool SplitField(std::string_view line, std::string_view* name,
                std::string_view* value) {
  const size_t colon = line.find(':');
  const size_t space = line.find_first_of(" \t");
  if (colon == std::string_view::npos || colon == 0 || space < colon) {
    return false;
  }
  *name = line.substr(0, colon);
  *value = line.substr(colon + 1);
  return true;
}

}  // namespace

Status ReadProcFile(pid_t pid, std::string_view file, std::string* text) {
  const std::string path =
      "/proc/" + std::to_string(pid) + "/" + std::string(file);
  std::ifstream in(path);
  std::ostringstream contents;
  contents << in.rdbuf();
  if (!in.good()) return Status::Unavailable("cannot read " + path);
  *text = contents.str();
  return Status::Ok();
}

Status FindProcField(std::string_view text, std::string_view name,
                     int64_t* value) {
  while (!text.empty()) {
    std::string_view field;
    std::string_view rest;
    if (SplitField(NextLine(&text), &field, &rest) && field == name) {
      return ParseValue(name, rest, value);
    }
  }
  return Status::NotFound("no " + std::string(name) + " line");
}

Status ParseSmaps(std::string_view text, std::vector<Mapping>* out) {
  std::vector<Mapping> mappings;
  bool has_rss = true;
  for (int number = 1; !text.empty(); ++number) {
    const std::string_view line = NextLine(&text);
    const std::string where = "smaps line " + std::to_string(number);
    std::string_view name;
    std::string_view value;
    if (SplitField(line, &name, &value)) {
      if (mappings.empty()) {
        return Status::InvalidArgument(where + ": a field before any mapping");
      }
      if (name != "Rss") continue;
      Status status = ParseValue(name, value, &mappings.back().rss_kib);
      if (!status.ok()) return status.WithContext(where);
      has_rss = true;
      continue;
    }
    if (Trim(line).empty()) continue;
    if (!has_rss) {
      return Status::InvalidArgument(where + ": the mapping before has no Rss");
    }

    // "start-end perms offset dev inode [path]": the path is what follows
    // the fifth field, and may contain spaces.
    std::string_view rest = line;
    for (int field = 0; field < 5; ++field) {
      rest = Trim(rest);
      const size_t space = rest.find_first_of(" \t");
      if (space == std::string_view::npos && field < 4) {
        return Status::InvalidArgument(where + ": not a mapping line");
      }
      rest = space == std::string_view::npos ? std::string_view()
                                             : rest.substr(space);
    }
    mappings.push_back({std::string(Trim(rest)), 0});
    has_rss = false;
  }
  if (!has_rss) {
    return Status::InvalidArgument("smaps: the last mapping has no Rss");
  }
  *out = std::move(mappings);
  return Status::Ok();
}

}  // namespace ollama_exporter::bench
