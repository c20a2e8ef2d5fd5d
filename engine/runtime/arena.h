// Per-evaluation memory: bump arenas with stable addresses that keep their
// blocks between evaluations, so a steady stream of applications allocates
// nothing once the blocks have grown to the working size.
#pragma once

#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "engine/graph/value.h"

namespace miaopi::engine {

template <typename T>
class BumpArena {
 public:
  explicit BumpArena(size_t block_size = 4096) : block_size_(block_size) {}

  T* Allocate(size_t n) {
    if (n == 0) return nullptr;
    while (current_ < blocks_.size()) {
      Block& b = blocks_[current_];
      if (b.size - used_ >= n) {
        T* p = b.data.get() + used_;
        used_ += n;
        return p;
      }
      ++current_;
      used_ = 0;
    }
    size_t size = std::max(block_size_, n);
    blocks_.push_back({std::make_unique<T[]>(size), size});
    used_ = n;
    return blocks_.back().data.get();
  }

  // Forgets every allocation; keeps the blocks.
  void Reset() {
    current_ = 0;
    used_ = 0;
  }

  size_t capacity() const {
    size_t total = 0;
    for (const Block& b : blocks_) total += b.size;
    return total;
  }

 private:
  struct Block {
    std::unique_ptr<T[]> data;
    size_t size;
  };
  std::vector<Block> blocks_;
  size_t current_ = 0;
  size_t used_ = 0;
  size_t block_size_;
};

// Strings made during an evaluation (lower(), upper()).
class StringArena {
 public:
  std::string_view Copy(std::string_view s) {
    char* p = chars_.Allocate(s.size());
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }
  char* Allocate(size_t n) { return chars_.Allocate(n); }
  void Reset() { chars_.Reset(); }

 private:
  BumpArena<char> chars_{16384};
};

}  // namespace miaopi::engine
