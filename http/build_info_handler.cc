#include "http/build_info_handler.h"

#include "http/prom_api.h"
#include "http/prom_json.h"

namespace ollama_exporter::http {

Response ServeBuildInfo(const std::string& version,
                        const std::string& revision) {
  std::string data = "{\"version\":";
  AppendJsonString(version, &data);
  data += ",\"revision\":";
  AppendJsonString(revision, &data);
  data +=
      ",\"branch\":\"\",\"buildUser\":\"\",\"buildDate\":\"\","
      "\"goVersion\":\"\"}";
  return ApiSuccess(RenderSuccessData(data));
}

}  // namespace ollama_exporter::http
