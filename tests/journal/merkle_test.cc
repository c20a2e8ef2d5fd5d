// The journal's Merkle tree against a brute-force reference written from
// RFC 6962 §2.1 on the data itself (MTH, PATH, PROOF, SUBPROOF as the RFC
// states them), over every tree size up to 300, and against the published
// vectors of transparency-dev/merkle.
#include "journal/merkle.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace miaopi::journal {
namespace {

using Data = std::vector<std::string>;

uint64_t K(uint64_t n) {  // the largest power of two smaller than n
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// D[a:b] of the RFC, with MTH memoized so the reference stays fast enough
// to run over every pair of sizes; each function is the RFC's definition.
struct Reference {
  const Data& d;
  std::map<std::pair<uint64_t, uint64_t>, Hash> memo;

  Hash Mth(uint64_t a, uint64_t b) {
    auto it = memo.find({a, b});
    if (it != memo.end()) return it->second;
    Hash h;
    if (a == b) {
      h = Sha256("");
    } else if (b - a == 1) {
      h = Sha256(std::string(1, '\0') + d[a]);
    } else {
      uint64_t k = K(b - a);
      Hash l = Mth(a, a + k), r = Mth(a + k, b);
      h = Sha256(std::string(1, '\1') + std::string(AsBytes(l)) + std::string(AsBytes(r)));
    }
    return memo[{a, b}] = h;
  }

  // PATH(m, D[a:b])
  std::vector<Hash> Path(uint64_t m, uint64_t a, uint64_t b) {
    if (b - a == 1) return {};
    uint64_t k = K(b - a);
    std::vector<Hash> p;
    if (m < k) {
      p = Path(m, a, a + k);
      p.push_back(Mth(a + k, b));
    } else {
      p = Path(m - k, a + k, b);
      p.push_back(Mth(a, a + k));
    }
    return p;
  }

  // SUBPROOF(m, D[a:b], bool)
  std::vector<Hash> Subproof(uint64_t m, uint64_t a, uint64_t b, bool whole) {
    uint64_t n = b - a;
    if (m == n) return whole ? std::vector<Hash>{} : std::vector<Hash>{Mth(a, b)};
    uint64_t k = K(n);
    std::vector<Hash> p;
    if (m <= k) {
      p = Subproof(m, a, a + k, whole);
      p.push_back(Mth(a + k, b));
    } else {
      p = Subproof(m - k, a + k, b, false);
      p.push_back(Mth(a, a + k));
    }
    return p;
  }
};

Data Entries(uint64_t n) {
  Data d;
  for (uint64_t i = 0; i < n; ++i) d.push_back("entry " + std::to_string(i) + std::string(i % 7, 'x'));
  return d;
}

std::vector<Hash> Leaves(const Data& d) {
  std::vector<Hash> leaves;
  for (const std::string& e : d) leaves.push_back(LeafHash(e));
  return leaves;
}

Hash Flip(Hash h) {
  h[7] ^= 0x20;
  return h;
}

TEST(Merkle, RootsMatchTheReferenceForEverySizeUpTo300) {
  Data all = Entries(300);
  Reference ref{all};
  std::vector<Hash> leaves = Leaves(all);
  CompactRange range;
  EXPECT_EQ(range.Root(), ref.Mth(0, 0));
  for (uint64_t n = 1; n <= 300; ++n) {
    range.Append(leaves[n - 1]);
    Hash expected = ref.Mth(0, n);
    ASSERT_EQ(range.Root(), expected) << n;
    ASSERT_EQ(RootOf(std::span(leaves).first(n)), expected) << n;
  }
}

TEST(Merkle, InclusionProofsMatchTheReferenceAndVerifyForEverySizeUpTo300) {
  Data all = Entries(300);
  Reference ref{all};
  std::vector<Hash> leaves = Leaves(all);
  for (uint64_t n = 1; n <= 300; ++n) {
    Hash root = ref.Mth(0, n);
    std::span<const Hash> tree = std::span(leaves).first(n);
    for (uint64_t m = 0; m < n; ++m) {
      std::vector<Hash> proof = InclusionProof(tree, m);
      ASSERT_EQ(proof, ref.Path(m, 0, n)) << "leaf " << m << " of " << n;
      ASSERT_TRUE(VerifyInclusion(m, n, leaves[m], proof, root)) << m << " of " << n;
      // A wrong leaf, index, size, root or proof hash fails.
      ASSERT_FALSE(VerifyInclusion(m, n, Flip(leaves[m]), proof, root));
      ASSERT_FALSE(VerifyInclusion(m, n, leaves[m], proof, Flip(root)));
      if (n > 1) ASSERT_FALSE(VerifyInclusion((m + 1) % n, n, leaves[m], proof, root)) << m << " of " << n;
      ASSERT_FALSE(VerifyInclusion(n, n, leaves[m], proof, root));
      for (size_t i = 0; i < proof.size(); ++i) {
        std::vector<Hash> bad = proof;
        bad[i] = Flip(bad[i]);
        ASSERT_FALSE(VerifyInclusion(m, n, leaves[m], bad, root));
      }
      std::vector<Hash> longer = proof;
      longer.push_back(root);
      ASSERT_FALSE(VerifyInclusion(m, n, leaves[m], longer, root));
    }
  }
}

TEST(Merkle, ConsistencyProofsMatchTheReferenceAndVerifyForEverySizeUpTo300) {
  Data all = Entries(300);
  Reference ref{all};
  std::vector<Hash> leaves = Leaves(all);
  std::vector<Hash> roots(301);
  for (uint64_t n = 0; n <= 300; ++n) roots[n] = ref.Mth(0, n);
  for (uint64_t n = 1; n <= 300; ++n) {
    std::span<const Hash> tree = std::span(leaves).first(n);
    for (uint64_t m = 1; m <= n; ++m) {
      std::vector<Hash> proof = ConsistencyProof(tree, m);
      ASSERT_EQ(proof, ref.Subproof(m, 0, n, true)) << m << " → " << n;
      ASSERT_TRUE(VerifyConsistency(m, n, roots[m], roots[n], proof)) << m << " → " << n;
      ASSERT_FALSE(VerifyConsistency(m, n, Flip(roots[m]), roots[n], proof)) << m << " → " << n;
      ASSERT_FALSE(VerifyConsistency(m, n, roots[m], Flip(roots[n]), proof)) << m << " → " << n;
      if (m < n) {
        for (size_t i = 0; i < proof.size(); ++i) {
          std::vector<Hash> bad = proof;
          bad[i] = Flip(bad[i]);
          ASSERT_FALSE(VerifyConsistency(m, n, roots[m], roots[n], bad)) << m << " → " << n << " at " << i;
        }
        ASSERT_FALSE(VerifyConsistency(m, n, roots[m], roots[n], {})) << m << " → " << n;
        if (m + 1 < n) ASSERT_FALSE(VerifyConsistency(m + 1, n, roots[m + 1], roots[n], proof)) << m << " → " << n;
      }
    }
  }
  EXPECT_TRUE(VerifyConsistency(0, 5, roots[0], roots[5], {}));
  EXPECT_FALSE(VerifyConsistency(5, 4, roots[5], roots[4], {}));
}

// transparency-dev/merkle testonly/constants.go and cmd/proofgen (0-based).
Data VectorLeaves() {
  return {std::string(""),
          std::string("\x00", 1),
          std::string("\x10"),
          std::string("\x20\x21"),
          std::string("\x30\x31"),
          std::string("\x40\x41\x42\x43"),
          std::string("\x50\x51\x52\x53\x54\x55\x56\x57"),
          std::string("\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f")};
}

std::vector<Hash> HexHashes(std::initializer_list<const char*> hex) {
  std::vector<Hash> out;
  for (const char* h : hex) out.push_back(*HashFromHex(h));
  return out;
}

TEST(Merkle, PublishedVectors) {
  const char* roots[] = {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                         "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                         "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                         "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
                         "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                         "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
                         "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
                         "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
                         "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  std::vector<Hash> leaves = Leaves(VectorLeaves());
  for (size_t n = 0; n <= 8; ++n) EXPECT_EQ(Hex(RootOf(std::span(leaves).first(n))), roots[n]) << n;
  EXPECT_EQ(Hex(LeafHash("L123456")), "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");

  EXPECT_EQ(InclusionProof(std::span(leaves).first(8), 0),
            HexHashes({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                       "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                       "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
  EXPECT_EQ(InclusionProof(std::span(leaves).first(8), 5),
            HexHashes({"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                       "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                       "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}));
  EXPECT_EQ(InclusionProof(std::span(leaves).first(3), 2),
            HexHashes({"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}));
  EXPECT_EQ(InclusionProof(std::span(leaves).first(5), 1),
            HexHashes({"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                       "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                       "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}));
  EXPECT_EQ(ConsistencyProof(std::span(leaves).first(8), 6),
            HexHashes({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                       "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                       "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}));
  EXPECT_EQ(ConsistencyProof(std::span(leaves).first(5), 2),
            HexHashes({"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                       "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}));
  EXPECT_EQ(ConsistencyProof(std::span(leaves).first(7), 6),
            HexHashes({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                       "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                       "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}));
  EXPECT_EQ(ConsistencyProof(std::span(leaves).first(1), 1), std::vector<Hash>{});
}

}  // namespace
}  // namespace miaopi::journal
