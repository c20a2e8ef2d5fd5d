// Steady state allocates nothing: after one pass over 1,000 applications
// (which grows every reusable buffer to its working size), a second pass
// through the batch path (Evaluator::DecideToJson) makes no heap allocation
// at all — counted by replacing the global operator new. For FS-001, and for
// the Nanhai pack (decision tables, contexts, licences from a library).
// Its own executable, since it replaces operator new for the whole program.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
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

namespace {

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Two passes over `apps`; the second counted. False when it allocated, or
// when the applications did not reach every outcome.
bool SteadyState(const char* name, std::shared_ptr<const miaopi::Pack> pack, const std::vector<std::string>& apps,
                 std::shared_ptr<miaopi::LicenceStore> licences) {
  miaopi::Evaluator evaluator(pack, licences);
  miaopi::DecideOptions options;
  options.date = "2026-09-10";
  std::string out;
  size_t decided[3] = {0, 0, 0};
  allocations = 0;
  for (int pass = 0; pass < 2; ++pass) {
    counting = pass == 1;
    for (size_t i = 0; i < apps.size(); ++i) {
      out.clear();
      std::optional<miaopi::Outcome> o = evaluator.DecideToJson(apps[i], options, i + 1, &out);
      if (pass == 1 && o) ++decided[static_cast<int>(*o)];
    }
    counting = false;
  }
  std::printf("%s, second pass: %zu applications (%zu approve, %zu review, %zu reject), %zu heap allocations\n", name,
              apps.size(), decided[0], decided[1], decided[2], allocations);
  return apps.size() >= 1000 && decided[0] > 0 && decided[1] > 0 && decided[2] > 0 && allocations == 0;
}

}  // namespace

int main() {
  std::string root = MIAOPI_SOURCE_DIR;
  miaopi::LoadResult food = miaopi::LoadPack(root + "/samples/food_sales");
  miaopi::LoadResult nanhai = miaopi::LoadPack(root + "/rules/nanhai");
  for (const miaopi::LoadResult* loaded : {&food, &nanhai}) {
    if (!loaded->ok()) {
      std::fprintf(stderr, "%s\n", loaded->rendered.c_str());
      return 1;
    }
  }
  // Nanhai: ten items with decision tables, envelopes with contexts, and
  // licences from a library (in memory: its answers kept after the first pass).
  std::string error;
  std::shared_ptr<miaopi::LicenceStore> licences =
      miaopi::MemoryLicences(Lines(root + "/samples/nanhai/licences.jsonl"), &error);
  if (!licences) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  bool ok = SteadyState("FS-001", food.pack, Lines(root + "/samples/applications/food_sales_1000.jsonl"), nullptr);
  ok &= SteadyState("Nanhai with licences", nanhai.pack, Lines(root + "/samples/nanhai/applications_1000.jsonl"),
                    licences);
  return ok ? 0 : 1;
}
