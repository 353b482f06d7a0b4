#include "json_event_log.h"

#include <cstdint>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "proxy/json_scan.h"

namespace ollama_exporter::proxy::testing {
namespace {

// Doubles in hexadecimal, so equal lines mean equal bits.
std::string FloatLine(double value) {
  char text[64];
  std::snprintf(text, sizeof(text), "float:%a", value);
  return text;
}

class ScanRecorder final : public JsonEvents {
 public:
  explicit ScanRecorder(std::vector<std::string>* events) : events_(events) {}

  bool Null() override { return Add("null"); }

  bool Boolean(bool value) override { return Add(value ? "true" : "false"); }

  bool Integer(int64_t value) override {
    return Add("integer:" + std::to_string(value));
  }

  bool Unsigned(uint64_t value) override {
    return Add("unsigned:" + std::to_string(value));
  }

  bool Float(double value) override { return Add(FloatLine(value)); }

  bool String(std::string_view value) override {
    return Add("string:" + std::string(value));
  }

  bool StartObject() override { return Add("start_object"); }

  bool Key(std::string_view name) override {
    return Add("key:" + std::string(name));
  }

  bool EndObject() override { return Add("end_object"); }

  bool StartArray() override { return Add("start_array"); }

  bool EndArray() override { return Add("end_array"); }

 private:
  bool Add(std::string event) {
    events_->push_back(std::move(event));
    return true;
  }

  std::vector<std::string>* events_;
};

// nlohmann's SAX interface, recording the same lines.
class NlohmannRecorder {
 public:
  explicit NlohmannRecorder(std::vector<std::string>* events)
      : events_(events) {}

  bool null() { return Add("null"); }

  bool boolean(bool value) { return Add(value ? "true" : "false"); }

  bool number_integer(int64_t value) {
    return Add("integer:" + std::to_string(value));
  }

  bool number_unsigned(uint64_t value) {
    return Add("unsigned:" + std::to_string(value));
  }

  bool number_float(double value, const std::string& /*text*/) {
    return Add(FloatLine(value));
  }

  bool string(std::string& value) { return Add("string:" + value); }

  bool binary(nlohmann::json::binary_t& /*value*/) { return Add("binary"); }

  bool start_object(size_t /*size*/) { return Add("start_object"); }

  bool key(std::string& name) { return Add("key:" + name); }

  bool end_object() { return Add("end_object"); }

  bool start_array(size_t /*size*/) { return Add("start_array"); }

  bool end_array() { return Add("end_array"); }

  bool parse_error(size_t /*position*/, const std::string& /*token*/,
                   const nlohmann::detail::exception& /*error*/) {
    return false;
  }

 private:
  bool Add(std::string event) {
    events_->push_back(std::move(event));
    return true;
  }

  std::vector<std::string>* events_;
};

}  // namespace

JsonEventLog ScannedEvents(std::string_view text) {
  JsonEventLog log;
  ScanRecorder recorder(&log.events);
  log.accepted = ScanJson(text, &recorder);
  return log;
}

JsonEventLog NlohmannEvents(std::string_view text) {
  JsonEventLog log;
  NlohmannRecorder recorder(&log.events);
  log.accepted = nlohmann::json::sax_parse(text, &recorder);
  return log;
}

}  // namespace ollama_exporter::proxy::testing
