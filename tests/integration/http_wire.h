#pragma once

#include <string>

namespace ollama_exporter::integration {

// Go's net/http reason phrase for `status`, "status code N" for codes it
// has no text for.
std::string ReasonPhrase(int status);

// The current time as an HTTP Date header value (RFC 7231, GMT).
std::string HttpDate();

}  // namespace ollama_exporter::integration
