#include "stream_client.h"

#include <chrono>
#include <mutex>

#include <curl/curl.h>

namespace ollama_exporter::integration {
namespace {

using Clock = std::chrono::steady_clock;

struct Transfer {
  const StreamRequest* request;
  StreamReply* reply;
  CURL* curl;
  Clock::time_point start;
};

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  StreamReply* reply = transfer->reply;
  const size_t bytes = size * count;
  if (reply->status == 0) {
    curl_easy_getinfo(transfer->curl, CURLINFO_RESPONSE_CODE, &reply->status);
    const char* type = nullptr;
    curl_easy_getinfo(transfer->curl, CURLINFO_CONTENT_TYPE, &type);
    if (type != nullptr) reply->content_type = type;
  }
  reply->pieces.push_back(
      {SecondsSince(transfer->start), std::string(data, bytes)});
  reply->body.append(data, bytes);
  if (transfer->request->on_piece && !transfer->request->on_piece(*reply)) {
    reply->hung_up = true;
    return 0;  // Makes libcurl abort and close the connection.
  }
  return bytes;
}

}  // namespace

Status PostStreaming(const StreamRequest& request, StreamReply* reply) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_ALL); });
  *reply = StreamReply();
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Status::Internal("curl_easy_init");

  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");
  char error[CURL_ERROR_SIZE] = "";
  Transfer transfer{&request, reply, curl, Clock::now()};
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(request.timeout_ms));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE,
                   static_cast<long>(request.body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  const CURLcode code = curl_easy_perform(curl);
  reply->seconds = SecondsSince(transfer.start);
  // A reply without a body never reached OnBody.
  if (reply->status == 0) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply->status);
    const char* type = nullptr;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
    if (type != nullptr) reply->content_type = type;
  }
  curl_easy_cleanup(curl);
  curl_slist_free_all(headers);

  if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && reply->hung_up)) {
    return Status::Ok();
  }
  const std::string text = error[0] ? error : curl_easy_strerror(code);
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return Status::DeadlineExceeded(request.url + ": " + text);
  }
  return Status::Unavailable(request.url + ": " + text);
}

std::vector<std::string> NdjsonLines(std::string_view body) {
  std::vector<std::string> lines;
  while (!body.empty()) {
    const size_t end = body.find('\n');
    lines.emplace_back(body.substr(0, end));
    if (end == std::string_view::npos) break;
    body.remove_prefix(end + 1);
  }
  return lines;
}

std::vector<SseEvent> SseEvents(std::string_view body) {
  std::vector<SseEvent> events;
  SseEvent event;
  bool started = false;
  while (!body.empty()) {
    const size_t end = body.find('\n');
    if (end == std::string_view::npos) break;  // Unterminated: dropped.
    const std::string_view line = body.substr(0, end);
    body.remove_prefix(end + 1);
    if (line.empty()) {
      if (started) events.push_back(std::move(event));
      event = SseEvent();
      started = false;
    } else if (line.rfind("event: ", 0) == 0) {
      event.event = std::string(line.substr(7));
      started = true;
    } else if (line.rfind("data: ", 0) == 0) {
      if (!event.data.empty()) event.data += "\n";
      event.data += std::string(line.substr(6));
      started = true;
    }
  }
  return events;
}

}  // namespace ollama_exporter::integration
