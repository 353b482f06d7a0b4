#pragma once

#include <string_view>

#include "common/status.h"

namespace ollama_exporter::bench {

// The value of the unlabelled sample `name` in a Prometheus text
// exposition: the first line "<name> <value>" or "<name> <value> <ms>".
// Labelled samples ("<name>{...}") and comments are skipped. kNotFound when
// there is no such line; kInvalidArgument when its value is not a number
// within double's range (Prometheus' "+Inf", "-Inf" and "NaN" are numbers).
[[nodiscard]] Status FindUnlabelledSample(std::string_view text,
                                          std::string_view name,
                                          double* value);

}  // namespace ollama_exporter::bench
