// The decision graph: golden text of the sample pack, and what each pass does.
#include <gtest/gtest.h>

#include <algorithm>

#include "engine/compile/pack.h"
#include "engine/compile/passes/passes.h"
#include "engine/graph/graph_print.h"
#include "tests/testing/generate.h"
#include "tests/testing/golden.h"

namespace miaopi::engine {
namespace {

using testing::SourceDir;

std::shared_ptr<const Pack> Load(const std::string& dir, std::vector<std::string> disabled = {}) {
  LoadOptions options;
  options.disabled_passes = std::move(disabled);
  LoadResult r = LoadPack(dir, options);
  EXPECT_TRUE(r.ok()) << r.rendered << r.io_error;
  return r.pack;
}

// A one-item pack from rule text, in a fresh temporary folder.
std::shared_ptr<const Pack> LoadRules(const std::string& name, const std::string& input, const std::string& body,
                                      std::vector<std::string> disabled = {}) {
  testing::GeneratedPack pack;
  pack.files["a.rules"] =
      "pack \"g\" version \"1\"\ntable t from \"t.csv\" key code (n: int)\n"
      "item \"G\" \"graph\" {\n effective @2020-01-01\n input " +
      input + "\n" + body + "\n}\n";
  pack.files["t.csv"] = "code,n\nk,7\n";
  std::string dir = ::testing::TempDir() + "/miaopi_graph_" + name;
  testing::WritePack(pack, dir);
  return Load(dir, std::move(disabled));
}

const Graph& GraphOf(const std::shared_ptr<const Pack>& pack) { return pack->impl().items.at(0).graph; }

size_t Count(const Graph& g, NodeKind kind) {
  size_t n = 0;
  for (const Node& node : g.nodes) n += node.kind == kind;
  return n;
}

// tests/golden/graph/NAME/: pack.txt names a pack; expected.txt and
// expected.dot are its first item's graph with every pass on, no_passes.txt
// with none, and only_PASS.txt with that one pass alone, so each pass's
// effect on a real item is a diff to read.
class GraphGolden : public ::testing::TestWithParam<std::string> {
 protected:
  std::string PackDir() {
    std::string dir = testing::ReadFileOrDie(testing::GoldenPath("graph", GetParam()) / "pack.txt");
    while (!dir.empty() && dir.back() == '\n') dir.pop_back();
    return SourceDir() + "/" + dir;
  }
  // The graph as text with only the passes in `on` enabled.
  std::string Text(const std::vector<std::string>& on, std::string* dot = nullptr) {
    std::vector<std::string> off;
    for (const PassInfo& pass : AllPasses()) {
      if (std::find(on.begin(), on.end(), pass.name) == on.end()) off.emplace_back(pass.name);
    }
    auto pack = Load(PackDir(), off);
    if (!pack) return "";
    PrintContext ctx;
    ctx.tables = &pack->impl().tables;
    const CompiledItem& item = pack->impl().items.at(0);
    if (dot) *dot = GraphDot(item.graph, ctx);
    return "nodes: " + std::to_string(item.nodes_lowered) + " lowered, " + std::to_string(item.graph.nodes.size()) +
           " scheduled\n" + GraphText(item.graph, ctx);
  }
};

TEST_P(GraphGolden, AllPasses) {
  std::vector<std::string> all;
  for (const PassInfo& pass : AllPasses()) all.emplace_back(pass.name);
  std::string dot;
  std::string text = Text(all, &dot);
  testing::ExpectGolden(testing::GoldenPath("graph", GetParam()) / "expected.txt", text);
  testing::ExpectGolden(testing::GoldenPath("graph", GetParam()) / "expected.dot", dot);
}

TEST_P(GraphGolden, EachPassAlone) {
  testing::ExpectGolden(testing::GoldenPath("graph", GetParam()) / "no_passes.txt", Text({}));
  for (const PassInfo& pass : AllPasses()) {
    SCOPED_TRACE(std::string(pass.name));
    std::string file = "only_" + std::string(pass.name) + ".txt";
    testing::ExpectGolden(testing::GoldenPath("graph", GetParam()) / file, Text({std::string(pass.name)}));
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, GraphGolden, ::testing::ValuesIn(testing::GoldenCases("graph")), testing::CaseName);

TEST(Graph, CseMergesLoopsEqualUpToTheBinderName) {
  std::string input = "{ ls: list<{ a: int }> }";
  std::string body =
      "rule A \"m\" require any l in ls: l.a > 1 else review\n"
      "rule B \"m\" require any m in ls: m.a > 1 else review\n"
      "rule C \"m\" require any m in ls: m.a > 2 else review\n";
  auto merged = LoadRules("cse_on", input, body);
  EXPECT_EQ(Count(GraphOf(merged), NodeKind::kAny), 2u);
  EXPECT_EQ(GraphOf(merged).rules[0].cond, GraphOf(merged).rules[1].cond);
  auto separate = LoadRules("cse_off", input, body, {"cse"});
  EXPECT_EQ(Count(GraphOf(separate), NodeKind::kAny), 3u);
}

TEST(Graph, CseSharesDefCallsAcrossRules) {
  auto pack = LoadRules("cse_def", "{ b: date, at: date }",
                        "rule A \"m\" require age(b, at) >= 18 else reject\n"
                        "rule B \"m\" require age(b, at) < 60 else review\n");
  EXPECT_EQ(Count(GraphOf(pack), NodeKind::kCall), 1u);
}

TEST(Graph, FoldComputesConstantsAndTableLookups) {
  auto pack = LoadRules("fold", "{ x: int }",
                        "rule A \"m\" require x > 1 + 2 * 3 else reject\n"
                        "rule B \"m\" require x < t[\"k\"].n else reject\n"
                        "rule C \"m\" require upper(\"ab\") == \"AB\" else reject\n");
  const Graph& g = GraphOf(pack);
  EXPECT_EQ(Count(g, NodeKind::kArith), 0u);
  EXPECT_EQ(Count(g, NodeKind::kRow), 0u);
  EXPECT_EQ(Count(g, NodeKind::kColumn), 0u);
  EXPECT_EQ(Count(g, NodeKind::kCall), 0u);
  EXPECT_EQ(g.nodes[g.rules[2].cond].kind, NodeKind::kConst);  // upper("ab") == "AB" is true
  auto unfolded = LoadRules("nofold", "{ x: int }", "rule A \"m\" require x > 1 + 2 * 3 else reject\n", {"fold"});
  EXPECT_EQ(Count(GraphOf(unfolded), NodeKind::kArith), 2u);
}

TEST(Graph, ConstantListsBecomeSets) {
  auto pack = LoadRules("sets", "{ s: string }", "rule A \"m\" require s in [\"a\", \"b\", \"c\"] else reject\n");
  EXPECT_EQ(Count(GraphOf(pack), NodeKind::kInSet), 1u);
  EXPECT_EQ(Count(GraphOf(pack), NodeKind::kInList), 0u);
  auto scan =
      LoadRules("nosets", "{ s: string }", "rule A \"m\" require s in [\"a\", \"b\"] else reject\n", {"const-sets"});
  EXPECT_EQ(Count(GraphOf(scan), NodeKind::kInList), 1u);
}

TEST(Graph, SimplifyUsesThreeValuedIdentities) {
  auto pack = LoadRules("simplify", "{ b: bool, c: bool }",
                        "rule A \"m\" require true and b else reject\n"
                        "rule B \"m\" require c or false else reject\n"
                        "rule C \"m\" require not not b else reject\n"
                        "rule D \"m\" require if 1 > 2 then c else b else reject\n");
  const Graph& g = GraphOf(pack);
  EXPECT_EQ(Count(g, NodeKind::kAnd) + Count(g, NodeKind::kOr) + Count(g, NodeKind::kNot) + Count(g, NodeKind::kIf),
            0u);
  EXPECT_EQ(g.rules[0].cond, g.rules[2].cond);  // both are just `b`
  EXPECT_EQ(g.rules[0].cond, g.rules[3].cond);
}

TEST(Graph, LoopInvariantNodesRunBeforeTheLoop) {
  auto pack = LoadRules("hoist", "{ ls: list<{ d: date }>, at: date }",
                        "rule A \"m\" require all l in ls: l.d > at + 1 year else reject\n");
  const Graph& g = GraphOf(pack);
  uint32_t binder = 0;
  for (uint32_t i = 0; i < g.nodes.size(); ++i) {
    if (g.nodes[i].kind == NodeKind::kBinder) binder = i;
  }
  for (uint32_t i = 0; i < g.nodes.size(); ++i) {
    if (g.nodes[i].kind == NodeKind::kArith) {
      EXPECT_LT(i, binder) << "at + 1 year was left inside the loop";
    }
  }
  // The block is the binder, the body, then the loop node.
  EXPECT_EQ(g.nodes[g.nodes[binder].b].kind, NodeKind::kAll);
  EXPECT_EQ(g.nodes[g.nodes[binder].b].a, binder);
}

TEST(Graph, NestedLoopsAreNestedBlocks) {
  auto pack = LoadRules("nested", "{ os: list<{ items: list<int>, limit: int }> }",
                        "rule A \"m\" require all o in os: any i in o.items: i > o.limit else review\n");
  const Graph& g = GraphOf(pack);
  std::vector<uint32_t> binders;
  for (uint32_t i = 0; i < g.nodes.size(); ++i) {
    if (g.nodes[i].kind == NodeKind::kBinder) binders.push_back(i);
  }
  ASSERT_EQ(binders.size(), 2u);
  uint32_t outer = binders[0], inner = binders[1];
  EXPECT_GT(inner, outer);
  EXPECT_LT(g.nodes[inner].b, g.nodes[outer].b);  // the inner block ends inside the outer one
}

TEST(Graph, DotIsAValidLookingDigraph) {
  auto pack = LoadRules("dot", "{ ls: list<int> }", "rule A \"m\" require all l in ls: l > 0 else reject\n");
  PrintContext ctx;
  ctx.tables = &pack->impl().tables;
  std::string dot = GraphDot(GraphOf(pack), ctx);
  EXPECT_EQ(dot.rfind("digraph decision {", 0), 0u);
  EXPECT_NE(dot.find("subgraph cluster_"), std::string::npos);
  EXPECT_EQ(std::count(dot.begin(), dot.end(), '{'), std::count(dot.begin(), dot.end(), '}'));
}

}  // namespace
}  // namespace miaopi::engine
