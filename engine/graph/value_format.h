// Values as text for traces, REPL output and missing-path keys:
// 42, 35.5, "text", 2026-09-01, 18 years, [1, 2], {…}, unknown.
#pragma once

#include <string>

#include "engine/graph/value.h"

namespace miaopi::engine {

std::string FormatValue(const Value& v);
// The shortest decimal that reads back as the same double.
std::string FormatNumber(double d);
// A JSON string literal, UTF-8 kept as is.
std::string JsonQuote(std::string_view s);
void AppendJsonQuoted(std::string_view s, std::string* out);
// A value as JSON for a record's outputs: dates and durations as strings,
// unknown as null.
std::string ValueJson(const Value& v);
void AppendValueJson(const Value& v, std::string* out);

}  // namespace miaopi::engine
