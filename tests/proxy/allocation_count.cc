#include "allocation_count.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {

std::atomic<size_t> bytes_allocated{0};

}  // namespace

void* operator new(size_t size) {
  bytes_allocated.fetch_add(size, std::memory_order_relaxed);
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}

void operator delete(void* memory) noexcept { std::free(memory); }

void operator delete(void* memory, size_t /*size*/) noexcept {
  std::free(memory);
}

namespace ollama_exporter::proxy::testing {

size_t BytesAllocated() {
  return bytes_allocated.load(std::memory_order_relaxed);
}

}  // namespace ollama_exporter::proxy::testing
