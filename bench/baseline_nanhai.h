// What the hand-written Nanhai baselines share (bench/baseline_nanhai_*.cc):
// items of rules/nanhai decided without a licence library, as `miaopi batch
// rules/nanhai APPS --date D` decides them — every `uses licence` unknown.
//
// On top of bench/baseline_common.h (reading, dates, quoting, the run):
//
// - Val<T>: a value that is known, or unknown with Why — the paths that
//   made it so (and notes), in the order the record lists them: the order in
//   which the rule's expression reads them, each once. `a and b` is false
//   when either is false, else unknown when either is (naming the unknown
//   ones, left first); a comparison, a call, a lookup is unknown when an
//   operand is, naming every unknown operand.
// - the request context of an envelope line (subject and town) and the
//   common rules G01–G07 of rules/nanhai/nanhai.rules;
// - the record with its notes, outputs and the item's basis for rules that
//   name none.
//
// A field that is absent, null or of another type is unknown, named by its
// path ("elder.id_no"); a field of a record that is itself missing names the
// record ("elder"). The request context's subject is named "subject" and its
// fields "subject.kind", the town "context.town".
#pragma once

#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bench/baseline_common.h"
#include "engine/runtime/checksums.h"

namespace baseline::nanhai {

using Id = uint8_t;  // a name of Names

// The texts a reason can list: constant paths, each item's own, and per
// application the paths that carry data (table keys). A name is a missing
// path, a note, or both (a licence that could not be used); each is kept
// quoted as the record writes it, the constant ones quoted once.
class Names {
 public:
  struct Name {
    Name() = default;
    Name(std::string p, std::string n) : path(std::move(p)), note(std::move(n)) {}
    std::string path, note;
    std::string path_json, note_json;  // quoted; empty when there is no text
  };
  explicit Names(std::vector<Name> constants) : names_(std::move(constants)), constants_(names_.size()) {
    for (Name& n : names_) Quoted(&n);
    used_ = constants_;
  }
  // Forgets the previous application's paths.
  void Reset() { used_ = constants_; }
  // A path of this application ("delegations[\"NH-B04|440605011\"]"); the
  // same text gives the same id.
  Id Add(std::string_view path) {
    for (size_t i = constants_; i < used_; ++i) {
      if (names_[i].path == path) return static_cast<Id>(i);
    }
    if (used_ == 255) std::abort();  // a few a line: never
    if (used_ == names_.size()) names_.emplace_back();
    Name& n = names_[used_];
    n.path.assign(path);
    n.note.clear();
    Quoted(&n);
    return static_cast<Id>(used_++);
  }
  const Name& operator[](Id id) const { return names_[id]; }

 private:
  static void Quoted(Name* n) {
    n->path_json.clear();
    n->note_json.clear();
    if (!n->path.empty()) Quote(n->path, &n->path_json);
    if (!n->note.empty()) Quote(n->note, &n->note_json);
  }

  std::vector<Name> names_;
  size_t constants_, used_;
};

// Why a value is unknown: names, in order, each once. Joining keeps the
// left one's first. No rule of these items reads more than ten fields.
struct Why {
  static constexpr uint8_t kMax = 16;
  uint8_t n = 0;
  Id ids[kMax];

  static Why Of(Id id) {
    Why w;
    w.n = 1;
    w.ids[0] = id;
    return w;
  }
  void Add(const Why& other) {
    for (uint8_t k = 0; k < other.n; ++k) {
      Id id = other.ids[k];
      bool seen = false;
      for (uint8_t i = 0; i < n && !seen; ++i) seen = ids[i] == id;
      if (seen) continue;
      if (n == kMax) std::abort();
      ids[n++] = id;
    }
  }
};

// A value as a rule sees it: known, or unknown and why.
template <typename T>
struct Val {
  bool known = false;
  T v{};
  Why why;

  static Val Of(T value) {
    Val x;
    x.known = true;
    x.v = value;
    return x;
  }
  static Val Unknown(const Why& why) {
    Val x;
    x.why = why;
    return x;
  }
};
using Bool = Val<bool>;
using Str = Val<std::string_view>;
using Date = Val<int32_t>;
using Num = Val<double>;

// The why of whichever of a and b is unknown (both, a's first).
template <typename A, typename B>
Why Either(const Val<A>& a, const Val<B>& b) {
  if (a.known) return b.why;
  Why w = a.why;
  if (!b.known) w.Add(b.why);
  return w;
}

// f(a) when a is known.
template <typename R, typename A, typename F>
Val<R> Map(const Val<A>& a, F&& f) {
  return a.known ? Val<R>::Of(f(a.v)) : Val<R>::Unknown(a.why);
}
// f(a, b) when both are known (a comparison, a two-argument call).
template <typename A, typename B, typename F>
Bool Both(const Val<A>& a, const Val<B>& b, F&& f) {
  return a.known && b.known ? Bool::Of(f(a.v, b.v)) : Bool::Unknown(Either(a, b));
}
template <typename A, typename B>
Bool Eq(const Val<A>& a, const Val<B>& b) {
  return Both(a, b, [](const A& x, const B& y) { return x == y; });
}

inline Bool Not(const Bool& a) { return a.known ? Bool::Of(!a.v) : a; }
inline Bool And(const Bool& a, const Bool& b) {
  if ((a.known && !a.v) || (b.known && !b.v)) return Bool::Of(false);
  if (a.known && b.known) return Bool::Of(true);
  return Bool::Unknown(Either(a, b));
}
inline Bool Or(const Bool& a, const Bool& b) {
  if ((a.known && a.v) || (b.known && b.v)) return Bool::Of(true);
  if (a.known && b.known) return Bool::Of(false);
  return Bool::Unknown(Either(a, b));
}
// `a and b and c …`, left to right.
inline Bool All(std::initializer_list<Bool> terms) {
  Bool r = Bool::Of(true);
  for (const Bool& t : terms) r = And(r, t);
  return r;
}

// A field of a record read into the application: the record's name when the
// record is missing, else the field's own.
template <typename T>
Val<T> Get(Got record, Id record_name, const Field<T>& f, Id name) {
  if (record != Got::kOk) return Val<T>::Unknown(Why::Of(record_name));
  if (!f.ok()) return Val<T>::Unknown(Why::Of(name));
  return Val<T>::Of(f.value);
}
// A field of the application itself.
template <typename T>
Val<T> Get(const Field<T>& f, Id name) {
  return Get(Got::kOk, name, f, name);
}

// ---------------------------------------------------------------- helpers of nanhai.rules
// Trim's white space: ASCII and U+3000.
inline bool IsSpaceAt(std::string_view s, size_t i, size_t* len) {
  char c = s[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
    *len = 1;
    return true;
  }
  if (s.substr(i, 3) == "\xE3\x80\x80") {
    *len = 3;
    return true;
  }
  return false;
}
// `filled(s) = len(trim(s)) > 0`: something other than white space.
inline Bool Filled(const Str& s) {
  return Map<bool>(s, [](std::string_view text) {
    size_t len = 0;
    for (size_t i = 0; i < text.size(); i += len) {
      if (!IsSpaceAt(text, i, &len)) return true;
    }
    return false;
  });
}
// `answered(b) = b or not b`: known, whichever it is.
inline Bool Answered(const Bool& b) { return b.known ? Bool::Of(true) : b; }
// `positive(x) = x > 0`, `non_negative(x) = x >= 0`.
inline Bool Positive(const Num& x) {
  return Map<bool>(x, [](double d) { return d > 0; });
}
inline Bool NonNegative(const Num& x) {
  return Map<bool>(x, [](double d) { return d >= 0; });
}
// `in_nanhai(division) = starts_with(division, "440605")`.
inline Bool InNanhai(const Str& division) {
  return Map<bool>(division, [](std::string_view d) { return d.starts_with("440605"); });
}
inline Bool IdNumberValid(const Str& s) {
  return Map<bool>(s, [](std::string_view id) { return miaopi::engine::IdNumberValid(id); });
}
inline Bool UsccValid(const Str& s) {
  return Map<bool>(s, [](std::string_view code) { return miaopi::engine::UsccValid(code); });
}
// The decision table auth_rank: password 1, sms 2, face 3, anything else 0.
inline int AuthRank(std::string_view level) {
  if (level == "password") return 1;
  if (level == "sms") return 2;
  if (level == "face") return 3;
  return 0;
}

// A table key or value as the engine writes it inside a path
// (`delegations["NH-B04|440605011"]`): its own escaping, not RapidJSON's.
inline void AppendKey(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\t': out->append("\\t"); break;
      case '\r': out->append("\\r"); break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out->append(buf);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

// ---------------------------------------------------------------- tables
// The rows of a CSV table of the pack (RFC 4180, a header row), by the
// first column: each row's cells by column name. Empty cells are absent.
class Table {
 public:
  explicit Table(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
    std::vector<std::vector<std::string>> rows = Parse(text);
    if (rows.empty()) {
      std::fprintf(stderr, "baseline: cannot read %s\n", path.c_str());
      std::exit(2);
    }
    header_ = rows[0];
    for (size_t r = 1; r < rows.size(); ++r) {
      rows[r].resize(header_.size());
      rows_.emplace(rows[r][0], std::move(rows[r]));
    }
  }
  bool Has(std::string_view key) const { return rows_.find(key) != rows_.end(); }
  const std::vector<std::string>* Row(std::string_view key) const {
    auto it = rows_.find(key);
    return it == rows_.end() ? nullptr : &it->second;
  }
  template <typename F>
  void ForEach(F&& f) const {
    for (const auto& [key, row] : rows_) f(row);
  }
  size_t Column(std::string_view name) const {
    for (size_t c = 0; c < header_.size(); ++c) {
      if (header_[c] == name) return c;
    }
    std::fprintf(stderr, "baseline: no column %.*s\n", static_cast<int>(name.size()), name.data());
    std::exit(2);
  }

 private:
  static std::vector<std::vector<std::string>> Parse(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false, any = false;
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (quoted) {
        if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell += c;
        }
      } else if (c == '"') {
        quoted = any = true;
      } else if (c == ',') {
        row.push_back(std::move(cell));
        cell.clear();
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        row.push_back(std::move(cell));
        cell.clear();
        rows.push_back(std::move(row));
        row.clear();
        any = false;
      } else {
        cell += c;
        any = true;
      }
    }
    if (any || !cell.empty() || !row.empty()) {
      row.push_back(std::move(cell));
      rows.push_back(std::move(row));
    }
    return rows;
  }

  std::vector<std::string> header_;
  std::unordered_map<std::string, std::vector<std::string>, Hash, std::equal_to<>> rows_;
};

// ---------------------------------------------------------------- the request context
// The subject and town of an envelope's "context" (never the form's).
struct Context {
  Got subject = Got::kAbsent;
  Field<std::string_view> kind, id, auth_level, town;
};

// The names every Nanhai item lists; each item's own follow from kItemNames.
enum CommonName : Id {
  kSubject,
  kSubjectKind,
  kSubjectId,
  kSubjectAuthLevel,
  kContextTown,
  kDataSources,
  kItemNames,
};
inline std::vector<Names::Name> CommonNames() {
  return {{"subject", ""},      {"subject.kind", ""}, {"subject.id", ""}, {"subject.auth_level", ""},
          {"context.town", ""}, {"data_sources", ""}};
}
// The name and note of a licence the item uses, when there is no licence
// library: "licence bl (营业执照)" and the applicant's note.
inline Names::Name NoLibrary(std::string_view name, std::string_view title) {
  std::string t(title);
  return {"licence " + std::string(name) + " (" + t + ")",
          "未能调取" + t + "电子证照（未接入证照库），请上传证照扫描件或到任一镇（街道）窗口进行原件核验"};
}

// An envelope line: the application's id, item and other members, and the
// request context.
struct Envelope {
  std::string_view id, item;
  bool has_id = false, has_item = false;
  Context context;
};

// Reads `{"application": {…}, "context": {…}}`, each member of the
// application but "id" and "item" by `member(key, value)`. False for
// anything else (the engine's error records are not a baseline's business).
template <typename Member>
bool ReadEnvelope(od::parser& parser, std::string_view line, size_t capacity, Envelope* e, Member&& member) {
  e->has_id = e->has_item = false;
  e->context = Context{};
  bool has_app = false;
  bool ok = ReadRoot(parser, line, capacity, [&](std::string_view key, od::value v) {
    if (key == "application") {
      has_app = ReadMembers(v, [&](std::string_view k, od::value value) {
        if (k == "id") {
          e->has_id = !value.get_string().get(e->id);
        } else if (k == "item") {
          e->has_item = !value.get_string().get(e->item);
        } else {
          member(k, value);
        }
      });
    } else if (key == "context") {
      Context& c = e->context;
      if (!ReadMembers(v, [&](std::string_view k, od::value value) {
            if (k == "subject") {
              c.subject = ReadMembers(value,
                                      [&](std::string_view sk, od::value sv) {
                                        if (sk == "kind") {
                                          Read(sv, &c.kind);
                                        } else if (sk == "id") {
                                          Read(sv, &c.id);
                                        } else if (sk == "auth_level") {
                                          Read(sv, &c.auth_level);
                                        }
                                      })
                              ? Got::kOk
                              : Got::kBad;
            } else if (k == "town") {
              Read(value, &c.town);
            }
          })) {
        ok = false;  // a context that is not an object: the engine's bad_context
      }
    }
  });
  return ok && has_app;
}

// The subject's fields as rules read them.
inline Str SubjectKind(const Context& c) { return Get(c.subject, kSubject, c.kind, kSubjectKind); }
inline Str SubjectId(const Context& c) { return Get(c.subject, kSubject, c.id, kSubjectId); }
inline Str SubjectAuthLevel(const Context& c) { return Get(c.subject, kSubject, c.auth_level, kSubjectAuthLevel); }

// A licence the item uses, with no library to ask: unknown, and why — the
// subject when it is unknown (no one to look it up for), else the key the
// item looks it up by (`for elder.id_no`; the subject's id without `for`),
// else the licence itself, which names the missing library in its note.
inline Why LicenceWhy(const Context& c, const Str& key, Id licence) {
  Str kind = SubjectKind(c), id = SubjectId(c);
  if (!kind.known || !id.known) return Either(kind, id);
  if (!key.known) return key.why;
  return Why::Of(licence);
}

// ---------------------------------------------------------------- the common rules
// G01 `subject.kind == applicant_kind`.
inline Bool G01(const Context& c, std::string_view applicant_kind) {
  return Map<bool>(SubjectKind(c), [&](std::string_view kind) { return kind == applicant_kind; });
}
// G02 `auth_rank(subject.auth_level) >= auth_rank(min_auth_level)`.
inline Bool G02(const Context& c, std::string_view min_auth_level) {
  int min = AuthRank(min_auth_level);
  return Map<bool>(SubjectAuthLevel(c), [&](std::string_view level) { return AuthRank(level) >= min; });
}

// The data sources the backend reports: each one's status.
struct DataSource {
  bool object = true;  // false: the element is not an object (or null)
  Field<std::string_view> status;
};
inline Got ReadDataSources(od::value v, List<DataSource>* list) {
  list->Reset();
  return ReadObjects(
      v, list,
      [](DataSource& d, std::string_view key, od::value value) {
        if (key == "status") Read(value, &d.status);
      },
      [](DataSource& d) { d.object = false; });
}

// G06 `count(data_sources) > 0 and (all s in data_sources: s.status == "ok")`.
// Its missing paths are the elements' ("data_sources[1].status"), as many
// as the list has: listed in `paths` rather than a Why.
inline Truth G06(const List<DataSource>& sources, Missing* paths) {
  paths->Clear();
  if (sources.got != Got::kOk) {
    paths->Add("data_sources");
    return Truth::kUnknown;
  }
  if (sources.n == 0) return Truth::kFalse;
  bool unknown = false;
  for (size_t i = 0; i < sources.n; ++i) {
    const DataSource& s = sources.items[i];
    if (s.object && s.status.ok()) {
      if (s.status.value != "ok") {  // all: one that is not ok decides
        paths->Clear();
        return Truth::kFalse;
      }
      continue;
    }
    unknown = true;
    if (s.object) {
      paths->AddAt("data_sources", i, "status");
    } else {
      char text[40];
      int len = std::snprintf(text, sizeof text, "data_sources[%zu]", i);
      paths->Add(std::string_view(text, static_cast<size_t>(len)));
    }
  }
  return unknown ? Truth::kUnknown : Truth::kTrue;
}

// G05 (items delegated to the towns):
//   delegations[item_code + "|" + context.town].valid_from <= today
//   and today <= delegations[item_code + "|" + context.town].valid_to
class Delegations {
 public:
  explicit Delegations(const std::string& pack_dir) : table_(pack_dir + "/tables/delegations.csv") {
    size_t from = table_.Column("valid_from"), to = table_.Column("valid_to");
    table_.ForEach([&](const std::vector<std::string>& row) {
      Window& w = windows_[row[0]];
      w.has_from = ParseDate(row[from], &w.from);
      w.has_to = ParseDate(row[to], &w.to);
    });
  }

  Bool G05(const Context& c, std::string_view item_code, int32_t today, Names* names) {
    if (c.town.got != Got::kOk) return Bool::Unknown(Why::Of(kContextTown));
    key_.assign(item_code).append("|").append(c.town.value);
    auto it = windows_.find(key_);
    if (it == windows_.end()) return Bool::Unknown(Why::Of(names->Add(Path(""))));
    const Window& w = it->second;
    Date from = w.has_from ? Date::Of(w.from) : Date::Unknown(Why::Of(names->Add(Path(".valid_from"))));
    Date to = w.has_to ? Date::Of(w.to) : Date::Unknown(Why::Of(names->Add(Path(".valid_to"))));
    Date at = Date::Of(today);
    return And(Both(from, at, [](int32_t f, int32_t d) { return f <= d; }),
               Both(at, to, [](int32_t d, int32_t t) { return d <= t; }));
  }

 private:
  struct Window {
    bool has_from = false, has_to = false;
    int32_t from = 0, to = 0;
  };
  // delegations["KEY"] and a column.
  const std::string& Path(std::string_view column) {
    path_ = "delegations[";
    AppendKey(key_, &path_);
    path_ += ']';
    path_ += column;
    return path_;
  }

  Table table_;
  std::unordered_map<std::string, Window, Hash, std::equal_to<>> windows_;
  std::string key_, path_;
};

// ---------------------------------------------------------------- the record
enum class Outcome : uint8_t { kApprove, kReview, kReject };

struct RuleText {
  const char* code;
  const char* message;
  const char* basis;                   // nullptr: the item's
  Outcome fail;                        // `else reject|review`
  Outcome unknown = Outcome::kReview;  // `on missing`
};

struct ItemText {
  const char* code;
  const char* title;
  const char* basis;
  const char* effective;
  const char* pack;
  const char* version;
};

// The record of one decision, its constant parts escaped once.
class Writer {
 public:
  Writer(const ItemText& item, std::string_view hash, std::string_view date, std::vector<RuleText> rules)
      : rules_(std::move(rules)) {
    item_ = ",\"item\":";
    Quote(item.code, &item_);
    item_ += ",\"decision\":\"";
    date_ = "\",\"date\":";
    Quote(date, &date_);
    date_ += ",\"reasons\":[";
    tail_ = ",\"item_version\":{\"title\":";
    Quote(item.title, &tail_);
    tail_ += ",\"effective\":";
    Quote(item.effective, &tail_);
    tail_ += ",\"mode\":\"online\"},\"pack\":{\"name\":";
    Quote(item.pack, &tail_);
    tail_ += ",\"version\":";
    Quote(item.version, &tail_);
    tail_ += ",\"hash\":";
    Quote(hash, &tail_);
    tail_ += "}}\n";
    static const char* kOutcomes[] = {"approve", "review", "reject"};
    for (const RuleText& r : rules_) {
      for (int unknown = 0; unknown < 2; ++unknown) {  // the reason up to its missing paths and notes
        std::string s = "{\"rule\":";
        Quote(r.code, &s);
        s += ",\"outcome\":\"";
        s += kOutcomes[static_cast<int>(unknown ? r.unknown : r.fail)];
        s += unknown ? "\",\"status\":\"unknown\"" : "\",\"status\":\"fail\"";
        s += ",\"message\":";
        Quote(r.message, &s);
        s += ",\"basis\":";
        Quote(r.basis != nullptr ? r.basis : item.basis, &s);
        reason_.push_back(std::move(s));
      }
    }
  }

  size_t size() const { return rules_.size(); }

  // `results[r]` of each rule, why the unknown ones are (or, where
  // `listed[r]` has paths, those), the outputs' JSON members (",\"outputs\":{…}"
  // or empty); `id`: the application's id when `has_id` (a string).
  void Write(bool has_id, std::string_view id, const Truth* results, const Why* whys, const Missing* listed,
             const Names& names, std::string_view outputs, std::string* out) const {
    int overall = 0;
    for (size_t r = 0; r < rules_.size(); ++r) {
      if (results[r] == Truth::kFalse) overall = std::max(overall, static_cast<int>(rules_[r].fail));
      if (results[r] == Truth::kUnknown) overall = std::max(overall, static_cast<int>(rules_[r].unknown));
    }
    out->push_back('{');
    if (has_id) {
      out->append("\"id\":");
      Quote(id, out);
    }
    out->append(has_id ? std::string_view(item_) : std::string_view(item_).substr(1));
    static const char* kOutcomes[] = {"approve", "review", "reject"};
    out->append(kOutcomes[overall]);
    out->append(date_);
    bool first = true;
    for (size_t r = 0; r < rules_.size(); ++r) {
      if (results[r] == Truth::kTrue) continue;
      if (!first) out->push_back(',');
      first = false;
      bool unknown = results[r] == Truth::kUnknown;
      out->append(reason_[r * 2 + unknown]);
      if (unknown) {
        if (listed != nullptr && listed[r].n > 0) {
          out->append(",\"missing\":[");
          for (size_t i = 0; i < listed[r].n; ++i) {
            if (i > 0) out->push_back(',');
            Quote(listed[r].paths[i], out);
          }
          out->push_back(']');
        } else {
          List(whys[r], names, false, out);
          List(whys[r], names, true, out);
        }
      }
      out->push_back('}');
    }
    out->push_back(']');
    out->append(outputs);
    out->append(tail_);
  }

 private:
  // ,"missing":[…] or ,"notes":[…] of a Why (nothing when it has none).
  static void List(const Why& why, const Names& names, bool notes, std::string* out) {
    bool first = true;
    for (uint8_t i = 0; i < why.n; ++i) {
      const Names::Name& name = names[why.ids[i]];
      const std::string& json = notes ? name.note_json : name.path_json;
      if (json.empty()) continue;
      out->append(first ? (notes ? ",\"notes\":[" : ",\"missing\":[") : ",");
      first = false;
      out->append(json);
    }
    if (!first) out->push_back(']');
  }

  std::vector<RuleText> rules_;
  std::string item_, date_, tail_;
  std::vector<std::string> reason_;
};

// The common rules of an item that includes COMMON and then TOWN, in the
// record's order; the item's own follow from kItemRules.
enum CommonRule : size_t { kG01, kG02, kG03, kG04, kG06, kG07, kG05, kItemRules };
inline std::vector<RuleText> CommonRules() {
  return {
      {"G01",
       "本事项须以规定身份登录办理：个人事项以自然人账号、企业事项以法人账号登录；"
       "个人账号不能调用企业证照，企业账号不能调用个人证照。",
       "国务院令第716号第五条（全国统一身份认证）；办事指南", Outcome::kReject},
      {"G02", "请完成人脸识别等实名认证后重新提交。", "办事指南", Outcome::kReject},
      {"G03", "证件号码校验不通过，请核对后重新提交。",
       "《中华人民共和国行政许可法》第三十二条第一款第四项；GB 11643-1999；GB 32100-2015", Outcome::kReject},
      {"G04", "申请材料不齐全或不符合法定形式，请一次性补正以下内容。",
       "《中华人民共和国行政许可法》第三十二条第一款第四项（一次性告知补正）", Outcome::kReject, Outcome::kReject},
      {"G06", "部分数据核验服务暂不可用，已转人工审核，无需重复提交。", nullptr, Outcome::kReview},
      {"G07", "未能调取所需电子证照，请上传证照扫描件或到任一镇（街道）窗口进行原件核验。",
       "国务院令第716号第七条、第十条、第十一条", Outcome::kReview},
      {"G05", "受理镇（街道）暂无该事项委托审批权限或委托已到期，已转区主管部门办理。",
       "《中华人民共和国行政许可法》第二十四条", Outcome::kReview},
  };
}
// The common rules and `item_rules` after them.
inline std::vector<RuleText> Rules(std::vector<RuleText> item_rules) {
  std::vector<RuleText> rules = CommonRules();
  rules.insert(rules.end(), item_rules.begin(), item_rules.end());
  return rules;
}

inline Truth TruthOf(const Bool& b) { return b.known ? Of(b.v) : Truth::kUnknown; }

}  // namespace baseline::nanhai
