#include "dsl/program.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "dsl/check.h"

namespace miaopi::dsl {

int Program::FindTable(std::string_view name) const {
  for (size_t i = 0; i < tables.size(); ++i) {
    if (tables[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int Program::FindLicence(std::string_view type) const {
  for (size_t i = 0; i < licence_types.size(); ++i) {
    if (licence_types[i].decl->type == type) return static_cast<int>(i);
  }
  return -1;
}

const ItemVersion* Program::ItemInForce(std::string_view code, int32_t date) const {
  for (const ItemVersion& v : items) {
    if (v.decl->code == code && v.effective <= date && (!v.until || date <= *v.until)) return &v;
  }
  return nullptr;
}

bool Program::HasItem(std::string_view code) const {
  return std::any_of(items.begin(), items.end(), [&](const ItemVersion& v) { return v.decl->code == code; });
}

namespace {

std::string Display(const std::string& root, const std::string& relative) {
  if (root.empty()) return relative;
  return (std::filesystem::path(root) / relative).lexically_normal().string();
}

std::unique_ptr<Program> Build(const std::vector<std::string>& rules_files, const FileReader& read,
                               const std::string& display_root, const LoadOptions& options, Diagnostics& diags) {
  auto program = std::make_unique<Program>();
  std::vector<std::string> files = rules_files;
  std::sort(files.begin(), files.end());
  for (const std::string& path : files) {
    std::optional<std::string> text = read(path);
    if (!text) {
      diags.Global(ErrorCode::kTableNotFound, "cannot read " + Display(display_root, path));
      continue;
    }
    uint32_t id = program->sources.Add(Display(display_root, path), std::move(*text));
    program->inputs.emplace_back(path, id);
    program->modules.push_back(ParseModule(program->sources, id, options.parse, diags));
  }
  std::map<std::string, Span> table_names;
  for (const auto& module : program->modules) {
    for (const TableDecl& decl : module->tables) {
      auto [it, inserted] = table_names.emplace(decl.name, decl.name_span);
      if (!inserted) {
        diags.Error(ErrorCode::kDuplicateName, decl.name_span, "table '" + decl.name + "' is already defined");
        diags.Note(it->second, "previous definition");
        continue;
      }
      TableData& table = program->tables.emplace_back();
      table.name = decl.name;
      table.path = decl.path;
      std::string relative = std::filesystem::path(decl.path).lexically_normal().string();
      std::optional<std::string> text = read(relative);
      if (!text) {
        diags.Error(ErrorCode::kTableNotFound, decl.path_span,
                    "cannot read table file '" + decl.path + "' (paths are relative to the pack folder)");
        continue;
      }
      uint32_t id = program->sources.Add(Display(display_root, relative), std::move(*text));
      program->inputs.emplace_back(relative, id);
      if (!LoadTable(decl, program->sources, id, *program->types, options.max_table_rows, diags, &table)) {
        table.columns.clear();  // unusable: the checker stays quiet about its columns
        table.rows.clear();
      }
    }
  }
  std::sort(program->inputs.begin(), program->inputs.end());
  program->inputs.erase(std::unique(program->inputs.begin(), program->inputs.end(),
                                    [](const auto& a, const auto& b) { return a.first == b.first; }),
                        program->inputs.end());
  CheckProgram(*program, options, diags);
  diags.Sort();
  return program;
}

}  // namespace

std::unique_ptr<Program> BuildProgram(const std::vector<std::string>& rules_files, const FileReader& read,
                                      const LoadOptions& options, Diagnostics& diags) {
  return Build(rules_files, read, "", options, diags);
}

std::unique_ptr<Program> LoadProgram(const std::filesystem::path& dir, const LoadOptions& options,
                                     Diagnostics& diags, std::string* io_error) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    *io_error = "'" + dir.string() + "' is not a pack folder";
    return nullptr;
  }
  std::vector<std::string> files;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".rules") {
      files.push_back(it->path().lexically_relative(dir).string());
    }
  }
  if (ec) {
    *io_error = "cannot list '" + dir.string() + "': " + ec.message();
    return nullptr;
  }
  FileReader read = [dir](const std::string& relative) -> std::optional<std::string> {
    std::ifstream in(dir / relative, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream out;
    out << in.rdbuf();
    return std::move(out).str();
  };
  return Build(files, read, dir.string(), options, diags);
}

}  // namespace miaopi::dsl
