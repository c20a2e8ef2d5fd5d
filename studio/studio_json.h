// The studio's answers as JSON: a check of the scratch pack (diagnostics,
// items with their rules and input schema), a test run, a verify run and the
// pack's test cases as samples. This file's external interface is the
// functions below; studio.cc serves what they write.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/include/miaopi/miaopi.h"
#include "engine/testing/pack_tests.h"
#include "verify/verify.h"

namespace miaopi::studio {

// JSON text from the page or the scratch folder, parsed as every decision
// parses what a user gives: iteratively (deep text is an error, not a
// crash), UTF-8 checked, no member twice. False with `error`.
bool ParseUserJson(std::string_view text, rapidjson::Document* doc, std::string* error, uint32_t max_depth = 128);

// {"ok", "pack": {name, version, hash}?, "diagnostics": [...], "rendered",
//  "items": [{"item", "title", "effective", "until", "nodes", "rules":
//  [{"code", "message", "outcome"}], "properties": [codes], "input": TYPE}]}
// where TYPE is {"kind": "record", "fields": [{"name", "optional",
// "fixed", "type": TYPE}]}, {"kind": "list", "elem": TYPE} or {"kind":
// "date"|"string"|"number"|"int"|"bool"|"duration"}.
std::string CheckJson(const LoadResult& result);

// {"passed", "failed", "failures": [{"file", "name", "lines"}],
//  "problems": [...], "coverage": [{"item", "effective", "rule", "passed",
//  "not_passed"}], "covered", "rules"}
std::string TestReportJson(const TestReport& report);

// [one object per property, as `miaopi verify --json` writes it]
std::string VerifyJson(const std::vector<verify::PropertyResult>& results);

// `v` as compact JSON text.
std::string JsonText(const rapidjson::Value& v);

// One case of a test case file, as a sample for the try panel and the
// impact of an edit.
struct CaseSample {
  std::string file;
  size_t index = 0;  // in the file's array
  std::string name, item, date;
  std::string application;  // JSON text
  std::string context;      // JSON text from "context", or "subject" and "town"; empty when none
};

// The cases of one test case file; files that are not cases give nothing.
void AppendCases(std::string_view file, std::string_view text, std::vector<CaseSample>* cases);

// [{"file", "index", "name", "item", "date", "application", "context"}],
// context null when there is none.
std::string CasesJson(const std::vector<CaseSample>& cases);

// A new test case from the application tried and what the pack decided:
// {"name", "application", "date", "item"?, "context"?, "expect":
// {"decision", "reasons", "outputs"}} or {"expect": {"error": code}}.
std::string CaseFromRecord(std::string_view name, std::string_view application, std::string_view date,
                           std::string_view item, std::string_view context, const Record& record);

// `text` (a JSON array of cases, or empty) with `case_json` appended,
// pretty-printed; nullopt with `error` when `text` is not an array.
std::optional<std::string> AppendCase(std::string_view text, std::string_view case_json, std::string* error);

}  // namespace miaopi::studio
