// The hash maps a decision reads: tables by key, constant sets, decision
// tables' value index and items by code. One array of slots (hash, key,
// value), linear probing, at most half full: a lookup is one hash of a few
// multiplies and usually one cache line, where std::unordered_map takes a
// byte-at-a-time hash, a division, a bucket and a node to chase. Built once
// when a pack is compiled, read-only after. This file's external interface
// is HashBytes, HashWord and FlatMap.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

namespace miaopi::engine {

// 64 bits of a 128-bit product, folded: the mixing step of the hashes below.
inline uint64_t Fold(uint64_t a, uint64_t b) {
  const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

// A hash of bytes, eight at a time (keys are short: codes, ids, names).
inline uint64_t HashBytes(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = Fold(h ^ w, 0xBF58476D1CE4E5B9ull);
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = Fold(h ^ w, 0x94D049BB133111EBull);
  }
  return Fold(h, 0x9E3779B97F4A7C15ull);
}

inline uint64_t HashWord(uint64_t w) { return Fold(w ^ 0x2545F4914F6CDD1Dull, 0x9E3779B97F4A7C15ull); }

// Key → Mapped. `Hash` returns 64 bits; `Eq` must agree with it. Insertion
// keeps the first value given for a key (as std::unordered_map::emplace).
template <typename Key, typename Mapped, typename Hash, typename Eq>
class FlatMap {
 public:
  FlatMap() = default;
  FlatMap(const FlatMap&) = default;
  FlatMap& operator=(const FlatMap&) = default;
  // A moved-from map is empty (its size goes with its slots).
  FlatMap(FlatMap&& o) noexcept : slots_(std::move(o.slots_)), size_(std::exchange(o.size_, 0)) { o.slots_.clear(); }
  FlatMap& operator=(FlatMap&& o) noexcept {
    slots_ = std::move(o.slots_);
    size_ = std::exchange(o.size_, 0);
    o.slots_.clear();
    return *this;
  }

  // Adds `key` with `value` unless the key is there; the mapped value either
  // way, and whether it was added.
  std::pair<Mapped*, bool> TryEmplace(const Key& key, Mapped value) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    const uint64_t h = HashOf(key);
    size_t at = h & (slots_.size() - 1);
    for (;; at = (at + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[at];
      if (s.hash == 0) {
        s.hash = h;
        s.key = key;
        s.value = std::move(value);
        ++size_;
        return {&s.value, true};
      }
      if (s.hash == h && Eq()(s.key, key)) return {&s.value, false};
    }
  }

  // The value of `key`, or null.
  const Mapped* Find(const Key& key) const {
    if (size_ == 0) return nullptr;
    const uint64_t h = HashOf(key);
    for (size_t at = h & (slots_.size() - 1);; at = (at + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[at];
      if (s.hash == 0) return nullptr;
      if (s.hash == h && Eq()(s.key, key)) return &s.value;
    }
  }
  bool Contains(const Key& key) const { return Find(key) != nullptr; }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Every entry, in slot order (no meaningful order): f(key, value).
  template <typename F>
  void ForEach(F&& f) const {
    for (const Slot& s : slots_) {
      if (s.hash != 0) f(s.key, s.value);
    }
  }
  template <typename F>
  void ForEach(F&& f) {
    for (Slot& s : slots_) {
      if (s.hash != 0) f(s.key, s.value);
    }
  }

 private:
  struct Slot {
    uint64_t hash = 0;  // 0: empty
    Key key{};
    Mapped value{};
  };

  static uint64_t HashOf(const Key& key) {
    const uint64_t h = static_cast<uint64_t>(Hash()(key));
    return h == 0 ? 1 : h;
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.clear();
    slots_.resize(old.empty() ? 8 : old.size() * 2);
    for (Slot& s : old) {
      if (s.hash == 0) continue;
      size_t at = s.hash & (slots_.size() - 1);
      while (slots_[at].hash != 0) at = (at + 1) & (slots_.size() - 1);
      slots_[at] = std::move(s);
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace miaopi::engine
