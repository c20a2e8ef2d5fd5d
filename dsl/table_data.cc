#include "dsl/table_data.h"

#include <charconv>
#include <cmath>
#include <unordered_map>

namespace miaopi::dsl {

namespace {

struct CsvField {
  std::string text;
  uint32_t offset = 0;  // byte offset of the field in the file
};

// RFC 4180: fields separated by commas, quoted with "…" ("" inside quotes),
// records ended by LF or CRLF. Returns false with `error_at` on bad quoting.
bool SplitCsv(std::string_view text, std::vector<std::vector<CsvField>>* records, size_t* error_at,
              std::string* error) {
  size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  std::vector<CsvField> record;
  CsvField field;
  field.offset = static_cast<uint32_t>(i);
  bool field_started = false;
  auto end_field = [&](size_t next) {
    record.push_back(std::move(field));
    field = CsvField{};
    field.offset = static_cast<uint32_t>(next);
    field_started = false;
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == '"' && !field_started && field.text.empty()) {
      size_t open = i++;
      for (;;) {
        if (i >= text.size()) {
          *error_at = open;
          *error = "quoted field is not closed";
          return false;
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.text += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.text += text[i++];
      }
      field_started = true;
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        *error_at = i;
        *error = "text after a closing quote; quote the whole field";
        return false;
      }
      continue;
    }
    if (c == ',') {
      end_field(i + 1);
      ++i;
      continue;
    }
    if (c == '\r' || c == '\n') {
      size_t next = i + (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n' ? 2 : 1);
      end_field(next);
      bool blank = record.size() == 1 && record[0].text.empty();
      if (!blank) records->push_back(std::move(record));
      record.clear();
      i = next;
      continue;
    }
    if (c == '"') {
      *error_at = i;
      *error = "a quote inside an unquoted field; quote the field and double the quote";
      return false;
    }
    field.text += c;
    field_started = true;
    ++i;
  }
  if (field_started || !record.empty()) {
    end_field(i);
    records->push_back(std::move(record));
  }
  return true;
}

Span At(uint32_t file, uint32_t offset, size_t len) {
  return {file, offset, static_cast<uint32_t>(offset + std::max<size_t>(len, 1))};
}

}  // namespace

int TableData::ColumnIndex(std::string_view column) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == column) return static_cast<int>(i);
  }
  return -1;
}

bool ParseCell(std::string_view text, const Type* type, Cell* out) {
  *out = Cell{};
  if (text.empty()) return true;
  Literal& lit = out->value;
  switch (type->kind) {
    case TypeKind::kString:
      lit.kind = LiteralKind::kString;
      lit.s = std::string(text);
      break;
    case TypeKind::kInt: {
      lit.kind = LiteralKind::kInt;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), lit.i);
      if (ec != std::errc() || p != text.data() + text.size()) return false;
      break;
    }
    case TypeKind::kNumber: {
      lit.kind = LiteralKind::kNumber;
      std::string s(text);
      char* end = nullptr;
      lit.d = std::strtod(s.c_str(), &end);
      if (end != s.c_str() + s.size() || !std::isfinite(lit.d)) return false;
      break;
    }
    case TypeKind::kDate: {
      lit.kind = LiteralKind::kDate;
      std::optional<int32_t> d = ParseIsoDate(text);
      if (!d) return false;
      lit.date = *d;
      break;
    }
    case TypeKind::kBool:
      lit.kind = LiteralKind::kBool;
      if (text == "true") {
        lit.b = true;
      } else if (text != "false") {
        return false;
      }
      break;
    default: return false;
  }
  out->present = true;
  return true;
}

bool LoadTable(const TableDecl& decl, const SourceSet& sources, uint32_t file, TypeArena& types, size_t max_rows,
               Diagnostics& diags, TableData* out) {
  const SourceFile& source = sources.file(file);
  std::string_view text = source.text();
  out->name = decl.name;
  out->path = decl.path;
  out->file = file;
  size_t bad = 0;
  if (!ValidUtf8(text, &bad)) {
    diags.Error(ErrorCode::kBadCsv, At(file, bad, 1), "table '" + decl.name + "' is not valid UTF-8 here");
    return false;
  }
  std::vector<std::vector<CsvField>> records;
  std::string error;
  if (!SplitCsv(text, &records, &bad, &error)) {
    diags.Error(ErrorCode::kBadCsv, At(file, bad, 1), error);
    return false;
  }
  if (records.empty()) {
    diags.Error(ErrorCode::kBadCsv, decl.path_span, "table file '" + decl.path + "' has no header row");
    return false;
  }
  if (records.size() - 1 > max_rows) {
    diags.Error(ErrorCode::kTableTooLarge, decl.path_span,
                "table '" + decl.name + "' has " + std::to_string(records.size() - 1) + " rows; the limit is " +
                    std::to_string(max_rows));
    return false;
  }
  for (const CsvField& h : records[0]) out->columns.push_back(h.text);
  int key = out->ColumnIndex(decl.key);
  if (key < 0) {
    diags.Error(ErrorCode::kKeyColumnMissing, decl.key_span,
                "table file '" + decl.path + "' has no column '" + decl.key + "'");
    diags.Note(At(file, records[0][0].offset, 1), "the header row is here");
    return false;
  }
  out->key = static_cast<uint32_t>(key);
  out->types.assign(out->columns.size(), types.String());
  bool ok = true;
  for (const ColumnDecl& c : decl.columns) {
    int index = out->ColumnIndex(c.name);
    const Type* type = c.type && c.type->kind == TypeExpr::Kind::kNamed ? ScalarByName(types, c.type->name) : nullptr;
    if (index < 0) {
      diags.Error(ErrorCode::kUnknownColumn, c.span, "table file '" + decl.path + "' has no column '" + c.name + "'");
      ok = false;
    } else if (type == nullptr || type == types.Duration()) {
      diags.Error(ErrorCode::kBadCell, c.span, "a column is string, int, number, date or bool");
      ok = false;
    } else {
      out->types[index] = type;
    }
  }
  std::unordered_map<std::string, uint32_t> seen_keys;
  for (size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    if (rec.size() != out->columns.size()) {
      diags.Error(
          ErrorCode::kBadCsv, At(file, rec[0].offset, rec[0].text.size()),
          "row has " + std::to_string(rec.size()) + " fields; the header has " + std::to_string(out->columns.size()));
      ok = false;
      continue;
    }
    std::vector<Cell> row(rec.size());
    for (size_t c = 0; c < rec.size(); ++c) {
      if (!ParseCell(rec[c].text, out->types[c], &row[c])) {
        diags.Error(
            ErrorCode::kBadCell, At(file, rec[c].offset, rec[c].text.size()),
            "'" + rec[c].text + "' is not a " + TypeName(out->types[c]) + " (column '" + out->columns[c] + "')");
        ok = false;
      }
    }
    const CsvField& k = rec[out->key];
    if (k.text.empty()) {
      diags.Error(ErrorCode::kBadCell, At(file, k.offset, 1), "the key column '" + decl.key + "' is empty");
      ok = false;
      continue;
    }
    auto [it, inserted] = seen_keys.emplace(k.text, k.offset);
    if (!inserted) {
      diags.Error(ErrorCode::kDuplicateKey, At(file, k.offset, k.text.size()),
                  "key '" + k.text + "' appears twice in table '" + decl.name + "'");
      diags.Note(At(file, it->second, k.text.size()), "first row with this key");
      ok = false;
      continue;
    }
    out->rows.push_back(std::move(row));
  }
  return ok;
}

}  // namespace miaopi::dsl
