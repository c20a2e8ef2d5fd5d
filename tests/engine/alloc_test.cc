// Steady state allocates nothing: after one pass over the 1,000 sample
// applications (which grows every reusable buffer to its working size), a
// second pass through the batch path (Evaluator::DecideToJson) makes no
// heap allocation at all — counted by replacing the global operator new.
// Its own executable, since it replaces operator new for the whole program.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <new>
#include <string>
#include <vector>

#include "engine/include/miaopi/miaopi.h"

namespace {
bool counting = false;
size_t allocations = 0;
}  // namespace

void* operator new(std::size_t n) {
  if (counting) ++allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  if (counting) ++allocations;
  return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void* operator new(std::size_t n, std::align_val_t a) {
  if (counting) ++allocations;
  if (void* p =
          std::aligned_alloc(static_cast<size_t>(a), (n + static_cast<size_t>(a) - 1) & ~(static_cast<size_t>(a) - 1)))
    return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) { return operator new(n, a); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

int main() {
  std::string root = MIAOPI_SOURCE_DIR;
  miaopi::LoadResult loaded = miaopi::LoadPack(root + "/samples/food_sales");
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.rendered.c_str());
    return 1;
  }
  std::ifstream in(root + "/samples/applications/food_sales_1000.jsonl");
  std::vector<std::string> apps;
  for (std::string line; std::getline(in, line);) apps.push_back(line);
  miaopi::Evaluator evaluator(loaded.pack);
  miaopi::DecideOptions options;
  options.date = "2026-09-10";
  std::string out;
  size_t decided[3] = {0, 0, 0};
  for (int pass = 0; pass < 2; ++pass) {
    counting = pass == 1;
    for (size_t i = 0; i < apps.size(); ++i) {
      out.clear();
      std::optional<miaopi::Outcome> o = evaluator.DecideToJson(apps[i], options, i + 1, &out);
      if (pass == 1 && o) ++decided[static_cast<int>(*o)];
    }
    counting = false;
  }
  std::printf("second pass: %zu applications (%zu approve, %zu review, %zu reject), %zu heap allocations\n",
              apps.size(), decided[0], decided[1], decided[2], allocations);
  if (apps.size() < 1000 || decided[0] == 0 || decided[1] == 0 || decided[2] == 0) return 1;
  return allocations == 0 ? 0 : 1;
}
