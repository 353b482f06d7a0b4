#pragma once

#include <string>
#include <string_view>

namespace ollama_exporter {

// What the caller should do about a failure (see STYLE.md, "Errors").
enum class StatusCode {
  kOk,
  kInvalidArgument,     // Fix the input.
  kNotFound,            // Nothing is there.
  kFailedPrecondition,  // Fix setup or versions first.
  kUnavailable,         // Retry later (next poll).
  kDeadlineExceeded,    // Retry later; it took too long.
  kDataLoss,            // Get a human.
  kInternal,            // Our bug.
};

// The outcome of a fallible operation: a code and a one-line message.
// Cheap to copy; immutable once made.
class [[nodiscard]] Status {
 public:
  Status() = default;

  static Status Ok() { return Status(); }

  static Status InvalidArgument(std::string message);
  static Status NotFound(std::string message);
  static Status FailedPrecondition(std::string message);
  static Status Unavailable(std::string message);
  static Status DeadlineExceeded(std::string message);
  static Status DataLoss(std::string message);
  static Status Internal(std::string message);

  bool ok() const { return code_ == StatusCode::kOk; }

  StatusCode code() const { return code_; }

  const std::string& message() const { return message_; }

  // "invalid argument: <message>", or "OK".
  std::string ToString() const;

  // The same code with "<context>: " put before the message. OK stays OK.
  Status WithContext(std::string_view context) const;

 private:
  Status(StatusCode code, std::string message);

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// "invalid argument", "unavailable", ... for logs and error bodies.
std::string_view StatusCodeName(StatusCode code);

}  // namespace ollama_exporter
