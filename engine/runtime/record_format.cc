#include "engine/runtime/record_format.h"

#include <rapidjson/writer.h>

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "engine/graph/verdict.h"

namespace miaopi::engine::record {

namespace {

// True when some byte of `s` is one the JSON writer escapes: a control
// character (below 0x20), '"' or '\\'. Sixteen bytes at a time with SSE2
// (every x86-64 has it), then eight (the exact has-a-zero-byte test on the
// word, XORed with each character; and "less than 0x20"). Most runtime
// strings — paths, Chinese notes — have none, and are then copied between
// quotes as they are.
bool NeedsEscaping(std::string_view s) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  auto has_zero = [](uint64_t x) { return ((x - kOnes) & ~x & kHigh) != 0; };
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= s.size(); i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    // Below 0x20, unsigned: min(v, 0x1F) == v. Bytes from 0x80 are not (as unsigned).
    __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
    __m128i hit = _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (_mm_movemask_epi8(hit) != 0) return true;
  }
#endif
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    // A byte below 0x20: its top three bits are zero.
    if (has_zero(w & 0xE0E0E0E0E0E0E0E0ull) || has_zero(w ^ (kOnes * '"')) || has_zero(w ^ (kOnes * '\\'))) {
      return true;
    }
  }
  for (; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') return true;
  }
  return false;
}

}  // namespace

void Quoted(std::string_view s, rapidjson::StringBuffer& scratch, std::string* out) {
  if (!NeedsEscaping(s)) {
    out->reserve(out->size() + s.size() + 2);
    out->push_back('"');
    out->append(s);
    out->push_back('"');
    return;
  }
  scratch.Clear();
  rapidjson::Writer<rapidjson::StringBuffer> writer(scratch);
  writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  out->append(scratch.GetString(), scratch.GetSize());
}

std::string Quoted(std::string_view s) {
  rapidjson::StringBuffer scratch;
  std::string out;
  Quoted(s, scratch, &out);
  return out;
}

void Open(std::string_view id_json, std::string* out) {
  *out += '{';
  if (id_json.empty()) return;
  *out += "\"id\":";
  *out += id_json;
  *out += ',';
}

std::string ItemKey(std::string_view item) { return "\"item\":" + Quoted(item) + ",\"decision\":\""; }

void DecisionAndDate(std::string_view decision, std::string_view date, std::string* out) {
  *out += decision;
  *out += "\",\"date\":\"";
  *out += date;
  *out += "\",\"reasons\":[";
}

std::string ReasonOpen(std::string_view rule, Outcome outcome, RuleStatus status, std::string_view message,
                       std::string_view basis) {
  std::string s = "{\"rule\":" + Quoted(rule) + ",\"outcome\":\"" + OutcomeName(outcome) + "\",\"status\":\"" +
                  RuleStatusName(status) + "\",\"message\":" + Quoted(message);
  if (!basis.empty()) s += ",\"basis\":" + Quoted(basis);
  return s;
}

void List(std::string_view key, const std::vector<std::string>& items, size_t count, rapidjson::StringBuffer& scratch,
          std::string* out) {
  if (count == 0) return;
  *out += ",\"";
  *out += key;
  *out += "\":[";
  for (size_t i = 0; i < count; ++i) {
    if (i) *out += ',';
    Quoted(items[i], scratch, out);
  }
  *out += ']';
}

std::string Obligation() {
  return ",\"obligation\":{\"code\":" + Quoted(kOriginalCheckCode) + ",\"message\":" + Quoted(kOriginalCheckMessage) +
         "}";
}

std::string OutputKey(std::string_view name) { return Quoted(name) + ":"; }

std::string ItemVersion(std::string_view title, std::string_view effective, std::string_view mode) {
  return ",\"item_version\":{\"title\":" + Quoted(title) + ",\"effective\":" + Quoted(effective) +
         ",\"mode\":" + Quoted(mode) + "}";
}

void Trace(const std::vector<TraceRule>& trace, std::string* out) {
  if (trace.empty()) return;
  rapidjson::StringBuffer scratch;
  *out += ",\"trace\":[";
  for (size_t i = 0; i < trace.size(); ++i) {
    const TraceRule& t = trace[i];
    if (i) *out += ',';
    *out += "{\"rule\":";
    Quoted(t.rule, scratch, out);
    *out += ",\"status\":\"";
    *out += RuleStatusName(t.status);
    *out += "\",\"outcome\":\"";
    *out += OutcomeName(t.outcome);
    *out += "\",\"facts\":[";
    for (size_t f = 0; f < t.facts.size(); ++f) {
      if (f) *out += ',';
      Quoted(t.facts[f], scratch, out);
    }
    *out += "]}";
  }
  *out += ']';
}

void Remedies(const std::vector<Remedy>& remedies, std::string* out) {
  if (remedies.empty()) return;
  rapidjson::StringBuffer scratch;
  auto member = [&](const char* key, std::string_view value) {
    if (value.empty()) return;
    *out += ",\"";
    *out += key;
    *out += "\":";
    Quoted(value, scratch, out);
  };
  auto json_member = [&](const char* key, std::string_view json) {
    if (json.empty()) return;
    *out += ",\"";
    *out += key;
    *out += "\":";
    *out += json;
  };
  *out += ",\"remedies\":[";
  for (size_t i = 0; i < remedies.size(); ++i) {
    const Remedy& r = remedies[i];
    if (i) *out += ',';
    *out += "{\"rule\":";
    Quoted(r.rule, scratch, out);
    *out += r.fixable ? ",\"fixable\":true" : ",\"fixable\":false";
    *out += ",\"changes\":[";
    for (size_t k = 0; k < r.changes.size(); ++k) {
      const RemedyChange& c = r.changes[k];
      if (k) *out += ',';
      *out += '{';
      size_t open = out->size();
      member("path", c.path);
      member("licence", c.licence);
      member("title", c.licence_title);
      member("problem", c.problem);
      json_member("have", c.have);
      member("need", c.need);
      member("type", c.type);
      member("condition", c.condition);
      json_member("example", c.example);
      if (!c.ways.empty()) {
        *out += ",\"ways\":[";
        for (size_t w = 0; w < c.ways.size(); ++w) {
          if (w) *out += ',';
          Quoted(c.ways[w], scratch, out);
        }
        *out += ']';
      }
      if (out->size() > open) out->erase(open, 1);  // the first member's comma
      *out += '}';
    }
    *out += "],\"why\":";
    Quoted(r.why, scratch, out);
    *out += '}';
  }
  *out += ']';
}

void NoticeMember(std::string_view notice, std::string* out) {
  if (notice.empty()) return;
  *out += ",\"notice\":";
  rapidjson::StringBuffer scratch;
  Quoted(notice, scratch, out);
}

std::string PackAndClose(const PackIdentity& pack) {
  return ",\"pack\":{\"name\":" + Quoted(pack.name) + ",\"version\":" + Quoted(pack.version) +
         ",\"hash\":" + Quoted(pack.hash) + "}}";
}

void Error(const ErrorRecord& e, std::string* out) {
  Open(e.id_json, out);
  if (e.line > 0) {
    *out += "\"line\":";
    *out += std::to_string(e.line);
    *out += ',';
  }
  *out += "\"error\":{\"code\":" + Quoted(e.code) + ",\"message\":" + Quoted(e.message) + "}}";
}

}  // namespace miaopi::engine::record

namespace miaopi {

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kApprove: return "approve";
    case Outcome::kReview: return "review";
    case Outcome::kReject: return "reject";
  }
  return "review";
}

const char* RuleStatusName(RuleStatus s) {
  switch (s) {
    case RuleStatus::kPass: return "pass";
    case RuleStatus::kFail: return "fail";
    case RuleStatus::kUnknown: return "unknown";
  }
  return "unknown";
}

}  // namespace miaopi
