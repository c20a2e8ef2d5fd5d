#include "journal/merkle.h"

#include <algorithm>
#include <bit>

namespace miaopi::journal {

Hash LeafHash(std::string_view entry) {
  Sha256Stream s;
  s.Update(std::string_view("\0", 1));
  s.Update(entry);
  return s.Final();
}

Hash NodeHash(const Hash& left, const Hash& right) {
  Sha256Stream s;
  s.Update("\1");
  s.Update(AsBytes(left));
  s.Update(AsBytes(right));
  return s.Final();
}

Hash EmptyRoot() { return Sha256(""); }

namespace {

// The largest power of two strictly below n (n >= 2).
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

}  // namespace

Hash RootOf(std::span<const Hash> leaves) {
  if (leaves.empty()) return EmptyRoot();
  CompactRange range;
  for (const Hash& leaf : leaves) range.Append(leaf);
  return range.Root();
}

void CompactRange::Append(const Hash& leaf) {
  Hash carry = leaf;
  // Each trailing one bit of size_ is a peak of equal height to merge with.
  for (uint64_t bits = size_; bits & 1; bits >>= 1) {
    carry = NodeHash(peaks_.back(), carry);
    peaks_.pop_back();
  }
  peaks_.push_back(carry);
  ++size_;
}

Hash CompactRange::Root() const {
  if (peaks_.empty()) return EmptyRoot();
  // The rightmost (smallest) peaks fold into their left neighbours.
  Hash root = peaks_.back();
  for (size_t i = peaks_.size() - 1; i-- > 0;) root = NodeHash(peaks_[i], root);
  return root;
}

std::vector<Hash> InclusionProof(std::span<const Hash> leaves, uint64_t index) {
  std::vector<Hash> siblings;  // top-down
  uint64_t lo = 0, hi = leaves.size();
  while (hi - lo > 1) {
    uint64_t k = SplitPoint(hi - lo);
    if (index < lo + k) {
      siblings.push_back(RootOf(leaves.subspan(lo + k, hi - lo - k)));
      hi = lo + k;
    } else {
      siblings.push_back(RootOf(leaves.subspan(lo, k)));
      lo += k;
    }
  }
  std::reverse(siblings.begin(), siblings.end());
  return siblings;
}

std::vector<Hash> ConsistencyProof(std::span<const Hash> leaves, uint64_t old_size) {
  std::vector<Hash> siblings;  // top-down
  uint64_t lo = 0, hi = leaves.size(), m = old_size;
  bool whole_old_tree = true;  // the subtree holding the old tree's end is the old tree itself
  while (m != hi - lo) {
    uint64_t k = SplitPoint(hi - lo);
    if (m <= k) {
      siblings.push_back(RootOf(leaves.subspan(lo + k, hi - lo - k)));
      hi = lo + k;
    } else {
      siblings.push_back(RootOf(leaves.subspan(lo, k)));
      lo += k;
      m -= k;
      whole_old_tree = false;
    }
  }
  std::vector<Hash> proof;
  if (!whole_old_tree) proof.push_back(RootOf(leaves.subspan(lo, hi - lo)));
  proof.insert(proof.end(), siblings.rbegin(), siblings.rend());
  return proof;
}

bool VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf, std::span<const Hash> proof, const Hash& root) {
  if (index >= size) return false;
  uint64_t fn = index, sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      r = NodeHash(p, r);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root, const Hash& new_root,
                       std::span<const Hash> proof) {
  if (old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (old_size == 0) return proof.empty();
  if (proof.empty()) return false;
  std::vector<Hash> path(proof.begin(), proof.end());
  if (std::has_single_bit(old_size)) path.insert(path.begin(), old_root);
  uint64_t fn = old_size - 1, sn = new_size - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && fr == old_root && sr == new_root;
}

}  // namespace miaopi::journal
