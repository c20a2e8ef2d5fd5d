// A pack's own test cases (PACK/tests/*.json): each file one case or an array
// of cases, a case being {"name", "application", "date", "item"?,
// "expect": {"decision", "reasons": [rule codes]} or {"error": code}}.
// This file's external interface is RunPackTests.
#pragma once

#include <string>
#include <vector>

#include "engine/include/miaopi/miaopi.h"

namespace miaopi {

struct TestFailure {
  std::string file, name;
  std::vector<std::string> lines;  // what differed, one line each
};

struct TestReport {
  size_t passed = 0, failed = 0;
  std::vector<TestFailure> failures;
  std::vector<std::string> problems;  // unreadable files, malformed cases (each also counts as failed)
};

// `filter`: only cases whose name contains it.
TestReport RunPackTests(std::shared_ptr<const Pack> pack, const std::string& pack_dir, const std::string& filter = "");

}  // namespace miaopi
