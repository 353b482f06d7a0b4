// libFuzzer's entry point (build with -DOLLAMA_EXPORTER_FUZZ=ON and clang).

#include <cstddef>
#include <cstdint>

#include "parser_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ollama_exporter::fuzz::FuzzOneInput(data, size);
  return 0;
}
