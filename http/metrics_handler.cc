#include "http/metrics_handler.h"

#include <exception>
#include <string>
#include <utility>

#include <prometheus/text_serializer.h>

#include "common/log.h"
#include "http/gzip.h"

namespace ollama_exporter::http {

Response ServeMetrics(
    const Request& request,
    const std::function<std::vector<prometheus::MetricFamily>()>& collect) {
  // prometheus-cpp may throw; this is the edge where that stops.
  std::string text;
  try {
    text = prometheus::TextSerializer().Serialize(collect());
  } catch (const std::exception& e) {
    LOG_ERROR("cannot render metrics", {log::Field("err", e.what())});
    return TextResponse(500, std::string("cannot render metrics: ") + e.what());
  }

  Response response = BodyResponse(200, kTextFormat, std::move(text));
  if (AcceptsGzip(request.accept_encoding)) {
    std::string compressed;
    Status status = GzipCompress(response.body, &compressed);
    if (status.ok()) {
      response.body = std::move(compressed);
      response.headers.emplace_back("Content-Encoding", "gzip");
    } else {
      // The identity encoding is always acceptable; serve that instead.
      LOG_WARN("cannot gzip metrics", {log::Field("err", status)});
    }
  }
  // Caches must not hand a gzipped body to a client that did not ask.
  response.headers.emplace_back("Vary", "Accept-Encoding");
  return response;
}

}  // namespace ollama_exporter::http
