#pragma once

#include <cmath>
#include <optional>

namespace ollama_exporter::proxy {

// `value` as a measurement to export or store: nullopt when it is unset,
// negative or not finite. Reply fields are trusted only as far as they can
// be true; one bad value would otherwise corrupt a counter's rate for
// good.
template <typename T>
std::optional<double> MeasuredValue(const std::optional<T>& value) {
  if (!value) return std::nullopt;
  double measured = static_cast<double>(*value);
  if (!std::isfinite(measured) || measured < 0) return std::nullopt;
  return measured;
}

}  // namespace ollama_exporter::proxy
