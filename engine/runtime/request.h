// What one decision is asked for: the evaluation date, whether to explain,
// the item when the caller names it, and the caller's request context.
#pragma once

#include <rapidjson/fwd.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "dsl/date.h"

namespace miaopi::engine {

struct Request {
  int32_t date = 0;  // days since 1970-01-01
  bool explain = false;
  bool remedies = false;                      // Decision::remedies for a decision that is not approve
  bool notice = false;                        // Decision::notice (implies remedies)
  std::string_view item;                      // empty: the application's "item"
  const rapidjson::Value* context = nullptr;  // the caller's request context, or none
};

// Parses "YYYY-MM-DD"; false when it is not a real day.
inline bool ParseDate(std::string_view text, int32_t* days) {
  std::optional<int32_t> d = dsl::ParseIsoDate(text);
  if (!d) return false;
  *days = *d;
  return true;
}

}  // namespace miaopi::engine
