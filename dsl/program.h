// A rule pack read from disk, parsed and checked: the typed program that
// lowering compiles. This file's external interface is LoadProgram (a pack
// folder) and BuildProgram (files given in memory, for tests and tools).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dsl/ast.h"
#include "dsl/diagnostics.h"
#include "dsl/file_read.h"
#include "dsl/parse.h"
#include "dsl/table_data.h"
#include "dsl/types.h"

namespace miaopi::dsl {

struct LoadOptions {
  ParseOptions parse;
  // Rules in the whole pack, over all items and versions.
  size_t max_rules = 100000;
  // Rows of one table.
  size_t max_table_rows = 2000000;
  // Bytes of one table file.
  size_t max_table_bytes = 256u << 20;
};

// One checked `item` declaration (a version of an item code).
struct ItemVersion {
  const ItemDecl* decl = nullptr;
  const Type* input = nullptr;  // the record type of its input
  int32_t effective = 0;
  std::optional<int32_t> until;  // inclusive
};

// A declared licence type and the record type of its licences.
struct LicenceType {
  const LicenceDecl* decl = nullptr;
  const Type* record = nullptr;  // { type, number, holder, related, status, issued, expires, issuer, fields }
};

// A property checked in the scope of one version of its item: `cond` is a
// copy of the declaration's condition, typed for that version.
struct PropertyCheck {
  const PropertyDecl* decl = nullptr;
  size_t item = 0;  // index into Program::items
  Expr* cond = nullptr;
  bool ok = false;  // typed without errors
};

struct Program {
  SourceSet sources;
  std::vector<std::unique_ptr<Module>> modules;
  std::unique_ptr<TypeArena> types = std::make_unique<TypeArena>();
  std::string pack_name, pack_version;
  std::vector<TableData> tables;     // by table index
  std::vector<const DefDecl*> defs;  // by def index
  std::vector<std::vector<const Type*>> def_params;
  std::vector<ItemVersion> items;          // in source order
  std::vector<LicenceType> licence_types;  // by licence index
  std::vector<const DecisionDecl*> decisions;
  std::vector<std::vector<const Type*>> decision_params;
  std::vector<const Type*> decision_results;
  // Every property once per version of its item, in source order.
  std::vector<PropertyCheck> properties;
  // The caller's request context: `subject` is context.subject.
  const Type* subject_type = nullptr;  // { kind, id, auth_level, name? }
  const Type* context_type = nullptr;  // { subject, town, window?, channel? }
  // Every file the pack was built from, relative path → SourceSet id, sorted
  // by path: the pack hash covers exactly these.
  std::vector<std::pair<std::string, uint32_t>> inputs;

  int FindTable(std::string_view name) const;
  int FindLicence(std::string_view type) const;
  // The version of `code` in force on `date`, or nullptr.
  const ItemVersion* ItemInForce(std::string_view code, int32_t date) const;
  bool HasItem(std::string_view code) const;
};

// Reads a file of the pack by its path relative to the pack folder (never
// one outside it), at most `max_bytes` + 1 bytes of it.
using FileReader = std::function<BoundedRead(const std::string& relative_path, size_t max_bytes)>;
// A reader over files held in memory (tests, tools): a path not in `files`
// cannot be read.
FileReader MemoryReader(std::vector<std::pair<std::string, std::string>> files);

// Parses and checks `rules_files` (relative paths, read with `read`) and the
// tables they name. Problems go to `diags`; the program is returned anyway so
// tools can show what did parse.
std::unique_ptr<Program> BuildProgram(const std::vector<std::string>& rules_files, const FileReader& read,
                                      const LoadOptions& options, Diagnostics& diags);

// Every *.rules file under `dir` (sorted), then BuildProgram. An unreadable
// folder is an I/O error: nullptr with `io_error` set.
std::unique_ptr<Program> LoadProgram(const std::filesystem::path& dir, const LoadOptions& options, Diagnostics& diags,
                                     std::string* io_error);

}  // namespace miaopi::dsl
