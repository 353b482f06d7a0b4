#include "proxy/upstream_url.h"

#include <memory>

#include <curl/curl.h>

namespace ollama_exporter::proxy {
namespace {

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

// The part, or "" when the URL has none.
std::string Part(CURLU* url, CURLUPart part) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, 0) != CURLUE_OK || text == nullptr) {
    return "";
  }
  std::string value = text;
  curl_free(text);
  return value;
}

}  // namespace

Status ParseUpstreamUrl(std::string_view url, std::string* base) {
  std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
  if (!parsed) return Status::Internal("curl_url failed");
  std::string text(url);
  CURLUcode code = curl_url_set(parsed.get(), CURLUPART_URL, text.c_str(), 0);
  if (code != CURLUE_OK) {
    return Status::InvalidArgument("invalid upstream URL \"" + text +
                                   "\": " + curl_url_strerror(code));
  }

  std::string scheme = Part(parsed.get(), CURLUPART_SCHEME);
  std::string host = Part(parsed.get(), CURLUPART_HOST);
  if (scheme != "http" && scheme != "https") {
    return Status::InvalidArgument("invalid upstream URL \"" + text +
                                   "\": scheme must be http or https");
  }
  if (host.empty()) {
    return Status::InvalidArgument("invalid upstream URL \"" + text +
                                   "\": no host");
  }
  if (!Part(parsed.get(), CURLUPART_QUERY).empty() ||
      !Part(parsed.get(), CURLUPART_FRAGMENT).empty() ||
      !Part(parsed.get(), CURLUPART_USER).empty()) {
    return Status::InvalidArgument(
        "invalid upstream URL \"" + text +
        "\": must not carry a query, fragment or user name");
  }

  std::string port = Part(parsed.get(), CURLUPART_PORT);
  std::string path = Part(parsed.get(), CURLUPART_PATH);
  while (!path.empty() && path.back() == '/') path.pop_back();
  *base = scheme + "://" + host + (port.empty() ? "" : ":" + port) + path;
  return Status::Ok();
}

}  // namespace ollama_exporter::proxy
