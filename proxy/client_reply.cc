#include "proxy/client_reply.h"

#include <strings.h>

#include <cstdio>
#include <cstring>

#include "civetweb.h"
#include <nlohmann/json.hpp>

#include "common/or_empty.h"

#include "proxy/relay_headers.h"

namespace ollama_exporter::proxy {
namespace {

// libcurl hands over at most 16 KiB per read, so a flush per read rarely
// holds more than that.
constexpr size_t kMaxPendingBytes = 64 * 1024;

bool HasNoBody(int status) {
  return status < 200 || status == 204 || status == 304;
}

}  // namespace

ClientReply::ClientReply(mg_connection* conn, bool head_request)
    : conn_(conn),
      head_request_(head_request),
      http10_(std::strcmp(OrEmpty(mg_get_request_info(conn)->http_version),
                          "1.0") == 0) {
  if (http10_ ||
      ListsToken(OrEmpty(mg_get_header(conn, "Connection")), "close")) {
    CloseAfterReply();
  }
}

void ClientReply::CloseAfterReply() {
  close_after_ = true;
  mg_disable_connection_keep_alive(conn_);
}

bool ClientReply::Write(std::string_view bytes) {
  if (client_gone_) return false;
  int written = mg_write(conn_, bytes.data(), bytes.size());
  if (written < 0 || static_cast<size_t>(written) != bytes.size()) {
    client_gone_ = true;
    CloseAfterReply();
    return false;
  }
  return true;
}

void ClientReply::SendContinueIfExpected() {
  const char* expect = mg_get_header(conn_, "Expect");
  if (http10_ || expect == nullptr || strcasecmp(expect, "100-continue") != 0) {
    return;
  }
  Write("HTTP/1.1 100 Continue\r\n\r\n");
}

bool ClientReply::SendHead(int status, const std::vector<Header>& headers,
                           std::optional<uint64_t> content_length) {
  if (head_request_ || HasNoBody(status)) {
    framing_ = Framing::kNone;
  } else if (content_length.has_value()) {
    framing_ = Framing::kLength;
    declared_length_ = *content_length;
  } else if (http10_) {
    framing_ = Framing::kUntilClose;
  } else {
    framing_ = Framing::kChunked;
  }
  status_ = status;
  head_sent_ = true;

  pending_ += "HTTP/1.1 ";
  pending_ += std::to_string(status);
  pending_ += ' ';
  pending_ += OrEmpty(mg_get_response_code_text(conn_, status));
  pending_ += "\r\n";
  for (const Header& header : headers) {
    pending_ += header.name;
    pending_ += ": ";
    pending_ += header.value;
    pending_ += "\r\n";
  }
  // A HEAD reply states the length a GET would have had.
  if (content_length.has_value() && !(HasNoBody(status) && !head_request_)) {
    pending_ += "Content-Length: " + std::to_string(*content_length) + "\r\n";
  }
  if (framing_ == Framing::kChunked)
    pending_ += "Transfer-Encoding: chunked\r\n";
  if (close_after_ || framing_ == Framing::kUntilClose) {
    pending_ += "Connection: close\r\n";
    CloseAfterReply();
  }
  pending_ += "\r\n";
  return !client_gone_;
}

bool ClientReply::SendBody(std::string_view bytes) {
  if (bytes.empty() || framing_ == Framing::kNone) return !client_gone_;
  if (framing_ == Framing::kLength &&
      bytes.size() > declared_length_ - body_bytes_sent_) {
    CloseAfterReply();
    return false;
  }
  if (client_gone_) return false;
  if (framing_ == Framing::kChunked) {
    char size_line[24];
    int size_length =
        std::snprintf(size_line, sizeof(size_line), "%zx\r\n", bytes.size());
    pending_.append(size_line, static_cast<size_t>(size_length));
    pending_.append(bytes.data(), bytes.size());
    pending_ += "\r\n";
  } else {
    pending_.append(bytes.data(), bytes.size());
  }
  body_bytes_sent_ += bytes.size();
  // Bounds the queue whatever the caller's flushing rhythm.
  if (pending_.size() >= kMaxPendingBytes) return Flush();
  return true;
}

bool ClientReply::Flush() {
  if (pending_.empty()) return !client_gone_;
  const bool sent = Write(pending_);
  pending_.clear();
  return sent;
}

void ClientReply::Finish(bool complete) {
  if (framing_ == Framing::kChunked && complete) {
    pending_ += "0\r\n\r\n";
  } else if (framing_ == Framing::kChunked ||
             (framing_ == Framing::kLength &&
              body_bytes_sent_ != declared_length_)) {
    CloseAfterReply();
  }
  Flush();
}

void ClientReply::SendJsonError(int status, std::string_view message,
                                bool close) {
  std::string body =
      "{\"error\":" +
      nlohmann::json(std::string(message))
          .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
      "}";
  if (close) CloseAfterReply();
  SendHead(status, {{"Content-Type", "application/json; charset=utf-8"}},
           body.size());
  SendBody(body);
  Flush();
}

}  // namespace ollama_exporter::proxy
