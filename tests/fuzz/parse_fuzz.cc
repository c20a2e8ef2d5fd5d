// Fuzz target: any bytes as a rules file must parse, check and compile into
// diagnostics or a pack — never a crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "dsl/program.h"
#include "engine/compile/pack.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace miaopi;
  std::string text(reinterpret_cast<const char*>(data), size);
  dsl::FileReader read = [&](const std::string& path, size_t) {
    dsl::BoundedRead r;
    r.ok = path == "fuzz.rules" || path.ends_with(".csv");
    r.text = path == "fuzz.rules" ? text : std::string("code,n\nk,1\n");
    r.error = "no such file";
    return r;
  };
  dsl::Diagnostics diags;
  std::unique_ptr<dsl::Program> program = dsl::BuildProgram({"fuzz.rules"}, read, {}, diags);
  std::string rendered = dsl::RenderAll(diags, program->sources);
  if (!diags.has_errors()) {
    engine::CompileProgram(std::move(program), Limits{}, {}, diags);
  }
  return 0;
}
