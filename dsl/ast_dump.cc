#include "dsl/ast_dump.h"

#include <cstdio>
#include <cstdlib>

namespace miaopi::dsl {

namespace {

std::string NumberText(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  // Shortest form that reads back to the same double.
  for (int precision = 1; precision <= 17; ++precision) {
    char shorter[32];
    std::snprintf(shorter, sizeof shorter, "%.*g", precision, d);
    if (std::strtod(shorter, nullptr) == d) return shorter;
  }
  return buf;
}

void Dump(const Expr& e, bool types, std::string& out);

void DumpArgs(const Expr& e, bool types, std::string& out) {
  for (const Expr* a : e.args) {
    out += ' ';
    Dump(*a, types, out);
  }
}

void Dump(const Expr& e, bool types, std::string& out) {
  std::string type_suffix = types && e.type ? ":" + TypeName(e.type, true) : "";
  switch (e.kind) {
    case ExprKind::kLiteral: out += LiteralText(e.lit) + type_suffix; return;
    case ExprKind::kName: out += e.name + type_suffix; return;
    case ExprKind::kToday: out += "today" + type_suffix; return;
    case ExprKind::kList:
      out += "[" + type_suffix;
      for (size_t i = 0; i < e.args.size(); ++i) {
        if (i) out += ' ';
        Dump(*e.args[i], types, out);
      }
      out += "]";
      return;
    case ExprKind::kField:
      out += "(." + type_suffix + " ";
      Dump(*e.args[0], types, out);
      out += " " + e.name + ")";
      return;
    case ExprKind::kIndex: out += "([]" + type_suffix; break;
    case ExprKind::kCall: out += "(call" + type_suffix + " " + e.name; break;
    case ExprKind::kUnary: out += std::string("(") + (e.op == Op::kNeg ? "neg" : "not") + type_suffix; break;
    case ExprKind::kBinary: out += std::string("(") + OpText(e.op) + type_suffix; break;
    case ExprKind::kIf: out += "(if" + type_suffix; break;
    case ExprKind::kQuantifier:
    case ExprKind::kAggregate: out += std::string("(") + OpText(e.op) + type_suffix + " " + e.binder; break;
  }
  DumpArgs(e, types, out);
  out += ")";
}

void DumpFields(const std::vector<FieldDecl>& fields, std::string& out) {
  out += "{";
  for (size_t i = 0; i < fields.size(); ++i) {
    out += i ? ", " : "";
    out += fields[i].name + ": " + DumpType(*fields[i].type) + (fields[i].optional ? "?" : "") +
           (fields[i].fixed ? " fixed" : "");
  }
  out += "}";
}

std::string DumpCell(const CellDecl& c) {
  switch (c.kind) {
    case CellDecl::Kind::kAny: return "-";
    case CellDecl::Kind::kEquals: {
      std::string out = "(=";
      for (const Literal& v : c.values) out += " " + LiteralText(v);
      return out + ")";
    }
    case CellDecl::Kind::kCompare: return std::string("(") + OpText(c.op) + " " + LiteralText(c.values[0]) + ")";
    case CellDecl::Kind::kRange:
      return std::string(c.lo_open ? "(" : "[") + LiteralText(c.lo) + ".." + LiteralText(c.hi) +
             (c.hi_open ? ")" : "]");
    case CellDecl::Kind::kNot: return "(not " + DumpCell(*c.inner) + ")";
  }
  return "?";
}

void DumpRules(const ItemDecl& item, bool types, std::string& out) {
  for (const RuleDecl& r : item.rules) {
    out += "    (rule " + r.code + " " + Quote(r.message) + " " + OutcomeText(r.outcome);
    if (r.on_missing) out += std::string(" on-missing ") + OutcomeText(*r.on_missing);
    for (const std::string& b : r.basis) out += " (basis " + Quote(b) + ")";
    if (r.included_from) out += " (from " + r.included_from->code + ")";
    out += "\n      " + DumpExpr(*r.cond, types) + ")\n";
  }
}

}  // namespace

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string LiteralText(const Literal& lit) {
  switch (lit.kind) {
    case LiteralKind::kBool: return lit.b ? "true" : "false";
    case LiteralKind::kInt: return std::to_string(lit.i);
    case LiteralKind::kNumber: {
      std::string s = NumberText(lit.d);
      if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
      return s;
    }
    case LiteralKind::kString: return Quote(lit.s);
    case LiteralKind::kDate: return "@" + FormatIsoDate(lit.date);
    case LiteralKind::kDuration: return FormatDuration(lit.duration);
  }
  return "?";
}

std::string DumpExpr(const Expr& e, bool with_types) {
  std::string out;
  Dump(e, with_types, out);
  return out;
}

std::string DumpType(const TypeExpr& t) {
  std::string out;
  switch (t.kind) {
    case TypeExpr::Kind::kNamed: return t.name;
    case TypeExpr::Kind::kList: return "list<" + (t.elem ? DumpType(*t.elem) : "?") + ">";
    case TypeExpr::Kind::kRecord: DumpFields(t.fields, out); return out;
  }
  return out;
}

std::string DumpModule(const Module& m, bool types) {
  std::string out = "(module\n";
  for (const PackDecl& p : m.packs) out += "  (pack " + Quote(p.name) + " " + Quote(p.version) + ")\n";
  for (const TableDecl& t : m.tables) {
    out += "  (table " + t.name + " " + Quote(t.path) + " key " + t.key;
    for (const ColumnDecl& c : t.columns) out += " (" + c.name + " " + DumpType(*c.type) + ")";
    out += ")\n";
  }
  for (const SchemaDecl& s : m.schemas) out += "  (schema " + s.name + " " + DumpType(*s.type) + ")\n";
  for (const LicenceDecl& l : m.licences) {
    out += "  (licence " + l.type + " " + Quote(l.title) + " holder " + l.holder_kind + " " +
           (l.fields ? DumpType(*l.fields) : "?") + ")\n";
  }
  for (const DecisionDecl& d : m.decisions) {
    out += "  (decision " + d.name + " (";
    for (size_t i = 0; i < d.params.size(); ++i) {
      out += (i ? ", " : "") + d.params[i].name + ": " + DumpType(*d.params[i].type);
    }
    out += ") -> " + (d.result ? DumpType(*d.result) : "?") + " hit " + HitPolicyText(d.hit) + "\n    (columns";
    for (const std::string& c : d.columns) out += " " + c;
    out += ")\n";
    for (const DecisionDecl::Row& row : d.rows) {
      out += "    (row";
      for (const CellDecl* c : row.cells) out += " " + DumpCell(*c);
      out += " => " + (row.output ? DumpExpr(*row.output, types) : "?") + ")\n";
    }
    out += "  )\n";
  }
  for (const ItemDecl& set : m.rule_sets) {
    out += "  (rules " + set.code + "\n";
    DumpRules(set, types, out);
    out += "  )\n";
  }
  for (const DefDecl& d : m.defs) {
    out += "  (def " + d.name + " (";
    for (size_t i = 0; i < d.params.size(); ++i) {
      out += (i ? ", " : "") + d.params[i].name + ": " + DumpType(*d.params[i].type);
    }
    out += ") " + (d.body ? DumpExpr(*d.body, types) : "?") + ")\n";
  }
  for (const ItemDecl& item : m.items) {
    out += "  (item " + Quote(item.code) + " " + Quote(item.title) + "\n";
    for (const std::string& b : item.basis) out += "    (basis " + Quote(b) + ")\n";
    if (item.effective) out += "    (effective @" + FormatIsoDate(*item.effective) + ")\n";
    if (item.until) out += "    (until @" + FormatIsoDate(*item.until) + ")\n";
    out += std::string("    (mode ") + ModeText(item.mode) + ")\n";
    if (item.input) out += "    (input " + DumpType(*item.input) + ")\n";
    for (const LetDecl& l : item.lets) out += "    (let " + l.name + " " + DumpExpr(*l.value, types) + ")\n";
    for (const LicenceUseDecl& u : item.licences) {
      out += "    (uses " + u.type + " as " + u.name + (u.key ? " for " + DumpExpr(*u.key, types) : "") + ")\n";
    }
    for (const OutputDecl& o : item.outputs) out += "    (output " + o.name + " " + DumpExpr(*o.value, types) + ")\n";
    for (const IncludeDecl& inc : item.includes) {
      out += "    (include " + inc.name + " at " + std::to_string(inc.position) + ")\n";
    }
    DumpRules(item, types, out);
    out += "  )\n";
  }
  return out + ")\n";
}

}  // namespace miaopi::dsl
