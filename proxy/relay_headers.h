#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ollama_exporter::proxy {

// One HTTP header field as received: name in the sender's spelling, value
// without surrounding whitespace.
struct Header {
  std::string name;
  std::string value;
};

// True for a header that describes one connection rather than the message
// (RFC 9110 section 7.6.1), so a proxy must not pass it on: Connection,
// Keep-Alive, Proxy-*, TE, Trailer, Transfer-Encoding, Upgrade, and any
// name listed in the message's Connection header (`connection_value`,
// comma-separated). Names compare case-insensitively.
bool IsHopByHop(std::string_view name, std::string_view connection_value);

// Whether `name` is one of the comma-separated tokens of the header value
// `list` (compared without case, spaces around tokens ignored).
bool ListsToken(std::string_view list, std::string_view name);

// The client's request headers as "Name: value" lines for upstream: without
// hop-by-hop headers, Host (libcurl sends the upstream's host:port),
// Origin (Ollama refuses unknown origins; the proxy is not a browser),
// Content-Length and Expect (libcurl frames the body it sends itself).
// With `drop_accept_encoding`, Accept-Encoding is dropped too, so an
// observed reply arrives uncompressed and readable. Order is kept.
std::vector<std::string> UpstreamRequestHeaderLines(
    const std::vector<Header>& client_headers, bool drop_accept_encoding);

// Upstream's reply head, fed line by line as libcurl's header callback
// delivers it. Interim 1xx heads (100 Continue) are read and forgotten;
// lines after the final head (chunked trailers) are ignored.
//
// Thread safety: none; one exchange owns it. Any input is accepted; a
// malformed status line leaves status() at 0.
class UpstreamHead {
 public:
  // Reads one line, with or without its CRLF. True exactly when this line
  // completed the final head (the blank line after a status >= 200).
  bool AddLine(std::string_view line);

  bool complete() const { return complete_; }

  // 100-999 once a status line was read, else 0.
  int status() const { return status_; }

  // Content-Type, or "" when absent.
  std::string_view content_type() const;

  // The declared body length: set only when the head has exactly one
  // valid Content-Length (or several equal ones) and no Transfer-Encoding.
  std::optional<uint64_t> content_length() const;

  // The headers a client gets: hop-by-hop headers and Content-Length
  // removed (the relay frames the body itself), order kept.
  std::vector<Header> ClientHeaders() const;

 private:
  void Reset();

  std::vector<Header> headers_;
  int status_ = 0;
  bool complete_ = false;
};

}  // namespace ollama_exporter::proxy
