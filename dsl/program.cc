#include "dsl/program.h"

#include <algorithm>
#include <map>

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

// The path normalized, when it names something inside the pack folder:
// relative, and not climbing out of it with `..`.
bool InsidePack(const std::string& path, std::string* relative) {
  std::filesystem::path p(path);
  if (p.empty() || p.is_absolute() || p.has_root_name()) return false;
  std::filesystem::path normal = p.lexically_normal();
  auto first = normal.begin();
  if (first == normal.end() || *first == "..") return false;
  *relative = normal.string();
  return true;
}

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
    BoundedRead file = read(path, options.parse.max_source_bytes);
    if (!file.ok) {
      diags.Global(ErrorCode::kUnreadableRules, "cannot read " + Display(display_root, path) + ": " + file.error);
      continue;
    }
    if (file.too_large) {
      diags.Global(ErrorCode::kFileTooLarge, Display(display_root, path) + " has " +
                                                 (file.size_known ? "" : "more than ") + std::to_string(file.size) +
                                                 " bytes; the limit is " +
                                                 std::to_string(options.parse.max_source_bytes));
      continue;
    }
    uint32_t id = program->sources.Add(Display(display_root, path), std::move(file.text));
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
      std::string relative;
      if (!InsidePack(decl.path, &relative)) {
        diags.Error(ErrorCode::kTableNotFound, decl.path_span,
                    "table file '" + decl.path + "' is outside the pack folder (paths are relative to it)");
        continue;
      }
      BoundedRead file = read(relative, options.max_table_bytes);
      if (!file.ok) {
        diags.Error(
            ErrorCode::kTableNotFound, decl.path_span,
            "cannot read table file '" + decl.path + "': " + file.error + " (paths are relative to the pack folder)");
        continue;
      }
      if (file.too_large) {
        diags.Error(ErrorCode::kTableFileTooLarge, decl.path_span,
                    "table file '" + decl.path + "' has " + (file.size_known ? "" : "more than ") +
                        std::to_string(file.size) + " bytes; the limit is " + std::to_string(options.max_table_bytes));
        continue;
      }
      uint32_t id = program->sources.Add(Display(display_root, relative), std::move(file.text));
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

FileReader MemoryReader(std::vector<std::pair<std::string, std::string>> files) {
  return [files = std::move(files)](const std::string& path, size_t max_bytes) {
    BoundedRead r;
    for (const auto& [name, text] : files) {
      if (name != path) continue;
      r.ok = true;
      r.size = text.size();
      r.size_known = true;
      r.too_large = text.size() > max_bytes;
      if (!r.too_large) r.text = text;
      return r;
    }
    r.error = "no such file";
    return r;
  };
}

std::unique_ptr<Program> BuildProgram(const std::vector<std::string>& rules_files, const FileReader& read,
                                      const LoadOptions& options, Diagnostics& diags) {
  return Build(rules_files, read, "", options, diags);
}

std::unique_ptr<Program> LoadProgram(const std::filesystem::path& dir, const LoadOptions& options, Diagnostics& diags,
                                     std::string* io_error) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    *io_error = "'" + dir.string() + "' is not a pack folder";
    return nullptr;
  }
  std::vector<std::string> files;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    // Every *.rules entry, whatever its kind: one that is not a regular file
    // is reported by the reader, not skipped in silence.
    std::error_code kind_ec;
    if (it->path().extension() == ".rules" && !it->is_directory(kind_ec)) {
      files.push_back(it->path().lexically_relative(dir).string());
    }
  }
  if (ec) {
    *io_error = "cannot list '" + dir.string() + "': " + ec.message();
    return nullptr;
  }
  std::filesystem::path root = std::filesystem::weakly_canonical(dir, ec);
  FileReader read = [dir, root](const std::string& relative, size_t max_bytes) {
    std::filesystem::path full = dir / relative;
    // A symlink may point anywhere: what it resolves to must be in the pack too.
    std::error_code resolve_ec;
    std::filesystem::path real = std::filesystem::weakly_canonical(full, resolve_ec);
    auto [end, _] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
    if (resolve_ec || end != root.end()) {
      BoundedRead r;
      r.error = "it resolves to " + real.string() + ", outside the pack folder";
      return r;
    }
    return ReadFileBounded(full.string(), max_bytes, FileKinds::kRegularOnly);
  };
  return Build(files, read, dir.string(), options, diags);
}

}  // namespace miaopi::dsl
