#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace ollama_exporter::http {

// A --web.listen-address translated for CivetWeb, which rejects the
// Go-style ":port" and reads letters after the port as flags ("s" = TLS).
struct ListenAddress {
  std::string listening_ports;  // CivetWeb's option: "11436", "127.0.0.1:0".
  std::string host;             // For display: "0.0.0.0" when all interfaces.
};

// Accepts "host:port", ":port" and "port", where host is an IPv4 address or
// a host name and port is 0-65535 (0 picks a free port). kInvalidArgument,
// quoting `text`, for anything else; IPv6 gets its own message because
// Debian's CivetWeb is built without it.
Status ParseListenAddress(std::string_view text, ListenAddress* address);

}  // namespace ollama_exporter::http
