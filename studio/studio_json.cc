#include "studio/studio_json.h"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "dsl/date.h"
#include "dsl/program.h"
#include "dsl/types.h"
#include "engine/graph/compiled_pack.h"
#include "engine/runtime/json_parse.h"
#include "verify/report_json.h"

namespace miaopi::studio {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, std::string_view key, std::string_view value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

// `json` as a member, or null when it is empty.
void Raw(Writer& w, std::string_view key, std::string_view json) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  if (json.empty()) {
    w.Null();
  } else {
    w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
  }
}

const char* KindName(dsl::TypeKind kind) {
  switch (kind) {
    case dsl::TypeKind::kBool: return "bool";
    case dsl::TypeKind::kInt: return "int";
    case dsl::TypeKind::kNumber: return "number";
    case dsl::TypeKind::kString: return "string";
    case dsl::TypeKind::kDate: return "date";
    case dsl::TypeKind::kDuration: return "duration";
    case dsl::TypeKind::kList: return "list";
    case dsl::TypeKind::kRecord: return "record";
    default: return "other";
  }
}

void TypeJson(Writer& w, const dsl::Type* type, int depth) {
  w.StartObject();
  Str(w, "kind", type == nullptr ? "other" : KindName(type->kind));
  if (type != nullptr && depth < 16) {
    if (type->kind == dsl::TypeKind::kList) {
      w.Key("elem");
      TypeJson(w, type->elem, depth + 1);
    } else if (type->kind == dsl::TypeKind::kRecord) {
      w.Key("fields");
      w.StartArray();
      for (const dsl::RecordField& f : type->fields) {
        w.StartObject();
        Str(w, "name", f.name);
        w.Key("optional");
        w.Bool(f.optional);
        w.Key("fixed");
        w.Bool(f.fixed);
        w.Key("type");
        TypeJson(w, f.type, depth + 1);
        w.EndObject();
      }
      w.EndArray();
    }
  }
  w.EndObject();
}

}  // namespace

bool ParseUserJson(std::string_view text, rapidjson::Document* doc, std::string* error, uint32_t max_depth) {
  Limits limits;
  limits.max_application_bytes = 256u << 20;
  limits.max_json_depth = max_depth;
  ErrorRecord record;
  if (engine::ParseApplication(text, limits, doc, &record)) return true;
  *error = record.message;
  return false;
}

std::string CheckJson(const LoadResult& result) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("ok");
  w.Bool(result.ok());
  if (result.ok()) {
    const PackIdentity& id = result.pack->identity();
    w.Key("pack");
    w.StartObject();
    Str(w, "name", id.name);
    Str(w, "version", id.version);
    Str(w, "hash", id.hash);
    w.EndObject();
  }
  w.Key("diagnostics");
  w.StartArray();
  for (const Diagnostic& d : result.diagnostics) {
    w.StartObject();
    Str(w, "file", d.file);
    w.Key("line");
    w.Uint(d.line);
    w.Key("column");
    w.Uint(d.column);
    Str(w, "severity", d.severity);
    Str(w, "code", d.code);
    Str(w, "message", d.message);
    w.EndObject();
  }
  w.EndArray();
  Str(w, "rendered", result.io_error.empty() ? result.rendered : result.io_error);
  w.Key("items");
  w.StartArray();
  if (result.ok()) {
    const engine::CompiledPack& p = result.pack->impl();
    for (size_t i = 0; i < p.items.size(); ++i) {
      const engine::CompiledItem& item = p.items[i];
      const dsl::ItemVersion& v = *item.version;
      w.StartObject();
      Str(w, "item", v.decl->code);
      Str(w, "title", v.decl->title);
      Str(w, "effective", dsl::FormatIsoDate(v.effective));
      Str(w, "until", v.until ? dsl::FormatIsoDate(*v.until) : "");
      w.Key("nodes");
      w.Uint64(item.graph.nodes.size());
      w.Key("rules");
      w.StartArray();
      for (const engine::RuleInfo& r : item.graph.rules) {
        w.StartObject();
        Str(w, "code", r.code);
        Str(w, "message", r.message);
        Str(w, "outcome", dsl::OutcomeText(r.outcome));
        w.EndObject();
      }
      w.EndArray();
      w.Key("properties");
      w.StartArray();
      for (const dsl::PropertyCheck& check : p.program->properties) {
        if (check.item == i) w.String(check.decl->code.c_str());
      }
      w.EndArray();
      w.Key("input");
      TypeJson(w, v.input, 0);
      w.EndObject();
    }
  }
  w.EndArray();
  w.EndObject();
  return buf.GetString();
}

std::string TestReportJson(const TestReport& report) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("passed");
  w.Uint64(report.passed);
  w.Key("failed");
  w.Uint64(report.failed);
  w.Key("failures");
  w.StartArray();
  for (const TestFailure& f : report.failures) {
    w.StartObject();
    Str(w, "file", f.file);
    Str(w, "name", f.name);
    w.Key("lines");
    w.StartArray();
    for (const std::string& line : f.lines) w.String(line.c_str(), static_cast<rapidjson::SizeType>(line.size()));
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("problems");
  w.StartArray();
  for (const std::string& p : report.problems) w.String(p.c_str(), static_cast<rapidjson::SizeType>(p.size()));
  w.EndArray();
  w.Key("coverage");
  w.StartArray();
  for (const RuleCoverage& c : report.coverage) {
    w.StartObject();
    Str(w, "item", c.item);
    Str(w, "effective", c.effective);
    Str(w, "rule", c.rule);
    w.Key("passed");
    w.Bool(c.passed);
    w.Key("not_passed");
    w.Bool(c.not_passed);
    w.EndObject();
  }
  w.EndArray();
  w.Key("covered");
  w.Uint64(report.Covered());
  w.Key("rules");
  w.Uint64(report.coverage.size());
  w.EndObject();
  return buf.GetString();
}

std::string VerifyJson(const std::vector<verify::PropertyResult>& results) {
  rapidjson::StringBuffer buf;
  verify::JsonWriter w(buf);
  w.StartArray();
  for (const verify::PropertyResult& r : results) verify::WritePropertyResult(w, r);
  w.EndArray();
  return buf.GetString();
}

std::string JsonText(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  v.Accept(w);
  return buf.GetString();
}

void AppendCases(std::string_view file, std::string_view text, std::vector<CaseSample>* cases) {
  rapidjson::Document doc;
  std::string error;
  if (!ParseUserJson(text, &doc, &error)) return;
  auto add = [&](const rapidjson::Value& c, size_t index) {
    if (!c.IsObject() || !c.HasMember("application") || !c["application"].IsObject()) return;
    auto member = [&](const char* key) { return c.HasMember(key) && c[key].IsString() ? c[key].GetString() : ""; };
    CaseSample& s = cases->emplace_back();
    s.file = file;
    s.index = index;
    s.name = member("name");
    s.item = member("item");
    s.date = member("date");
    s.application = JsonText(c["application"]);
    if (c.HasMember("context") && c["context"].IsObject()) {
      s.context = JsonText(c["context"]);
    } else if (c.HasMember("subject") || c.HasMember("town")) {
      rapidjson::Document ctx(rapidjson::kObjectType);
      if (c.HasMember("subject"))
        ctx.AddMember("subject", rapidjson::Value(c["subject"], ctx.GetAllocator()), ctx.GetAllocator());
      if (c.HasMember("town"))
        ctx.AddMember("town", rapidjson::Value(c["town"], ctx.GetAllocator()), ctx.GetAllocator());
      s.context = JsonText(ctx);
    }
  };
  if (doc.IsArray()) {
    for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) add(doc[i], i);
  } else {
    add(doc, 0);
  }
}

std::string CasesJson(const std::vector<CaseSample>& cases) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartArray();
  for (const CaseSample& c : cases) {
    w.StartObject();
    Str(w, "file", c.file);
    w.Key("index");
    w.Uint64(c.index);
    Str(w, "name", c.name);
    Str(w, "item", c.item);
    Str(w, "date", c.date);
    Raw(w, "application", c.application);
    Raw(w, "context", c.context);
    w.EndObject();
  }
  w.EndArray();
  return buf.GetString();
}

std::string CaseFromRecord(std::string_view name, std::string_view application, std::string_view date,
                           std::string_view item, std::string_view context, const Record& record) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Str(w, "name", name);
  w.Key("application");
  w.RawValue(application.data(), application.size(), rapidjson::kObjectType);
  Str(w, "date", date);
  if (!item.empty()) Str(w, "item", item);
  if (!context.empty()) {
    w.Key("context");
    w.RawValue(context.data(), context.size(), rapidjson::kObjectType);
  }
  w.Key("expect");
  w.StartObject();
  if (!record.ok) {
    Str(w, "error", record.error.code);
  } else {
    Str(w, "decision", OutcomeName(record.decision.decision));
    w.Key("reasons");
    w.StartArray();
    for (const Reason& r : record.decision.reasons) w.String(r.rule.c_str());
    w.EndArray();
    if (!record.decision.outputs.empty()) {
      w.Key("outputs");
      w.StartObject();
      for (const auto& [output, value] : record.decision.outputs) {
        w.Key(output.c_str());
        w.RawValue(value.data(), value.size(), rapidjson::kObjectType);
      }
      w.EndObject();
    }
  }
  w.EndObject();
  w.EndObject();
  return buf.GetString();
}

std::optional<std::string> AppendCase(std::string_view text, std::string_view case_json, std::string* error) {
  rapidjson::Document doc;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    doc.SetArray();
  } else {
    if (!ParseUserJson(text, &doc, error) || !doc.IsArray()) {
      *error = "the cases file is not a JSON array of cases";
      return std::nullopt;
    }
  }
  rapidjson::Document c;
  if (!ParseUserJson(case_json, &c, error, 160)) {
    *error = "the new case is not JSON";
    return std::nullopt;
  }
  doc.PushBack(rapidjson::Value(c, doc.GetAllocator()), doc.GetAllocator());
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
  w.SetIndent(' ', 1);
  doc.Accept(w);
  return std::string(buf.GetString()) + "\n";
}

}  // namespace miaopi::studio
