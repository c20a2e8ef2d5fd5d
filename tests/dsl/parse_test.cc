// Golden parse tests: tests/golden/parse/NAME.rules → NAME.out holds the AST
// dump and the rendered diagnostics.
#include <gtest/gtest.h>

#include "dsl/ast_dump.h"
#include "dsl/parse.h"
#include "tests/testing/golden.h"

namespace miaopi::dsl {
namespace {

using testing::ExpectGolden;
using testing::ReadFileOrDie;
using testing::SourceDir;

std::string ParseToText(const std::string& name, const std::string& text, ParseOptions options = {}) {
  SourceSet sources;
  uint32_t file = sources.Add(name, text);
  Diagnostics diags;
  std::unique_ptr<Module> module = ParseModule(sources, file, options, diags);
  return DumpModule(*module) + "--- diagnostics\n" + RenderAll(diags, sources);
}

// tests/golden/parse/NAME.rules → NAME.out: the AST dump and the rendered
// diagnostics.
class ParseGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ParseGolden, AstAndDiagnostics) {
  std::filesystem::path input = testing::GoldenPath("parse", GetParam() + ".rules");
  ExpectGolden(testing::GoldenPath("parse", GetParam() + ".out"),
               ParseToText(input.filename().string(), ReadFileOrDie(input)));
}

INSTANTIATE_TEST_SUITE_P(Golden, ParseGolden, ::testing::ValuesIn(testing::GoldenCases("parse", ".rules")),
                         testing::CaseName);

TEST(Parse, DeepNestingIsAnErrorNotACrash) {
  std::string deep = "item \"A\" \"t\" { rule R \"m\" require " + std::string(100000, '(') + "x" +
                     std::string(100000, ')') + " else reject }";
  std::string out = ParseToText("deep.rules", deep);
  EXPECT_NE(out.find("error[E005]"), std::string::npos);
  std::string nots = "item \"A\" \"t\" { rule R \"m\" require ";
  for (int i = 0; i < 100000; ++i) nots += "not ";
  nots += "x else reject }";
  EXPECT_NE(ParseToText("nots.rules", nots).find("error[E005]"), std::string::npos);
  std::string chain = "item \"A\" \"t\" { rule R \"m\" require x";
  for (int i = 0; i < 5000; ++i) chain += " + x";
  chain += " > 1 else reject }";
  EXPECT_NE(ParseToText("chain.rules", chain).find("error[E005]"), std::string::npos);
}

TEST(Parse, InvalidUtf8) {
  std::string out = ParseToText("bad.rules", "pack \"a\" version \"1\"\n# \xff\xfe\n");
  EXPECT_NE(out.find("bad.rules:2:3: error[E007]"), std::string::npos) << out;
}

TEST(Parse, SourceSizeLimit) {
  ParseOptions options;
  options.max_source_bytes = 10;
  EXPECT_NE(ParseToText("big.rules", "pack \"a\" version \"1\"", options).find("error[E008]"), std::string::npos);
}

TEST(Parse, ExpressionForTheRepl) {
  SourceSet sources;
  Module module;
  Diagnostics diags;
  uint32_t ok = sources.Add("<expr>", "applicant.birth_date + 18 years");
  Expr* e = ParseExpression(sources, ok, module, {}, diags);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(DumpExpr(*e), "(+ (. applicant birth_date) 18 years)");
  uint32_t bad = sources.Add("<expr>", "a + ");
  EXPECT_EQ(ParseExpression(sources, bad, module, {}, diags), nullptr);
  uint32_t trailing = sources.Add("<expr>", "a b");
  EXPECT_EQ(ParseExpression(sources, trailing, module, {}, diags), nullptr);
  EXPECT_EQ(diags.error_count(), 2u);
}

}  // namespace
}  // namespace miaopi::dsl
