// miaopi graph PACK --item CODE — print an item's decision graph.
#include <iostream>

#include "apps/cli/cli.h"
#include "engine/compile/pack.h"
#include "engine/graph/graph_print.h"

namespace miaopi::cli {

namespace {

struct GraphOptions {
  std::string item;
  std::string date;
  std::string format = "text";
  std::string rule;
};

int Run(const Common& common, const GraphOptions& options) {
  std::string date;
  if (!ResolveDate(options.date, &date)) return kUsage;
  int exit_code = kOk;
  std::shared_ptr<const Pack> pack = LoadOrReport(common, &exit_code);
  if (!pack) return exit_code;
  const engine::CompiledPack& p = pack->impl();
  int32_t day = *dsl::ParseIsoDate(date);
  engine::ItemLookup found = p.Find(options.item, day);
  size_t index = found.index;
  switch (found.result) {
    case engine::ItemLookup::Result::kFound: break;
    case engine::ItemLookup::Result::kUnknownItem:
      std::cerr << "miaopi: pack " << p.identity.name << " has no item '" << options.item << "'\n";
      return kUsage;
    case engine::ItemLookup::Result::kNoVersionInForce:
      // Without a version in force on that day, show the latest one.
      index = p.by_code.find(options.item)->second.back();
      break;
  }
  const engine::CompiledItem& item = p.items[index];
  engine::PrintContext ctx;
  ctx.tables = &p.tables;
  ctx.rule = options.rule;
  if (options.format == "dot") {
    ctx.title = item.version->decl->code + " effective " + dsl::FormatIsoDate(item.version->effective) + ": " +
                std::to_string(item.nodes_lowered) + " nodes lowered, " + std::to_string(item.graph.nodes.size()) +
                " after optimization";
    std::cout << engine::GraphDot(item.graph, ctx);
    return kOk;
  }
  std::string passes;
  for (const engine::PassInfo& pass : engine::AllPasses()) {
    bool off = std::find(common.disabled_passes.begin(), common.disabled_passes.end(), pass.name) !=
               common.disabled_passes.end();
    passes += (passes.empty() ? "" : ", ") + std::string(pass.name) + (off ? " (off)" : "");
  }
  std::cout << "item " << item.version->decl->code << " \"" << item.version->decl->title << "\" effective "
            << dsl::FormatIsoDate(item.version->effective) << "\n"
            << "nodes: " << item.nodes_lowered << " lowered, " << item.graph.nodes.size() << " after optimization ("
            << passes << ")\n";
  for (const std::string& line : item.pass_log) std::cout << "  " << line << "\n";
  std::cout << engine::GraphText(item.graph, ctx);
  return kOk;
}

}  // namespace

void AddGraph(CLI::App& app, Common& common, int* exit_code) {
  auto options = std::make_shared<GraphOptions>();
  CLI::App* cmd = app.add_subcommand("graph", "Print an item's compiled decision graph (text or Graphviz dot)");
  cmd->add_option("PACK", common.pack_dir, "pack folder")->required();
  cmd->add_option("--item", options->item, "item code")->required();
  cmd->add_option("--date", options->date, "pick the version in force on this date (default: today)");
  cmd->add_option("--format", options->format, "text or dot")->check(CLI::IsMember({"text", "dot"}));
  cmd->add_option("--rule", options->rule, "only the part this rule uses");
  cmd->add_option("--disable-pass", common.disabled_passes, "skip an optimization pass (repeatable)");
  cmd->callback([&common, options, exit_code] { *exit_code = Run(common, *options); });
}

}  // namespace miaopi::cli
