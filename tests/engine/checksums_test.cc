// The verified vectors of ../shared/domain/checksums.md.
#include "engine/runtime/checksums.h"

#include <gtest/gtest.h>

#include "dsl/date.h"

namespace miaopi::engine {
namespace {

TEST(IdNumber, StandardAndSyntheticVectorsAreValid) {
  for (const char* id :
       {"11010519491231002X", "440524188001010014", "440605194003150018", "440605194207080023", "440605194501010018",
        "440605194601010023", "440605202503010035", "440605202503010043", "440605200812010021", "440605199909090018",
        "440605198003030022", "440605197511110016", "440605196006060033", "440682199506200019", "440604198808080020",
        "440606199001010010", "440607198505050026", "440608197007070018", "440304199001010011"}) {
    EXPECT_TRUE(IdNumberValid(id)) << id;
  }
}

TEST(IdNumber, RejectsBadChecksAndShapes) {
  EXPECT_FALSE(IdNumberValid("110105194912310021"));  // expected X
  EXPECT_FALSE(IdNumberValid("11010519491231002"));   // 17 characters
  EXPECT_FALSE(IdNumberValid("1101051949123100200"));
  EXPECT_FALSE(IdNumberValid("11010519490231002X"));  // 1949-02-31 is no day
  EXPECT_FALSE(IdNumberValid("1101051949123100AX"));
  EXPECT_FALSE(IdNumberValid(""));
  EXPECT_TRUE(IdNumberValid("11010519491231002x"));  // lower-case x accepted
}

TEST(IdNumber, BirthDate) {
  EXPECT_EQ(dsl::FormatIsoDate(*IdNumberBirth("440524188001010014")), "1880-01-01");  // not refused for < 1900
  EXPECT_EQ(dsl::FormatIsoDate(*IdNumberBirth("11010519491231002X")), "1949-12-31");
  EXPECT_EQ(dsl::FormatIsoDate(*IdNumberBirth("110105194912310021")), "1949-12-31");  // structure only
  EXPECT_FALSE(IdNumberBirth("11010519490230002X"));
  EXPECT_FALSE(IdNumberBirth("K1"));
}

TEST(Uscc, VerifiedVectorsAreValid) {
  for (const char* code : {"91350100M000100Y43", "9144060573144633XL", "92440605MA4WXY1294", "92440605MA55AB0C3L",
                           "92440605L23456783J", "91440605MA4WXY1297", "91440605MA55AB0C3P", "91440605L23456783M"}) {
    EXPECT_TRUE(UsccValid(code)) << code;
  }
}

TEST(Uscc, RejectsBadChecksAndCharacters) {
  EXPECT_FALSE(UsccValid("91350100M000100Y44"));
  EXPECT_FALSE(UsccValid("91350100M000100Y4"));
  EXPECT_FALSE(UsccValid("91350100M0001O0Y43"));  // O is not in the character set
  EXPECT_FALSE(UsccValid("913501I0M000100Y43"));  // I is not either
  EXPECT_FALSE(UsccValid("91A50100M000100Y43"));  // positions 3-8 are digits
  EXPECT_FALSE(UsccValid("91350100m000100Y43"));  // lower case is not in the set
}

}  // namespace
}  // namespace miaopi::engine
