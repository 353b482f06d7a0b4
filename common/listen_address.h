#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace ollama_exporter {

// A --web.listen-address translated for CivetWeb, which rejects the
// Go-style ":port" and reads letters after the port as flags ("s" = TLS).
struct ListenAddress {
  std::string listening_ports;  // CivetWeb's option: "11436", "127.0.0.1:0".
  std::string host;             // For display: "0.0.0.0" when all interfaces.
};

// Accepts "host:port", ":port" and "port", where host is a dotted-quad
// IPv4 address (four numbers 0-255) or a host name, and port is 0-65535 (0
// picks a free port). kInvalidArgument saying why, for anything else:
// a scheme, a list, a short or out-of-range IPv4 address; IPv6 gets its own
// message because Debian's CivetWeb is built without it.
Status ParseListenAddress(std::string_view text, ListenAddress* address);

}  // namespace ollama_exporter
