#include "journal/diff.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/stat.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>

#include "engine/api/chunk_reader.h"
#include "journal/audit.h"
#include "journal/json_text.h"
#include "journal/licence_capture.h"
#include "journal/replay.h"

namespace miaopi::journal {

const char* TransitionName(int outcome) {
  static const char* kNames[] = {"approve", "review", "reject", "error"};
  return kNames[outcome];
}

namespace {

// One application of the input.
struct Case {
  std::string input, licences;            // a journal entry's
  std::string_view line;                  // a JSONL line, in its chunk's text
  size_t capacity = 0;                    // bytes readable from line.data() (simdjson's padding)
  size_t dropped = 0;                     // bytes past the line limit: too large, not decided
  DecideOptions own;                      // a journal entry's options
  const DecideOptions* shared = nullptr;  // a JSONL file's, the same for every line
  const DecideOptions& options() const { return shared != nullptr ? *shared : own; }
  std::string_view text() const { return shared != nullptr ? line : std::string_view(input); }
  bool replay_licences = false;  // from a journal: its licence answers
  uint64_t number = 0;           // line or seq
};

struct CaseResult {
  int from = 3, to = 3;
  std::string item, id;
  std::vector<std::pair<std::string, bool>> rules;  // rule, true: newly passes; false: newly fails
};

// The end of the JSON string whose text starts at `at` (just past its
// opening quote): the index of its closing quote, or the record's size.
size_t StringEnd(std::string_view record, size_t at) {
  while (at < record.size()) {
    const void* found = std::memchr(record.data() + at, '"', record.size() - at);
    if (found == nullptr) break;
    size_t quote = static_cast<size_t>(static_cast<const char*>(found) - record.data()), slashes = 0;
    while (quote - slashes > at && record[quote - slashes - 1] == '\\') ++slashes;
    if (slashes % 2 == 0) return quote;  // not escaped
    at = quote + 1;
  }
  return record.size();
}

// The rules among a decision record's reasons, read straight from the
// writer's one format (engine/runtime/record_format.h):
// "reasons":[{"rule":"NAME",…},…]. Strings are skipped whole, so a brace or
// bracket inside a message counts for nothing; a quote inside a string is
// escaped, so the first "reasons":[ outside one is the member.
void ReasonRules(std::string_view record, std::vector<std::string_view>* rules) {
  rules->clear();
  constexpr std::string_view kReasons = "\"reasons\":[", kRule = "{\"rule\":\"";
  size_t at = record.find(kReasons);
  if (at == std::string_view::npos) return;
  int depth = 0;
  for (size_t i = at + kReasons.size(); i < record.size(); ++i) {
    char c = record[i];
    if (c == '"') {
      i = StringEnd(record, i + 1);
    } else if (c == '{' || c == '[') {
      if (depth == 0 && record.substr(i, kRule.size()) == kRule) {
        size_t start = i + kRule.size(), end = StringEnd(record, start);
        rules->push_back(record.substr(start, end - start));  // a rule's name: an identifier, never escaped
        i = end;
      }
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth-- == 0) return;  // the reasons' closing bracket
    }
  }
}

// A decision record without its "pack" member (its last one): two packs
// decided alike when the rest is the same. Every record of a pack ends with
// the same member, found once by a backward search and kept in `pack_tail`.
std::string_view WithoutPack(std::string_view record, std::string* pack_tail) {
  if (!pack_tail->empty() && record.ends_with(*pack_tail)) return record.substr(0, record.size() - pack_tail->size());
  size_t at = record.rfind(",\"pack\":{");
  if (at == std::string_view::npos) return record;
  pack_tail->assign(record.substr(at));
  return record.substr(0, at);
}

// The first "item" of a record: a quote inside a JSON string is escaped,
// so the first match is the member.
std::string_view RecordItem(std::string_view record) {
  constexpr std::string_view kKey = "\"item\":\"";
  size_t at = record.find(kKey);
  if (at == std::string_view::npos) return {};
  at += kKey.size();
  size_t end = record.find('"', at);
  return end == std::string_view::npos ? std::string_view{} : record.substr(at, end - at);
}

// The application's id as JSON text, when the record names one: it is the
// record's first member (record_format.h). A string id is copied as the
// writer escaped it; a number is written again as RapidJSON writes it.
std::string RecordId(std::string_view record) {
  constexpr std::string_view kStringId = "{\"id\":\"";
  if (record.starts_with(kStringId)) {
    size_t end = StringEnd(record, kStringId.size());
    return std::string(record.substr(kStringId.size() - 1, end - kStringId.size() + 2));
  }
  if (!record.starts_with("{\"id\":")) return {};
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(record.data(), record.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("id")) return {};
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  doc["id"].Accept(w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Each rule of `rules` (once) that `others` lacks, as (rule, passes).
void AddMissing(const std::vector<std::string_view>& rules, const std::vector<std::string_view>& others, bool passes,
                std::vector<std::pair<std::string, bool>>* out) {
  for (size_t k = 0; k < rules.size(); ++k) {
    bool repeated = std::find(rules.begin(), rules.begin() + k, rules[k]) != rules.begin() + k;
    if (!repeated && std::find(others.begin(), others.end(), rules[k]) == others.end()) {
      out->emplace_back(std::string(rules[k]), passes);
    }
  }
}

// One pack's records of a group of applications, in one buffer.
struct GroupRecords {
  std::string text;
  std::vector<size_t> ends;  // of each record in `text`
  std::vector<std::optional<Outcome>> outcomes;

  void Decide(Evaluator& evaluator, const std::vector<Case>& cases, size_t first, size_t last) {
    text.clear();
    ends.clear();
    outcomes.clear();
    for (size_t i = first; i < last; ++i) {
      const Case& c = cases[i];
      std::optional<Outcome> outcome;
      if (c.dropped == 0) {
        std::string error;
        if (c.replay_licences) SetReplayAnswers(c.licences, &error);
        outcome = evaluator.DecideToJson(c.text(), c.options(), 0, &text, c.capacity);
      }
      outcomes.push_back(outcome);
      ends.push_back(text.size());
    }
  }
  std::string_view Record(size_t k) const {
    size_t start = k == 0 ? 0 : ends[k - 1];
    return std::string_view(text).substr(start, ends[k] - start);
  }
};

struct Evaluators {
  std::unique_ptr<Evaluator> old_one, new_one;
  GroupRecords old_side, new_side;
  std::vector<std::string_view> old_rules, new_rules;  // their reasons' rules
  std::string old_tail, new_tail;                      // each pack's "pack" member (WithoutPack)
};

}  // namespace

DiffReport RunDiff(std::shared_ptr<const Pack> old_pack, std::shared_ptr<const Pack> new_pack,
                   const DiffOptions& options) {
  auto started = std::chrono::steady_clock::now();
  DiffReport report;
  report.old_pack = old_pack->identity();
  report.new_pack = new_pack->identity();
  report.input = options.input;
  std::shared_ptr<LicenceStore> replay = std::make_shared<ReplayLicences>();
  bool from_journal = std::filesystem::is_regular_file(std::filesystem::path(options.input) / "journal.db");
  std::shared_ptr<LicenceStore> store = from_journal ? replay : options.licences;
  tbb::enumerable_thread_specific<Evaluators> evaluators([&] {
    Evaluators e;
    e.old_one = std::make_unique<Evaluator>(old_pack, store);
    e.new_one = std::make_unique<Evaluator>(new_pack, store);
    return e;
  });
  int threads = options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  constexpr size_t kChunk = 2048;
  struct Chunk {
    TextBuffer text;  // a JSONL chunk's lines, padded
    std::vector<std::string_view> lines;
    std::vector<size_t> dropped;
    std::vector<Case> cases;
    std::vector<CaseResult> results;
    uint64_t done_after = 0;  // bytes, or entries, read so far
  };
  const char* label = from_journal ? "seq " : "line ";
  uint64_t total = 0;

  // The source: a serial stage fills one chunk at a time.
  std::function<bool(Chunk*)> fill;
  std::unique_ptr<JournalReader> reader;
  std::ifstream file;
  std::istream* in = &std::cin;
  std::unique_ptr<ChunkReader> lines_in;
  DecideOptions decide;
  uint64_t next = 0;  // the next seq, or line number
  if (from_journal) {
    reader = JournalReader::Open(options.input, &report.error);
    if (!reader) return report;
    total = reader->size();
    fill = [&](Chunk* chunk) {
      if (next >= total) return false;
      uint64_t to = std::min(total, next + kChunk);
      bool ok = reader->ForEach(
          next, to,
          [&](const Entry& e, const std::string&) {
            if (e.kind != "decision") return true;
            Case& c = chunk->cases.emplace_back();
            uint64_t line = 0;
            if (!DecideOptionsOf(e.options, e.date, e.context, &c.own, &line)) {
              chunk->cases.pop_back();
              return true;
            }
            c.input = e.input;
            c.licences = e.licences;
            c.replay_licences = true;
            c.number = e.seq;
            return true;
          },
          &report.error);
      next = to;
      chunk->done_after = next;
      return ok;
    };
  } else {
    if (options.input != "-") {
      struct stat st {};
      if (::stat(options.input.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        report.error = options.input + " is a folder but not a journal (no journal.db)";
        return report;
      }
      file.open(options.input, std::ios::binary);
      if (!file) {
        report.error = "cannot read " + options.input;
        return report;
      }
      if (S_ISREG(st.st_mode)) total = static_cast<uint64_t>(st.st_size);
      in = &file;
    }
    decide.date = options.date.empty() ? TodayUtc() : options.date;
    decide.context = options.context;
    // Lines are read in large blocks and decided in place (engine/api/chunk_reader.h).
    size_t max_line = std::max(old_pack->limits().max_application_bytes, new_pack->limits().max_application_bytes);
    lines_in = std::make_unique<ChunkReader>(*in, max_line, kChunk);
    fill = [&](Chunk* chunk) {
      if (!lines_in->Fill(&chunk->text, &chunk->lines, &chunk->dropped)) return false;
      const char* end = chunk->text.data() + chunk->text.size();
      for (size_t i = 0; i < chunk->lines.size(); ++i) {
        ++next;
        std::string_view line = chunk->lines[i];
        if (chunk->dropped[i] == 0 && line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        Case& c = chunk->cases.emplace_back();
        c.line = line;
        c.capacity = static_cast<size_t>(end - line.data());
        c.dropped = chunk->dropped[i];
        c.shared = &decide;
        c.number = next;
      }
      chunk->done_after = lines_in->bytes();
      return true;
    };
  }
  uint64_t bytes_done = 0;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_pipeline(
        static_cast<size_t>(threads) * 4,
        tbb::make_filter<void, Chunk*>(tbb::filter_mode::serial_in_order, [&](tbb::flow_control& fc) -> Chunk* {
          auto chunk = std::make_unique<Chunk>();
          chunk->done_after = bytes_done;
          while (chunk->cases.empty()) {
            if (!fill(chunk.get())) break;
          }
          if (chunk->cases.empty()) {
            fc.stop();
            return nullptr;
          }
          bytes_done = chunk->done_after;
          return chunk.release();
        }) & tbb::make_filter<Chunk*, Chunk*>(tbb::filter_mode::parallel, [&](Chunk* chunk) -> Chunk* {
          Evaluators& e = evaluators.local();
          chunk->results.resize(chunk->cases.size());
          // A group of applications by the old pack, then the same by the
          // new one: each pack's nodes, tables and parser stay in cache for
          // the group. (1,000,000 applications, 2 threads: 1.80 s one by
          // one, 1.67 s in groups of 256, 1.75 s in groups of 2,048.)
          constexpr size_t kGroup = 256;
          for (size_t first = 0; first < chunk->cases.size(); first += kGroup) {
            const size_t last = std::min(chunk->cases.size(), first + kGroup);
            e.old_side.Decide(*e.old_one, chunk->cases, first, last);
            e.new_side.Decide(*e.new_one, chunk->cases, first, last);
            for (size_t i = first; i < last; ++i) {
              const Case& c = chunk->cases[i];
              CaseResult& out = chunk->results[i];
              if (c.dropped > 0) continue;  // too large for both packs: an error record each (3 → 3)
              std::optional<Outcome> old_outcome = e.old_side.outcomes[i - first];
              std::optional<Outcome> new_outcome = e.new_side.outcomes[i - first];
              std::string_view before = e.old_side.Record(i - first), after = e.new_side.Record(i - first);
              out.from = old_outcome ? static_cast<int>(*old_outcome) : 3;
              out.to = new_outcome ? static_cast<int>(*new_outcome) : 3;
              out.item = std::string(RecordItem(new_outcome ? after : before));
              if (out.from != out.to) {
                std::string id = RecordId(new_outcome ? after : before);
                out.id = label + std::to_string(c.number) + (id.empty() ? "" : " " + id);
              }
              // The records are read again only when they differ in more
              // than the pack that made them.
              if (old_outcome && new_outcome && WithoutPack(before, &e.old_tail) != WithoutPack(after, &e.new_tail)) {
                ReasonRules(before, &e.old_rules);
                ReasonRules(after, &e.new_rules);
                AddMissing(e.new_rules, e.old_rules, false, &out.rules);  // newly fail
                AddMissing(e.old_rules, e.new_rules, true, &out.rules);   // newly pass
              }
            }
          }
          chunk->cases.clear();
          return chunk;
        }) & tbb::make_filter<Chunk*, void>(tbb::filter_mode::serial_in_order, [&](Chunk* raw) {
          std::unique_ptr<Chunk> chunk(raw);
          for (CaseResult& r : chunk->results) {
            ++report.applications;
            ++report.matrix[r.from][r.to];
            ++report.by_item[r.item][r.from][r.to];
            for (const auto& [rule, passes] : r.rules) {
              RuleChange& change = report.rules[{r.item, rule}];
              ++(passes ? change.newly_pass : change.newly_fail);
            }
            if (r.from != r.to) {
              std::vector<std::string>& ids = report.samples[{r.from, r.to}];
              if (ids.size() < options.samples) ids.push_back(r.id);
            }
          }
          if (options.progress) options.progress(report.applications, chunk->done_after, total);
        }));
  });
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void WriteMatrix(JsonWriter& w, const Matrix& m) {
  w.StartObject();
  for (int from = 0; from < kOutcomes; ++from) {
    w.Key(TransitionName(from));
    w.StartObject();
    for (int to = 0; to < kOutcomes; ++to) {
      w.Key(TransitionName(to));
      w.Uint64(m[from][to]);
    }
    w.EndObject();
  }
  w.EndObject();
}

void WritePack(JsonWriter& w, const PackIdentity& p) {
  w.StartObject();
  w.Key("name");
  WriteString(w, p.name);
  w.Key("version");
  WriteString(w, p.version);
  w.Key("hash");
  WriteString(w, p.hash);
  w.EndObject();
}

uint64_t Changed(const Matrix& m) {
  uint64_t n = 0;
  for (int a = 0; a < kOutcomes; ++a) {
    for (int b = 0; b < kOutcomes; ++b) n += a != b ? m[a][b] : 0;
  }
  return n;
}

// Rules by how many applications they change, most first.
std::vector<std::pair<std::pair<std::string, std::string>, RuleChange>> RankedRules(const DiffReport& r) {
  std::vector<std::pair<std::pair<std::string, std::string>, RuleChange>> rules(r.rules.begin(), r.rules.end());
  std::stable_sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) {
    return a.second.newly_fail + a.second.newly_pass > b.second.newly_fail + b.second.newly_pass;
  });
  return rules;
}

std::string Html(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string MatrixHtml(const Matrix& m) {
  uint64_t total = 0;
  for (const auto& row : m) {
    for (uint64_t n : row) total += n;
  }
  std::string out = "<table class=\"matrix\"><tr><th>old \\ new</th>";
  for (int to = 0; to < kOutcomes; ++to) out += std::string("<th>") + TransitionName(to) + "</th>";
  out += "</tr>";
  for (int from = 0; from < kOutcomes; ++from) {
    out += std::string("<tr><th>") + TransitionName(from) + "</th>";
    for (int to = 0; to < kOutcomes; ++to) {
      uint64_t n = m[from][to];
      double share = total ? static_cast<double>(n) / static_cast<double>(total) : 0;
      const char* cls = n == 0 ? "zero" : from == to ? "same" : "changed";
      char pct[32];
      std::snprintf(pct, sizeof pct, "%.1f%%", share * 100);
      out += std::string("<td class=\"") + cls + "\">" + std::to_string(n) + "<small>" + pct + "</small></td>";
    }
    out += "</tr>";
  }
  return out + "</table>";
}

}  // namespace

std::string DiffJson(const DiffReport& r) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("old");
  WritePack(w, r.old_pack);
  w.Key("new");
  WritePack(w, r.new_pack);
  w.Key("input");
  WriteString(w, r.input);
  w.Key("applications");
  w.Uint64(r.applications);
  w.Key("changed");
  w.Uint64(Changed(r.matrix));
  w.Key("matrix");
  WriteMatrix(w, r.matrix);
  w.Key("items");
  w.StartObject();
  for (const auto& [item, m] : r.by_item) {
    w.Key(item.empty() ? "(none)" : item.c_str());
    w.StartObject();
    w.Key("changed");
    w.Uint64(Changed(m));
    w.Key("matrix");
    WriteMatrix(w, m);
    w.EndObject();
  }
  w.EndObject();
  w.Key("rules");
  w.StartArray();
  for (const auto& [key, change] : RankedRules(r)) {
    w.StartObject();
    w.Key("item");
    WriteString(w, key.first);
    w.Key("rule");
    WriteString(w, key.second);
    w.Key("newly_fail");
    w.Uint64(change.newly_fail);
    w.Key("newly_pass");
    w.Uint64(change.newly_pass);
    w.EndObject();
  }
  w.EndArray();
  w.Key("samples");
  w.StartObject();
  for (const auto& [transition, ids] : r.samples) {
    std::string key = std::string(TransitionName(transition.first)) + "->" + TransitionName(transition.second);
    w.Key(key.c_str());
    w.StartArray();
    for (const std::string& id : ids) WriteString(w, id);
    w.EndArray();
  }
  w.EndObject();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::string DiffText(const DiffReport& r) {
  std::string out = "old " + r.old_pack.name + " " + r.old_pack.version + " (" + r.old_pack.hash.substr(0, 19) +
                    ")\nnew " + r.new_pack.name + " " + r.new_pack.version + " (" + r.new_pack.hash.substr(0, 19) +
                    ")\n" + std::to_string(r.applications) + " applications, " + std::to_string(Changed(r.matrix)) +
                    " decided differently\n\n";
  char line[160];
  std::snprintf(line, sizeof line, "%-12s", "old \\ new");
  out += line;
  for (int to = 0; to < kOutcomes; ++to) {
    std::snprintf(line, sizeof line, "%10s", TransitionName(to));
    out += line;
  }
  out += "\n";
  for (int from = 0; from < kOutcomes; ++from) {
    std::snprintf(line, sizeof line, "%-12s", TransitionName(from));
    out += line;
    for (int to = 0; to < kOutcomes; ++to) {
      std::snprintf(line, sizeof line, "%10llu", static_cast<unsigned long long>(r.matrix[from][to]));
      out += line;
    }
    out += "\n";
  }
  auto ranked = RankedRules(r);
  if (!ranked.empty()) {
    out += "\nrules that changed (newly failing / newly passing):\n";
    for (size_t i = 0; i < ranked.size() && i < 20; ++i) {
      std::snprintf(line, sizeof line, "  %-10s %-14s %8llu %8llu\n", ranked[i].first.first.c_str(),
                    ranked[i].first.second.c_str(), static_cast<unsigned long long>(ranked[i].second.newly_fail),
                    static_cast<unsigned long long>(ranked[i].second.newly_pass));
      out += line;
    }
  }
  if (!r.samples.empty()) {
    out += "\nsamples:\n";
    for (const auto& [transition, ids] : r.samples) {
      out += std::string("  ") + TransitionName(transition.first) + " -> " + TransitionName(transition.second) + ":";
      for (const std::string& id : ids) out += " " + id + ";";
      out += "\n";
    }
  }
  return out;
}

std::string DiffHtml(const DiffReport& r) {
  std::string out = R"(<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>miaopi diff</title>
<style>
body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2em;color:#222;max-width:70em}
table.matrix{border-collapse:collapse;margin:.5em 0 1.5em}
table.matrix th,table.matrix td{border:1px solid #ccc;padding:.4em .8em;text-align:right}
table.matrix td small{display:block;color:#777;font-size:.75em}
td.same{background:#eef6ee} td.changed{background:#fde8e1;font-weight:bold} td.zero{color:#bbb}
code{background:#f4f4f4;padding:0 .3em} h2{margin-top:1.5em} .legend span{margin-right:1.5em}
</style></head><body>
<h1>What the new rule version would change</h1>
)";
  out += "<p>old <code>" + Html(r.old_pack.name + " " + r.old_pack.version) + "</code> <small>" +
         Html(r.old_pack.hash) + "</small><br>new <code>" + Html(r.new_pack.name + " " + r.new_pack.version) +
         "</code> <small>" + Html(r.new_pack.hash) + "</small><br>input <code>" + Html(r.input) +
         "</code>: " + std::to_string(r.applications) + " applications, <b>" + std::to_string(Changed(r.matrix)) +
         "</b> decided differently</p>\n<h2>Outcomes (rows: old pack, columns: new pack)</h2>\n" + MatrixHtml(r.matrix);
  for (const auto& [item, m] : r.by_item) {
    out += "<h3>" + Html(item.empty() ? "(no item)" : item) + " — " + std::to_string(Changed(m)) + " changed</h3>" +
           MatrixHtml(m);
  }
  auto ranked = RankedRules(r);
  out += "<h2>Rules that changed</h2>\n";
  if (ranked.empty()) out += "<p>No rule passes or fails differently.</p>\n";
  uint64_t widest = 1;
  for (const auto& [key, c] : ranked) widest = std::max({widest, c.newly_fail, c.newly_pass});
  if (!ranked.empty()) {
    constexpr int kRow = 22, kLabel = 220, kBar = 420;
    int height = static_cast<int>(ranked.size()) * kRow + 10;
    out +=
        "<p class=\"legend\"><span style=\"color:#c0392b\">■ newly failing</span><span style=\"color:#27ae60\">■ "
        "newly passing</span></p>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
        std::to_string(kLabel + kBar * 2 + 40) + "\" height=\"" + std::to_string(height) +
        "\" font-size=\"12\" font-family=\"sans-serif\">\n";
    for (size_t i = 0; i < ranked.size(); ++i) {
      const auto& [key, c] = ranked[i];
      int y = static_cast<int>(i) * kRow + 5;
      int fail_w = static_cast<int>(static_cast<double>(c.newly_fail) / static_cast<double>(widest) * kBar);
      int pass_w = static_cast<int>(static_cast<double>(c.newly_pass) / static_cast<double>(widest) * kBar);
      out += "<text x=\"0\" y=\"" + std::to_string(y + 14) + "\">" + Html(key.first + " " + key.second) + "</text>";
      out += "<rect x=\"" + std::to_string(kLabel) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
             std::to_string(fail_w) + "\" height=\"16\" fill=\"#c0392b\"><title>" + std::to_string(c.newly_fail) +
             " newly failing</title></rect>";
      out += "<text x=\"" + std::to_string(kLabel + fail_w + 4) + "\" y=\"" + std::to_string(y + 13) + "\">" +
             std::to_string(c.newly_fail) + "</text>";
      int px = kLabel + kBar + 30;
      out += "<rect x=\"" + std::to_string(px) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
             std::to_string(pass_w) + "\" height=\"16\" fill=\"#27ae60\"><title>" + std::to_string(c.newly_pass) +
             " newly passing</title></rect>";
      out += "<text x=\"" + std::to_string(px + pass_w + 4) + "\" y=\"" + std::to_string(y + 13) + "\">" +
             std::to_string(c.newly_pass) + "</text>\n";
    }
    out += "</svg>\n";
  }
  out += "<h2>Samples</h2>\n";
  if (r.samples.empty()) out += "<p>No application is decided differently.</p>\n";
  for (const auto& [transition, ids] : r.samples) {
    out += std::string("<h3>") + TransitionName(transition.first) + " → " + TransitionName(transition.second) +
           "</h3><ul>";
    for (const std::string& id : ids) out += "<li><code>" + Html(id) + "</code></li>";
    out += "</ul>\n";
  }
  out += "<p><small>miaopi diff, " + std::to_string(r.applications) + " applications decided twice in " +
         std::to_string(r.seconds).substr(0, 5) + " s</small></p>\n</body></html>\n";
  return out;
}

}  // namespace miaopi::journal
