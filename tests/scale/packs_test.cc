// Pack objects as JetStream stores them, without a server: the bytes a pack
// becomes compile back to the same hash; a malformed or hostile object is
// refused before anything leaves the folder; subjects and names as NATS
// object stores write them.
#include "scale/packs.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace miaopi::scale {
namespace {

namespace fs = std::filesystem;

class PackObjects : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "miaopi-packs-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(PackObjects, APackComesBackWithItsHash) {
  LoadResult original = LoadPack(std::string(MIAOPI_SOURCE_DIR) + "/samples/food_sales");
  ASSERT_TRUE(original.ok()) << original.rendered;
  std::string bytes = PackBytes(*original.pack);
  std::string error;
  ASSERT_TRUE(WritePackFiles(bytes, (dir_ / "copy").string(), &error)) << error;
  LoadResult copy = LoadPack((dir_ / "copy").string());
  ASSERT_TRUE(copy.ok()) << copy.rendered;
  EXPECT_EQ(copy.pack->identity().hash, original.pack->identity().hash);
  EXPECT_EQ(PackBytes(*copy.pack), bytes);
}

TEST_F(PackObjects, HostileObjectsAreRefusedAndWriteNothingOutside) {
  const std::string folder = (dir_ / "in").string();
  static constexpr char kNulPath[] = "miaopi-pack/1\na\0b 1\nx\n";
  struct Case {
    const char* name;
    std::string bytes;
  } cases[] = {
      {"no magic", "a.rules 1\nx\n"},
      {"parent path", "miaopi-pack/1\n../escaped 1\nx\n"},
      {"nested parent", "miaopi-pack/1\nt/../../escaped 1\nx\n"},
      {"absolute path", "miaopi-pack/1\n/tmp/escaped 1\nx\n"},
      {"dot part", "miaopi-pack/1\n./a 1\nx\n"},
      {"length past the end", "miaopi-pack/1\na.rules 99\nx\n"},
      {"length not a number", "miaopi-pack/1\na.rules 1x\nx\n"},
      {"huge length", "miaopi-pack/1\na.rules 99999999999999999999999\nx\n"},
      {"no separator after the bytes", "miaopi-pack/1\na.rules 1\nxy"},
      {"no length", "miaopi-pack/1\na.rules\nx\n"},
      {"NUL in a path", std::string(kNulPath, sizeof kNulPath - 1)},
  };
  for (const Case& c : cases) {
    std::string error;
    EXPECT_FALSE(WritePackFiles(c.bytes, folder, &error)) << c.name;
    EXPECT_FALSE(error.empty()) << c.name;
  }
  EXPECT_FALSE(fs::exists(dir_ / "escaped"));
  EXPECT_FALSE(fs::exists("/tmp/escaped"));
}

TEST(Subjects, ItemCodesBecomeOneToken) {
  EXPECT_EQ(Topology::Subject("apps", "FS-001"), "apps.FS-001");
  EXPECT_EQ(Topology::Subject("apps", ""), "apps._");
  EXPECT_EQ(Topology::Subject("apps", "a.b*c>d e\tf"), "apps.a_b_c_d_e_f");
  EXPECT_EQ(Topology::Subject("results", "食品"), "results.食品");
}

TEST(Subjects, Base64UrlAsRfc4648) {
  // RFC 4648 §10's vectors, in the URL-safe alphabet with padding.
  EXPECT_EQ(Base64Url(""), "");
  EXPECT_EQ(Base64Url("f"), "Zg==");
  EXPECT_EQ(Base64Url("fo"), "Zm8=");
  EXPECT_EQ(Base64Url("foo"), "Zm9v");
  EXPECT_EQ(Base64Url("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Url("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Url("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Url("\xfb\xff"), "-_8=");
}

}  // namespace
}  // namespace miaopi::scale
