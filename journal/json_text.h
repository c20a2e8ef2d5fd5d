// Writing std::string_view through a RapidJSON writer (lengths, not NUL
// terminators: inputs may hold any byte). Shared by the journal's files.
#pragma once

#include <rapidjson/rapidjson.h>

#include <string_view>

namespace miaopi::journal {

template <typename Writer>
void WriteString(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace miaopi::journal
