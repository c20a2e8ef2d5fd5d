#include "journal/entry.h"

#include "journal/codec.h"
#include "journal/json_text.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <cstdio>

namespace miaopi::journal {

namespace {

void Field(std::string* out, std::string_view name, std::string_view bytes) {
  out->append(name);
  out->push_back(' ');
  out->append(std::to_string(bytes.size()));
  out->push_back('\n');
  out->append(bytes);
  out->push_back('\n');
}

}  // namespace

std::string EntryBytes(const Entry& e) {
  std::string out = "miaopi-journal-entry/1\n";
  out.reserve(out.size() + e.input.size() + e.record.size() + e.context.size() + e.licences.size() + 256);
  Field(&out, "seq", std::to_string(e.seq));
  Field(&out, "kind", e.kind);
  Field(&out, "time", e.time);
  Field(&out, "caller", e.caller);
  Field(&out, "pack", e.pack);
  Field(&out, "date", e.date);
  Field(&out, "options", e.options);
  Field(&out, "input", e.input);
  Field(&out, "context", e.context);
  Field(&out, "licences", e.licences);
  Field(&out, "record", e.record);
  return out;
}

std::array<uint8_t, 32> EntryLeafHash(const Entry& e) {
  // The bytes built in one reused buffer, hashed in one pass.
  thread_local std::string bytes;
  bytes.assign(1, '\0');  // the leaf prefix
  auto number = [&](uint64_t n) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    bytes.append(digits, end);
  };
  auto field = [&](std::string_view name, std::string_view value) {
    bytes.append(name);
    bytes.push_back(' ');
    number(value.size());
    bytes.push_back('\n');
    bytes.append(value);
    bytes.push_back('\n');
  };
  bytes.append("miaopi-journal-entry/1\n");
  char seq[24];
  field("seq", std::string_view(seq, std::to_chars(seq, seq + sizeof seq, e.seq).ptr - seq));
  field("kind", e.kind);
  field("time", e.time);
  field("caller", e.caller);
  field("pack", e.pack);
  field("date", e.date);
  field("options", e.options);
  field("input", e.input);
  field("context", e.context);
  field("licences", e.licences);
  field("record", e.record);
  return Sha256(bytes);
}

std::string EntryToJson(const Entry& e) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto str = [&](const char* key, const std::string& value) {
    w.Key(key);
    WriteString(w, value);
  };
  w.StartObject();
  w.Key("seq");
  w.Uint64(e.seq);
  str("kind", e.kind);
  str("time", e.time);
  str("caller", e.caller);
  str("pack", e.pack);
  str("date", e.date);
  str("options", e.options);
  str("input", e.input);
  str("context", e.context);
  str("licences", e.licences);
  str("record", e.record);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::optional<Entry> EntryFromValue(const rapidjson::Value& v, std::string* error) {
  if (!v.IsObject() || v.MemberCount() != 11) {
    *error =
        "an entry is an object of exactly its eleven fields (seq, kind, time, caller, pack, date, options, "
        "input, context, licences, record)";
    return std::nullopt;
  }
  Entry e;
  auto seq = v.FindMember("seq");
  if (seq == v.MemberEnd() || !seq->value.IsUint64()) {
    *error = "the entry has no seq";
    return std::nullopt;
  }
  e.seq = seq->value.GetUint64();
  std::pair<const char*, std::string*> fields[] = {
      {"kind", &e.kind},         {"time", &e.time},       {"caller", &e.caller}, {"pack", &e.pack},
      {"date", &e.date},         {"options", &e.options}, {"input", &e.input},   {"context", &e.context},
      {"licences", &e.licences}, {"record", &e.record}};
  for (auto& [key, target] : fields) {
    auto it = v.FindMember(key);
    if (it == v.MemberEnd() || !it->value.IsString()) {
      *error = std::string("the entry's ") + key + " is not a string";
      return std::nullopt;
    }
    target->assign(it->value.GetString(), it->value.GetStringLength());
  }
  return e;
}

std::optional<Entry> EntryFromJson(std::string_view json, std::string* error) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  if (doc.HasParseError()) {
    *error = "an entry is a JSON object";
    return std::nullopt;
  }
  return EntryFromValue(doc, error);
}

}  // namespace miaopi::journal
