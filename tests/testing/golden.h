// Golden files: compare output with a checked-in file, or rewrite the file
// when MIAOPI_UPDATE_GOLDEN=1 (then review the diff before committing).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace miaopi::testing {

std::string SourceDir();  // the repository root
std::string ReadFileOrDie(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, const std::string& text);
// EXPECTs `actual` equals the golden file (or rewrites it in update mode).
void ExpectGolden(const std::filesystem::path& path, const std::string& actual);
// An empty folder for the running test, named after it and `prefix`
// (removed first if a crashed run left it).
std::filesystem::path FreshTestDir(const std::string& prefix);
// Subfolders (or files with `extension`) of `dir`, sorted.
std::vector<std::filesystem::path> ListDir(const std::filesystem::path& dir, const std::string& extension = "");

// The cases of tests/golden/FOLDER, for INSTANTIATE_TEST_SUITE_P: its
// subfolders (folder cases), or the stems of its files with `extension`
// (file cases). See tests/README.md.
std::vector<std::string> GoldenCases(const std::string& folder, const std::string& extension = "");
// tests/golden/FOLDER/NAME.
std::filesystem::path GoldenPath(const std::string& folder, const std::string& name);
// A case name as a test name: letters, digits and _ ("food_sales", "only_cse").
std::string CaseName(const ::testing::TestParamInfo<std::string>& info);

}  // namespace miaopi::testing
