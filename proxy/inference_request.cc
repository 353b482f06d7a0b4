#include "proxy/inference_request.h"

#include <cstddef>
#include <optional>
#include <string>

#include "proxy/inference_endpoint.h"
#include "proxy/json_key.h"
#include "proxy/json_scan.h"

namespace ollama_exporter::proxy {
namespace {

// A JSON value reduced to what the request fields ask of it.
enum class ValueKind { kNull, kTrue, kFalse, kOther };

// Collects "model", "stream" and "stream_options"."include_usage" from the
// events of a body, keeping for each the last key Go would match. Holds
// no document: memory is the model name and a bit per open container.
class RequestFieldsHandler final : public JsonEvents {
 public:
  std::optional<std::string> model;
  std::optional<ValueKind> stream;
  std::optional<ValueKind> include_usage;

  bool Null() override { return Scalar(ValueKind::kNull); }

  bool Boolean(bool value) override {
    return Scalar(value ? ValueKind::kTrue : ValueKind::kFalse);
  }

  bool Integer(int64_t /*value*/) override { return Scalar(ValueKind::kOther); }

  bool Unsigned(uint64_t /*value*/) override {
    return Scalar(ValueKind::kOther);
  }

  bool Float(double /*value*/) override { return Scalar(ValueKind::kOther); }

  bool String(std::string_view value) override {
    if (target_ == Target::kModel) model = std::string(value);
    return Scalar(ValueKind::kOther);
  }

  bool StartObject() override {
    // Only an object body has fields.
    if (depth_ == 0) {
      depth_ = 1;
      return true;
    }
    if (target_ == Target::kStreamOptions) in_options_ = true;
    return StartContainer();
  }

  bool StartArray() override {
    if (depth_ == 0) return false;
    return StartContainer();
  }

  bool Key(std::string_view name) override {
    target_ = Target::kNone;
    if (depth_ == 1) {
      if (KeyMatches(name, "model")) {
        target_ = Target::kModel;
        model.reset();
      } else if (KeyMatches(name, "stream")) {
        target_ = Target::kStream;
        stream.reset();
      } else if (KeyMatches(name, "stream_options")) {
        target_ = Target::kStreamOptions;
        include_usage.reset();
      }
    } else if (depth_ == 2 && in_options_ &&
               KeyMatches(name, "include_usage")) {
      target_ = Target::kIncludeUsage;
      include_usage.reset();
    }
    return true;
  }

  bool EndObject() override { return EndContainer(); }

  bool EndArray() override { return EndContainer(); }

 private:
  // What the value after the current key feeds.
  enum class Target { kNone, kModel, kStream, kStreamOptions, kIncludeUsage };

  bool Scalar(ValueKind kind) {
    if (depth_ == 0) return false;
    if (target_ == Target::kStream) stream = kind;
    if (target_ == Target::kIncludeUsage) include_usage = kind;
    target_ = Target::kNone;
    return true;
  }

  bool StartContainer() {
    if (target_ == Target::kStream) stream = ValueKind::kOther;
    if (target_ == Target::kIncludeUsage) include_usage = ValueKind::kOther;
    target_ = Target::kNone;
    ++depth_;
    return true;
  }

  bool EndContainer() {
    if (depth_ == 2) in_options_ = false;
    --depth_;
    return true;
  }

  Target target_ = Target::kNone;
  size_t depth_ = 0;         // Open containers, the body's object included.
  bool in_options_ = false;  // The open depth-2 object is stream_options.
};

}  // namespace

InferenceRequest ReadInferenceRequest(InferenceEndpoint endpoint,
                                      std::string_view body) {
  InferenceRequest request;
  request.streamed = StreamsByDefault(endpoint);
  RequestFieldsHandler fields;
  if (!ScanJson(body, &fields)) return request;

  if (fields.model) request.model = *fields.model;

  // null leaves Go's field at its default; other non-booleans are a 400.
  if (fields.stream && *fields.stream != ValueKind::kNull) {
    request.streamed = *fields.stream == ValueKind::kTrue;
  }
  if (!CanStream(endpoint)) request.streamed = false;

  request.asked_for_usage = fields.include_usage == ValueKind::kTrue;
  return request;
}

bool NeedsUsageInjection(InferenceEndpoint endpoint,
                         const InferenceRequest& request) {
  return HasOptionalStreamUsage(endpoint) && request.streamed &&
         !request.asked_for_usage;
}

}  // namespace ollama_exporter::proxy
