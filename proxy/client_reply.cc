#include "proxy/client_reply.h"

#include <strings.h>

#include <cctype>
#include <cstdio>
#include <cstring>

#include "civetweb.h"
#include <nlohmann/json.hpp>

namespace ollama_exporter::proxy {
namespace {

const char* OrEmpty(const char* text) { return text == nullptr ? "" : text; }

// Whether `value` (a Connection header) holds the token "close".
bool AsksToClose(const char* value) {
  std::string lower = OrEmpty(value);
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  return lower.find("close") != std::string::npos;
}

bool HasNoBody(int status) {
  return status < 200 || status == 204 || status == 304;
}

}  // namespace

ClientReply::ClientReply(mg_connection* conn, bool head_request)
    : conn_(conn),
      head_request_(head_request),
      http10_(std::strcmp(OrEmpty(mg_get_request_info(conn)->http_version),
                          "1.0") == 0) {
  if (http10_ || AsksToClose(mg_get_header(conn, "Connection"))) {
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

  buffer_.clear();
  buffer_ += "HTTP/1.1 ";
  buffer_ += std::to_string(status);
  buffer_ += ' ';
  buffer_ += OrEmpty(mg_get_response_code_text(conn_, status));
  buffer_ += "\r\n";
  for (const Header& header : headers) {
    buffer_ += header.name;
    buffer_ += ": ";
    buffer_ += header.value;
    buffer_ += "\r\n";
  }
  // A HEAD reply states the length a GET would have had.
  if (content_length.has_value() && framing_ != Framing::kUntilClose &&
      !(HasNoBody(status) && !head_request_)) {
    buffer_ += "Content-Length: " + std::to_string(*content_length) + "\r\n";
  }
  if (framing_ == Framing::kChunked)
    buffer_ += "Transfer-Encoding: chunked\r\n";
  if (close_after_ || framing_ == Framing::kUntilClose) {
    buffer_ += "Connection: close\r\n";
    CloseAfterReply();
  }
  buffer_ += "\r\n";
  return Write(buffer_);
}

bool ClientReply::SendBody(std::string_view bytes) {
  if (bytes.empty() || framing_ == Framing::kNone) return !client_gone_;
  if (framing_ == Framing::kLength &&
      bytes.size() > declared_length_ - body_bytes_sent_) {
    CloseAfterReply();
    return false;
  }
  bool sent;
  if (framing_ == Framing::kChunked) {
    char size_line[24];
    int size_length =
        std::snprintf(size_line, sizeof(size_line), "%zx\r\n", bytes.size());
    buffer_.assign(size_line, static_cast<size_t>(size_length));
    buffer_.append(bytes.data(), bytes.size());
    buffer_ += "\r\n";
    sent = Write(buffer_);
  } else {
    sent = Write(bytes);
  }
  if (sent) body_bytes_sent_ += bytes.size();
  return sent;
}

void ClientReply::Finish(bool complete) {
  if (client_gone_) return;
  if (framing_ == Framing::kChunked && complete) {
    Write("0\r\n\r\n");
  } else if (framing_ == Framing::kChunked ||
             (framing_ == Framing::kLength &&
              body_bytes_sent_ != declared_length_)) {
    CloseAfterReply();
  }
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
}

}  // namespace ollama_exporter::proxy
