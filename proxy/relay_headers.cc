#include "proxy/relay_headers.h"

#include <cstddef>

#include "common/ascii.h"

namespace ollama_exporter::proxy {
namespace {

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         EqualsIgnoreAsciiCase(text.substr(0, prefix.size()), prefix);
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' ||
                           text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string_view Find(const std::vector<Header>& headers,
                      std::string_view name) {
  for (const Header& header : headers) {
    if (EqualsIgnoreAsciiCase(header.name, name)) return header.value;
  }
  return {};
}

// All Connection header values joined, as one list of tokens.
std::string ConnectionTokens(const std::vector<Header>& headers) {
  std::string tokens;
  for (const Header& header : headers) {
    if (!EqualsIgnoreAsciiCase(header.name, "Connection")) continue;
    if (!tokens.empty()) tokens += ',';
    tokens += header.value;
  }
  return tokens;
}

bool ParseLength(std::string_view text, uint64_t* length) {
  if (text.empty() || text.size() > 19) return false;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  *length = value;
  return true;
}

}  // namespace

bool ListsToken(std::string_view list, std::string_view name) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    if (EqualsIgnoreAsciiCase(Trim(list.substr(0, comma)), name)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

bool IsHopByHop(std::string_view name, std::string_view connection_value) {
  for (std::string_view hop : {"Connection", "Keep-Alive", "TE", "Trailer",
                               "Transfer-Encoding", "Upgrade"}) {
    if (EqualsIgnoreAsciiCase(name, hop)) return true;
  }
  return StartsWithIgnoreCase(name, "Proxy-") ||
         ListsToken(connection_value, name);
}

std::vector<std::string> UpstreamRequestHeaderLines(
    const std::vector<Header>& client_headers, bool drop_accept_encoding) {
  const std::string connection = ConnectionTokens(client_headers);
  std::vector<std::string> lines;
  for (const Header& header : client_headers) {
    const std::string& name = header.name;
    if (IsHopByHop(name, connection) || EqualsIgnoreAsciiCase(name, "Host") ||
        EqualsIgnoreAsciiCase(name, "Origin") ||
        EqualsIgnoreAsciiCase(name, "Content-Length") ||
        EqualsIgnoreAsciiCase(name, "Expect") ||
        (drop_accept_encoding &&
         EqualsIgnoreAsciiCase(name, "Accept-Encoding"))) {
      continue;
    }
    // libcurl reads "Name:" as "remove this header" and "Name;" as "send
    // it empty"; an empty value must go out as the latter.
    lines.push_back(header.value.empty() ? name + ";"
                                         : name + ": " + header.value);
  }
  return lines;
}

void UpstreamHead::Reset() {
  headers_.clear();
  status_ = 0;
  complete_ = false;
}

bool UpstreamHead::AddLine(std::string_view line) {
  if (complete_) return false;
  std::string_view text = line;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }

  // "HTTP/1.1 200 OK" starts every head, interim ones included.
  if (StartsWithIgnoreCase(text, "HTTP/")) {
    Reset();
    size_t space = text.find(' ');
    if (space != std::string_view::npos && text.size() >= space + 4) {
      std::string_view code = text.substr(space + 1, 3);
      bool digits = true;
      for (char c : code) digits = digits && c >= '0' && c <= '9';
      if (digits && code[0] != '0') {
        status_ =
            (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
      }
    }
    return false;
  }

  if (text.empty()) {
    if (status_ >= 100 && status_ < 200) {
      Reset();  // An interim head; the final one follows.
      return false;
    }
    complete_ = true;
    return true;
  }

  // obs-fold: a line starting with whitespace continues the previous one.
  if ((text.front() == ' ' || text.front() == '\t') && !headers_.empty()) {
    headers_.back().value += ' ';
    headers_.back().value += Trim(text);
    return false;
  }
  size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  headers_.push_back({std::string(Trim(text.substr(0, colon))),
                      std::string(Trim(text.substr(colon + 1)))});
  return false;
}

std::string_view UpstreamHead::content_type() const {
  return Find(headers_, "Content-Type");
}

std::optional<uint64_t> UpstreamHead::content_length() const {
  std::optional<uint64_t> length;
  for (const Header& header : headers_) {
    if (EqualsIgnoreAsciiCase(header.name, "Transfer-Encoding")) {
      return std::nullopt;
    }
    if (!EqualsIgnoreAsciiCase(header.name, "Content-Length")) continue;
    uint64_t value = 0;
    if (!ParseLength(header.value, &value)) return std::nullopt;
    if (length.has_value() && *length != value) return std::nullopt;
    length = value;
  }
  return length;
}

std::vector<Header> UpstreamHead::ClientHeaders() const {
  const std::string connection = ConnectionTokens(headers_);
  std::vector<Header> kept;
  for (const Header& header : headers_) {
    if (IsHopByHop(header.name, connection) ||
        EqualsIgnoreAsciiCase(header.name, "Content-Length")) {
      continue;
    }
    kept.push_back(header);
  }
  return kept;
}

}  // namespace ollama_exporter::proxy
