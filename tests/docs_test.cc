// The docs name every error code, built-in function and optimization pass.
#include <gtest/gtest.h>

#include "dsl/builtins.h"
#include "dsl/error_codes.h"
#include "engine/compile/passes/passes.h"
#include "tests/testing/golden.h"

namespace miaopi {
namespace {

TEST(Docs, EveryErrorCodeIsDocumented) {
  std::string doc = testing::ReadFileOrDie(testing::SourceDir() + "/docs/errors.md");
#define MIAOPI_CHECK_DOC(name, code, meaning) \
  EXPECT_NE(doc.find("| " code " |"), std::string::npos) << code << " is not in docs/errors.md";
  MIAOPI_ERROR_CODES(MIAOPI_CHECK_DOC)
#undef MIAOPI_CHECK_DOC
}

TEST(Docs, EveryBuiltinIsDocumented) {
  std::string doc = testing::ReadFileOrDie(testing::SourceDir() + "/docs/language.md");
#define MIAOPI_CHECK_BUILTIN(id, name, text) \
  EXPECT_NE(doc.find("`" name "("), std::string::npos) << name << " is not in docs/language.md";
  MIAOPI_BUILTINS(MIAOPI_CHECK_BUILTIN)
#undef MIAOPI_CHECK_BUILTIN
}

TEST(Docs, EveryPassIsDocumented) {
  std::string doc = testing::ReadFileOrDie(testing::SourceDir() + "/docs/cli.md");
  for (const engine::PassInfo& pass : engine::AllPasses()) {
    EXPECT_NE(doc.find("| " + std::string(pass.name) + " |"), std::string::npos)
        << pass.name << " is not in docs/cli.md";
  }
}

}  // namespace
}  // namespace miaopi
