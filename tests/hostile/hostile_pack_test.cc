// The hostile-pack suite: rule packs built to break a compiler — chains and
// nesting past every limit, def expansions that multiply, tables that are
// devices, FIFOs, directories or paths out of the pack, invalid UTF-8, files
// of many megabytes — each checked by a real `miaopi check` process with a
// time limit and a memory cap. Every one ends with a diagnostic (the code it
// names), never a crash, a hang or runaway memory.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "tests/testing/golden.h"
#include "tests/testing/process.h"

namespace miaopi {
namespace {

namespace fs = std::filesystem;
using testing::MiaopiBinary;

struct HostilePack {
  std::string name;
  std::function<void(const fs::path& dir)> make;  // writes the pack into `dir`
  std::string code;                               // the diagnostic expected, or "" for a pack that compiles
};
// Test listings name the pack, not its bytes.
void PrintTo(const HostilePack& p, std::ostream* os) { *os << p.name; }

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

const std::string kHead = "pack \"h\" version \"1\"\n";
std::string Item(const std::string& input, const std::string& body) {
  return "item \"X\" \"x\" {\n  effective @2026-01-01\n  input { " + input + " }\n" + body + "}\n";
}

std::string Repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::vector<HostilePack> Packs() {
  std::vector<HostilePack> packs;
  auto rules = [](std::string text) { return [text](const fs::path& d) { Write(d / "p.rules", text); }; };
  auto chain = [](const std::string& op, size_t n) {
    std::string e = "a";
    for (size_t i = 0; i < n; ++i) e += " " + op + " a";
    return e;
  };
  packs.push_back(
      {"coalesce_chain_10000",
       rules(kHead + Item("a: int", "  rule R \"m\" require (" + chain("??", 10000) + ") > 0 else review\n")), "E005"});
  packs.push_back({"or_chain_10000",
                   rules(kHead + Item("a: bool", "  rule R \"m\" require " + chain("or", 10000) + " else review\n")),
                   "E005"});
  packs.push_back({"plus_chain_10000",
                   rules(kHead + Item("a: int", "  rule R \"m\" require " + chain("+", 10000) + " > 0 else review\n")),
                   "E005"});
  packs.push_back({"parentheses_100000",
                   rules(kHead + Item("a: int", "  rule R \"m\" require " + std::string(100000, '(') + "a" +
                                                    std::string(100000, ')') + " > 0 else review\n")),
                   "E005"});
  packs.push_back(
      {"not_100000",
       rules(kHead + Item("a: bool", "  rule R \"m\" require " + Repeat("not ", 100000) + "a else review\n")), "E005"});
  packs.push_back(
      {"minus_100000",
       rules(kHead + Item("a: int", "  rule R \"m\" require " + Repeat("-", 100000) + "a > 0 else review\n")), "E005"});
  {
    std::string lets;
    for (int i = 0; i < 10000; ++i) lets += "  let v" + std::to_string(i) + " = v" + std::to_string(i + 1) + " + 1\n";
    lets += "  let v10000 = a\n  rule R \"m\" require v0 > 0 else review\n";
    packs.push_back({"let_chain_10000", rules(kHead + Item("a: int", lets)), "E005"});
  }
  {
    std::string defs;
    for (int i = 0; i < 20000; ++i)
      defs += "def f" + std::to_string(i) + "(x: int) = f" + std::to_string(i + 1) + "(x) + 1\n";
    defs += "def f20000(x: int) = x\n";
    packs.push_back({"def_chain_20000",
                     rules(kHead + defs + Item("a: int", "  rule R \"m\" require f0(a) > 0 else review\n")), "E005"});
  }
  {
    std::string outputs;
    for (int i = 0; i < 20000; ++i)
      outputs += "  output o" + std::to_string(i) + " = o" + std::to_string(i + 1) + " + 1\n";
    outputs += "  output o20000 = a\n  rule R \"m\" require o0 > 0 else review\n";
    packs.push_back({"output_chain_20000", rules(kHead + Item("a: int", outputs)), "E005"});
  }
  {
    std::string schemas;
    for (int i = 0; i < 20000; ++i)
      schemas += "schema S" + std::to_string(i) + " { next: S" + std::to_string(i + 1) + " }\n";
    schemas += "schema S20000 { v: int }\n";
    packs.push_back({"schema_chain_20000",
                     rules(kHead + schemas + Item("s: S0", "  rule R \"m\" require true else review\n")), "E005"});
  }
  {
    std::string cycle;
    for (int i = 0; i < 6000; ++i)
      cycle += "  let c" + std::to_string(i) + " = c" + std::to_string((i + 1) % 6000) + " + 1\n";
    cycle += "  rule R \"m\" require c0 > a else review\n";
    packs.push_back({"let_cycle_6000", rules(kHead + Item("a: int", cycle)), "E005"});
  }
  packs.push_back({"nested_input_records_100000",
                   rules(kHead + Item(Repeat("a: { ", 100000) + "b: int" + std::string(100000, '}'),
                                      "  rule R \"m\" require true else review\n")),
                   "E005"});
  {
    // f0 calls f1 twice, f1 calls f2 twice, …: 2^40 expansions unless shared.
    std::string defs;
    for (int i = 0; i < 40; ++i) {
      defs += "def f" + std::to_string(i) + "(x: int) = f" + std::to_string(i + 1) + "(x) + f" + std::to_string(i + 1) +
              "(x)\n";
    }
    defs += "def f40(x: int) = x\n";
    packs.push_back({"def_doubling_40_shared",
                     rules(kHead + defs + Item("a: int", "  rule R \"m\" require f0(a) > 1 else review\n")), ""});
    // With different arguments nothing can be shared: the node limit stops it.
    std::string distinct;
    for (int i = 0; i < 40; ++i) {
      distinct += "def g" + std::to_string(i) + "(x: int) = g" + std::to_string(i + 1) + "(x + 1) + g" +
                  std::to_string(i + 1) + "(x + 2)\n";
    }
    distinct += "def g40(x: int) = x\n";
    packs.push_back({"def_doubling_40_distinct",
                     rules(kHead + distinct + Item("a: int", "  rule R \"m\" require g0(a) > 1 else review\n")),
                     "E116"});
  }
  auto with_table = [](std::function<void(const fs::path&)> make_table, std::string path = "tables/t.csv") {
    return [make_table, path](const fs::path& d) {
      Write(d / "p.rules", kHead + "table t from \"" + path + "\" key k\n" +
                               Item("a: string", "  rule R \"m\" require a in t else review\n"));
      fs::create_directories(d / "tables");
      make_table(d);
    };
  };
  packs.push_back({"table_symlink_to_dev_zero",
                   with_table([](const fs::path& d) { fs::create_symlink("/dev/zero", d / "tables/t.csv"); }), "E401"});
  packs.push_back(
      {"table_fifo", with_table([](const fs::path& d) { mkfifo((d / "tables/t.csv").c_str(), 0644); }), "E401"});
  packs.push_back(
      {"table_directory", with_table([](const fs::path& d) { fs::create_directories(d / "tables/t.csv"); }), "E401"});
  packs.push_back({"table_path_out_of_pack", with_table([](const fs::path&) {}, "../../../../etc/passwd"), "E401"});
  packs.push_back({"table_absolute_path", with_table([](const fs::path&) {}, "/etc/passwd"), "E401"});
  packs.push_back({"table_symlink_out_of_pack",
                   with_table([](const fs::path& d) { fs::create_symlink("/etc/passwd", d / "tables/t.csv"); }),
                   "E401"});
  packs.push_back({"table_10mb_of_binary", with_table([](const fs::path& d) {
                     std::string junk(10u << 20, '\0');
                     for (size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 2654435761u) >> 13);
                     Write(d / "tables/t.csv", "k\n" + junk);
                   }),
                   "E403"});
  packs.push_back({"rules_not_utf8",
                   rules(kHead + "# \xff\xfe\n" + Item("a: int", "  rule R \"m\" require a > 0 else review\n")),
                   "E007"});
  packs.push_back({"rules_10mb", rules(kHead + std::string(10u << 20, '#')), "E008"});
  packs.push_back({"rules_fifo",
                   [](const fs::path& d) {
                     Write(d / "a.rules", kHead + Item("a: int", "  rule R \"m\" require a > 0 else review\n"));
                     mkfifo((d / "b.rules").c_str(), 0644);
                   },
                   "E009"});
  packs.push_back({"rules_symlink_to_dev_zero",
                   [](const fs::path& d) {
                     Write(d / "a.rules", kHead + Item("a: int", "  rule R \"m\" require a > 0 else review\n"));
                     fs::create_symlink("/dev/zero", d / "b.rules");
                   },
                   "E009"});
  packs.push_back({"rules_binary_garbage",
                   [](const fs::path& d) {
                     std::string junk(1u << 20, 'x');
                     for (size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>(0x20 + (i * 7919) % 90);
                     Write(d / "p.rules", junk);
                   },
                   "E001"});
  packs.push_back({"empty_folder", [](const fs::path& d) { fs::create_directories(d); }, "E101"});
  packs.push_back(
      {"regex_too_large",
       rules(kHead +
             Item("a: string", "  rule R \"m\" require a matches \"((((a{100}){100}){100}){100})\" else review\n")),
       "E307"});
  return packs;
}

class HostilePackTest : public ::testing::TestWithParam<HostilePack> {};

TEST_P(HostilePackTest, EndsWithADiagnostic) {
  if (MiaopiBinary().empty()) GTEST_SKIP() << "MIAOPI_BIN is not set (ctest sets it)";
  const HostilePack& pack = GetParam();
  fs::path dir = fs::temp_directory_path() / ("miaopi_hostile_pack_" + pack.name + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  pack.make(dir);
  testing::ProcessOptions p;
  p.argv = {MiaopiBinary(), "check", dir.string()};
  p.timeout_seconds = 300;  // "no hang", not a speed: ten times what a sanitized run takes on busy cores
  p.memory_mb = testing::Sanitized() ? 3072 : 1024;
  testing::ProcessResult r = testing::RunProcess(p);
  EXPECT_FALSE(r.timed_out) << "no hang";
  EXPECT_EQ(r.signal, 0) << "no crash: " << r.Describe();
  if (pack.code.empty()) {
    EXPECT_TRUE(r.exited(0)) << r.Describe();
  } else {
    EXPECT_TRUE(r.exited(1)) << r.Describe();
    EXPECT_NE(r.err.find("error[" + pack.code + "]"), std::string::npos)
        << "expected " << pack.code << ": " << r.err.substr(0, 3000);
  }
  EXPECT_LT(r.max_rss_kb / 1024, static_cast<long>(p.memory_mb)) << "bounded memory";
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Packs, HostilePackTest, ::testing::ValuesIn(Packs()),
                         [](const ::testing::TestParamInfo<HostilePack>& info) { return info.param.name; });

}  // namespace
}  // namespace miaopi
