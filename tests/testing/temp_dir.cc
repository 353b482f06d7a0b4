#include "testing/temp_dir.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

namespace ollama_exporter::testing {

Status TempDir::Create(std::string_view prefix, std::unique_ptr<TempDir>* dir) {
  const char* root = getenv("TMPDIR");
  std::string pattern = (root != nullptr && *root != '\0') ? root : "/tmp";
  pattern += "/" + std::string(prefix) + ".XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    return Status::Unavailable("mkdtemp " + pattern + ": " +
                               std::strerror(errno));
  }
  dir->reset(new TempDir(buffer.data()));
  return Status::Ok();
}

TempDir::~TempDir() {
  // Ignored on purpose: a leftover temp dir must not fail a test.
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::File(std::string_view name) const {
  return path_ + "/" + std::string(name);
}

}  // namespace ollama_exporter::testing
