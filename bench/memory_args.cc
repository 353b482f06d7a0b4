#include "memory_args.h"

#include <charconv>
#include <string_view>

namespace ollama_exporter::bench {
namespace {

Status ParseCount(std::string_view arg, std::string_view digits, int64_t max,
                  int64_t* value) {
  const char* end = digits.data() + digits.size();
  int64_t parsed = 0;
  auto [ptr, error] = std::from_chars(digits.data(), end, parsed);
  if (digits.empty() || digits.front() == '-' || error != std::errc() ||
      ptr != end || parsed < 1 || parsed > max) {
    return Status::InvalidArgument("\"" + std::string(arg) +
                                   "\": want a whole number from 1 to " +
                                   std::to_string(max));
  }
  *value = parsed;
  return Status::Ok();
}

}  // namespace

Status ParseMemoryArgs(const std::vector<std::string>& args, MemoryArgs* out) {
  constexpr std::string_view kPolls = "--polls=";
  constexpr std::string_view kModels = "--models=";
  MemoryArgs parsed = *out;
  for (const std::string& arg : args) {
    const std::string_view text = arg;
    Status status;
    if (text.substr(0, kPolls.size()) == kPolls) {
      status =
          ParseCount(text, text.substr(kPolls.size()), 100'000, &parsed.polls);
    } else if (text.substr(0, kModels.size()) == kModels) {
      status =
          ParseCount(text, text.substr(kModels.size()), 10'000, &parsed.models);
    } else {
      status = Status::InvalidArgument("unknown argument \"" + arg + "\"");
    }
    if (!status.ok()) return status;
  }
  *out = parsed;
  return Status::Ok();
}

}  // namespace ollama_exporter::bench
