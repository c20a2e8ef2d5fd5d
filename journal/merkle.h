// The journal's Merkle tree, as Certificate Transparency defines it
// (RFC 6962 §2.1, RFC 9162 §2.1): leaf hash SHA-256(0x00 ‖ entry), node hash
// SHA-256(0x01 ‖ left ‖ right), the left subtree of n leaves holding the
// largest power of two below n. Proofs are generated from the leaf hashes
// and verified with RFC 9162's iterative algorithms, which need nothing but
// the proof, the sizes and the roots. This file's external interface is
// LeafHash, RootOf, CompactRange, InclusionProof, ConsistencyProof,
// VerifyInclusion and VerifyConsistency.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "journal/codec.h"

namespace miaopi::journal {

Hash LeafHash(std::string_view entry);
Hash NodeHash(const Hash& left, const Hash& right);
// The root of the empty tree: SHA-256 of nothing.
Hash EmptyRoot();

// The root over `leaves` (leaf hashes, in order). O(n).
Hash RootOf(std::span<const Hash> leaves);

// The roots of the perfect subtrees that cover leaves [0, size), largest
// first: appending a leaf and taking the root are O(log n), so a writer
// keeps the tree's root without keeping the tree.
class CompactRange {
 public:
  void Append(const Hash& leaf);
  Hash Root() const;
  uint64_t size() const { return size_; }

 private:
  std::vector<Hash> peaks_;  // one per set bit of size_, largest subtree first
  uint64_t size_ = 0;
};

// The audit path of leaf `index` in the tree of all `leaves` (bottom-up, as
// RFC 9162 orders it). index < leaves.size().
std::vector<Hash> InclusionProof(std::span<const Hash> leaves, uint64_t index);
// The proof that the tree of the first `old_size` leaves is a prefix of the
// tree of all `leaves`. 0 < old_size <= leaves.size(); empty when equal.
std::vector<Hash> ConsistencyProof(std::span<const Hash> leaves, uint64_t old_size);

bool VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf, std::span<const Hash> proof, const Hash& root);
// An empty old tree (old_size 0) is a prefix of every tree, with an empty proof.
bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root, const Hash& new_root,
                       std::span<const Hash> proof);

}  // namespace miaopi::journal
