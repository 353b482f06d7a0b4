#include "exporter/ollama_host.h"

#include <cctype>
#include <string>

namespace ollama_exporter {
namespace {

constexpr char kDefaultPort[] = "11434";

std::string_view Trim(std::string_view text, std::string_view chars) {
  size_t begin = text.find_first_not_of(chars);
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(chars);
  return text.substr(begin, end - begin + 1);
}

// Splits "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 address
// ("::1", which has more than one colon) into host and port text.
void SplitHostPort(std::string_view host_port, std::string_view* host,
                   std::string_view* port) {
  *port = {};
  if (!host_port.empty() && host_port.front() == '[') {
    size_t close = host_port.find(']');
    *host = host_port.substr(1, close == std::string_view::npos
                                    ? std::string_view::npos
                                    : close - 1);
    if (close != std::string_view::npos &&
        host_port.substr(close + 1, 1) == ":") {
      *port = host_port.substr(close + 2);
    } else if (close != std::string_view::npos &&
               close + 1 < host_port.size()) {
      *port = host_port.substr(close + 1);  // Junk: rejected as a port.
    }
    return;
  }
  size_t colon = host_port.find(':');
  if (colon == std::string_view::npos ||
      host_port.find(':', colon + 1) != std::string_view::npos) {
    *host = host_port;
    return;
  }
  *host = host_port.substr(0, colon);
  *port = host_port.substr(colon + 1);
}

// The port number in 1-65535, else 0 (Ollama also takes port 0, which
// cannot be dialled).
int ParsePort(std::string_view text) {
  if (text.empty() || text.size() > 5) return 0;
  int port = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
    port = port * 10 + (c - '0');
  }
  return port <= 65535 ? port : 0;
}

}  // namespace

Status OllamaUrlFromHost(std::string_view ollama_host, std::string* url) {
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  std::string_view value = Trim(Trim(Trim(ollama_host, kSpace), "\"'"), kSpace);
  if (value.empty()) {
    *url = kDefaultOllamaUrl;
    return Status::Ok();
  }
  if (value == "ollama.com") {
    *url = "https://ollama.com:443";
    return Status::Ok();
  }

  // The scheme decides the default port.
  std::string scheme = "http";
  std::string default_port = kDefaultPort;
  size_t separator = value.find("://");
  if (separator != std::string_view::npos) {
    scheme.clear();
    for (char c : value.substr(0, separator)) {
      scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (scheme == "http") {
      default_port = "80";
    } else if (scheme == "https") {
      default_port = "443";
    } else {
      return Status::InvalidArgument("OLLAMA_HOST \"" + std::string(value) +
                                     "\": unsupported scheme \"" + scheme +
                                     "\" (use http or https)");
    }
    value.remove_prefix(separator + 3);
  }

  // Anything from the first slash is a path prefix for every request.
  size_t slash = value.find('/');
  std::string_view path =
      slash == std::string_view::npos ? "" : value.substr(slash);
  path = path.substr(0, path.find_last_not_of('/') + 1);
  std::string_view host, port;
  SplitHostPort(value.substr(0, slash), &host, &port);

  // Bind addresses mean "this machine" to a client.
  std::string dial_host(host);
  if (dial_host.empty() || dial_host == "0.0.0.0") dial_host = "127.0.0.1";
  if (dial_host == "::") dial_host = "::1";
  if (dial_host.find(':') != std::string::npos) {
    dial_host = "[" + dial_host + "]";
  }
  int port_number = ParsePort(port);
  *url = scheme + "://" + dial_host + ":" +
         (port_number != 0 ? std::to_string(port_number) : default_port) +
         std::string(path);
  return Status::Ok();
}

std::string RedactCredentials(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  size_t authority = scheme_end + 3;
  size_t authority_end = url.find('/', authority);
  size_t at = url.rfind('@', authority_end);
  if (at == std::string_view::npos || at < authority) return std::string(url);
  return std::string(url.substr(0, authority)) + "xxxxx" +
         std::string(url.substr(at));
}

}  // namespace ollama_exporter
