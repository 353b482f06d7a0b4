#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"

namespace ollama_exporter::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on
// destruction.
//
// Thread safety: immutable after Create().
class TempDir {
 public:
  // kUnavailable when the directory cannot be made.
  static Status Create(std::string_view prefix, std::unique_ptr<TempDir>* dir);

  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

  // path() + "/" + name.
  std::string File(std::string_view name) const;

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}

  const std::string path_;
};

}  // namespace ollama_exporter::testing
