#include "http/gzip.h"

#include <zlib.h>

#include <cctype>
#include <limits>
#include <optional>
#include <string>

#include "common/ascii.h"

namespace ollama_exporter::http {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// True when the parameters after a coding (";q=0.5") rule it out. Only a
// q-value that is zero ("0", "0.", "0.000") does.
bool RuledOut(std::string_view params) {
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view param = Trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view()
                                            : params.substr(semi + 1);
    if (param.size() < 2 || std::tolower(param[0]) != 'q' || param[1] != '=') {
      continue;
    }
    std::string_view q = Trim(param.substr(2));
    return !q.empty() && q.find_first_not_of("0.") == std::string_view::npos;
  }
  return false;
}

}  // namespace

bool AcceptsGzip(std::string_view accept_encoding) {
  // An explicit "gzip" entry outranks "*", wherever each appears.
  std::optional<bool> gzip;
  std::optional<bool> any;
  while (!accept_encoding.empty()) {
    size_t comma = accept_encoding.find(',');
    std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos
                          ? std::string_view()
                          : accept_encoding.substr(comma + 1);

    size_t semi = item.find(';');
    std::string_view coding = Trim(item.substr(0, semi));
    std::string_view params = semi == std::string_view::npos
                                  ? std::string_view()
                                  : item.substr(semi + 1);
    if (EqualsIgnoreAsciiCase(coding, "gzip")) {
      gzip = !RuledOut(params);
    } else if (coding == "*") {
      any = !RuledOut(params);
    }
  }
  return gzip.value_or(any.value_or(false));
}

Status GzipCompress(std::string_view data, std::string* out) {
  // Half the range leaves room for deflateBound's worst case.
  if (data.size() > std::numeric_limits<uInt>::max() / 2) {
    return Status::Internal("gzip: input over 2 GiB");
  }
  z_stream stream{};
  // 16 + MAX_WBITS asks zlib for a gzip header and trailer.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS,
                   8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("gzip: deflateInit2 failed");
  }
  std::string compressed(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(compressed.data());
  stream.avail_out = static_cast<uInt>(compressed.size());
  int result = deflate(&stream, Z_FINISH);
  compressed.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) {
    return Status::Internal("gzip: deflate failed with code " +
                            std::to_string(result));
  }
  *out = std::move(compressed);
  return Status::Ok();
}

}  // namespace ollama_exporter::http
