// miaopi check PACK — compile the pack and report every problem.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <iostream>

#include "apps/cli/cli.h"
#include "dsl/ast_dump.h"
#include "engine/compile/pack.h"

namespace miaopi::cli {

namespace {

struct CheckOptions {
  bool json = false;
  std::string dump;  // "", ast, typed
};

void PrintJson(const LoadResult& result) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("ok");
  w.Bool(result.ok());
  if (result.ok()) {
    w.Key("pack");
    w.StartObject();
    w.Key("name");
    w.String(result.pack->identity().name.c_str());
    w.Key("version");
    w.String(result.pack->identity().version.c_str());
    w.Key("hash");
    w.String(result.pack->identity().hash.c_str());
    w.EndObject();
  }
  w.Key("diagnostics");
  w.StartArray();
  for (const Diagnostic& d : result.diagnostics) {
    w.StartObject();
    if (!d.file.empty()) {
      w.Key("file");
      w.String(d.file.c_str());
      w.Key("line");
      w.Uint(d.line);
      w.Key("column");
      w.Uint(d.column);
    }
    w.Key("severity");
    w.String(d.severity.c_str());
    w.Key("code");
    w.String(d.code.c_str());
    w.Key("message");
    w.String(d.message.c_str());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::cout << buf.GetString() << "\n";
}

int Run(const Common& common, const CheckOptions& options) {
  LoadOptions load;
  load.disabled_passes = common.disabled_passes;
  load.color_diagnostics = common.color && !options.json;
  LoadResult result = LoadPack(common.pack_dir, load);
  if (!result.io_error.empty()) {
    std::cerr << "miaopi: " << result.io_error << "\n";
    return kIoError;
  }
  if (options.json) {
    PrintJson(result);
    return result.ok() ? kOk : kFindings;
  }
  std::cerr << result.rendered;
  size_t errors = 0, warnings = 0;
  for (const Diagnostic& d : result.diagnostics) {
    errors += d.severity == "error";
    warnings += d.severity == "warning";
  }
  if (!result.ok()) {
    std::cerr << "miaopi: " << errors << " error" << (errors == 1 ? "" : "s") << ", " << warnings << " warning"
              << (warnings == 1 ? "" : "s") << "\n";
    return kFindings;
  }
  const engine::CompiledPack& pack = result.pack->impl();
  if (options.dump == "ast" || options.dump == "typed") {
    for (const auto& m : pack.program->modules) {
      std::cout << ";; " << pack.program->sources.file(m->file).path() << "\n"
                << dsl::DumpModule(*m, options.dump == "typed");
    }
    return kOk;
  }
  size_t rules = 0;
  for (const engine::CompiledItem& item : pack.items) rules += item.version->decl->rules.size();
  std::cout << "ok: pack " << pack.identity.name << " " << pack.identity.version << ": " << result.pack->items().size()
            << " items (" << pack.items.size() << " versions), " << rules << " rules, " << pack.tables.size()
            << " tables, " << warnings << " warnings\n"
            << "    " << pack.identity.hash << "\n";
  return kOk;
}

}  // namespace

void AddCheck(CLI::App& app, Common& common, int* exit_code) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* cmd =
      app.add_subcommand("check", "Compile a pack and report its errors (exit 0 when it compiles, 1 when not)");
  cmd->add_option("PACK", common.pack_dir, "pack folder")->required();
  cmd->add_flag("--json", options->json, "diagnostics as JSON on stdout");
  cmd->add_option("--dump", options->dump, "print the parsed (ast) or checked (typed) program")
      ->check(CLI::IsMember({"ast", "typed"}));
  cmd->callback([&common, options, exit_code] { *exit_code = Run(common, *options); });
}

}  // namespace miaopi::cli
