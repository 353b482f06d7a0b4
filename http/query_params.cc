#include "http/query_params.h"

#include <utility>

namespace ollama_exporter::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Status DecodeFormComponent(std::string_view text, std::string* decoded) {
  decoded->clear();
  decoded->reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      *decoded += ' ';
      continue;
    }
    if (c != '%') {
      *decoded += c;
      continue;
    }
    int high = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
    int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
    if (high < 0 || low < 0) {
      return Status::InvalidArgument("invalid URL escape \"" +
                                     std::string(text.substr(i, 3)) + "\"");
    }
    *decoded += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return Status::Ok();
}

Status QueryParams::Parse(std::string_view text, QueryParams* params) {
  QueryParams parsed;
  std::string key;
  std::string value;
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view()
                                         : text.substr(amp + 1);
    if (piece.empty()) continue;

    size_t eq = piece.find('=');
    std::string_view raw_value = eq == std::string_view::npos
                                     ? std::string_view()
                                     : piece.substr(eq + 1);
    Status status = DecodeFormComponent(piece.substr(0, eq), &key);
    if (status.ok()) status = DecodeFormComponent(raw_value, &value);
    if (!status.ok()) return status;
    parsed.values_[key].push_back(std::move(value));
  }
  *params = std::move(parsed);
  return Status::Ok();
}

const std::string* QueryParams::Find(std::string_view key) const {
  auto it = values_.find(key);
  return it == values_.end() ? nullptr : &it->second.front();
}

std::vector<std::string> QueryParams::FindAll(std::string_view key) const {
  auto it = values_.find(key);
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

void QueryParams::Append(const QueryParams& other) {
  for (const auto& [key, values] : other.values_) {
    std::vector<std::string>& mine = values_[key];
    mine.insert(mine.end(), values.begin(), values.end());
  }
}

}  // namespace ollama_exporter::http
