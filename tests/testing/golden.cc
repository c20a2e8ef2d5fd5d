#include "tests/testing/golden.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace miaopi::testing {

std::string SourceDir() { return MIAOPI_SOURCE_DIR; }

std::filesystem::path FreshTestDir(const std::string& prefix) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / (prefix + "-" + std::to_string(::getpid()) + "-" +
                                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string ReadFileOrDie(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return "";
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

void ExpectGolden(const std::filesystem::path& path, const std::string& actual) {
  const char* update = std::getenv("MIAOPI_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    WriteFile(path, actual);
    return;
  }
  if (!std::filesystem::exists(path)) {
    ADD_FAILURE() << "no golden file " << path << " (run with MIAOPI_UPDATE_GOLDEN=1 to create it)\n" << actual;
    return;
  }
  std::string expected = ReadFileOrDie(path);
  EXPECT_EQ(expected, actual) << "golden file " << path << " differs (MIAOPI_UPDATE_GOLDEN=1 rewrites it)";
}

std::vector<std::filesystem::path> ListDir(const std::filesystem::path& dir, const std::string& extension) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (extension.empty() ? entry.is_directory() : entry.path().extension() == extension) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> GoldenCases(const std::string& folder, const std::string& extension) {
  std::vector<std::string> names;
  for (const auto& path : ListDir(GoldenPath(folder, ""), extension)) names.push_back(path.stem().string());
  return names;
}

std::filesystem::path GoldenPath(const std::string& folder, const std::string& name) {
  return std::filesystem::path(SourceDir()) / "tests/golden" / folder / name;
}

std::string CaseName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

}  // namespace miaopi::testing
