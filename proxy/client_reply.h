#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/relay_headers.h"

struct mg_connection;

namespace ollama_exporter::proxy {

// The relay's reply to its client on one CivetWeb connection. The head and
// body pieces are queued and go out together at the next Flush(), so what
// arrived from upstream in one read leaves in one write (one TCP segment
// where it fits) instead of one write per piece. The body is framed as
// upstream declared it: with its Content-Length when it had one, else
// chunked (HTTP/1.1 clients) or delimited by closing the connection
// (HTTP/1.0 clients). HEAD replies and 1xx/204/304 statuses carry no body.
//
// Every reply has a length or is chunked, so the client's connection stays
// open for its next request unless the client asked to close it, spoke
// HTTP/1.0, or the body ended early (see Finish).
//
// Thread safety: none; used on the request's worker thread only.
// Ownership: borrows `conn`, which must outlive it.
class ClientReply {
 public:
  ClientReply(mg_connection* conn, bool head_request);
  ClientReply(const ClientReply&) = delete;
  ClientReply& operator=(const ClientReply&) = delete;

  // Answers a client's "Expect: 100-continue" with the interim
  // "100 Continue", which CivetWeb does not send for handlers; without it
  // such a client waits a second or more before sending its body. Call
  // before reading the body; does nothing for clients that did not ask.
  void SendContinueIfExpected();

  // Queues the status line and `headers`, plus the framing headers for a
  // body of `content_length` bytes (unknown when unset). False when the
  // client is known to be gone.
  bool SendHead(int status, const std::vector<Header>& headers,
                std::optional<uint64_t> content_length);

  // Queues one piece of body (one chunk when chunked). Empty pieces add
  // nothing. False when the client is known to be gone, or when the piece
  // would pass the declared Content-Length (it is then dropped and the
  // connection is closed after the reply, so the client sees a short body
  // rather than a corrupt stream).
  bool SendBody(std::string_view bytes);

  // Writes everything queued, in one write. False when the client is gone
  // (then or before). The relay calls it whenever it is about to wait for
  // upstream, so nothing queued waits for more input.
  bool Flush();

  // Ends the body and flushes. `complete` sends the terminating chunk;
  // otherwise the connection is closed without it, so the client can tell
  // a cut-off stream from a finished one. A Content-Length body that fell
  // short also closes the connection.
  void Finish(bool complete);

  // Sends a whole reply `{"error":"<message>"}` as application/json with a
  // Content-Length; only before SendHead. `close` ends the connection
  // after it (needed when the request body was left unread).
  void SendJsonError(int status, std::string_view message, bool close);

  // A head was queued (and maybe sent).
  bool head_sent() const { return head_sent_; }

  // A write to the client failed: it is gone.
  bool client_gone() const { return client_gone_; }

  // Status of the head (queued or sent); 0 before any.
  int status() const { return status_; }

  // Body bytes queued or sent, framing not counted.
  uint64_t body_bytes_sent() const { return body_bytes_sent_; }

 private:
  enum class Framing { kNone, kLength, kChunked, kUntilClose };

  bool Write(std::string_view bytes);
  void CloseAfterReply();

  mg_connection* const conn_;
  const bool head_request_;
  const bool http10_;
  bool close_after_ = false;
  Framing framing_ = Framing::kNone;
  uint64_t declared_length_ = 0;
  uint64_t body_bytes_sent_ = 0;
  int status_ = 0;
  bool head_sent_ = false;
  bool client_gone_ = false;
  std::string pending_;  // Queued for the next Flush(); capacity kept.
};

}  // namespace ollama_exporter::proxy
