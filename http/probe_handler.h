#pragma once

#include "http/response.h"

namespace ollama_exporter::http {

// /-/healthy: 200 "Healthy" whenever the server answers at all.
Response ServeHealthy();

// /-/ready: 200 "Ready" once `ready`, else 503 "Not ready".
Response ServeReady(bool ready);

}  // namespace ollama_exporter::http
