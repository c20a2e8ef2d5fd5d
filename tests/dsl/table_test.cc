#include "dsl/table_data.h"

#include <gtest/gtest.h>

namespace miaopi::dsl {
namespace {

TEST(Table, CellsOfEachType) {
  TypeArena types;
  Cell cell;
  EXPECT_TRUE(ParseCell("", types.Int(), &cell));
  EXPECT_FALSE(cell.present);
  EXPECT_TRUE(ParseCell("-42", types.Int(), &cell));
  EXPECT_EQ(cell.value.i, -42);
  EXPECT_FALSE(ParseCell("4.2", types.Int(), &cell));
  EXPECT_TRUE(ParseCell("4.25", types.Number(), &cell));
  EXPECT_DOUBLE_EQ(cell.value.d, 4.25);
  EXPECT_FALSE(ParseCell("nan", types.Number(), &cell));
  EXPECT_TRUE(ParseCell("2024-02-29", types.Date(), &cell));
  EXPECT_FALSE(ParseCell("2025-02-29", types.Date(), &cell));
  EXPECT_TRUE(ParseCell("true", types.Bool(), &cell));
  EXPECT_FALSE(ParseCell("yes", types.Bool(), &cell));
  EXPECT_TRUE(ParseCell("南海区", types.String(), &cell));
  EXPECT_EQ(cell.value.s, "南海区");
}

TEST(Table, QuotedFieldsAndCrlf) {
  SourceSet sources;
  uint32_t file = sources.Add("t.csv",
                              "\xEF\xBB\xBF"
                              "code,name\r\nA,\"x, y\"\r\nB,\"say \"\"hi\"\"\"\r\n\r\n");
  TypeArena types;
  TableDecl decl;
  decl.name = "t";
  decl.key = "code";
  Diagnostics diags;
  TableData data;
  ASSERT_TRUE(LoadTable(decl, sources, file, types, 100, diags, &data)) << RenderAll(diags, sources);
  ASSERT_EQ(data.rows.size(), 2u);
  EXPECT_EQ(data.columns[0], "code");
  EXPECT_EQ(data.rows[0][1].value.s, "x, y");
  EXPECT_EQ(data.rows[1][1].value.s, "say \"hi\"");
}

TEST(Table, RowLimit) {
  SourceSet sources;
  uint32_t file = sources.Add("t.csv", "code\na\nb\nc\n");
  TypeArena types;
  TableDecl decl;
  decl.name = "t";
  decl.key = "code";
  Diagnostics diags;
  TableData data;
  EXPECT_FALSE(LoadTable(decl, sources, file, types, 2, diags, &data));
  EXPECT_EQ(diags.all().at(0).code, ErrorCode::kTableTooLarge);
}

}  // namespace
}  // namespace miaopi::dsl
