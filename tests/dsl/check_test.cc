// Golden checker tests: each folder of tests/golden/check is a pack;
// expected.txt holds its diagnostics and, when it checks, its typed AST.
#include <gtest/gtest.h>

#include "dsl/ast_dump.h"
#include "dsl/check.h"
#include "dsl/program.h"
#include "tests/testing/golden.h"

namespace miaopi::dsl {
namespace {

using testing::ExpectGolden;
using testing::SourceDir;

std::string CheckToText(const std::filesystem::path& dir) {
  Diagnostics diags;
  std::string io;
  std::unique_ptr<Program> program = LoadProgram(dir, {}, diags, &io);
  if (!program) return "io error: " + io + "\n";
  std::string out = RenderAll(diags, program->sources);
  // Paths in the golden file are relative to the pack folder.
  std::string prefix = dir.string() + "/";
  for (size_t at; (at = out.find(prefix)) != std::string::npos;) out.erase(at, prefix.size());
  if (!diags.has_errors()) {
    out += "--- typed\n";
    for (const auto& m : program->modules) out += DumpModule(*m, true);
  }
  return out;
}

// tests/golden/check/NAME/: a pack; expected.txt its diagnostics and,
// when it checks, its typed AST.
class CheckGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(CheckGolden, Diagnostics) {
  std::filesystem::path dir = testing::GoldenPath("check", GetParam());
  ExpectGolden(dir / "expected.txt", CheckToText(dir));
}

INSTANTIATE_TEST_SUITE_P(Golden, CheckGolden, ::testing::ValuesIn(testing::GoldenCases("check")), testing::CaseName);

Program* Build(std::unique_ptr<Program>& holder, const std::string& text, Diagnostics& diags) {
  holder = BuildProgram({"a.rules"}, MemoryReader({{"a.rules", text}}), {}, diags);
  return holder.get();
}

TEST(Check, ItemsInForceByDate) {
  std::unique_ptr<Program> p;
  Diagnostics diags;
  Build(p,
        "pack \"v\" version \"1\"\n"
        "item \"A\" \"old\" { effective @2025-01-01 until @2025-12-31 input { x: int } rule R \"m\" require x > 0 else "
        "reject }\n"
        "item \"A\" \"new\" { effective @2026-01-01 input { x: int } rule R \"m\" require x > 1 else reject }\n",
        diags);
  ASSERT_FALSE(diags.has_errors()) << RenderAll(diags, p->sources);
  EXPECT_EQ(p->ItemInForce("A", *ParseIsoDate("2025-12-31"))->decl->title, "old");
  EXPECT_EQ(p->ItemInForce("A", *ParseIsoDate("2026-01-01"))->decl->title, "new");
  EXPECT_EQ(p->ItemInForce("A", *ParseIsoDate("2024-12-31")), nullptr);
  EXPECT_EQ(p->ItemInForce("B", *ParseIsoDate("2026-01-01")), nullptr);
}

TEST(Check, IncludedRulesGoWhereTheIncludeStands) {
  std::unique_ptr<Program> p;
  Diagnostics diags;
  Build(p,
        "pack \"v\" version \"1\"\n"
        "rules COMMON { rule G1 \"m\" require x > 0 else reject rule G2 \"m\" require x > 1 else reject }\n"
        "item \"A\" \"t\" { effective @2026-01-01 input { x: int }\n"
        "  rule FIRST \"m\" require x > 2 else review include COMMON rule LAST \"m\" require x > 3 else review }\n"
        "item \"B\" \"t\" { effective @2026-01-01 input { x: int } include COMMON }\n",
        diags);
  ASSERT_FALSE(diags.has_errors()) << RenderAll(diags, p->sources);
  std::vector<std::string> codes;
  for (const RuleDecl& r : p->items[0].decl->rules) codes.push_back(r.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"FIRST", "G1", "G2", "LAST"}));
  // Each item types its own copy.
  EXPECT_NE(p->items[0].decl->rules[1].cond, p->items[1].decl->rules[0].cond);
  EXPECT_EQ(p->items[1].decl->rules[0].included_from->code, "COMMON");
}

TEST(Check, RuleLimit) {
  std::string text = "pack \"v\" version \"1\"\nitem \"A\" \"t\" { effective @2026-01-01 input { x: int }\n";
  for (int i = 0; i < 5; ++i) text += "rule R" + std::to_string(i) + " \"m\" require x > 0 else reject\n";
  text += "}\n";
  LoadOptions options;
  options.max_rules = 4;
  Diagnostics diags;
  auto p = BuildProgram({"a.rules"}, MemoryReader({{"a.rules", text}}), options, diags);
  ASSERT_TRUE(diags.has_errors());
  EXPECT_EQ(diags.all()[0].code, ErrorCode::kTooManyRules);
}

TEST(Check, LetMayNameATableRow) {
  auto build = [](const std::string& rules, Diagnostics& diags) {
    FileReader read = MemoryReader({{"a.rules", rules}, {"zones.csv", "code,max_m2,lit\nZ1,4,true\n"}});
    return BuildProgram({"a.rules"}, read, {}, diags);
  };
  const std::string head =
      "pack \"v\" version \"1\"\n"
      "table zones from \"zones.csv\" key code (max_m2: number, lit: bool)\n"
      "item \"A\" \"t\" { effective @2026-01-01 input { road: string, area: number }\n";
  Diagnostics ok;
  auto p = build(head +
                     "let zone = zones[road]\n"
                     "rule R \"m\" require area <= zone.max_m2 and zone.lit else reject }\n",
                 ok);
  ASSERT_FALSE(ok.has_errors()) << RenderAll(ok, p->sources);
  EXPECT_EQ(TypeName(p->items[0].decl->lets[0].value->type), "row of table zones");

  // The table itself is not a value.
  Diagnostics bad;
  auto q = build(head + "let all = zones\nrule R \"m\" require area > 0 else reject }\n", bad);
  ASSERT_TRUE(bad.has_errors());
}

TEST(Check, ExpressionInItemScope) {
  std::unique_ptr<Program> p;
  Diagnostics diags;
  Build(p,
        "pack \"v\" version \"1\"\n"
        "item \"A\" \"t\" { effective @2026-01-01 input { x: int, r: { d: date } } let y = x + 1 "
        "rule R \"m\" require y > 0 else reject }\n",
        diags);
  ASSERT_FALSE(diags.has_errors());
  Module scratch;
  uint32_t ok = p->sources.Add("<expr>", "r.d + 1 year > today and y > x");
  Expr* e = ParseExpression(p->sources, ok, scratch, {}, diags);
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(CheckItemExpression(*p, 0, e, diags));
  EXPECT_EQ(TypeName(e->type), "bool");
  uint32_t bad = p->sources.Add("<expr>", "r.dd");
  Expr* b = ParseExpression(p->sources, bad, scratch, {}, diags);
  ASSERT_NE(b, nullptr);
  EXPECT_FALSE(CheckItemExpression(*p, 0, b, diags));
  EXPECT_EQ(diags.all().back().code, ErrorCode::kUnknownField);
}

}  // namespace
}  // namespace miaopi::dsl
