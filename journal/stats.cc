#include "journal/stats.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "journal/audit.h"
#include "journal/json_text.h"

namespace miaopi::journal {

namespace {

int OutcomeIndex(std::string_view decision) {
  return decision == "approve" ? 0 : decision == "review" ? 1 : decision == "reject" ? 2 : 3;
}

std::string_view Str(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  if (it == v.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

// What a decision entry says, kept until its reviews are read.
struct Decided {
  std::string item;
  int outcome = 3;
  std::vector<std::string> rules;  // rules that did not pass
  int human = -1;                  // the latest review: 0 approve, 2 reject
};

}  // namespace

JournalStats ComputeStats(const std::string& dir) {
  JournalStats stats;
  std::unique_ptr<JournalReader> reader = JournalReader::Open(dir, &stats.error);
  if (!reader) return stats;
  std::map<uint64_t, Decided> decided;
  reader->ForEach(
      0, UINT64_MAX,
      [&](const Entry& e, const std::string&) {
        rapidjson::Document record;
        record.Parse<rapidjson::kParseIterativeFlag>(e.record.data(), e.record.size());
        if (record.HasParseError() || !record.IsObject()) return true;
        if (e.kind == "review") {
          ++stats.reviews;
          rapidjson::Document options;
          options.Parse<rapidjson::kParseIterativeFlag>(e.options.data(), e.options.size());
          if (options.HasParseError() || !options.IsObject() || !options.HasMember("decision") ||
              !options["decision"].IsUint64()) {
            return true;
          }
          auto it = decided.find(options["decision"].GetUint64());
          if (it != decided.end()) it->second.human = OutcomeIndex(Str(record, "outcome"));
          return true;
        }
        ++stats.decisions;
        Decided d;
        d.item = std::string(Str(record, "item"));
        d.outcome = record.HasMember("error") ? 3 : OutcomeIndex(Str(record, "decision"));
        ++stats.by_item[d.item][d.outcome];
        ++stats.by_day[e.time.substr(0, 10)][d.outcome];
        if (record.HasMember("pack") && record["pack"].IsObject()) {
          const rapidjson::Value& p = record["pack"];
          ++stats.by_pack[std::string(Str(p, "name")) + " " + std::string(Str(p, "version")) + " (" +
                          std::string(Str(p, "hash").substr(0, 19)) + ")"];
        } else {
          ++stats.by_pack["(error records) (" + e.pack.substr(0, 19) + ")"];
        }
        if (record.HasMember("reasons") && record["reasons"].IsArray()) {
          for (const rapidjson::Value& reason : record["reasons"].GetArray()) {
            if (reason.IsObject()) d.rules.emplace_back(Str(reason, "rule"));
          }
        }
        decided.emplace(e.seq, std::move(d));
        return true;
      },
      &stats.error);
  for (const auto& [seq, d] : decided) {
    auto count = [&](HumanTally& t) {
      ++t.decisions;
      if (d.human < 0) return;
      ++t.reviewed;
      ++(d.human == 0 ? t.approved : t.rejected);
    };
    if (d.outcome == 1) count(stats.item_reviews[d.item]);
    if (d.outcome != 0 && d.outcome != 3) {
      for (const std::string& rule : d.rules) count(stats.rule_reviews[{d.item, rule}]);
    }
  }
  return stats;
}

std::string StatsText(const JournalStats& s) {
  std::string out;
  char line[200];
  std::snprintf(line, sizeof line, "%llu decisions, %llu human reviews\n\n",
                static_cast<unsigned long long>(s.decisions), static_cast<unsigned long long>(s.reviews));
  out += line;
  std::snprintf(line, sizeof line, "%-12s %9s %9s %9s %9s   %9s %9s %9s\n", "item", "approve", "review", "reject",
                "error", "reviewed", "→approve", "→reject");
  out += line;
  for (const auto& [item, n] : s.by_item) {
    HumanTally h;
    auto it = s.item_reviews.find(item);
    if (it != s.item_reviews.end()) h = it->second;
    std::snprintf(line, sizeof line, "%-12s %9llu %9llu %9llu %9llu   %9llu %9llu %9llu\n",
                  item.empty() ? "(none)" : item.c_str(), static_cast<unsigned long long>(n[0]),
                  static_cast<unsigned long long>(n[1]), static_cast<unsigned long long>(n[2]),
                  static_cast<unsigned long long>(n[3]), static_cast<unsigned long long>(h.reviewed),
                  static_cast<unsigned long long>(h.approved), static_cast<unsigned long long>(h.rejected));
    out += line;
  }
  if (!s.rule_reviews.empty()) {
    out +=
        "\nrules among the reasons of decisions not approved, and what people decided on review\n"
        "(most approved on review: the rule may be too strict):\n";
    std::snprintf(line, sizeof line, "%-12s %-14s %9s %9s %9s %9s %8s\n", "item", "rule", "decisions", "reviewed",
                  "→approve", "→reject", "approve%");
    out += line;
    for (const auto& [key, h] : s.rule_reviews) {
      double share = h.reviewed ? 100.0 * static_cast<double>(h.approved) / static_cast<double>(h.reviewed) : 0;
      std::snprintf(line, sizeof line, "%-12s %-14s %9llu %9llu %9llu %9llu %7.1f%%\n", key.first.c_str(),
                    key.second.c_str(), static_cast<unsigned long long>(h.decisions),
                    static_cast<unsigned long long>(h.reviewed), static_cast<unsigned long long>(h.approved),
                    static_cast<unsigned long long>(h.rejected), share);
      out += line;
    }
  }
  out += "\nper day (entry time, UTC):\n";
  for (const auto& [day, n] : s.by_day) {
    std::snprintf(line, sizeof line, "  %s  %9llu approve %9llu review %9llu reject %9llu error\n", day.c_str(),
                  static_cast<unsigned long long>(n[0]), static_cast<unsigned long long>(n[1]),
                  static_cast<unsigned long long>(n[2]), static_cast<unsigned long long>(n[3]));
    out += line;
  }
  out += "\nper pack version:\n";
  for (const auto& [pack, n] : s.by_pack) {
    std::snprintf(line, sizeof line, "  %9llu  %s\n", static_cast<unsigned long long>(n), pack.c_str());
    out += line;
  }
  return out;
}

std::string StatsJson(const JournalStats& s) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto key = [&](const std::string& k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); };
  auto outcomes = [&](const std::array<uint64_t, 4>& n) {
    w.StartObject();
    const char* names[] = {"approve", "review", "reject", "error"};
    for (int i = 0; i < 4; ++i) {
      w.Key(names[i]);
      w.Uint64(n[i]);
    }
    w.EndObject();
  };
  auto human = [&](const HumanTally& h) {
    w.Key("decisions");
    w.Uint64(h.decisions);
    w.Key("reviewed");
    w.Uint64(h.reviewed);
    w.Key("approved");
    w.Uint64(h.approved);
    w.Key("rejected");
    w.Uint64(h.rejected);
  };
  w.StartObject();
  w.Key("decisions");
  w.Uint64(s.decisions);
  w.Key("reviews");
  w.Uint64(s.reviews);
  w.Key("items");
  w.StartObject();
  for (const auto& [item, n] : s.by_item) {
    key(item);
    w.StartObject();
    w.Key("outcomes");
    outcomes(n);
    w.Key("machine_reviews");
    w.StartObject();
    auto it = s.item_reviews.find(item);
    human(it == s.item_reviews.end() ? HumanTally{} : it->second);
    w.EndObject();
    w.EndObject();
  }
  w.EndObject();
  w.Key("rules");
  w.StartArray();
  for (const auto& [k, h] : s.rule_reviews) {
    w.StartObject();
    w.Key("item");
    WriteString(w, k.first);
    w.Key("rule");
    WriteString(w, k.second);
    human(h);
    w.EndObject();
  }
  w.EndArray();
  w.Key("days");
  w.StartObject();
  for (const auto& [day, n] : s.by_day) {
    key(day);
    outcomes(n);
  }
  w.EndObject();
  w.Key("packs");
  w.StartObject();
  for (const auto& [pack, n] : s.by_pack) {
    key(pack);
    w.Uint64(n);
  }
  w.EndObject();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace miaopi::journal
