// A pack's own test cases (PACK/tests/*.json): each file one case or an array
// of cases, a case being {"name", "application", "date", "item"?, "context"?
// (or "subject"? and "town"?), "expect": {"decision", "reasons": [codes],
// "outputs"?: {name: value}} or {"error": code}}. Licences come from the
// given store, else from PACK/tests/licences.jsonl when there is one.
// Rule coverage records, per item version, whether each rule was seen
// passing and seen not passing. This file's external interface is RunPackTests.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/include/miaopi/licences.h"
#include "engine/include/miaopi/miaopi.h"

namespace miaopi {

struct TestFailure {
  std::string file, name;
  std::vector<std::string> lines;  // what differed, one line each
};

struct RuleCoverage {
  std::string item, effective, rule;
  bool passed = false, not_passed = false;
};

struct TestReport {
  size_t passed = 0, failed = 0;
  std::vector<TestFailure> failures;
  std::vector<std::string> problems;   // unreadable files, malformed cases (each also counts as failed)
  std::vector<RuleCoverage> coverage;  // every rule of every item version
  size_t Covered() const;
};

struct TestOptions {
  std::string filter;                      // only cases whose name contains it
  std::shared_ptr<LicenceStore> licences;  // else PACK/tests/licences.jsonl
};

TestReport RunPackTests(std::shared_ptr<const Pack> pack, const std::string& pack_dir, const TestOptions& options = {});

}  // namespace miaopi
