#include "tsdb/varint.h"

namespace ollama_exporter::tsdb {

void PutVarint64(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

bool GetVarint64(std::string_view* input, uint64_t* value) {
  uint64_t result = 0;
  for (size_t i = 0; i < input->size() && i < 10; ++i) {
    const uint64_t byte = static_cast<uint8_t>((*input)[i]);
    const int shift = static_cast<int>(7 * i);

    // The tenth byte may only carry the single top bit of a uint64.
    if (i == 9 && byte > 1) return false;
    result |= (byte & 0x7f) << shift;
    if ((byte & 0x80) != 0) continue;

    // A final zero byte after others pads the value: not the shortest form.
    if (byte == 0 && i > 0) return false;
    input->remove_prefix(i + 1);
    *value = result;
    return true;
  }
  return false;
}

}  // namespace ollama_exporter::tsdb
