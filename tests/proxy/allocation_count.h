#pragma once

#include <cstddef>

namespace ollama_exporter::proxy::testing {

// Bytes requested from operator new by the whole program so far. Linking
// allocation_count.cc replaces the global operator new to count them.
size_t BytesAllocated();

}  // namespace ollama_exporter::proxy::testing
