#include "promtool.h"

namespace ollama_exporter::integration {

Status PromtoolCheckMetrics(std::string_view exposition,
                            ProcessResult* result) {
  return RunProcess({OE_PROMTOOL, "check", "metrics"}, exposition, 10000,
                    result);
}

}  // namespace ollama_exporter::integration
