// Shared by the micro benchmarks: packs written to a temporary folder and
// loaded, and generated inputs.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/include/miaopi/miaopi.h"

namespace miaopi::bench {

inline const std::string kSource = MIAOPI_SOURCE_DIR;

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// Writes `files` (relative path → text) under a fresh temporary folder.
inline std::string WritePack(const std::string& name, const std::map<std::string, std::string>& files) {
  auto dir = std::filesystem::temp_directory_path() / ("miaopi_bench_" + name);
  std::filesystem::remove_all(dir);
  for (const auto& [path, text] : files) {
    std::filesystem::create_directories((dir / path).parent_path());
    std::ofstream(dir / path, std::ios::binary) << text;
  }
  return dir.string();
}

inline std::shared_ptr<const Pack> LoadOrDie(const std::string& dir, LoadOptions options = {}) {
  LoadResult r = LoadPack(dir, options);
  if (!r.ok()) {
    std::fprintf(stderr, "%s%s\n", r.io_error.c_str(), r.rendered.c_str());
    std::abort();
  }
  return r.pack;
}

}  // namespace miaopi::bench
