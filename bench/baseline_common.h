// What every hand-written baseline shares (bench/baseline_*.cc): the input
// read in large chunks into one reused buffer with simdjson's padding, lines
// handed out in place; records gathered and written in large writes;
// three-valued truth with the missing paths of each rule; the record's JSON,
// its constant parts built once. Each baseline codes its item's rules by
// hand on top and writes the same records, byte for byte, as `miaopi batch`.
#pragma once

#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "dsl/date.h"

namespace baseline {

namespace dsl = miaopi::dsl;

// Three-valued truth, as the engine has it.
enum class Truth : uint8_t { kFalse, kTrue, kUnknown };

inline Truth Of(bool b) { return b ? Truth::kTrue : Truth::kFalse; }
inline Truth And(Truth a, Truth b) {
  if (a == Truth::kFalse || b == Truth::kFalse) return Truth::kFalse;
  if (a == Truth::kUnknown || b == Truth::kUnknown) return Truth::kUnknown;
  return Truth::kTrue;
}
inline Truth Or(Truth a, Truth b) {
  if (a == Truth::kTrue || b == Truth::kTrue) return Truth::kTrue;
  if (a == Truth::kUnknown || b == Truth::kUnknown) return Truth::kUnknown;
  return Truth::kFalse;
}

// The paths that made a rule unknown, in order, each once.
struct Missing {
  std::vector<std::string> paths;
  size_t n = 0;
  void Clear() { n = 0; }
  void Add(std::string_view path) {
    for (size_t i = 0; i < n; ++i) {
      if (paths[i] == path) return;
    }
    if (n == paths.size()) paths.emplace_back();
    paths[n++].assign(path);
  }
  void AddAll(const Missing& other) {
    for (size_t i = 0; i < other.n; ++i) Add(other.paths[i]);
  }
  // "staff[3].id_number"
  void AddAt(std::string_view list, size_t index, std::string_view field) {
    char text[96];
    int len = std::snprintf(text, sizeof text, "%.*s[%zu].%.*s", static_cast<int>(list.size()), list.data(), index,
                            static_cast<int>(field.size()), field.data());
    Add(std::string_view(text, static_cast<size_t>(len)));
  }
};

// A field as read: absent, present with its type, or broken (null or of
// another type) — both of the last kinds make what reads it unknown.
enum class Got : uint8_t { kAbsent, kOk, kBad };

template <typename T>
struct Field {
  Got got = Got::kAbsent;
  T value{};
  bool ok() const { return got == Got::kOk; }
};

// "YYYY-MM-DD" naming a real day, as days since 1970-01-01: fixed width,
// no allocation.
inline bool ParseDate(std::string_view s, int32_t* days) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  auto digit = [&](size_t i) { return static_cast<unsigned>(s[i] - '0'); };
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (digit(i) > 9) return false;
  }
  int32_t year = static_cast<int32_t>(digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3));
  uint32_t month = digit(5) * 10 + digit(6), day = digit(8) * 10 + digit(9);
  if (year < dsl::kMinYear || !dsl::IsValidCivil(year, month, day)) return false;
  *days = dsl::DaysFromCivil({year, month, day});
  return true;
}

// A JSON string as RapidJSON's writer quotes it (the engine's records).
inline void Quote(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789ABCDEF";
  out->push_back('"');
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && c != '"' && c != '\\') {
      out->push_back(c);
      continue;
    }
    out->push_back('\\');
    switch (c) {
      case '"': out->push_back('"'); break;
      case '\\': out->push_back('\\'); break;
      case '\b': out->push_back('b'); break;
      case '\f': out->push_back('f'); break;
      case '\n': out->push_back('n'); break;
      case '\r': out->push_back('r'); break;
      case '\t': out->push_back('t'); break;
      default:
        out->append("u00");
        out->push_back(kHex[u >> 4]);
        out->push_back(kHex[u & 15]);
    }
  }
  out->push_back('"');
}

// Sets of strings looked up by string_view without a copy.
struct Hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using KeySet = std::unordered_set<std::string, Hash, std::equal_to<>>;

// The keys (first column) of a CSV table with a header row.
inline KeySet Keys(const std::string& path) {
  KeySet keys;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) keys.insert(line.substr(0, line.find(',')));
  return keys;
}

namespace od = simdjson::ondemand;

// Typed reads of one On-Demand value: anything else (null included) is broken.
inline void Read(od::value v, Field<std::string_view>* f) {
  f->got = v.get_string().get(f->value) ? Got::kBad : Got::kOk;
}
inline void ReadDate(od::value v, Field<int32_t>* f) {
  std::string_view s;
  f->got = !v.get_string().get(s) && ParseDate(s, &f->value) ? Got::kOk : Got::kBad;
}
inline void Read(od::value v, Field<double>* f) { f->got = v.get_double().get(f->value) ? Got::kBad : Got::kOk; }
inline void Read(od::value v, Field<bool>* f) { f->got = v.get_bool().get(f->value) ? Got::kBad : Got::kOk; }

// A list as read: whether it was there, and its elements (storage reused).
template <typename T>
struct List {
  Got got = Got::kAbsent;
  std::vector<T> items;
  size_t n = 0;
  void Reset() {
    got = Got::kAbsent;
    n = 0;
  }
  T& Add() {
    if (n == items.size()) items.emplace_back();
    items[n] = T{};
    return items[n++];
  }
};

// Each object of the list at `v`, read by `member(element, key, value)`;
// an element that is not an object gets `broken(element)`. kBad when `v`
// is not a list.
template <typename T, typename Member, typename Broken>
Got ReadObjects(od::value v, List<T>* list, Member&& member, Broken&& broken) {
  od::array array;
  if (v.get_array().get(array)) return Got::kBad;
  for (auto e : array) {
    T& item = list->Add();
    od::object o;
    if (e.get_object().get(o)) {
      broken(item);
      continue;
    }
    for (auto m : o) {
      std::string_view key;
      if (m.unescaped_key().get(key)) return Got::kBad;
      member(item, key, m.value());
    }
  }
  return Got::kOk;
}

// A list of strings (each element broken when it is not a string).
inline Got ReadStrings(od::value v, List<Field<std::string_view>>* list) {
  od::array array;
  if (v.get_array().get(array)) return Got::kBad;
  for (auto e : array) Read(e.value(), &list->Add());
  return Got::kOk;
}

// Each member of the object at `v`, by `member(key, value)`; false when `v`
// is not an object.
template <typename Member>
bool ReadMembers(od::value v, Member&& member) {
  od::object o;
  if (v.get_object().get(o)) return false;
  for (auto m : o) {
    std::string_view key;
    if (m.unescaped_key().get(key)) return false;
    member(key, m.value());
  }
  return true;
}

// The applicant of both workloads.
struct Applicant {
  Got got = Got::kAbsent;
  Field<std::string_view> id_number, phone;  // phone: optional (absent and null alike)
  Field<int32_t> birth;
};
inline void ReadApplicant(od::value v, Applicant* a) {
  *a = Applicant{};
  bool ok = ReadMembers(v, [&](std::string_view key, od::value value) {
    if (key == "id_number") {
      Read(value, &a->id_number);
    } else if (key == "birth_date") {
      ReadDate(value, &a->birth);
    } else if (key == "phone") {
      a->phone.got = value.is_null() ? Got::kAbsent : value.get_string().get(a->phone.value) ? Got::kBad : Got::kOk;
    }
  });
  a->got = ok ? Got::kOk : Got::kBad;
}

// A licence of the application's list (both workloads).
struct Licence {
  Field<std::string_view> type, number, status, holder;
  Field<int32_t> issued, expires;
};
inline Got ReadLicences(od::value v, List<Licence>* list) {
  return ReadObjects(
      v, list,
      [](Licence& l, std::string_view key, od::value value) {
        if (key == "type") {
          Read(value, &l.type);
        } else if (key == "number") {
          Read(value, &l.number);
        } else if (key == "status") {
          Read(value, &l.status);
        } else if (key == "holder") {
          Read(value, &l.holder);
        } else if (key == "issued") {
          ReadDate(value, &l.issued);
        } else if (key == "expires") {
          ReadDate(value, &l.expires);
        }
      },
      [](Licence& l) {
        l.type.got = l.number.got = l.status.got = l.holder.got = l.issued.got = l.expires.got = Got::kBad;
      });
}

// The truth of what a rule reads being there: kTrue, or kUnknown with the
// path added. A field of a record that is itself missing names the record.
template <typename T>
Truth Need(Got parent, const char* parent_path, const Field<T>& f, const char* path, Missing* m) {
  if (parent != Got::kOk) {
    m->Add(parent_path);
    return Truth::kUnknown;
  }
  if (f.ok()) return Truth::kTrue;
  m->Add(path);
  return Truth::kUnknown;
}
// A field of element `i` of a list ("staff[3].id_number").
template <typename T>
Truth Need(const Field<T>& f, std::string_view list, size_t i, const char* name, Missing* m) {
  if (f.ok()) return Truth::kTrue;
  m->AddAt(list, i, name);
  return Truth::kUnknown;
}
// A top-level field.
template <typename T>
Truth Need(const Field<T>& f, const char* path, Missing* m) {
  if (f.ok()) return Truth::kTrue;
  m->Add(path);
  return Truth::kUnknown;
}
// A value known (kTrue) decides as `holds`; unknown stays unknown.
inline Truth If(Truth known, bool holds) { return known == Truth::kTrue ? Of(holds) : Truth::kUnknown; }

// `any x in LIST: body(x, i, &missing)` (or `all`): elements that leave the
// loop unknown give their missing paths; a deciding element clears them.
template <typename T, typename Body>
Truth Loop(bool any, const List<T>& list, const char* path, Missing* m, Missing* scratch, Body&& body) {
  if (list.got != Got::kOk) {
    m->Add(path);
    return Truth::kUnknown;
  }
  Truth result = any ? Truth::kFalse : Truth::kTrue;
  for (size_t i = 0; i < list.n; ++i) {
    scratch->Clear();
    Truth t = body(list.items[i], i, scratch);
    if (t == (any ? Truth::kTrue : Truth::kFalse)) {
      m->Clear();
      return t;
    }
    if (t == Truth::kUnknown) {
      result = Truth::kUnknown;
      m->AddAll(*scratch);
    }
  }
  return result;
}

// `any s in SCOPE: contains(s, needle)` over a list of strings.
inline Truth ScopeHas(Got business, const List<Field<std::string_view>>& scope, std::string_view needle, Missing* m,
                      Missing* scratch) {
  if (business != Got::kOk) {
    m->Add("business");
    return Truth::kUnknown;
  }
  return Loop(true, scope, "business.scope", m, scratch, [&](const Field<std::string_view>& s, size_t i, Missing* em) {
    if (s.ok()) return Of(s.value.find(needle) != std::string_view::npos);
    em->Add("business.scope[" + std::to_string(i) + "]");
    return Truth::kUnknown;
  });
}

// `applicant.phone ?? "" == "" or applicant.phone matches "^1[3-9][0-9]{9}$"`
inline Truth PhoneRule(const Applicant& a, Missing* m) {
  if (a.got != Got::kOk) {
    m->Add("applicant");
    return Truth::kUnknown;
  }
  if (a.phone.got == Got::kAbsent) return Truth::kTrue;
  if (a.phone.got == Got::kBad) {
    m->Add("applicant.phone");
    return Truth::kUnknown;
  }
  std::string_view p = a.phone.value;
  if (p.empty()) return Truth::kTrue;
  bool ok = p.size() == 11 && p[0] == '1' && p[1] >= '3' && p[1] <= '9';
  for (size_t i = 2; ok && i < 11; ++i) ok = p[i] >= '0' && p[i] <= '9';
  return Of(ok);
}

// Parses one line with `parser` and reads each member of its root object
// by `member(key, value)`; false when the line is not a JSON object. The
// strings read stay valid until the parser's next line.
template <typename Member>
bool ReadRoot(od::parser& parser, std::string_view line, size_t capacity, Member&& member) {
  od::document doc;
  od::object root;
  if (parser.iterate(simdjson::padded_string_view(line.data(), line.size(), capacity)).get(doc) ||
      doc.get_object().get(root)) {
    return false;
  }
  for (auto m : root) {
    std::string_view key;
    od::value v;
    if (m.unescaped_key().get(key) || m.value().get(v)) return false;
    member(key, v);
  }
  return true;
}

struct Rule {
  const char* code;
  const char* message;
  const char* basis;
  bool reject;  // reject on failure, else review
};

// The record of one decision, its constant parts escaped once.
class RecordWriter {
 public:
  RecordWriter(std::string_view item, std::string_view title, std::string_view effective, std::string_view pack,
               std::string_view version, std::string_view hash, std::string_view date, std::vector<Rule> rules)
      : rules_(std::move(rules)) {
    item_ = ",\"item\":";
    Quote(item, &item_);
    item_ += ",\"decision\":\"";
    date_ = "\",\"date\":";
    Quote(date, &date_);
    date_ += ",\"reasons\":[";
    tail_ = "],\"item_version\":{\"title\":";
    Quote(title, &tail_);
    tail_ += ",\"effective\":";
    Quote(effective, &tail_);
    tail_ += ",\"mode\":\"online\"},\"pack\":{\"name\":";
    Quote(pack, &tail_);
    tail_ += ",\"version\":";
    Quote(version, &tail_);
    tail_ += ",\"hash\":";
    Quote(hash, &tail_);
    tail_ += "}}\n";
    for (const Rule& r : rules_) {
      for (int kind = 0; kind < 3; ++kind) {  // fail, or unknown without and with missing paths
        std::string s = "{\"rule\":";
        Quote(r.code, &s);
        s += kind == 0 && r.reject ? ",\"outcome\":\"reject\"" : ",\"outcome\":\"review\"";
        s += kind == 0 ? ",\"status\":\"fail\"" : ",\"status\":\"unknown\"";
        s += ",\"message\":";
        Quote(r.message, &s);
        s += ",\"basis\":";
        Quote(r.basis, &s);
        s += kind == 2 ? ",\"missing\":[" : "}";
        reason_.push_back(std::move(s));
      }
    }
  }

  // `id`: the application's id as a JSON string, or empty for none.
  void Write(std::string_view id, const Truth* results, const Missing* missing, std::string* out) const {
    int overall = 0;  // approve, review, reject
    for (size_t i = 0; i < rules_.size(); ++i) {
      if (results[i] == Truth::kFalse) overall = std::max(overall, rules_[i].reject ? 2 : 1);
      if (results[i] == Truth::kUnknown) overall = std::max(overall, 1);
    }
    out->push_back('{');
    if (!id.empty()) {
      out->append("\"id\":");
      Quote(id, out);
    }
    out->append(id.empty() ? std::string_view(item_).substr(1) : std::string_view(item_));
    static const char* kOutcomes[] = {"approve", "review", "reject"};
    out->append(kOutcomes[overall]);
    out->append(date_);
    bool first = true;
    for (size_t i = 0; i < rules_.size(); ++i) {
      if (results[i] == Truth::kTrue) continue;
      if (!first) out->push_back(',');
      first = false;
      bool unknown = results[i] == Truth::kUnknown;
      bool listed = unknown && missing[i].n > 0;
      out->append(reason_[i * 3 + (unknown ? (listed ? 2 : 1) : 0)]);
      if (!listed) continue;
      for (size_t m = 0; m < missing[i].n; ++m) {
        if (m > 0) out->push_back(',');
        Quote(missing[i].paths[m], out);
      }
      out->append("]}");
    }
    out->append(tail_);
  }

 private:
  std::vector<Rule> rules_;
  std::string item_, date_, tail_;
  std::vector<std::string> reason_;
};

// Lines of a file read in large chunks into one buffer that always has
// simdjson's padding past its data; a line stays valid until the next call.
class Lines {
 public:
  explicit Lines(std::FILE* in) : in_(in), buffer_(kChunk + simdjson::SIMDJSON_PADDING) {}

  bool Next(std::string_view* line) {
    for (;;) {
      const char* at = buffer_.data() + begin_;
      if (const void* nl = std::memchr(at, '\n', end_ - begin_)) {
        size_t len = static_cast<size_t>(static_cast<const char*>(nl) - at);
        *line = {at, len};
        begin_ += len + 1;
        return true;
      }
      if (eof_) {
        if (begin_ == end_) return false;
        *line = {at, end_ - begin_};
        begin_ = end_;
        return true;
      }
      std::memmove(buffer_.data(), at, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
      if (end_ == buffer_.size() - simdjson::SIMDJSON_PADDING) buffer_.resize(buffer_.size() * 2);
      size_t room = buffer_.size() - simdjson::SIMDJSON_PADDING - end_;
      size_t got = std::fread(buffer_.data() + end_, 1, room, in_);
      if (got == 0) eof_ = true;
      end_ += got;
    }
  }
  // The padded bytes available from `line`'s start.
  size_t Capacity(std::string_view line) const {
    return static_cast<size_t>(buffer_.data() + buffer_.size() - line.data());
  }

 private:
  static constexpr size_t kChunk = 4 << 20;
  std::FILE* in_;
  std::vector<char> buffer_;
  size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
};

struct Options {
  std::string pack_dir, in, out, date = "2026-09-10", hash;
};

// Parses `PACK_DIR IN.jsonl OUT.jsonl --date D --pack-hash H`; false on a usage error.
inline bool ParseArgs(int argc, char** argv, const char* name, Options* o) {
  if (argc < 4 || (argc > 4 && argc % 2 != 0)) {
    std::fprintf(stderr, "usage: %s PACK_DIR IN.jsonl OUT.jsonl --date YYYY-MM-DD --pack-hash sha256:…\n", name);
    return false;
  }
  o->pack_dir = argv[1];
  o->in = argv[2];
  o->out = argv[3];
  for (int i = 4; i + 1 < argc; i += 2) {
    if (std::string_view(argv[i]) == "--date") o->date = argv[i + 1];
    if (std::string_view(argv[i]) == "--pack-hash") o->hash = argv[i + 1];
  }
  if (!dsl::ParseIsoDate(o->date)) {
    std::fprintf(stderr, "%s: --date %s is not a date\n", name, o->date.c_str());
    return false;
  }
  return true;
}

// Decides every line of `o.in` with `decide(line, capacity, &out)` and writes
// the records in large writes; prints the count and rate as
// `baseline: N applications in S s (R/s)`.
template <typename Decide>
int Run(const Options& o, Decide&& decide) {
  auto start = std::chrono::steady_clock::now();
  std::FILE* in = std::fopen(o.in.c_str(), "rb");
  std::FILE* out = std::fopen(o.out.c_str(), "wb");
  if (in == nullptr || out == nullptr) return 2;
  Lines lines(in);
  std::string records;
  records.reserve(2 << 20);
  std::string_view line;
  size_t count = 0;
  while (lines.Next(&line)) {
    decide(line, lines.Capacity(line), &records);
    ++count;
    if (records.size() >= (1 << 20)) {
      std::fwrite(records.data(), 1, records.size(), out);
      records.clear();
    }
  }
  std::fwrite(records.data(), 1, records.size(), out);
  std::fclose(out);
  std::fclose(in);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "baseline: %zu applications in %.3f s (%.0f/s)\n", count, seconds, count / seconds);
  return 0;
}

}  // namespace baseline
