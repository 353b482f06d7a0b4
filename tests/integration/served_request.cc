#include "served_request.h"

#include <nlohmann/json.hpp>

namespace ollama_exporter::integration {

std::string ServedRequestsJson(const std::vector<ServedRequest>& served) {
  using Json = nlohmann::ordered_json;
  Json list = Json::array();
  for (const ServedRequest& r : served) {
    Json stats;
    stats["total_duration"] = r.stats_sent.total_duration;
    stats["load_duration"] = r.stats_sent.load_duration;
    stats["prompt_eval_count"] = r.stats_sent.prompt_eval_count;
    stats["prompt_eval_duration"] = r.stats_sent.prompt_eval_duration;
    stats["eval_count"] = r.stats_sent.eval_count;
    stats["eval_duration"] = r.stats_sent.eval_duration;
    stats["done_reason"] = r.stats_sent.done_reason;
    Json headers = Json::array();
    for (const auto& [name, value] : r.request_headers) {
      headers.push_back({name, value});
    }
    Json entry;
    entry["sequence"] = r.sequence;
    entry["path"] = r.path;
    entry["model"] = r.model;
    entry["streamed"] = r.streamed;
    entry["include_usage"] = r.include_usage;
    entry["request_body"] = r.request_body;
    entry["request_headers"] = std::move(headers);
    entry["status"] = r.status;
    entry["content_type"] = r.content_type;
    entry["writes_sent"] = r.writes_sent;
    entry["content_chunks_sent"] = r.content_chunks_sent;
    entry["stats_sent"] = std::move(stats);
    entry["final_sent"] = r.final_sent;
    entry["stream_error"] = r.stream_error;
    entry["cut"] = r.cut;
    entry["client_went_away"] = r.client_went_away;
    entry["hold_timed_out"] = r.hold_timed_out;
    entry["body_sent"] = r.body_sent;
    entry["seconds"] = r.seconds;
    list.push_back(std::move(entry));
  }
  return list.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace ollama_exporter::integration
