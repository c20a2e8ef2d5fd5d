#include "engine/compile/pack.h"

#include <openssl/evp.h>

#include <cstdint>
#include <cstdio>

#include "engine/compile/decision_table.h"
#include "engine/compile/lower.h"
#include "engine/compile/record_parts.h"
#include "engine/compile/tables.h"
#include "engine/graph/graph_check.h"
#include "engine/runtime/record_format.h"

namespace miaopi::engine {

dsl::LoadOptions DslLoadOptions(const Limits& limits) {
  dsl::LoadOptions options;
  options.parse.max_source_bytes = limits.max_source_bytes;
  options.parse.max_nesting = limits.max_expression_nesting;
  options.max_rules = limits.max_rules;
  options.max_table_rows = limits.max_table_rows;
  options.max_table_bytes = limits.max_table_bytes;
  return options;
}

std::string PackHash(const dsl::Program& program) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  for (const auto& [path, id] : program.inputs) {
    std::string_view text = program.sources.file(id).text();
    std::string header = path + '\0' + std::to_string(text.size()) + '\0';
    EVP_DigestUpdate(ctx, header.data(), header.size());
    EVP_DigestUpdate(ctx, text.data(), text.size());
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, digest, &len);
  EVP_MD_CTX_free(ctx);
  std::string hex = "sha256:";
  char buf[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    hex += buf;
  }
  return hex;
}

namespace {

size_t CountReachable(const Graph& g) {
  std::vector<bool> seen(g.nodes.size());
  std::vector<uint32_t> stack;
  for (const RuleInfo& r : g.rules) stack.push_back(r.cond);
  for (const OutputInfo& o : g.outputs) stack.push_back(o.node);
  size_t count = 0;
  while (!stack.empty()) {
    uint32_t id = stack.back();
    stack.pop_back();
    if (seen[id]) continue;
    seen[id] = true;
    ++count;
    ForEachOperand(g, g.nodes[id], [&](uint32_t op) { stack.push_back(op); });
  }
  return count;
}

}  // namespace

std::unique_ptr<CompiledPack> CompileProgram(std::unique_ptr<dsl::Program> program, const Limits& limits,
                                             const OptimizeOptions& passes, dsl::Diagnostics& diags) {
  auto pack = std::make_unique<CompiledPack>();
  pack->identity = {program->pack_name, program->pack_version, PackHash(*program)};
  pack->limits = limits;
  pack->record_end = record::PackAndClose(pack->identity);
  for (const dsl::TableData& t : program->tables) {
    pack->tables.push_back(CompileTable(t));
    pack->table_names.push_back(t.name);
    pack->table_columns.push_back(t.columns);
  }
  for (size_t i = 0; i < program->decisions.size(); ++i) {
    pack->decisions.push_back(CompileDecision(*program->decisions[i], program->decision_params[i]));
  }
  pack->items.resize(program->items.size());
  RegexPool regexes;
  for (size_t i = 0; i < program->items.size(); ++i) {
    CompiledItem& item = pack->items[i];
    item.version = &program->items[i];
    if (!LowerItem(*program, i, &item.graph, regexes, limits.max_item_nodes, diags)) continue;
    item.nodes_lowered = CountReachable(item.graph);
    Optimize(item.graph, pack->tables, pack->decisions, passes, &item.pass_log);
    Schedule(item.graph);
    std::string problem = CheckGraph(item.graph, pack->tables, pack->decisions);
    if (!problem.empty()) {
      diags.Error(dsl::ErrorCode::kInternal, item.version->decl->code_span,
                  "internal error compiling item '" + item.version->decl->code + "': " + problem);
      continue;
    }
    item.graph.const_index = {};  // only compiling interns constants
    item.record = BuildRecordParts(item);
    pack->by_code[item.version->decl->code].push_back(i);
  }
  for (const auto& [code, versions] : pack->by_code) {
    uint32_t first = static_cast<uint32_t>(pack->windows.size());
    for (size_t index : versions) {
      const dsl::ItemVersion& v = *pack->items[index].version;
      pack->windows.push_back({v.effective, v.until.value_or(INT32_MAX), static_cast<uint32_t>(index)});
    }
    pack->code_index.TryEmplace(code, std::pair{first, static_cast<uint32_t>(pack->windows.size())});
  }
  pack->program = std::move(program);
  return pack;
}

}  // namespace miaopi::engine
