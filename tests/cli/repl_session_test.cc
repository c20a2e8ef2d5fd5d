// The REPL session without a terminal: completion candidates, pasting JSON
// over several lines, and :reload keeping the previous pack on errors and
// the application always. Transcripts of whole sessions are golden files
// (tests/repl_test.sh); the terminal itself is tests/repl_tmux_test.sh.
#include "apps/cli/repl.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "tests/testing/golden.h"

namespace miaopi::cli {
namespace {

using testing::ReadFileOrDie;
using testing::SourceDir;
using testing::WriteFile;

std::unique_ptr<ReplSession> Session(const std::string& pack) {
  ReplOptions options;
  options.pack_dir = pack;
  options.date = "2026-09-10";
  auto session = std::make_unique<ReplSession>(options);
  std::string banner;
  EXPECT_TRUE(session->Start(&banner)) << banner;
  return session;
}

std::vector<std::string> Complete(const ReplSession& s, const std::string& line) {
  size_t start = 0;
  return s.Complete(line, &start);
}

TEST(ReplSession, CompletesCommandsItemsRulesFieldsAndNames) {
  auto session = Session(SourceDir() + "/samples/food_sales");
  ReplSession& s = *session;
  using V = std::vector<std::string>;
  EXPECT_EQ(Complete(s, ":it"), V{":item "});
  EXPECT_EQ(Complete(s, ":de"), V{":decide"});
  EXPECT_EQ(Complete(s, ":item FS"), V{"FS-001"});
  EXPECT_EQ(Complete(s, ":trace AR"), V{"AREA"});
  EXPECT_EQ(Complete(s, ":graph BL"), V{"BLACKLIST"});
  EXPECT_EQ(Complete(s, ":set business.ar"), V{"business.area_m2"});
  EXPECT_EQ(Complete(s, "business.area_m2 >= 10 and applicant.ph"), V{"applicant.phone"});
  EXPECT_EQ(Complete(s, "id_number_"), (V{"id_number_birth(", "id_number_valid("}));
  EXPECT_EQ(Complete(s, "x in credit_b"), V{"credit_blacklist"});
  EXPECT_EQ(Complete(s, "tod"), V{"today"});
  size_t start = 0;
  s.Complete("staff.count + busi", &start);
  EXPECT_EQ(start, 14u);  // the word being completed starts after the space
  EXPECT_TRUE(Complete(s, ":set business.area_m2 = ").empty());
}

TEST(ReplSession, PastedJsonSpansLinesAndCommandsEndABrokenPaste) {
  auto session = Session(SourceDir() + "/samples/food_sales");
  ReplSession& s = *session;
  EXPECT_EQ(s.Execute("{\"item\": \"FS-001\","), "");
  EXPECT_TRUE(s.pasting());
  EXPECT_EQ(s.Prompt(), "... ");
  std::string out = s.Execute(" \"applicant\": {\"phone\": \"}{\"}}");  // braces inside a string do not count
  EXPECT_FALSE(s.pasting());
  EXPECT_NE(out.find("application loaded from the pasted JSON"), std::string::npos) << out;
  EXPECT_EQ(s.Execute("applicant.phone == \"}{\""), "true  : bool\n");
  s.Execute("{\"item\": ");
  out = s.Execute(":show");
  EXPECT_NE(out.find("was not finished"), std::string::npos) << out;
  EXPECT_NE(out.find("\"}{\""), std::string::npos) << out;  // the earlier application is still there
}

TEST(ReplSession, ReloadKeepsThePreviousPackOnErrorsAndTheApplicationAlways) {
  auto dir = std::filesystem::temp_directory_path() / ("miaopi_repl_reload_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::copy(SourceDir() + "/samples/food_sales", dir, std::filesystem::copy_options::recursive);
  std::string rules = ReadFileOrDie(dir / "food_sales.rules");
  auto session = Session(dir.string());
  ReplSession& s = *session;
  s.Execute(":load " + SourceDir() + "/tests/golden/decide/food_sales/base.json");
  ASSERT_EQ(s.Execute(":decide").rfind("approve", 0), 0u);

  WriteFile(dir / "food_sales.rules", rules + "\nrule broken\n");
  std::string out = s.Execute(":reload");
  EXPECT_NE(out.find("error[E"), std::string::npos) << out;
  EXPECT_NE(out.find("the previous pack is kept"), std::string::npos) << out;
  EXPECT_EQ(s.Execute(":decide").rfind("approve", 0), 0u);  // the old pack still decides

  std::string stricter = rules;
  size_t at = stricter.find("business.area_m2 >= 10");
  ASSERT_NE(at, std::string::npos);
  stricter.replace(at, 22, "business.area_m2 >= 40");
  WriteFile(dir / "food_sales.rules", stricter);
  out = s.Execute(":reload");
  EXPECT_NE(out.find("reloaded pack"), std::string::npos) << out;
  out = s.Execute(":decide");  // the same application, the new rule
  EXPECT_EQ(out.rfind("review", 0), 0u) << out;
  EXPECT_NE(out.find("AREA"), std::string::npos) << out;
  std::filesystem::remove_all(dir);
}

TEST(ReplSession, ExpressionsShowValueTypeAndWhyUnknown) {
  auto session = Session(SourceDir() + "/samples/food_sales");
  ReplSession& s = *session;
  s.Execute(":load " + SourceDir() + "/tests/golden/decide/food_sales/base.json");
  EXPECT_EQ(s.Execute("applicant.birth_date + 18 years"), "2017-09-09  : date\n");
  EXPECT_EQ(s.Execute("[1, 2, 3]"), "[1, 2, 3]  : list<int>\n");
  EXPECT_EQ(s.Execute("count(staff)"), "1  : int\n");
  s.Execute(":unset applicant.birth_date");
  EXPECT_EQ(s.Execute("applicant.birth_date + 18 years"), "unknown  : date\n  missing: applicant.birth_date\n");
  size_t errors = s.errors();
  std::string out = s.Execute("applicant.birth_dat");
  EXPECT_NE(out.find("did you mean 'birth_date'?"), std::string::npos) << out;
  EXPECT_EQ(s.errors(), errors + 1);
}

}  // namespace
}  // namespace miaopi::cli
