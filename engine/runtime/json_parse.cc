#include "engine/runtime/json_parse.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "engine/runtime/json_view.h"

namespace miaopi::engine {

namespace {

// Forwards SAX events to the document and stops past the nesting limit, so a
// deeply nested application is an error record, not a stack overflow (the
// reader itself runs iteratively).
class DepthLimit {
 public:
  DepthLimit(rapidjson::Document& doc, uint32_t max_depth, RawIds* raw_ids)
      : doc_(doc), max_(max_depth), raw_ids_(raw_ids) {}

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned u) { return doc_.Uint(u); }
  bool Int64(int64_t i) { return doc_.Int64(i); }
  bool Uint64(uint64_t u) { return doc_.Uint64(u); }
  bool Double(double d) { return doc_.Double(d); }
  // Numbers arrive as text (kParseNumbersAsStringsFlag) and are converted
  // here with std::from_chars: exact and correctly rounded, and it keeps
  // RapidJSON 1.1.0's own conversion (which has undefined behaviour on
  // inputs like -0e60) out of the way of application data.
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    std::string_view text(s, n);
    // The application's id is echoed as written (a big integer, 1.50), so
    // keep the text of a number under "id" at the top or in an envelope.
    if (raw_ids_ != nullptr && depth_ == 1 && key_[0] == "id") raw_ids_->root.assign(s, n);
    if (raw_ids_ != nullptr && depth_ == 2 && key_[0] == "application" && key_[1] == "id") {
      raw_ids_->envelope.assign(s, n);
    }
    if (text.find_first_of(".eE") == std::string_view::npos) {
      int64_t i;
      auto [p, ec] = std::from_chars(s, s + n, i);
      if (ec == std::errc() && p == s + n) return doc_.Int64(i);
      uint64_t u;
      auto [pu, ecu] = std::from_chars(s, s + n, u);
      if (ecu == std::errc() && pu == s + n) return doc_.Uint64(u);
    }
    double d;
    auto [p, ec] = std::from_chars(s, s + n, d);
    if (ec == std::errc::result_out_of_range && p == s + n) {
      // Too small for a double is zero (as simdjson reads it, so both
      // paths agree); too large is an error.
      std::string copy(s, n);
      double v = std::strtod(copy.c_str(), nullptr);
      if (std::fabs(v) < 1) return doc_.Double(v);
    }
    if (ec != std::errc() || p != s + n) {
      number_too_big_ = true;
      return false;
    }
    return doc_.Double(d);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return doc_.String(s, n, copy); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    if (depth_ <= 2) key_[depth_ - 1].assign(s, n);
    return doc_.Key(s, n, copy);
  }
  bool StartObject() { return Enter() && doc_.StartObject(); }
  bool EndObject(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndObject(n);
  }
  bool StartArray() { return Enter() && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndArray(n);
  }
  bool too_deep() const { return too_deep_; }
  bool number_too_big() const { return number_too_big_; }

 private:
  bool Enter() {
    if (++depth_ > max_) {
      too_deep_ = true;
      return false;
    }
    return true;
  }

  rapidjson::Document& doc_;
  uint32_t max_;
  RawIds* raw_ids_;
  std::string key_[2];  // the last member names at depths 1 and 2
  uint32_t depth_ = 0;
  bool too_deep_ = false;
  bool number_too_big_ = false;
};

}  // namespace

bool ParseApplication(std::string_view json, const Limits& limits, rapidjson::Document* doc, ErrorRecord* error,
                      RawIds* raw_ids, size_t* error_offset) {
  return ParseJson(json, limits, doc, error, raw_ids, error_offset) &&
         RefuseDuplicateMembers(RapidJsonView{doc}, error);
}

bool ParseJson(std::string_view json, const Limits& limits, rapidjson::Document* doc, ErrorRecord* error,
               RawIds* raw_ids, size_t* error_offset) {
  if (json.size() > limits.max_application_bytes) {
    error->code = "too_large";
    error->message = "the application has " + std::to_string(json.size()) + " bytes; the limit is " +
                     std::to_string(limits.max_application_bytes);
    return false;
  }
  // RapidJSON takes a NUL for the end of the text and would decide what comes
  // before it; JSON text holds no NUL byte anywhere (in a string it is \u0000).
  if (const void* nul = std::memchr(json.data(), '\0', json.size())) {
    size_t at = static_cast<size_t>(static_cast<const char*>(nul) - json.data());
    error->code = "invalid_json";
    error->message = "a NUL byte at byte " + std::to_string(at) + " (JSON text cannot hold one; write \\u0000)";
    if (error_offset) *error_offset = at;
    return false;
  }
  rapidjson::MemoryStream stream(json.data(), json.size());
  rapidjson::Reader reader;
  DepthLimit limiter(*doc, limits.max_json_depth, raw_ids);
  auto generate = [&](rapidjson::Document&) {
    return !reader
                .Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag |
                       rapidjson::kParseNumbersAsStringsFlag>(stream, limiter)
                .IsError();
  };
  doc->Populate(generate);
  if (limiter.too_deep()) {
    error->code = "too_deep";
    error->message =
        "the application nests objects and arrays more than " + std::to_string(limits.max_json_depth) + " levels deep";
    return false;
  }
  if (limiter.number_too_big()) {
    error->code = "invalid_json";
    error->message = "a number is too large for a double (at byte " + std::to_string(reader.GetErrorOffset()) + ")";
    return false;
  }
  if (reader.HasParseError()) {
    error->code = "invalid_json";
    error->message = std::string(rapidjson::GetParseError_En(reader.GetParseErrorCode())) + " (at byte " +
                     std::to_string(reader.GetErrorOffset()) + ")";
    if (error_offset) *error_offset = reader.GetErrorOffset();
    return false;
  }
  return true;
}

template <typename Json>
bool RefuseDuplicateMembers(const Json& root, ErrorRecord* error) {
  std::string path = FindDuplicateMember(root);
  if (path.empty()) return true;
  error->code = "duplicate_key";
  error->message = "the member " + path + " appears twice; which one counts is ambiguous, so the text is refused";
  return false;
}

template bool RefuseDuplicateMembers(const RapidJsonView& root, ErrorRecord* error);
template bool RefuseDuplicateMembers(const SimdjsonView& root, ErrorRecord* error);

}  // namespace miaopi::engine
