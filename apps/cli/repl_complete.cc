// Tab completion in the REPL: commands, item codes, files, rule codes,
// field paths, and the names an expression may use.
#include <algorithm>
#include <filesystem>

#include "apps/cli/repl.h"
#include "apps/cli/repl_commands.h"
#include "dsl/builtins.h"

namespace miaopi::cli {

namespace {

// Every field path of a record type ("a", "a.b", …), lists of records
// included only by name.
void FieldPaths(const dsl::Type* t, const std::string& prefix, int depth, std::vector<std::string>* out) {
  if (t->kind != dsl::TypeKind::kRecord || depth > 6) return;
  for (const dsl::RecordField& f : t->fields) {
    std::string path = prefix + f.name;
    out->push_back(path);
    FieldPaths(f.type, path + ".", depth + 1, out);
  }
}

std::vector<std::string> Names(const std::vector<std::string>& candidates, std::string_view word) {
  std::vector<std::string> out;
  for (const std::string& c : candidates) {
    if (c.size() >= word.size() && c.compare(0, word.size(), word) == 0) out.push_back(c);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::vector<std::string> ReplSession::Complete(std::string_view before, size_t* word_start) const {
  std::vector<std::string> candidates;
  std::string line = std::string(before);
  size_t start = line.size();
  auto is_word = [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' ||
           ch == '-' || ch == ':' || ch == '/' || (static_cast<unsigned char>(ch) & 0x80) != 0;
  };
  while (start > 0 && is_word(line[start - 1])) --start;
  *word_start = start;
  std::string word = line.substr(start);
  std::string head = Trim(line.substr(0, start));
  bool command_word = head.empty() && !word.empty() && word[0] == ':';
  if (command_word) {
    for (const CommandInfo& c : kCommands) candidates.push_back(std::string(c.name) + (*c.args ? " " : ""));
    return Names(candidates, word);
  }
  std::string command = head.substr(0, head.find(' '));
  if (!inspector_) return {};
  if (command == ":item" && head == ":item") {
    for (const std::string& code : inspector_->pack()->items()) candidates.push_back(code);
    return Names(candidates, word);
  }
  if (command == ":load" && head == ":load") {
    std::string dir = word.find('/') == std::string::npos ? "." : word.substr(0, word.rfind('/') + 1);
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      std::string name = entry.path().filename().string();
      if (name[0] == '.') continue;
      std::string full = (dir == "." ? "" : dir) + name;
      candidates.push_back(entry.is_directory(ec) ? full + "/" : full);
    }
    return Names(candidates, word);
  }
  std::string error;
  int index = ItemIndex(&error);
  if (index < 0) return {};
  const dsl::Program& program = inspector_->program();
  const dsl::ItemVersion& v = program.items[index];
  if ((command == ":trace" || command == ":graph") && head == command) {
    for (const dsl::RuleDecl& r : v.decl->rules) candidates.push_back(r.code);
    return Names(candidates, word);
  }
  if (command == ":set" || command == ":unset") {
    if (head.find('=') != std::string::npos) return {};
    FieldPaths(v.input, "", 0, &candidates);
    return Names(candidates, word);
  }
  if (!head.empty() && head[0] == ':') return {};
  // An expression: fields, lets, licences, the request context, tables,
  // defs, decision tables, built-ins and keywords.
  FieldPaths(v.input, "", 0, &candidates);
  for (const dsl::LetDecl& let : v.decl->lets) candidates.push_back(let.name);
  for (const dsl::LicenceUseDecl& use : v.decl->licences) {
    candidates.push_back(use.name);
    FieldPaths(program.licence_types[use.licence].record, use.name + ".", 1, &candidates);
  }
  FieldPaths(program.context_type, "context.", 1, &candidates);
  FieldPaths(program.subject_type, "subject.", 1, &candidates);
  for (const dsl::TableData& t : program.tables) candidates.push_back(t.name);
  for (const dsl::DefDecl* d : program.defs) candidates.push_back(d->name + "(");
  for (const dsl::DecisionDecl* d : program.decisions) candidates.push_back(d->name + "(");
#define MIAOPI_BUILTIN_NAME(id, name, text) candidates.push_back(name "(");
  MIAOPI_BUILTINS(MIAOPI_BUILTIN_NAME)
#undef MIAOPI_BUILTIN_NAME
  for (const char* k : kKeywords) candidates.push_back(k);
  return Names(candidates, word);
}

}  // namespace miaopi::cli
