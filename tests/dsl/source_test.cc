#include "dsl/source.h"

#include <gtest/gtest.h>

namespace miaopi::dsl {
namespace {

TEST(Source, LocatesLinesAndCharacterColumns) {
  SourceFile f("a.rules", "ab\n中文x\n\nlast");
  EXPECT_EQ(f.Locate(0).line, 1u);
  EXPECT_EQ(f.Locate(1).column, 2u);
  LineCol x = f.Locate(3 + 6);  // after two 3-byte characters
  EXPECT_EQ(x.line, 2u);
  EXPECT_EQ(x.column, 3u);
  EXPECT_EQ(f.Line(2), "中文x");
  EXPECT_EQ(f.Line(3), "");
  EXPECT_EQ(f.Line(4), "last");
  EXPECT_EQ(f.Locate(1000).line, 4u);
}

TEST(Source, WideCharactersTakeTwoCells) {
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("中文"), 4u);
  EXPECT_EQ(DisplayWidth("《法》"), 6u);
  EXPECT_EQ(CountChars("中文ab"), 4u);
}

TEST(Source, ValidatesUtf8) {
  size_t at = 0;
  EXPECT_TRUE(ValidUtf8("中文 ok"));
  EXPECT_FALSE(ValidUtf8("ab\xff", &at));
  EXPECT_EQ(at, 2u);
  EXPECT_FALSE(ValidUtf8("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(ValidUtf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(ValidUtf8("\xe4\xb8"));      // truncated
}

}  // namespace
}  // namespace miaopi::dsl
