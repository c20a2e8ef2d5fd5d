#include "engine/testing/pack_tests.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "dsl/date.h"
#include "dsl/file_read.h"
#include "engine/compile/pack.h"
#include "engine/runtime/json_parse.h"

namespace miaopi {

size_t TestReport::Covered() const {
  return static_cast<size_t>(
      std::count_if(coverage.begin(), coverage.end(), [](const RuleCoverage& c) { return c.passed && c.not_passed; }));
}

namespace {

// A test file holds many cases: larger than one application may be.
constexpr size_t kMaxCaseFileBytes = 64u << 20;

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

// A JSON text in the one canonical spelling, for comparing values.
std::string Canonical(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  return doc.HasParseError() ? std::string(json) : ToText(doc);
}

std::string StringOr(const rapidjson::Value& object, const char* key, const std::string& fallback) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return fallback;
  return it->value.GetString();
}

// The request context of a case: "context", or "subject" and "town".
std::string CaseContext(const rapidjson::Value& c) {
  auto context = c.FindMember("context");
  if (context != c.MemberEnd() && context->value.IsObject()) return ToText(context->value);
  auto subject = c.FindMember("subject");
  auto town = c.FindMember("town");
  if ((subject == c.MemberEnd() || !subject->value.IsObject()) && (town == c.MemberEnd() || !town->value.IsString())) {
    return "";
  }
  std::string out = "{";
  if (subject != c.MemberEnd() && subject->value.IsObject()) out += "\"subject\":" + ToText(subject->value);
  if (town != c.MemberEnd() && town->value.IsString()) {
    out += std::string(out.size() > 1 ? "," : "") + "\"town\":" + ToText(town->value);
  }
  return out + "}";
}

class Runner {
 public:
  Runner(std::shared_ptr<const Pack> pack, std::shared_ptr<LicenceStore> licences, const std::string& filter,
         TestReport* report)
      : pack_(pack), evaluator_(pack, std::move(licences)), filter_(filter), report_(report) {
    for (const engine::CompiledItem& item : pack->impl().items) {
      const dsl::ItemDecl& decl = *item.version->decl;
      std::string effective = dsl::FormatIsoDate(item.version->effective);
      for (const dsl::RuleDecl& rule : decl.rules) {
        index_[decl.code + "@" + effective + "/" + rule.code] = report_->coverage.size();
        report_->coverage.push_back({decl.code, effective, rule.code, false, false});
      }
    }
  }

  void Case(const rapidjson::Value& c, const std::string& file, size_t index) {
    std::string name =
        c.IsObject() ? StringOr(c, "name", "case " + std::to_string(index + 1)) : "case " + std::to_string(index + 1);
    if (!filter_.empty() && name.find(filter_) == std::string::npos) return;
    TestFailure failure{file, name, {}};
    auto fail = [&](const std::string& line) {
      failure.lines.push_back(line);
      ++report_->failed;
      report_->failures.push_back(std::move(failure));
    };
    if (!c.IsObject()) return fail("a case is a JSON object");
    auto app = c.FindMember("application");
    auto expect = c.FindMember("expect");
    if (app == c.MemberEnd() || expect == c.MemberEnd() || !expect->value.IsObject()) {
      return fail("a case needs \"application\" and an \"expect\" object");
    }
    DecideOptions options;
    options.date = StringOr(c, "date", "");
    options.item = StringOr(c, "item", "");
    options.context = CaseContext(c);
    if (options.date.empty()) return fail("a case needs a \"date\" so it decides the same way every day");
    // A case may bring its own licence library ("licences": [records]),
    // used instead of tests/licences.jsonl: status cases stay self-contained.
    std::unique_ptr<Evaluator> own;
    auto licences = c.FindMember("licences");
    if (licences != c.MemberEnd()) {
      if (!licences->value.IsArray()) return fail("\"licences\" is a list of licence records");
      std::vector<std::string> records;
      for (const auto& l : licences->value.GetArray()) records.push_back(ToText(l));
      std::string error;
      std::shared_ptr<LicenceStore> store = MemoryLicences(records, &error);
      if (!store) return fail("licences: " + error);
      own = std::make_unique<Evaluator>(pack_, store);
    }
    Evaluator& evaluator = own ? *own : evaluator_;
    // An application given as a string is decided from its text (so tests can
    // feed invalid JSON); otherwise it is serialized first.
    Record r = app->value.IsString() ? evaluator.Decide(std::string_view(app->value.GetString()), options)
                                     : evaluator.Decide(ToText(app->value), options);
    Cover(r);
    Compare(r, expect->value, &failure.lines);
    if (failure.lines.empty()) {
      ++report_->passed;
    } else {
      ++report_->failed;
      report_->failures.push_back(std::move(failure));
    }
  }

 private:
  void Cover(const Record& r) {
    if (!r.ok) return;
    const Decision& d = r.decision;
    std::string prefix = d.item + "@" + d.item_effective + "/";
    std::vector<std::string> failed;
    for (const Reason& reason : d.reasons) failed.push_back(reason.rule);
    for (auto it = index_.lower_bound(prefix); it != index_.end() && it->first.rfind(prefix, 0) == 0; ++it) {
      RuleCoverage& cov = report_->coverage[it->second];
      bool not_passed = std::find(failed.begin(), failed.end(), cov.rule) != failed.end();
      (not_passed ? cov.not_passed : cov.passed) = true;
    }
  }

  static void Compare(const Record& r, const rapidjson::Value& e, std::vector<std::string>* lines) {
    std::string want_error = StringOr(e, "error", "");
    if (!want_error.empty()) {
      if (r.ok) {
        lines->push_back("expected error " + want_error + ", got decision " + OutcomeName(r.decision.decision));
      } else if (r.error.code != want_error) {
        lines->push_back("expected error " + want_error + ", got error " + r.error.code + ": " + r.error.message);
      }
      return;
    }
    if (!r.ok) {
      lines->push_back("expected a decision, got error " + r.error.code + ": " + r.error.message);
      return;
    }
    std::string want = StringOr(e, "decision", "");
    if (want != OutcomeName(r.decision.decision)) {
      lines->push_back("decision: expected " + (want.empty() ? "?" : want) + ", got " +
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
      if (a != b) lines->push_back("reasons: expected " + Join(want_codes) + ", got " + Join(got_codes));
    }
    auto outputs = e.FindMember("outputs");
    if (outputs != e.MemberEnd() && outputs->value.IsObject()) {
      for (auto m = outputs->value.MemberBegin(); m != outputs->value.MemberEnd(); ++m) {
        std::string name = m->name.GetString();
        auto got = std::find_if(r.decision.outputs.begin(), r.decision.outputs.end(),
                                [&](const auto& o) { return o.first == name; });
        std::string want_value = ToText(m->value);
        std::string got_value = got == r.decision.outputs.end() ? "(no such output)" : Canonical(got->second);
        if (want_value != got_value)
          lines->push_back("output " + name + ": expected " + want_value + ", got " + got_value);
      }
    }
    if (!lines->empty()) {
      for (const Reason& reason : r.decision.reasons) {
        std::string line = "  " + reason.rule + " " + RuleStatusName(reason.status) + " → " +
                           OutcomeName(reason.outcome) + ": " + reason.message;
        if (!reason.missing.empty()) line += " (missing " + Join(reason.missing) + ")";
        lines->push_back(line);
      }
    }
  }

  std::shared_ptr<const Pack> pack_;
  Evaluator evaluator_;
  std::string filter_;
  TestReport* report_;
  std::map<std::string, size_t> index_;  // "ITEM@EFFECTIVE/RULE" → coverage entry
};

// PACK/tests/licences.jsonl as a throwaway SQLite store for the run.
std::shared_ptr<LicenceStore> PackLicences(const std::filesystem::path& dir, TestReport* report) {
  std::filesystem::path source = dir / "licences.jsonl";
  if (!std::filesystem::exists(source)) return nullptr;
  std::filesystem::path db =
      std::filesystem::temp_directory_path() / ("miaopi-test-licences-" + std::to_string(getpid()) + ".db");
  std::filesystem::remove(db);
  std::ifstream in(source);
  LicenceImportReport imported = ImportLicences(in, db.string());
  for (const std::string& e : imported.errors) report->problems.push_back("tests/licences.jsonl " + e);
  if (!imported.fatal.empty()) {
    report->problems.push_back(imported.fatal);
    return nullptr;
  }
  std::string error;
  std::shared_ptr<LicenceStore> store = OpenSqliteLicences(db.string(), &error);
  if (!store) report->problems.push_back(error);
  // The open connections keep the file readable; its name can go now.
  std::filesystem::remove(db);
  return store;
}

}  // namespace

TestReport RunPackTests(std::shared_ptr<const Pack> pack, const std::string& pack_dir, const TestOptions& options) {
  TestReport report;
  namespace fs = std::filesystem;
  fs::path dir = fs::path(pack_dir) / "tests";
  std::shared_ptr<LicenceStore> licences = options.licences ? options.licences : PackLicences(dir, &report);
  report.failed += report.problems.size();
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".json") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  Runner runner(pack, licences, options.filter, &report);
  for (const fs::path& path : files) {
    std::string file = path.lexically_relative(pack_dir).string();
    // Case files are read as applications are (no NUL, no duplicate member,
    // bounded depth), only with room for many cases.
    Limits limits;
    limits.max_application_bytes = kMaxCaseFileBytes;
    limits.max_json_depth = 128;
    dsl::BoundedRead text = dsl::ReadFileBounded(path.string(), kMaxCaseFileBytes, dsl::FileKinds::kRegularOnly);
    rapidjson::Document doc;
    ErrorRecord error;
    if (!text.ok || text.too_large || !engine::ParseApplication(text.text, limits, &doc, &error)) {
      report.problems.push_back(file + ": " +
                                (!text.ok         ? "cannot read: " + text.error
                                 : text.too_large ? "larger than " + std::to_string(kMaxCaseFileBytes) + " bytes"
                                                  : "not usable JSON: " + error.message));
      ++report.failed;
      continue;
    }
    if (doc.IsArray()) {
      for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) runner.Case(doc[i], file, i);
    } else {
      runner.Case(doc, file, 0);
    }
  }
  return report;
}

}  // namespace miaopi
