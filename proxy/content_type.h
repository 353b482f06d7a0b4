#pragma once

#include <string_view>

namespace ollama_exporter::proxy {

// How an upstream reply frames its body, from its Content-Type (media type
// compared without case; parameters such as charset ignored). Pure.

// "text/event-stream": Server-Sent Events, as on streamed /v1 routes.
bool IsEventStream(std::string_view content_type);

// "application/x-ndjson": one JSON object per line, as on native streams.
bool IsNdjsonStream(std::string_view content_type);

}  // namespace ollama_exporter::proxy
