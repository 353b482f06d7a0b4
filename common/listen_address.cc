#include "common/listen_address.h"

#include <cctype>

namespace ollama_exporter {
namespace {

// Callers name the address and where it came from.
Status Invalid(std::string_view, std::string_view why) {
  return Status::InvalidArgument(std::string(why));
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

// Four numbers 0-255. CivetWeb itself would take "127.1" or wrap
// "999.1.1.1" around to 231.1.1.1, so nothing looser gets through.
bool IsDottedQuad(std::string_view host) {
  int parts = 0;
  size_t start = 0;
  while (start <= host.size()) {
    size_t dot = host.find('.', start);
    if (dot == std::string_view::npos) dot = host.size();
    std::string_view part = host.substr(start, dot - start);
    if (part.empty() || part.size() > 3) return false;
    int value = 0;
    for (char c : part) value = value * 10 + (c - '0');
    if (value > 255) return false;
    ++parts;
    start = dot + 1;
  }
  return parts == 4;
}

// An IPv4 address, or a host name of letters, digits, '.' and '-' (which
// keeps out anything CivetWeb would interpret).
bool IsHost(std::string_view host) {
  if (host.empty()) return false;
  bool has_letter = false;
  for (char c : host) {
    bool letter = std::isalpha(static_cast<unsigned char>(c)) || c == '-';
    if (!letter && !std::isdigit(static_cast<unsigned char>(c)) && c != '.') {
      return false;
    }
    has_letter = has_letter || letter;
  }
  return has_letter || IsDottedQuad(host);
}

}  // namespace

Status ParseListenAddress(std::string_view text, ListenAddress* address) {
  if (text.find("://") != std::string_view::npos) {
    return Invalid(text, "give host:port without a scheme");
  }
  if (text.find(',') != std::string_view::npos) {
    return Invalid(text, "only one address can be given");
  }
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

}  // namespace ollama_exporter
