#include "exporter/ollama_client.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include <curl/curl.h>

namespace ollama_exporter {
namespace {

constexpr long kConnectTimeoutMs = 2000;

struct Download {
  std::string* body;
  size_t max_bytes;
  bool too_large = false;
};

size_t AppendToBody(char* data, size_t size, size_t count, void* user) {
  auto* download = static_cast<Download*>(user);
  size_t bytes = size * count;
  if (download->body->size() + bytes > download->max_bytes) {
    download->too_large = true;
    return 0;  // Makes libcurl fail the transfer with CURLE_WRITE_ERROR.
  }
  download->body->append(data, bytes);
  return bytes;
}

// NO_PROXY plus the loopback addresses. Go clients such as the ollama CLI
// never send loopback traffic through HTTP_PROXY; libcurl would, so a
// proxy set for the rest of the machine would break polling a local
// Ollama.
std::string NoProxyList() {
  std::string list = "localhost,127.0.0.0/8,::1";
  for (const char* name : {"NO_PROXY", "no_proxy"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') {
      list += ",";
      list += value;
      break;
    }
  }
  return list;
}

// libcurl calls this about once a second and on every transfer event.
int CheckCancel(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel != nullptr && cancel->load() ? 1 : 0;
}

std::string Seconds(int64_t ms) {
  return std::to_string(ms / 1000) +
         (ms % 1000 ? "." + std::to_string(ms % 1000 + 1000).substr(1) : "") +
         "s";
}

}  // namespace

Status OllamaClient::Create(const OllamaClientOptions& options,
                            std::unique_ptr<OllamaClient>* client) {
  std::unique_ptr<OllamaClient> made(new OllamaClient(options));
  made->curl_ = curl_easy_init();
  CURL* curl = static_cast<CURL*>(made->curl_);
  if (curl == nullptr) return Status::Internal("curl_easy_init failed");

  // Plain HTTP(S) only, no redirects, bounded in time, no signals (we are
  // threaded), transparent compression.
  bool set_up =
      curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
      curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
      curl_easy_setopt(curl, CURLOPT_NOPROXY, NoProxyList().c_str()) ==
          CURLE_OK &&
      curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
      curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                       static_cast<long>(options.timeout_ms)) == CURLE_OK &&
      curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                       std::min<long>(kConnectTimeoutMs, options.timeout_ms)) ==
          CURLE_OK &&
      curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "") == CURLE_OK &&
      curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendToBody) == CURLE_OK &&
      curl_easy_setopt(curl, CURLOPT_USERAGENT, "ollama_exporter") ==
          CURLE_OK &&
      curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L) == CURLE_OK &&
      curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, CheckCancel) ==
          CURLE_OK &&
      curl_easy_setopt(curl, CURLOPT_XFERINFODATA, options.cancel) == CURLE_OK;
  if (!set_up) {
    return Status::InvalidArgument("cannot configure libcurl for " +
                                   options.base_url);
  }
  *client = std::move(made);
  return Status::Ok();
}

OllamaClient::OllamaClient(const OllamaClientOptions& options)
    : options_(options) {}

OllamaClient::~OllamaClient() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Status OllamaClient::Get(std::string_view path, std::string* body) {
  CURL* curl = static_cast<CURL*>(curl_);
  std::string url = options_.base_url + std::string(path);
  std::string what = "GET " + std::string(path);
  body->clear();
  Download download{body, options_.max_body_bytes};
  char error_text[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &download);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);

  CURLcode code = curl_easy_perform(curl);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  if (code != CURLE_OK) {
    if (download.too_large) {
      body->clear();
      return Status::FailedPrecondition(
          what + ": reply larger than " +
          std::to_string(options_.max_body_bytes) + " bytes");
    }
    std::string cause = error_text[0] ? error_text : curl_easy_strerror(code);
    body->clear();
    if (code == CURLE_ABORTED_BY_CALLBACK) {
      return Status::Unavailable(what + ": canceled");
    }
    if (code == CURLE_OPERATION_TIMEDOUT) {
      return Status::DeadlineExceeded(
          what + " after " + Seconds(options_.timeout_ms) + ": " + cause);
    }
    return Status::Unavailable(what + ": " + cause);
  }

  long http_status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http_status);
  if (http_status == 200) return Status::Ok();
  std::string reply = body->substr(0, 200);
  body->clear();
  std::string message = what + ": HTTP " + std::to_string(http_status) +
                        (reply.empty() ? "" : ": " + reply);
  if (http_status >= 500) return Status::Unavailable(message);
  return Status::FailedPrecondition(message);
}

}  // namespace ollama_exporter
