// Runs a fuzz target without libFuzzer: every file of the seed corpus, then
// deterministic random mutations of them (flips, inserts, deletions,
// splices). A plain test under the sanitizers; `--mutations N` sets the count.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::string Mutate(std::string s, const std::vector<std::string>& corpus, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return n == 0 ? size_t{0} : static_cast<size_t>(rng() % n); };
  static const char* kTokens[] = {"(",
                                  ")",
                                  "[",
                                  "]",
                                  "{",
                                  "}",
                                  "\"",
                                  "\\",
                                  "\\u",
                                  ":",
                                  ",",
                                  " and ",
                                  " or ",
                                  " not ",
                                  "null",
                                  "1e999",
                                  "-",
                                  "@2026-02-30",
                                  " all x in ",
                                  "if ",
                                  " then ",
                                  " else ",
                                  "\xe4\xb8\xad",
                                  "\xff",
                                  "\n",
                                  "#",
                                  "??",
                                  "9999999999999999999999",
                                  "[[[[[[[[",
                                  "}}}}"};
  int rounds = 1 + static_cast<int>(pick(4));
  for (int r = 0; r < rounds; ++r) {
    switch (pick(6)) {
      case 0:
        if (!s.empty()) s[pick(s.size())] ^= static_cast<char>(1 << pick(8));
        break;
      case 1: s.insert(pick(s.size() + 1), kTokens[pick(sizeof kTokens / sizeof *kTokens)]); break;
      case 2:
        if (!s.empty()) {
          size_t at = pick(s.size());
          s.erase(at, pick(std::min<size_t>(16, s.size() - at) + 1));
        }
        break;
      case 3:
        if (!s.empty()) {
          size_t at = pick(s.size());
          s.insert(pick(s.size() + 1), s.substr(at, pick(64)));
        }
        break;
      case 4: {
        const std::string& other = corpus[pick(corpus.size())];
        size_t at = pick(other.size() + 1);
        s = s.substr(0, pick(s.size() + 1)) + other.substr(at);
        break;
      }
      default:
        if (!s.empty()) s.resize(pick(s.size()));
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [--mutations N]\n", argv[0]);
    return 2;
  }
  int mutations = 1000;
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--mutations") == 0) mutations = std::atoi(argv[i + 1]);
  }
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(argv[1])) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> corpus;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    corpus.push_back(ss.str());
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "empty corpus %s\n", argv[1]);
    return 2;
  }
  for (const std::string& input : corpus) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  }
  std::mt19937_64 rng(0x6d69616f7069);
  for (int i = 0; i < mutations; ++i) {
    std::string input = Mutate(corpus[rng() % corpus.size()], corpus, rng);
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  }
  std::printf("%zu seeds and %d mutations ran clean\n", corpus.size(), mutations);
  return 0;
}
