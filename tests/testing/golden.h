// Golden files: compare output with a checked-in file, or rewrite the file
// when MIAOPI_UPDATE_GOLDEN=1 (then review the diff before committing).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace miaopi::testing {

std::string SourceDir();                       // the repository root
std::string ReadFileOrDie(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, const std::string& text);
// EXPECTs `actual` equals the golden file (or rewrites it in update mode).
void ExpectGolden(const std::filesystem::path& path, const std::string& actual);
// Subfolders (or files with `extension`) of `dir`, sorted.
std::vector<std::filesystem::path> ListDir(const std::filesystem::path& dir, const std::string& extension = "");

}  // namespace miaopi::testing
