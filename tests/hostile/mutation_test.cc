// The mutation property test on every shipped pack: every field an approved
// test case's rules read is broken in turn — deleted, null, of a wrong type,
// a date that is no real day — and the application decided again. Two
// properties, for every mutant:
//   1. the broken field is never read as a value: the graph node that reads
//      it is unknown (checked where the node holds that field's value, i.e.
//      outside loops);
//   2. an approved mutant is a failure unless every way from that field to a
//      rule condition passes an operation that may decide without it
//      (exists, absent, ??, or/and with a decided side, an if's other
//      branch, any/all decided by another element, `in` a list, a decision
//      table row, licence_status): broken data never leads to approval
//      through an operation that should have stayed unknown.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "dsl/builtins.h"
#include "engine/compile/pack.h"
#include "engine/runtime/decider.h"
#include "tests/testing/golden.h"

namespace miaopi::engine {
namespace {

namespace fs = std::filesystem;
using testing::SourceDir;

std::string Text(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  v.Accept(w);
  return {buffer.GetString(), buffer.GetSize()};
}

// A path into the application: member names, and list indices (name empty).
struct Step {
  std::string name;
  rapidjson::SizeType index = 0;
};
struct Target {
  std::vector<Step> steps;
  std::string path;     // "staff[1].name"
  std::string pattern;  // "staff[].name", as the graph's nodes read it
  const dsl::Type* type = nullptr;
};

void Collect(const Graph& g, int32_t plan, const rapidjson::Value& object, std::vector<Step> steps,
             const std::string& path, const std::string& pattern, std::vector<Target>* out) {
  for (const PlanField& f : g.plan[plan].fields) {
    std::vector<Step> at = steps;
    at.push_back({f.name, 0});
    std::string p = path + f.name, t = pattern + f.name;
    out->push_back({at, p, t, f.type});
    auto m = object.FindMember(f.name.c_str());
    if (m == object.MemberEnd()) continue;
    const rapidjson::Value& v = m->value;
    if (f.type->kind == dsl::TypeKind::kRecord && v.IsObject() && f.child >= 0) {
      Collect(g, f.child, v, at, p + ".", t + ".", out);
    } else if (f.type->kind == dsl::TypeKind::kList && v.IsArray()) {
      for (rapidjson::SizeType i = 0; i < v.Size() && i < 2; ++i) {
        std::vector<Step> element = at;
        element.push_back({"", i});
        std::string ep = p + "[" + std::to_string(i) + "]", et = t + "[]";
        if (f.type->elem->kind == dsl::TypeKind::kRecord && v[i].IsObject() && f.child >= 0) {
          Collect(g, f.child, v[i], element, ep + ".", et + ".", out);
        } else if (f.type->elem->kind != dsl::TypeKind::kRecord) {
          out->push_back({element, ep, et, f.type->elem});
        }
      }
    }
  }
}

// A value of another JSON type than `t` declares.
std::string WrongType(const dsl::Type* t) {
  switch (t->kind) {
    case dsl::TypeKind::kString: return "17";
    case dsl::TypeKind::kList: return "{\"not\": \"a list\"}";
    case dsl::TypeKind::kRecord: return "\"not a record\"";
    case dsl::TypeKind::kDate:
    case dsl::TypeKind::kDuration: return "17";
    default: return "\"x\"";
  }
}

enum class Mutation { kDelete, kNull, kWrongType, kBadDate };
const char* MutationName(Mutation m) {
  switch (m) {
    case Mutation::kDelete: return "deleted";
    case Mutation::kNull: return "null";
    case Mutation::kWrongType: return "wrong type";
    case Mutation::kBadDate: return "2026-02-30";
  }
  return "?";
}

// The application with the target broken; false when the path is not there.
bool Apply(rapidjson::Document& doc, const Target& t, Mutation m) {
  rapidjson::Value* at = &doc;
  for (size_t i = 0; i + 1 < t.steps.size(); ++i) {
    const Step& s = t.steps[i];
    if (s.name.empty()) {
      if (!at->IsArray() || s.index >= at->Size()) return false;
      at = &(*at)[s.index];
    } else {
      if (!at->IsObject()) return false;
      auto it = at->FindMember(s.name.c_str());
      if (it == at->MemberEnd()) return false;
      at = &it->value;
    }
  }
  const Step& last = t.steps.back();
  rapidjson::Value* slot = nullptr;
  if (last.name.empty()) {
    if (!at->IsArray() || last.index >= at->Size()) return false;
    if (m == Mutation::kDelete) {
      at->Erase(at->Begin() + last.index);
      return true;
    }
    slot = &(*at)[last.index];
  } else {
    if (!at->IsObject()) return false;
    auto it = at->FindMember(last.name.c_str());
    if (it == at->MemberEnd()) return false;
    if (m == Mutation::kDelete) {
      at->RemoveMember(it);
      return true;
    }
    slot = &it->value;
  }
  auto& alloc = doc.GetAllocator();
  switch (m) {
    case Mutation::kNull: slot->SetNull(); break;
    case Mutation::kBadDate: slot->SetString("2026-02-30", alloc); break;
    case Mutation::kWrongType: {
      rapidjson::Document wrong;
      wrong.Parse(WrongType(t.type).c_str());
      slot->CopyFrom(wrong, alloc);
      break;
    }
    default: break;
  }
  return true;
}

// What each node of a graph reads from the application, as a pattern
// ("business.area_m2", "staff[].name"); empty for nodes that read no field.
std::vector<std::string> Patterns(const Graph& g) {
  std::vector<std::string> out(g.nodes.size());
  std::vector<bool> is_path(g.nodes.size(), false);
  for (uint32_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    switch (n.kind) {
      case NodeKind::kInput: is_path[i] = true; break;
      case NodeKind::kField:
        if (n.a < i && is_path[n.a]) {
          const Shape& shape = g.shapes[n.c];
          const std::string& name = shape.type->fields[shape.fields[n.b]].name;
          out[i] = out[n.a].empty() ? name : out[n.a] + "." + name;
          is_path[i] = true;
        }
        break;
      case NodeKind::kBinder:
      case NodeKind::kListIndex:
        if (n.a < i && is_path[n.a]) {
          out[i] = out[n.a] + "[]";
          is_path[i] = true;
        }
        break;
      default: break;
    }
  }
  return out;
}

// Whether node `user` may have a known value while operand `op` is unknown.
bool MayDecideWithout(const Graph& g, const Node& user, uint32_t op) {
  switch (user.kind) {
    case NodeKind::kOr:
    case NodeKind::kAnd:
    case NodeKind::kCoalesce:
    case NodeKind::kExists:
    case NodeKind::kAny:
    case NodeKind::kAll:
    case NodeKind::kInList:
    case NodeKind::kDecision: return true;
    case NodeKind::kIf: return op != user.a;  // a branch not taken
    case NodeKind::kCall: {
      auto b = static_cast<dsl::Builtin>(user.op);
      return b == dsl::Builtin::kAbsent || b == dsl::Builtin::kLicenceStatus;
    }
    default: return false;
  }
}

// Rule conditions an unknown at `from` reaches through operations that
// cannot decide without it (so the rule must be unknown too).
std::set<std::string> StrictlyReached(const Graph& g, const std::vector<uint32_t>& from) {
  std::vector<std::vector<uint32_t>> users(g.nodes.size());
  for (uint32_t i = 0; i < g.nodes.size(); ++i) {
    ForEachOperand(g, g.nodes[i], [&](uint32_t op) { users[op].push_back(i); });
    if (IsLoop(g.nodes[i].kind)) users[g.nodes[i].b].push_back(i);  // the body feeds the loop
  }
  std::vector<bool> seen(g.nodes.size(), false);
  std::vector<uint32_t> stack = from;
  for (uint32_t f : from) seen[f] = true;
  while (!stack.empty()) {
    uint32_t id = stack.back();
    stack.pop_back();
    for (uint32_t u : users[id]) {
      if (seen[u] || MayDecideWithout(g, g.nodes[u], id)) continue;
      seen[u] = true;
      stack.push_back(u);
    }
  }
  std::set<std::string> rules;
  for (const RuleInfo& r : g.rules) {
    if (seen[r.cond]) rules.insert(r.code);
  }
  return rules;
}

std::string CaseContext(const rapidjson::Value& c) {
  if (c.HasMember("context")) return Text(c["context"]);
  std::string out = "{";
  if (c.HasMember("subject")) out += "\"subject\":" + Text(c["subject"]);
  if (c.HasMember("town")) out += std::string(out.size() > 1 ? "," : "") + "\"town\":" + Text(c["town"]);
  return out + "}";
}

struct PackUnderTest {
  std::string dir;
};
void PrintTo(const PackUnderTest& p, std::ostream* os) { *os << p.dir; }

class Mutations : public ::testing::TestWithParam<PackUnderTest> {};

TEST_P(Mutations, BrokenDataIsNeverReadAsAValueAndNeverApproves) {
  fs::path dir = fs::path(SourceDir()) / GetParam().dir;
  LoadResult loaded = LoadPack(dir.string());
  ASSERT_TRUE(loaded.ok()) << loaded.rendered;
  const CompiledPack& pack = loaded.pack->impl();
  std::shared_ptr<LicenceStore> library;
  if (fs::exists(dir / "tests/licences.jsonl")) {
    std::vector<std::string> records;
    std::ifstream in(dir / "tests/licences.jsonl");
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) records.push_back(line);
    }
    std::string error;
    library = MemoryLicences(records, &error);
    ASSERT_NE(library, nullptr) << error;
  }
  size_t cases = 0, mutants = 0, approved_mutants = 0;
  std::set<std::string> approved_paths;
  for (const fs::path& file : testing::ListDir(dir / "tests", ".json")) {
    rapidjson::Document doc;
    std::string text = testing::ReadFileOrDie(file);
    doc.Parse(text.c_str(), text.size());
    ASSERT_FALSE(doc.HasParseError()) << file;
    for (const auto& c : doc.GetArray()) {
      if (!c["expect"].HasMember("decision") || !c["expect"]["decision"].IsString() ||
          c["expect"]["decision"].GetString() != std::string("approve") || !c["application"].IsObject()) {
        continue;
      }
      std::shared_ptr<LicenceStore> store = library;
      if (c.HasMember("licences")) {
        std::vector<std::string> records;
        for (const auto& l : c["licences"].GetArray()) records.push_back(Text(l));
        std::string error;
        store = MemoryLicences(records, &error);
      }
      Decider decider(pack, store.get());
      rapidjson::Document context;
      std::string context_text = CaseContext(c);
      context.Parse(context_text.c_str());
      Request request;
      ASSERT_TRUE(ParseDate(c["date"].GetString(), &request.date));
      request.context = &context;
      Record base;
      std::string app = Text(c["application"]);
      decider.Decide(app, request, &base);
      if (!base.ok || base.decision.decision != Outcome::kApprove) continue;  // the pack's own tests report it
      ++cases;
      const Graph& g = pack.items[decider.last_item()].graph;
      std::vector<std::string> patterns = Patterns(g);
      std::vector<Target> targets;
      Collect(g, 0, c["application"], {}, "", "", &targets);
      for (const Target& t : targets) {
        std::vector<uint32_t> readers;
        for (uint32_t i = 0; i < g.nodes.size(); ++i) {
          if (patterns[i] == t.pattern && g.nodes[i].kind != NodeKind::kBinder) readers.push_back(i);
        }
        for (Mutation m : {Mutation::kDelete, Mutation::kNull, Mutation::kWrongType, Mutation::kBadDate}) {
          if (m == Mutation::kBadDate && t.type->kind != dsl::TypeKind::kDate) continue;
          rapidjson::Document mutant;
          mutant.CopyFrom(c["application"], mutant.GetAllocator());
          if (!Apply(mutant, t, m)) continue;
          ++mutants;
          Record r;
          decider.Decide(Text(mutant), request, &r);
          SCOPED_TRACE(file.filename().string() + ": " + c["name"].GetString() + ": " + t.path + " " + MutationName(m));
          if (!r.ok) continue;  // an error record is never an approval
          // 1. Never read as a value (outside loops, where a node holds one value).
          bool in_loop = t.pattern.find("[]") != std::string::npos;
          bool element_deleted = m == Mutation::kDelete && t.steps.back().name.empty();
          if (!in_loop && !element_deleted && decider.last_item() >= 0) {
            for (uint32_t node : readers) {
              EXPECT_FALSE(decider.state().values[node].known())
                  << "node %" << node << " read the broken " << t.path << " as a value";
            }
          }
          if (r.decision.decision != Outcome::kApprove) continue;
          ++approved_mutants;
          approved_paths.insert(t.pattern + " " + MutationName(m));
          // 2. Approved: the field reaches no rule through strict operations only.
          std::set<std::string> strict = StrictlyReached(g, readers);
          EXPECT_TRUE(strict.empty()) << "approved although rules " << *strict.begin()
                                      << "… read the broken field through operations that must stay unknown";
        }
      }
    }
  }
  EXPECT_GT(cases, 0u);
  EXPECT_GT(mutants, 0u);
  std::printf(
      "%s: %zu approved cases, %zu mutants, %zu approved (each through an operation that may decide "
      "without the field)\n",
      GetParam().dir.c_str(), cases, mutants, approved_mutants);
  for (const std::string& p : approved_paths) std::printf("  approved with %s\n", p.c_str());
}

INSTANTIATE_TEST_SUITE_P(ShippedPacks, Mutations,
                         ::testing::Values(PackUnderTest{"samples/food_sales"}, PackUnderTest{"rules/nanhai"}),
                         [](const ::testing::TestParamInfo<PackUnderTest>& info) {
                           return info.param.dir == "rules/nanhai" ? std::string("nanhai") : std::string("food_sales");
                         });

}  // namespace
}  // namespace miaopi::engine
