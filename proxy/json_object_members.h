#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace ollama_exporter::proxy {

// Where one member of a JSON object sits in its text: offsets into the
// text, end exclusive. `key` spans the quoted key, quotes included.
struct JsonMemberSpan {
  size_t key_begin = 0;
  size_t key_end = 0;
  size_t value_begin = 0;
  size_t value_end = 0;
};

// Lists the members of the object starting at text[open_brace] ('{'), in
// text order, and sets *close_brace to the offset of its '}'. Meant for
// text a JSON parser has already accepted; on anything malformed it returns
// false (never reads out of bounds). Pure.
bool ListObjectMembers(std::string_view text, size_t open_brace,
                       std::vector<JsonMemberSpan>* members,
                       size_t* close_brace);

}  // namespace ollama_exporter::proxy
