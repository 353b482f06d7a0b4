#pragma once

#include <string>
#include <string_view>

namespace ollama_exporter::proxy::testing {

// The bytes of tests/fixtures/proxy/<name>; fails the test when missing.
std::string ProxyFixture(std::string_view name);

}  // namespace ollama_exporter::proxy::testing
