#include "http/probe_handler.h"

namespace ollama_exporter::http {

Response ServeHealthy() { return TextResponse(200, "Healthy"); }

Response ServeReady(bool ready) {
  return ready ? TextResponse(200, "Ready") : TextResponse(503, "Not ready");
}

}  // namespace ollama_exporter::http
