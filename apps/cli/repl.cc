#include "apps/cli/repl.h"

#include "apps/cli/json_path.h"
#include "apps/cli/repl_commands.h"

#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "dsl/builtins.h"
#include "dsl/date.h"
#include "dsl/diagnostics.h"
#include "dsl/file_read.h"
#include "dsl/types.h"
#include "engine/compile/pack.h"
#include "engine/graph/graph_print.h"
#include "engine/graph/verdict.h"
#include "engine/runtime/json_parse.h"

namespace miaopi::cli {

namespace {

std::string Compact(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

std::string Pretty(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  v.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

// "line 3, column 7" of a byte offset in `text`.
std::string Where(const std::string& text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

ReplSession::ReplSession(ReplOptions options) : options_(std::move(options)) {
  colors_.on = options_.color;
  app_.SetObject();
  // The command line's context was checked by ContextJson (bounded, an object).
  if (!options_.context.empty()) context_.Parse(options_.context.c_str(), options_.context.size());
}

ReplSession::~ReplSession() = default;

std::string ReplSession::Error(const std::string& message) const {
  ++errors_;
  return std::string(colors_.Error()) + "error:" + colors_.Reset() + " " + message + "\n";
}

int32_t ReplSession::Today() const { return *dsl::ParseIsoDate(options_.date); }

bool ReplSession::Start(std::string* out) {
  LoadOptions load = options_.load;
  load.color_diagnostics = options_.color;
  LoadResult r = engine::Inspector::Load(options_.pack_dir, load, &inspector_);
  if (!inspector_) {
    *out = r.io_error.empty() ? r.rendered : "miaopi: " + r.io_error + "\n";
    return false;
  }
  evaluator_ = std::make_unique<Evaluator>(inspector_->pack(), options_.licences);
  const PackIdentity& id = inspector_->pack()->identity();
  std::vector<std::string> items = inspector_->pack()->items();
  if (items.size() == 1) item_ = items[0];
  *out = "pack " + id.name + " " + id.version + " (" + std::to_string(items.size()) + " items), date " + options_.date +
         (item_.empty() ? "; choose an item with :item CODE" : "; item " + item_) + ". :help lists the commands.\n";
  return true;
}

std::string ReplSession::Prompt() const {
  if (pasting()) return "... ";
  return (item_.empty() ? std::string("miaopi") : item_) + "> ";
}

std::string ReplSession::Execute(const std::string& raw) {
  if (pasting()) return Paste(raw);
  std::string line = Trim(raw);
  if (line.empty() || line[0] == '#') return "";
  if (line[0] == '{') return Paste(raw);
  if (line[0] != ':') return Expression(line);
  size_t space = line.find_first_of(" \t");
  std::string name = line.substr(0, space);
  std::string arg = space == std::string::npos ? "" : Trim(line.substr(space));
  return Command(name, arg);
}

std::string ReplSession::Command(const std::string& name, const std::string& arg) {
  if (name == ":item") return Item(arg);
  if (name == ":load") return Load(arg);
  if (name == ":set") return Set(arg);
  if (name == ":unset") return Unset(arg);
  if (name == ":show") return Show();
  if (name == ":date") return Date(arg);
  if (name == ":context") return Context(arg);
  if (name == ":decide") return Decide();
  if (name == ":why") return Why();
  if (name == ":fix") return Fix(arg);
  if (name == ":trace") return Trace(arg);
  if (name == ":rules") return Rules();
  if (name == ":reload") return Reload();
  if (name == ":graph") return Graph(arg);
  if (name == ":help" || name == ":h" || name == ":?") return Help();
  if (name == ":quit" || name == ":q" || name == ":exit") {
    quit_ = true;
    return "";
  }
  std::vector<std::string> names;
  for (const CommandInfo& c : kCommands) names.push_back(c.name);
  return Error("no command " + name + dsl::DidYouMean(name, names) + " (:help lists them)");
}

int ReplSession::ItemIndex(std::string* error) const {
  if (item_.empty()) {
    *error = "no item chosen: use :item CODE (";
    std::vector<std::string> items = inspector_->pack()->items();
    for (size_t i = 0; i < items.size(); ++i) *error += (i ? ", " : "") + items[i];
    *error += ")";
    return -1;
  }
  engine::ItemLookup found = inspector_->pack()->impl().Find(item_, Today());
  switch (found.result) {
    case engine::ItemLookup::Result::kFound: return static_cast<int>(found.index);
    case engine::ItemLookup::Result::kUnknownItem: *error = "the pack has no item " + item_; break;
    case engine::ItemLookup::Result::kNoVersionInForce:
      *error = "no version of " + item_ + " is in force on " + options_.date + " (see :date)";
      break;
  }
  return -1;
}

std::string ReplSession::Item(const std::string& arg) {
  const engine::CompiledPack& pack = inspector_->pack()->impl();
  if (arg.empty()) {
    std::string s;
    for (const std::string& code : inspector_->pack()->items()) {
      const dsl::ItemVersion* v = pack.program->ItemInForce(code, Today());
      s += (code == item_ ? "* " : "  ") + code + "  " +
           (v ? v->decl->title : std::string("(no version in force on ") + options_.date + ")") + "\n";
    }
    return s;
  }
  if (pack.by_code.find(arg) == pack.by_code.end()) {
    return Error("the pack has no item " + arg + dsl::DidYouMean(arg, inspector_->pack()->items()));
  }
  item_ = arg;
  std::string error;
  int index = ItemIndex(&error);
  if (index < 0) return Error(error);
  const dsl::ItemVersion& v = pack.program->items[index];
  return "item " + item_ + " " + v.decl->title + " (effective " + dsl::FormatIsoDate(v.effective) +
         "): " + std::to_string(v.input->fields.size()) + " input fields, " + std::to_string(v.decl->rules.size()) +
         " rules\n";
}

std::string ReplSession::Adopt(rapidjson::Document& doc, const std::string& origin) {
  if (!doc.IsObject()) return Error(origin + " is " + JsonKind(doc) + ", not an application object");
  std::string s;
  auto application = doc.FindMember("application");
  if (application != doc.MemberEnd() && application->value.IsObject()) {  // an envelope, as in a batch line
    auto context = doc.FindMember("context");
    if (context != doc.MemberEnd() && context->value.IsObject()) {
      options_.context = Compact(context->value);
      context_.Parse(options_.context.c_str());
      s += "context " + options_.context + "\n";
    }
    rapidjson::Document inner;
    inner.CopyFrom(application->value, inner.GetAllocator());
    app_.Swap(inner);
  } else {
    app_.Swap(doc);
  }
  auto item = app_.FindMember("item");
  if (item != app_.MemberEnd() && item->value.IsString()) {
    std::string code = item->value.GetString();
    const auto& by_code = inspector_->pack()->impl().by_code;
    if (by_code.find(code) != by_code.end()) item_ = code;
  }
  s += "application loaded from " + origin + ": " + std::to_string(app_.MemberCount()) + " fields" +
       (item_.empty() ? "" : ", item " + item_) + "\n";
  std::string error;
  int index = ItemIndex(&error);
  if (index < 0) return s + Error(error);
  std::vector<std::string> unknown;
  UnknownFields(app_, inspector_->program().items[index].input, "", &unknown);
  for (const std::string& path : unknown)
    s += "note: " + path + " is not in " + item_ + "'s input; rules never read it\n";
  return s;
}

// JSON from the user (a file, a paste, a value, a context) is parsed as an
// application is: size and depth limits, no NUL byte, no duplicate member.
bool ReplSession::ParseJson(const std::string& text, const std::string& what, rapidjson::Document* doc,
                            std::string* error) const {
  ErrorRecord record;
  size_t offset = std::string::npos;
  if (engine::ParseApplication(text, limits(), doc, &record, nullptr, &offset)) return true;
  *error = what + " is not usable JSON: " + record.message;
  if (offset != std::string::npos) {
    size_t byte = error->rfind(" (at byte ");
    if (byte != std::string::npos) error->erase(byte);  // a line and column say it better
    *error += " (" + Where(text, offset) + ")";
  }
  return false;
}

const Limits& ReplSession::limits() const { return inspector_->pack()->impl().limits; }

std::string ReplSession::Load(const std::string& path) {
  if (path.empty()) return Error(":load needs a file: :load FILE.json (or paste the JSON)");
  size_t limit = limits().max_application_bytes;
  dsl::BoundedRead file = dsl::ReadFileBounded(path, limit, dsl::FileKinds::kAnyReadable);
  if (!file.ok) return Error("cannot read " + path + ": " + file.error);
  if (file.too_large) {
    return Error(path + " has " + (file.size_known ? std::to_string(file.size) : "more than " + std::to_string(limit)) +
                 " bytes; an application may have " + std::to_string(limit));
  }
  rapidjson::Document doc;
  std::string error;
  if (!ParseJson(file.text, path, &doc, &error)) return Error(error);
  return Adopt(doc, path);
}

std::string ReplSession::Paste(const std::string& line) {
  if (!paste_.empty() && Trim(line).rfind(':', 0) == 0) {  // a command: the paste was never finished
    CancelPaste();
    return Error("the pasted JSON was not finished (its brackets do not close); dropped it") + Execute(line);
  }
  size_t scanned = paste_.size();
  paste_ += line;
  paste_ += '\n';
  if (paste_.size() > limits().max_application_bytes) {
    CancelPaste();
    return Error("the pasted JSON is larger than an application may be (" +
                 std::to_string(limits().max_application_bytes) + " bytes); dropped it");
  }
  // Complete when the brackets outside strings close (or one closes wrongly:
  // then the parser says where). Only the new line is scanned: a long paste
  // costs linear time, not quadratic.
  for (size_t i = scanned; i < paste_.size() && !paste_scan_.mismatch; ++i) {
    char ch = paste_[i];
    PasteScan& st = paste_scan_;
    if (st.in_string) {
      if (st.escape)
        st.escape = false;
      else if (ch == '\\')
        st.escape = true;
      else if (ch == '"')
        st.in_string = false;
    } else if (ch == '"') {
      st.in_string = true;
    } else if (ch == '{' || ch == '[') {
      st.open.push_back(ch);
    } else if (ch == '}' || ch == ']') {
      if (st.open.empty() || st.open.back() != (ch == '}' ? '{' : '[')) {
        st.mismatch = true;
      } else {
        st.open.pop_back();
      }
    }
  }
  if (!paste_scan_.open.empty() && !paste_scan_.mismatch) return "";
  std::string text;
  text.swap(paste_);
  CancelPaste();
  rapidjson::Document doc;
  std::string error;
  if (!ParseJson(text, "the pasted text", &doc, &error)) return Error(error);
  return Adopt(doc, "the pasted JSON");
}

std::string ReplSession::Set(const std::string& arg) {
  size_t eq = arg.find('=');
  if (eq == std::string::npos) return Error("write :set PATH = VALUE, e.g. :set business.area_m2 = 8");
  std::string path = Trim(arg.substr(0, eq)), value_text = Trim(arg.substr(eq + 1));
  std::vector<PathStep> steps;
  if (!ParsePath(path, &steps)) return Error("'" + path + "' is not a field path (a.b[0].c)");
  rapidjson::Document value;
  std::string parse_error;
  if (!ParseJson(value_text, "the value", &value, &parse_error)) {
    std::string bare = !value_text.empty() && value_text[0] == '@' ? value_text.substr(1) : value_text;
    if (dsl::ParseIsoDate(bare)) {
      value.SetString(bare.c_str(), static_cast<rapidjson::SizeType>(bare.size()), value.GetAllocator());
    } else if (value_text.size() < 200 && value_text.find_first_of("{}[]\"") == std::string::npos) {
      return Error("'" + value_text + "' is not a JSON value (text needs quotes: \"" + value_text + "\")");
    } else {
      return Error(parse_error);
    }
  }
  // The application as a whole stays within the depth limit.
  if (steps.size() + JsonDepth(value) > limits().max_json_depth) {
    return Error("the application would nest more than " + std::to_string(limits().max_json_depth) +
                 " objects and lists deep there");
  }
  // Check the path against the item's input; an undeclared field is refused.
  std::string error, note;
  int index = ItemIndex(&error);
  if (index < 0) return Error(error);
  const dsl::Type* type = TypeAtPath(inspector_->program().items[index].input, steps, item_ + "'s input", &error);
  if (type == nullptr) return Error(error);
  if (!Fits(value, type)) {
    note = "note: " + path + " is " + dsl::TypeName(type) + "; " + JsonKind(value) +
           " there reads as unknown (wrong type)\n";
  }
  const rapidjson::Value* at = nullptr;
  if (!SetAtPath(app_, steps, value, &at, &error)) return Error(error);
  return path + " = " + Compact(*at) + "\n" + note;
}

std::string ReplSession::Unset(const std::string& arg) {
  std::vector<PathStep> steps;
  if (!ParsePath(arg, &steps)) return Error("'" + arg + "' is not a field path (a.b[0].c)");
  if (!RemoveAtPath(app_, steps)) return Error("the application has no " + arg);
  return "removed " + arg + "\n";
}

std::string ReplSession::Show() const { return Pretty(app_) + "\n"; }

std::string ReplSession::Date(const std::string& arg) {
  if (arg.empty()) return "date " + options_.date + "\n";
  if (!dsl::ParseIsoDate(arg)) return Error("'" + arg + "' is not a YYYY-MM-DD date naming a real day");
  options_.date = arg;
  std::string s = "date " + arg + "\n";
  std::string error;
  if (!item_.empty() && ItemIndex(&error) < 0) s += Error(error);
  return s;
}

std::string ReplSession::Context(const std::string& arg) {
  if (arg.empty())
    return options_.context.empty() ? "no request context (subject.… and context.… are unknown)\n"
                                    : options_.context + "\n";
  rapidjson::Document doc;
  std::string error;
  if (!ParseJson(arg, "the context", &doc, &error) || !doc.IsObject()) {
    return Error(
        (error.empty() ? std::string() : error + "; ") +
        "the context is a JSON object: {\"subject\": {\"kind\": …, \"id\": …, \"auth_level\": …}, \"town\": …}");
  }
  options_.context = Compact(doc);
  context_.Swap(doc);
  return "context " + options_.context + "\n";
}

Record ReplSession::Run(bool explain, bool remedies) {
  DecideOptions decide;
  decide.date = options_.date;
  decide.explain = explain;
  decide.remedies = remedies;
  decide.item = item_;
  decide.context = options_.context;
  return evaluator_->Decide(Compact(app_), decide);
}

std::string ReplSession::Decide() {
  std::string error;
  if (ItemIndex(&error) < 0) return Error(error);
  return RenderRecord(Run(false), colors_);
}

std::string ReplSession::Why() {
  std::string error;
  if (ItemIndex(&error) < 0) return Error(error);
  Record r = Run(true);
  if (!r.ok) return RenderRecord(r, colors_);
  const Decision& d = r.decision;
  if (d.reasons.empty()) {
    return std::string(colors_.Outcome(d.decision)) + "approve" + colors_.Reset() + ": every rule passed\n";
  }
  std::string s;
  for (const Reason& reason : d.reasons) {
    s += RenderReason(reason, colors_);
    for (const TraceRule& t : d.trace) {
      if (t.rule != reason.rule) continue;
      for (const std::string& fact : t.facts) s += "      " + fact + "\n";
    }
  }
  return s;
}

std::string ReplSession::Fix(const std::string& arg) {
  std::string error;
  if (ItemIndex(&error) < 0) return Error(error);
  if (!arg.empty() && arg != "apply") return Error(":fix takes nothing or `apply`");
  Record r = Run(false, true);
  if (!r.ok) return RenderRecord(r, colors_);
  const Decision& d = r.decision;
  if (d.decision == Outcome::kApprove) {
    return std::string(colors_.Outcome(d.decision)) + "approve" + colors_.Reset() + ": nothing to fix\n";
  }
  if (arg.empty()) return RenderRemedies(d.remedies, colors_);
  std::optional<std::string> fixed = ApplyRemedyExamples(Compact(app_), d.remedies, &error);
  if (!fixed) return Error(error);
  rapidjson::Document doc;
  doc.Parse(fixed->c_str(), fixed->size());
  if (doc.HasParseError() || !doc.IsObject()) return Error("the remedied application does not parse");
  app_.Swap(doc);
  size_t applied = 0, without = 0;
  for (const Remedy& rem : d.remedies) {
    for (const RemedyChange& c : rem.changes) {
      if (!rem.fixable || !c.licence.empty()) continue;
      (c.example.empty() ? without : applied) += 1;
    }
  }
  std::string s = "applied " + std::to_string(applied) + " example" + (applied == 1 ? "" : "s");
  if (without > 0) s += " (" + std::to_string(without) + " change" + (without == 1 ? "" : "s") + " without one)";
  return s + "\n" + RenderRecord(Run(false), colors_);
}

std::string ReplSession::Trace(const std::string& code) {
  std::string error;
  int index = ItemIndex(&error);
  if (index < 0) return Error(error);
  if (code.empty()) return Error(":trace needs a rule code (:rules lists them)");
  const dsl::ItemVersion& v = inspector_->program().items[index];
  std::vector<std::string> codes;
  size_t rule = v.decl->rules.size();
  for (size_t i = 0; i < v.decl->rules.size(); ++i) {
    codes.push_back(v.decl->rules[i].code);
    if (v.decl->rules[i].code == code) rule = i;
  }
  if (rule == v.decl->rules.size()) return Error(item_ + " has no rule " + code + dsl::DidYouMean(code, codes));
  const dsl::RuleDecl& r = v.decl->rules[rule];
  engine::Request request;
  request.date = Today();
  request.context = context_.IsObject() ? &context_ : nullptr;
  engine::Inspection inspection = inspector_->TraceRule(index, rule, app_, request, options_.licences.get());
  const dsl::SourceSet& sources = inspector_->program().sources;
  std::string cond = dsl::OneLine(sources.file(r.cond->span.file).Slice(r.cond->span));
  const char* outcome = r.outcome == dsl::Outcome::kReject ? "reject" : "review";
  std::string s =
      std::string(colors_.Bold()) + r.code + colors_.Reset() + "  require " + cond + " else " + outcome + "\n";
  size_t shown = 0;
  for (const engine::ExprStep& step : inspection.steps) {
    if (step.value.size() > 1 && step.value[0] == '{' && step.value[1] == '"')
      continue;  // a record on the way to its field
    std::string number = std::to_string(++shown);
    s += std::string(4 - std::min<size_t>(3, number.size()), ' ') + number + "  " + step.text + "  " + colors_.Dim() +
         "→" + colors_.Reset() + " " + step.value + "\n";
  }
  const engine::ExprValue& value = inspection.value;
  if (value.known && value.value == "true") return s + "passes\n";
  Reason reason;
  reason.rule = r.code;
  reason.message = r.message;
  if (value.known) {
    reason.status = RuleStatus::kFail;
    reason.outcome = engine::OutcomeOf(reason.status, r.outcome, r.on_missing);
  } else {
    reason.status = RuleStatus::kUnknown;
    reason.outcome = engine::OutcomeOf(reason.status, r.outcome, r.on_missing);
    reason.missing = value.missing;
    reason.notes = value.notes;
  }
  return s + RenderReason(reason, colors_).substr(2);
}

std::string ReplSession::Rules() const {
  std::string error;
  int index = ItemIndex(&error);
  if (index < 0) return Error(error);
  const auto& rules = inspector_->program().items[index].decl->rules;
  size_t width = 0;
  for (const dsl::RuleDecl& r : rules) width = std::max(width, r.code.size());
  std::string s;
  for (const dsl::RuleDecl& r : rules) {
    s += "  " + r.code + std::string(width - r.code.size() + 2, ' ') +
         (r.outcome == dsl::Outcome::kReject ? "reject" : "review") + "  " + r.message + "\n";
  }
  return s;
}

std::string ReplSession::Reload() {
  LoadOptions load = options_.load;
  load.color_diagnostics = options_.color;
  std::unique_ptr<engine::Inspector> fresh;
  LoadResult r = engine::Inspector::Load(options_.pack_dir, load, &fresh);
  if (!fresh) {
    std::string why = r.io_error.empty() ? r.rendered : r.io_error + "\n";
    return why + Error("the pack does not compile; the previous pack is kept");
  }
  std::string s = r.rendered;  // warnings
  inspector_ = std::move(fresh);
  evaluator_ = std::make_unique<Evaluator>(inspector_->pack(), options_.licences);
  const PackIdentity& id = inspector_->pack()->identity();
  s += "reloaded pack " + id.name + " " + id.version + " " + id.hash + "\n";
  if (!item_.empty() && inspector_->pack()->impl().by_code.count(item_) == 0) {
    s += Error("the pack no longer has item " + item_);
    item_.clear();
  }
  return s;
}

std::string ReplSession::Graph(const std::string& rule) const {
  std::string error;
  int index = ItemIndex(&error);
  if (index < 0) return Error(error);
  const engine::CompiledPack& pack = inspector_->pack()->impl();
  const engine::CompiledItem& item = pack.items[index];
  if (!rule.empty()) {
    std::vector<std::string> codes;
    for (const auto& r : item.graph.rules) codes.push_back(r.code);
    if (std::find(codes.begin(), codes.end(), rule) == codes.end()) {
      return Error(item_ + " has no rule " + rule + dsl::DidYouMean(rule, codes));
    }
  }
  engine::PrintContext ctx;
  ctx.tables = &pack.tables;
  ctx.rule = rule;
  return "item " + item_ + ": " + std::to_string(item.nodes_lowered) + " nodes lowered, " +
         std::to_string(item.graph.nodes.size()) + " after optimization\n" + engine::GraphText(item.graph, ctx);
}

std::string ReplSession::Help() const {
  std::string s;
  for (const CommandInfo& c : kCommands) {
    std::string left = std::string(c.name) + (*c.args ? " " : "") + c.args;
    s += "  " + left + std::string(left.size() < 22 ? 22 - left.size() : 1, ' ') + c.help + "\n";
  }
  s += "Anything else is an expression in the current item's scope: applicant.birth_date + 18 years\n"
       "A line starting with { is JSON: the application (or {\"application\": …, \"context\": …}).\n"
       "Tab completes commands, items, rules, fields, tables and functions; history is kept in ~/.miaopi_history.\n";
  return s;
}

std::string ReplSession::Expression(const std::string& text) {
  std::string error;
  int index = ItemIndex(&error);
  if (index < 0) return Error(error);
  engine::Request request;
  request.date = Today();
  request.context = context_.IsObject() ? &context_ : nullptr;
  engine::Inspection r =
      inspector_->Evaluate(index, text, app_, request, options_.licences.get(), /*steps=*/false, options_.color);
  if (!r.ok) {
    ++errors_;
    return r.diagnostics;
  }
  std::string s = r.value.value + "  " + colors_.Dim() + ": " + r.type + colors_.Reset() + "\n";
  for (const std::string& m : r.value.missing) s += "  missing: " + m + "\n";
  for (const std::string& n : r.value.notes) s += "  note: " + n + "\n";
  return s;
}

}  // namespace miaopi::cli
