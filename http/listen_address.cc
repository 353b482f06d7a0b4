#include "http/listen_address.h"

#include <cctype>

namespace ollama_exporter::http {
namespace {

Status Invalid(std::string_view text, std::string_view why) {
  return Status::InvalidArgument("invalid listen address \"" +
                                 std::string(text) + "\": " + std::string(why));
}

bool IsPort(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  int value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return value <= 65535;
}

// Letters, digits, '.' and '-' cover IPv4 and host names, and keep out
// CivetWeb's list separator ',' and anything else it would interpret.
bool IsHost(std::string_view host) {
  if (host.empty()) return false;
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') {
      return false;
    }
  }
  return true;
}

}  // namespace

Status ParseListenAddress(std::string_view text, ListenAddress* address) {
  size_t colon = text.rfind(':');
  if (text.find('[') != std::string_view::npos ||
      (colon != std::string_view::npos && text.find(':') != colon)) {
    return Invalid(text,
                   "IPv6 is not supported: Debian's CivetWeb is built "
                   "without IPv6; use an IPv4 address such as 127.0.0.1");
  }

  std::string_view host =
      colon == std::string_view::npos ? "" : text.substr(0, colon);
  std::string_view port =
      colon == std::string_view::npos ? text : text.substr(colon + 1);
  if (!IsPort(port)) {
    return Invalid(text, "the port must be a number from 0 to 65535");
  }
  if (!host.empty() && !IsHost(host)) {
    return Invalid(text, "the host must be an IPv4 address or a host name");
  }

  if (host.empty()) {
    address->listening_ports = std::string(port);
    address->host = "0.0.0.0";
  } else {
    address->listening_ports = std::string(text);
    address->host = std::string(host);
  }
  return Status::Ok();
}

}  // namespace ollama_exporter::http
