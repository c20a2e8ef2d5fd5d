#include "engine/pack_tests.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace miaopi {

namespace {

std::string Join(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out + "]";
}

std::string ToText(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

std::string StringOr(const rapidjson::Value& object, const char* key, const std::string& fallback) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return fallback;
  return it->value.GetString();
}

void RunCase(Evaluator& evaluator, const rapidjson::Value& c, const std::string& file, size_t index,
             const std::string& filter, TestReport* report) {
  std::string name = StringOr(c, "name", "case " + std::to_string(index + 1));
  if (!filter.empty() && name.find(filter) == std::string::npos) return;
  TestFailure failure{file, name, {}};
  auto app = c.FindMember("application");
  auto expect = c.FindMember("expect");
  if (!c.IsObject() || app == c.MemberEnd() || expect == c.MemberEnd() || !expect->value.IsObject()) {
    failure.lines.push_back("a case needs \"application\" and an \"expect\" object");
    report->failures.push_back(std::move(failure));
    ++report->failed;
    return;
  }
  DecideOptions options;
  options.date = StringOr(c, "date", "");
  options.item = StringOr(c, "item", "");
  if (options.date.empty()) {
    failure.lines.push_back("a case needs a \"date\" so it decides the same way every day");
    report->failures.push_back(std::move(failure));
    ++report->failed;
    return;
  }
  // An application given as a string is decided from its text (so tests can
  // feed invalid JSON); otherwise it is serialized first.
  Record r = app->value.IsString() ? evaluator.Decide(std::string_view(app->value.GetString()), options)
                                   : evaluator.Decide(ToText(app->value), options);
  const rapidjson::Value& e = expect->value;
  std::string want_error = StringOr(e, "error", "");
  if (!want_error.empty()) {
    if (r.ok) {
      failure.lines.push_back("expected error " + want_error + ", got decision " + OutcomeName(r.decision.decision));
    } else if (r.error.code != want_error) {
      failure.lines.push_back("expected error " + want_error + ", got error " + r.error.code + ": " + r.error.message);
    }
  } else if (!r.ok) {
    failure.lines.push_back("expected a decision, got error " + r.error.code + ": " + r.error.message);
  } else {
    std::string want = StringOr(e, "decision", "");
    if (want != OutcomeName(r.decision.decision)) {
      failure.lines.push_back("decision: expected " + (want.empty() ? "?" : want) + ", got " +
                              OutcomeName(r.decision.decision));
    }
    auto reasons = e.FindMember("reasons");
    if (reasons != e.MemberEnd() && reasons->value.IsArray()) {
      std::vector<std::string> want_codes, got_codes;
      for (const auto& code : reasons->value.GetArray()) {
        if (code.IsString()) want_codes.push_back(code.GetString());
      }
      for (const Reason& reason : r.decision.reasons) got_codes.push_back(reason.rule);
      std::vector<std::string> a = want_codes, b = got_codes;
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      if (a != b) failure.lines.push_back("reasons: expected " + Join(want_codes) + ", got " + Join(got_codes));
    }
    if (!failure.lines.empty()) {
      for (const Reason& reason : r.decision.reasons) {
        std::string line = "  " + reason.rule + " " + RuleStatusName(reason.status) + " → " + OutcomeName(reason.outcome) +
                           ": " + reason.message;
        if (!reason.missing.empty()) line += " (missing " + Join(reason.missing) + ")";
        failure.lines.push_back(line);
      }
    }
  }
  if (failure.lines.empty()) {
    ++report->passed;
  } else {
    ++report->failed;
    report->failures.push_back(std::move(failure));
  }
}

}  // namespace

TestReport RunPackTests(std::shared_ptr<const Pack> pack, const std::string& pack_dir, const std::string& filter) {
  TestReport report;
  namespace fs = std::filesystem;
  fs::path dir = fs::path(pack_dir) / "tests";
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".json") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  Evaluator evaluator(pack);
  for (const fs::path& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    rapidjson::Document doc;
    doc.Parse(text.str().c_str(), text.str().size());
    std::string file = path.lexically_relative(pack_dir).string();
    if (doc.HasParseError()) {
      report.problems.push_back(file + ": not JSON: " + rapidjson::GetParseError_En(doc.GetParseError()) +
                                " (at byte " + std::to_string(doc.GetErrorOffset()) + ")");
      ++report.failed;
      continue;
    }
    if (doc.IsArray()) {
      for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) RunCase(evaluator, doc[i], file, i, filter, &report);
    } else {
      RunCase(evaluator, doc, file, 0, filter, &report);
    }
  }
  return report;
}

}  // namespace miaopi
