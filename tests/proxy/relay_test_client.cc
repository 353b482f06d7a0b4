#include "relay_test_client.h"

#include <strings.h>

#include <curl/curl.h>

namespace ollama_exporter::proxy::testing {
namespace {

struct Transfer {
  const RelayRequest* request;
  RelayReply* reply;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string piece(data, size * count);
  transfer->reply->pieces.push_back(piece);
  transfer->reply->body += piece;
  if (transfer->request->on_piece && !transfer->request->on_piece(piece)) {
    return 0;
  }
  return piece.size();
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) transfer->reply->headers.clear();
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    size_t start = line.find_first_not_of(' ', colon + 1);
    size_t end = line.find_last_not_of("\r\n");
    transfer->reply->headers.emplace_back(
        line.substr(0, colon), start == std::string::npos || end < start
                                   ? ""
                                   : line.substr(start, end - start + 1));
  }
  return size * count;
}

size_t OnUpload(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  return transfer->request->upload(data, size * count);
}

}  // namespace

std::string RelayReply::Header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
  }
  return "";
}

int RelayReply::CountHeader(const std::string& name) const {
  int count = 0;
  for (const auto& header : headers) {
    if (strcasecmp(header.first.c_str(), name.c_str()) == 0) ++count;
  }
  return count;
}

RelayTestClient::RelayTestClient() : curl_(curl_easy_init()) {}

RelayTestClient::~RelayTestClient() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

RelayReply RelayTestClient::Send(const RelayRequest& request) {
  CURL* curl = static_cast<CURL*>(curl_);
  RelayReply reply;
  Transfer transfer{&request, &reply};
  curl_easy_reset(curl);
  curl_slist* headers = nullptr;
  for (const std::string& line : request.headers) {
    headers = curl_slist_append(headers, line.c_str());
  }
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  // Long, so an unanswered "Expect: 100-continue" shows as a slow upload.
  curl_easy_setopt(curl, CURLOPT_EXPECT_100_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, request.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.upload) {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, &OnUpload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.upload_length));
  } else if (request.sends_body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  if (request.method != "GET" && request.method != "HEAD" &&
      request.method != "POST") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  CURLcode code = curl_easy_perform(curl);
  long opened = 0;
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &opened);
  connections_opened_ += opened;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  reply.transferred = code == CURLE_OK;
  if (code != CURLE_OK)
    reply.error = error[0] ? error : curl_easy_strerror(code);
  curl_slist_free_all(headers);
  return reply;
}

}  // namespace ollama_exporter::proxy::testing
