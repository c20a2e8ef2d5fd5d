#include "engine/graph/value_format.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace miaopi::engine {

std::string FormatNumber(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == std::floor(d) && std::fabs(d) < 1e15) {  // what "%.0f" writes, without printf
    if (d == 0) return std::signbit(d) ? "-0" : "0";
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(d));
    return std::string(buf, r.ptr);
  }
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  return buf;
}

void AppendJsonQuoted(std::string_view s, std::string* out) {
  *out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\t': *out += "\\t"; break;
      case '\r': *out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          *out += buf;
        } else {
          *out += static_cast<char>(c);
        }
    }
  }
  *out += '"';
}

std::string JsonQuote(std::string_view s) {
  std::string out;
  AppendJsonQuoted(s, &out);
  return out;
}

std::string FormatValue(const Value& v) {
  switch (v.kind) {
    case ValueKind::kUnknown: return "unknown";
    case ValueKind::kBool: return v.b ? "true" : "false";
    case ValueKind::kInt: return std::to_string(v.i);
    case ValueKind::kNumber: return FormatNumber(v.d);
    case ValueKind::kString: return JsonQuote(v.string());
    case ValueKind::kDate: return dsl::FormatIsoDate(v.date);
    case ValueKind::kDuration: return dsl::FormatDuration(v.duration);
    case ValueKind::kList: {
      std::string out = "[";
      for (uint32_t i = 0; i < v.len && i < 20; ++i) {
        if (i) out += ", ";
        out += FormatValue(v.list[i]);
      }
      if (v.len > 20) out += ", … (" + std::to_string(v.len) + " elements)";
      return out + "]";
    }
    case ValueKind::kRecord: return "{…}";
  }
  return "?";
}

void AppendValueJson(const Value& v, std::string* out) {
  char buf[32];
  switch (v.kind) {
    case ValueKind::kUnknown: *out += "null"; return;
    case ValueKind::kBool: *out += v.b ? "true" : "false"; return;
    case ValueKind::kInt: {
      auto r = std::to_chars(buf, buf + sizeof buf, v.i);
      out->append(buf, r.ptr);
      return;
    }
    case ValueKind::kNumber: *out += FormatNumber(v.d); return;  // short: no heap
    case ValueKind::kString: AppendJsonQuoted(v.string(), out); return;
    case ValueKind::kDate:
      *out += '"';
      *out += dsl::FormatIsoDate(v.date);
      *out += '"';
      return;
    case ValueKind::kDuration: AppendJsonQuoted(dsl::FormatDuration(v.duration), out); return;
    case ValueKind::kList:
      *out += '[';
      for (uint32_t i = 0; i < v.len; ++i) {
        if (i) *out += ',';
        AppendValueJson(v.list[i], out);
      }
      *out += ']';
      return;
    case ValueKind::kRecord: *out += "{}"; return;
  }
  *out += "null";
}

std::string ValueJson(const Value& v) {
  std::string out;
  AppendValueJson(v, &out);
  return out;
}

}  // namespace miaopi::engine
