#include "http/landing_handler.h"

#include <string>
#include <utility>

namespace ollama_exporter::http {
namespace {

// Version and telemetry path come from the build and the command line;
// escape them anyway so the page stays well formed.
std::string EscapeHtml(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

void AppendLink(std::string_view href, std::string_view text,
                std::string_view note, std::string* page) {
  *page += "<li><a href=\"";
  *page += EscapeHtml(href);
  *page += "\">";
  *page += EscapeHtml(text);
  *page += "</a> ";
  *page += note;
  *page += "</li>\n";
}

}  // namespace

Response ServeLanding(std::string_view version, std::string_view telemetry_path,
                      int64_t now_ms) {
  const int64_t end = now_ms / 1000;
  const std::string query_range = "/api/v1/query_range?query=ollama_up&start=" +
                                  std::to_string(end - 3600) +
                                  "&end=" + std::to_string(end) + "&step=60";

  std::string page =
      "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\">"
      "<title>Ollama Exporter</title></head>\n<body>\n"
      "<h1>Ollama Exporter</h1>\n<p>Version ";
  page += EscapeHtml(version);
  page += "</p>\n<ul>\n";
  AppendLink(telemetry_path, telemetry_path, "Prometheus metrics", &page);
  AppendLink("/api/ollama/history", "/api/ollama/history",
             "poll history as JSON (?hours=24&amp;limit=1000)", &page);
  AppendLink(query_range, "/api/v1/query_range",
             "stored series, Prometheus style (ollama_up, last hour)", &page);
  AppendLink("/-/healthy", "/-/healthy", "health probe", &page);
  AppendLink("/-/ready", "/-/ready", "readiness probe", &page);
  page += "</ul>\n</body>\n</html>\n";
  return BodyResponse(200, "text/html; charset=utf-8", std::move(page));
}

}  // namespace ollama_exporter::http
