// The hostile-input suite: JSONL with every kind of bad line an operator or an
// attacker can produce, through a real `miaopi batch` process (under the
// sanitizers in ./scripts/test) with a memory cap. Every input line gets one
// record, in order, with its own line number; the run exits 0 and its memory
// stays bounded whatever a line holds.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "tests/testing/golden.h"
#include "tests/testing/process.h"

namespace miaopi {
namespace {

namespace fs = std::filesystem;
using testing::MiaopiBinary;
using testing::ProcessOptions;
using testing::ProcessResult;
using testing::RunProcess;
using testing::SourceDir;

// What one input line must come out as: a decision with this id, or an
// error record with this code (and the line's number).
struct Expect {
  std::string id_json;  // for a decision: the id as JSON ("\"L2\"", a big integer as written)
  std::string error;    // for an error record: its code
};

// An application of the sample pack that approves, with id `id_json`.
std::string Application(const std::string& id_json, const std::string& extra = "") {
  return "{\"id\": " + id_json +
         ", \"item\": \"FS-001\", \"submitted_at\": \"2026-09-06\", \"applicant\": {\"id_number\": "
         "\"440606199001010010\", \"birth_date\": \"1990-01-01\", \"identity\": \"operator\", \"phone\": "
         "\"13800003040\"}, \"business\": {\"uscc\": \"92440605MA4WXY1294\", \"scope\": [\"日用百货销售\", "
         "\"食品销售（仅销售预包装食品）\"], \"area_m2\": 173.4, \"category\": \"convenience\", \"district\": "
         "\"440605\"}, \"licences\": [{\"type\": \"business_licence\", \"status\": \"valid\", \"expires\": "
         "\"2030-01-15\", \"holder\": \"92440605MA4WXY1294\"}], \"staff\": [{\"name\": \"王芳\", "
         "\"health_cert_expires\": \"2027-01-01\"}]" +
         extra + "}";
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

class Input {
 public:
  void Line(std::string text, Expect expect) {
    text_ += text;
    text_ += '\n';
    expects_.push_back(std::move(expect));
  }
  void Decision(const std::string& text, const std::string& id_json) { Line(text, {id_json, ""}); }
  void Error(const std::string& text, const std::string& code) { Line(text, {"", code}); }
  // Appends raw bytes that end with their own newline.
  void Raw(const std::string& bytes, Expect expect) {
    text_ += bytes;
    expects_.push_back(std::move(expect));
  }
  const std::string& text() const { return text_; }
  const std::vector<Expect>& expects() const { return expects_; }

 private:
  std::string text_;
  std::vector<Expect> expects_;
};

// Every hostile kind of line, `n` is the number of the next line.
void AddHostileLines(Input& in, size_t& n, bool first) {
  auto id = [&] { return Quoted("L" + std::to_string(n)); };
  auto next = [&] { ++n; };
  if (first) {  // a UTF-8 byte order mark before the first line
    in.Decision("\xEF\xBB\xBF" + Application(id()), id());
    next();
  }
  in.Decision(Application(id()), id()), next();
  in.Decision(Application(id()) + "\r", id()), next();                                           // CRLF
  in.Error("{\"id\": \"x\", \"item\": ", "invalid_json"), next();                                // cut off
  in.Error(Application(id(), ", \"note\": \"\xff\xfe\""), "invalid_json"), next();               // not UTF-8
  in.Error(Application(id(), ", \"note\": \"\xc0\x80\""), "invalid_json"), next();               // overlong UTF-8
  in.Error(Application(id()) + std::string("\0xyz", 4), "invalid_json"), next();                 // a NUL, then more
  in.Error(std::string("\0", 1) + Application(id()), "invalid_json"), next();                    // a NUL first
  in.Error(Application(id(), std::string(", \"note\": \"a\0b\"", 15)), "invalid_json"), next();  // a NUL in a string
  in.Error(Application(id(), ", \"x\": NaN"), "invalid_json"), next();
  in.Error(Application(id(), ", \"x\": Infinity"), "invalid_json"), next();
  in.Error(Application(id(), ", \"x\": -Infinity"), "invalid_json"), next();
  in.Error(Application(id(), ", \"x\": 1e999"), "invalid_json"), next();
  in.Error(Application(id(), ", \"x\": \"\\ud800\""), "invalid_json"), next();    // a lone surrogate
  in.Error(Application(id(), ", \"x\": \"tab\there\""), "invalid_json"), next();  // a raw control character
  in.Decision(Application("123456789012345678901234567890"), "123456789012345678901234567890"), next();
  in.Decision(Application("1.50"), "1.50"), next();
  in.Decision(Application("-0"), "-0"), next();
  in.Decision(Application(id(), ", \"x\": 123456789012345678901234567890"), id()), next();  // a huge unused number
  in.Decision(Application(id(), ", \"x\": 1e-400"), id()), next();                          // underflow is zero
  in.Error(Application(id(), ", \"item\": \"FS-001\""), "duplicate_key"), next();           // two "item"s
  in.Error(Application(id(), ", \"id\": \"other\""), "duplicate_key"), next();              // two "id"s
  in.Error("{\"application\": " + Application(id()) + ", \"context\": {}, \"context\": {}}", "duplicate_key"), next();
  in.Error(Application(id(), ", \"business\": {\"a\": 1, \"a\": 2}"), "duplicate_key"), next();
  in.Error("{\"application\": " + Application(id()) + ", \"context\": 5}", "bad_context"), next();
  in.Error("{\"application\": " + Application(id()) + ", \"context\": null}", "bad_context"), next();
  in.Error(std::string(500000, '[') + std::string(500000, ']'), "too_deep"), next();
  {
    std::string deep;
    for (int i = 0; i < 150000; ++i) deep += "{\"a\":";  // (under the 1 MiB line limit)
    deep += "1" + std::string(150000, '}');
    in.Error(deep, "too_deep"), next();
  }
  in.Error(std::string(100u << 20, ' ') + Application(id()), "too_large"), next();  // a 100 MB line
  in.Error("", "invalid_json"), next();
  in.Error("   \t ", "invalid_json"), next();
  in.Error("\"just a string\"", "not_an_object"), next();
  in.Error("[1, 2, 3]", "not_an_object"), next();
  in.Error("{\"id\": \"x\"}", "no_item"), next();
  in.Error("{\"id\": \"x\", \"item\": \"NOPE\"}", "unknown_item"), next();
  {
    std::string staff = ", \"staff\": [";
    for (int i = 0; i < 20000; ++i) staff += std::string(i ? "," : "") + "{\"name\": \"n\"}";
    staff += "]";
    // (the application's own "staff" comes first: replace it instead of repeating it)
    std::string app = Application(id());
    app.replace(app.find(", \"staff\": ["), app.size(), staff + "}");
    in.Error(app, "list_too_long"), next();
  }
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Checks the records against the expectations, line by line.
void CheckRecords(const std::string& output, const std::vector<Expect>& expects) {
  std::vector<std::string> records = Lines(output);
  ASSERT_EQ(records.size(), expects.size()) << "one record per input line";
  size_t mismatches = 0;
  for (size_t i = 0; i < records.size() && mismatches < 20; ++i) {
    SCOPED_TRACE("input line " + std::to_string(i + 1) + ": " + records[i].substr(0, 300));
    rapidjson::Document r;
    r.Parse(records[i].c_str(), records[i].size());
    ASSERT_FALSE(r.HasParseError()) << "every record is JSON";
    const Expect& e = expects[i];
    if (!e.error.empty()) {
      bool ok = r.HasMember("error") && r["error"].HasMember("code") && r["error"]["code"].IsString() &&
                r["error"]["code"].GetString() == e.error && r.HasMember("line") && r["line"].IsUint64() &&
                r["line"].GetUint64() == i + 1;
      EXPECT_TRUE(ok) << "expected error " << e.error << " with line " << i + 1;
      mismatches += !ok;
    } else {
      bool ok = r.HasMember("decision") && r["decision"].IsString() &&
                r["decision"].GetString() == std::string("approve") &&
                records[i].rfind("{\"id\":" + e.id_json + ",", 0) == 0;
      EXPECT_TRUE(ok) << "expected an approval with id " << e.id_json;
      mismatches += !ok;
    }
  }
}

fs::path TempDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / (name + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

ProcessResult Batch(const fs::path& in, const fs::path& out, const std::string& threads, size_t memory_mb) {
  ProcessOptions p;
  p.argv = {MiaopiBinary(), "batch",      SourceDir() + "/samples/food_sales",
            in.string(),    "-o",         out.string(),
            "--date",       "2026-09-10", "--threads",
            threads};
  p.memory_mb = memory_mb;
  p.timeout_seconds = 600;
  return RunProcess(p);
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Peak memory a batch may use whatever the input: the per-line limit is
// 1 MiB, chunks hold 256 lines, a few chunks are in flight per thread.
// (Sanitizers multiply memory use; their cap is correspondingly larger.)
size_t MemoryCapMb() { return testing::Sanitized() ? 3072 : 1024; }

TEST(HostileInput, EveryBadLineGetsItsOwnRecordInOrder) {
  if (MiaopiBinary().empty()) GTEST_SKIP() << "MIAOPI_BIN is not set (ctest sets it)";
  fs::path dir = TempDir("miaopi_hostile_input");
  Input input;
  size_t n = 1;
  AddHostileLines(input, n, true);
  {
    std::ofstream out(dir / "in.jsonl", std::ios::binary);
    out << input.text();
  }
  for (const char* threads : {"1", "2"}) {
    SCOPED_TRACE(std::string("threads ") + threads);
    ProcessResult r = Batch(dir / "in.jsonl", dir / "out.jsonl", threads, MemoryCapMb());
    ASSERT_TRUE(r.exited(0)) << r.Describe();
    EXPECT_LT(static_cast<size_t>(r.max_rss_kb) / 1024, MemoryCapMb()) << "bounded memory";
    CheckRecords(ReadAll(dir / "out.jsonl"), input.expects());
  }
  fs::remove_all(dir);
}

// A million lines of every kind mixed: still one record each, in order, and
// byte-identical between one thread and two.
TEST(HostileInput, AMillionMixedLines) {
  if (MiaopiBinary().empty()) GTEST_SKIP() << "MIAOPI_BIN is not set (ctest sets it)";
  const char* env = std::getenv("MIAOPI_HOSTILE_LINES");
  const size_t kLines = env ? std::strtoull(env, nullptr, 10) : 1000000;
  fs::path dir = TempDir("miaopi_hostile_million");
  // A small repertoire of lines (valid, broken, errors of each kind), cycled.
  std::vector<std::pair<std::string, Expect>> kinds;
  auto app = [](const std::string& extra) { return Application("\"X\"", extra); };
  kinds.push_back({app(""), {"\"X\"", ""}});
  kinds.push_back({app(", \"x\": NaN"), {"", "invalid_json"}});
  kinds.push_back({app(", \"item\": \"FS-001\""), {"", "duplicate_key"}});
  kinds.push_back({app("") + std::string("\0z", 2), {"", "invalid_json"}});
  kinds.push_back({"", {"", "invalid_json"}});
  kinds.push_back({"{\"id\": \"X\"}", {"", "no_item"}});
  kinds.push_back({std::string(100, '[') + std::string(100, ']'), {"", "too_deep"}});
  kinds.push_back({app(", \"x\": \"\xff\""), {"", "invalid_json"}});
  kinds.push_back({app("") + "\r", {"\"X\"", ""}});
  kinds.push_back({"{\"application\": " + app("") + ", \"context\": 1}", {"", "bad_context"}});
  std::vector<Expect> expects;
  expects.reserve(kLines);
  {
    std::ofstream out(dir / "in.jsonl", std::ios::binary);
    for (size_t i = 0; i < kLines; ++i) {
      const auto& [text, expect] = kinds[(i * 7 + i / 13) % kinds.size()];
      out << text << '\n';
      expects.push_back(expect);
    }
  }
  ProcessResult one = Batch(dir / "in.jsonl", dir / "out1.jsonl", "1", MemoryCapMb());
  ASSERT_TRUE(one.exited(0)) << one.Describe();
  ProcessResult two = Batch(dir / "in.jsonl", dir / "out2.jsonl", "2", MemoryCapMb());
  ASSERT_TRUE(two.exited(0)) << two.Describe();
  std::string a = ReadAll(dir / "out1.jsonl"), b = ReadAll(dir / "out2.jsonl");
  EXPECT_TRUE(a == b) << "the same bytes on one thread and on two";
  CheckRecords(a, expects);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace miaopi
