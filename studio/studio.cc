// The studio's routes. Light answers (the page, a file, a trial decision)
// come on the serving thread; compiling, tests, graphs, proofs, impact and
// publishing run on the studio's own thread, one at a time, with a bounded
// queue, so the page can never hold the decision service's threads.
#include "studio/studio.h"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "dsl/date.h"
#include "dsl/source.h"
#include "engine/graph/compiled_pack.h"
#include "engine/graph/graph_print.h"
#include "engine/testing/pack_tests.h"
#include "journal/diff.h"
#include "studio/assets.h"
#include "studio/graph_svg.h"
#include "studio/studio_json.h"
#include "verify/verify.h"

namespace miaopi::studio {

namespace {

using service::ErrorResponse;
using service::HttpRequest;
using service::HttpResponse;
using service::JsonString;

enum class Job : uint8_t { kNone, kInline, kWorker };

struct StudioRoute {
  std::string_view path;
  std::string_view method;
  Job job;
  bool api;      // needs X-Miaopi-Studio: 1 (the page's own requests)
  bool public_;  // answered without a token (the login page)
};

constexpr StudioRoute kStudioRoutes[] = {
    {"/studio", "GET", Job::kInline, false, false},
    {"/studio/", "GET", Job::kInline, false, false},
    {"/studio/login", "GET", Job::kInline, false, true},
    {"/studio/login", "POST", Job::kInline, false, true},
    {"/studio/api/state", "GET", Job::kInline, true, false},
    {"/studio/api/file", "GET", Job::kInline, true, false},
    {"/studio/api/file", "POST", Job::kWorker, true, false},
    {"/studio/api/delete", "POST", Job::kWorker, true, false},
    {"/studio/api/check", "POST", Job::kWorker, true, false},
    {"/studio/api/reset", "POST", Job::kWorker, true, false},
    {"/studio/api/decide", "POST", Job::kInline, true, false},
    {"/studio/api/cases", "GET", Job::kInline, true, false},
    {"/studio/api/cases", "POST", Job::kWorker, true, false},
    {"/studio/api/tests", "POST", Job::kWorker, true, false},
    {"/studio/api/graph", "GET", Job::kWorker, true, false},
    {"/studio/api/verify", "POST", Job::kWorker, true, false},
    {"/studio/api/impact", "POST", Job::kWorker, true, false},
    {"/studio/api/publish", "POST", Job::kWorker, true, false},
};
constexpr std::string_view kAssetPrefix = "/studio/assets/";
constexpr StudioRoute kAssetRoute = {kAssetPrefix, "GET", Job::kInline, false, false};
constexpr StudioRoute kLoginStyle = {"/studio/assets/studio.css", "GET", Job::kInline, false, true};
constexpr std::string_view kCookie = "miaopi_studio";

// The route for (path, method); `path_known` tells a 405 from a 404.
const StudioRoute* FindStudioRoute(std::string_view path, std::string_view method, bool* path_known) {
  *path_known = false;
  if (path.starts_with(kAssetPrefix)) {
    *path_known = true;
    if (method != "GET") return nullptr;
    return path == kLoginStyle.path ? &kLoginStyle : &kAssetRoute;
  }
  for (const StudioRoute& r : kStudioRoutes) {
    if (r.path != path) continue;
    *path_known = true;
    if (r.method == method) return &r;
  }
  return nullptr;
}

HttpResponse Json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.body += '\n';
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

HttpResponse Redirect(std::string location) {
  HttpResponse r;
  r.status = 303;
  r.content_type = "text/plain; charset=utf-8";
  r.body = "see " + location + "\n";
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

// The hostname of a Host header: "127.0.0.1:8080" → "127.0.0.1", "[::1]:80" → "::1".
std::string_view HostName(std::string_view host) {
  if (host.starts_with('[')) {
    size_t close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(1, close - 1);
  }
  return host.substr(0, host.find(':'));
}

bool IsLoopbackName(std::string_view name) {
  return name == "127.0.0.1" || name == "localhost" || name == "::1" ||
         (name.starts_with("127.") && name.find_first_not_of("0123456789.") == std::string_view::npos);
}

// The value of cookie `name` in a Cookie header.
std::string_view CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
  }
  return {};
}

std::string Param(const std::vector<std::pair<std::string, std::string>>& pairs, std::string_view name) {
  for (const auto& [k, v] : pairs) {
    if (k == name) return v;
  }
  return {};
}

class Studio : public service::Extension {
 public:
  Studio(service::Service& service, StudioOptions options, Scratch scratch)
      : service_(service), options_(std::move(options)), scratch_(std::move(scratch)) {
    Check();
    worker_ = std::thread([this] { Work(); });
  }

  ~Studio() override {
    std::deque<std::function<void()>> dropped;
    {
      std::lock_guard lock(jobs_mutex_);
      stopping_ = true;
      dropped.swap(jobs_);
    }
    jobs_ready_.notify_all();
    if (worker_.joinable()) worker_.join();
    // Jobs never started are answered, never lost silently.
    for (auto& job : dropped) job();
  }

  std::string_view prefix() const override { return "/studio"; }

  std::optional<HttpResponse> BeforeBody(const HttpRequest& head, std::optional<uint64_t> content_length) override {
    auto [path, query] = service::SplitTarget(head.target);
    bool path_known = false;
    const StudioRoute* route = FindStudioRoute(path, head.method, &path_known);
    if (route == nullptr) {
      if (!path_known) return ErrorResponse(404, "not_found", "no studio route " + std::string(path));
      return ErrorResponse(405, "method_not_allowed", std::string(path) + " does not take " + head.method);
    }
    if (!service_.has_tokens() && !IsLoopbackName(HostName(head.host))) {
      // Without tokens only loopback callers reach the server; a page from
      // elsewhere that rebinds its name to 127.0.0.1 still names itself.
      return ErrorResponse(403, "bad_host", "the studio answers only to a loopback Host (127.0.0.1, localhost, [::1])");
    }
    if (!head.origin.empty() && head.origin != "http://" + head.host && head.origin != "https://" + head.host) {
      return ErrorResponse(403, "cross_origin", "the studio answers only its own page");
    }
    if (route->api && head.studio_header != "1") {
      return ErrorResponse(403, "not_the_studio", "the studio's API answers only its page (X-Miaopi-Studio: 1)");
    }
    if (service_.has_tokens() && !route->public_) {
      std::optional<service::Caller> caller = Caller(head);
      if (!caller) {
        if (!route->api) return Redirect("/studio/login");
        HttpResponse r =
            ErrorResponse(401, "unauthorized", "the studio needs an admin token: sign in at /studio/login");
        r.headers.emplace_back("WWW-Authenticate", "Bearer");
        return r;
      }
      if (caller->role != service::Role::kAdmin) {
        return ErrorResponse(403, "forbidden", "the studio needs an admin token; this one may only decide");
      }
    }
    if (content_length && *content_length > options_.max_body) {
      HttpResponse r = ErrorResponse(413, "too_large",
                                     "the body has " + std::to_string(*content_length) + " bytes; the limit is " +
                                         std::to_string(options_.max_body));
      r.close = true;
      return r;
    }
    return std::nullopt;
  }

  void Handle(HttpRequest request, std::function<void(HttpResponse)> done) override {
    // The transport asked BeforeBody already; a chunked body is measured here.
    if (std::optional<HttpResponse> refused = BeforeBody(request, request.body.size())) return done(*refused);
    auto [path, query] = service::SplitTarget(request.target);
    bool path_known = false;
    const StudioRoute* route = FindStudioRoute(path, request.method, &path_known);
    std::optional<std::vector<std::pair<std::string, std::string>>> params = service::QueryPairs(query);
    if (!params) return done(ErrorResponse(400, "bad_query", "a query value is badly escaped"));
    if (route->job == Job::kInline) return done(Answer(path, request, *params));
    std::unique_lock lock(jobs_mutex_);
    if (stopping_ || jobs_.size() >= options_.max_queued) {
      lock.unlock();
      HttpResponse r = ErrorResponse(503, "busy", "the studio is busy with earlier work; try again shortly");
      r.headers.emplace_back("Retry-After", "2");
      return done(std::move(r));
    }
    jobs_.push_back([this, path = std::string(path), request = std::move(request), params = std::move(*params),
                     done = std::move(done)] {
      if (stopping_) return done(ErrorResponse(503, "stopping", "the server is stopping"));
      done(Answer(path, request, params));
    });
    jobs_ready_.notify_one();
  }

 private:
  using Params = std::vector<std::pair<std::string, std::string>>;

  std::optional<service::Caller> Caller(const HttpRequest& head) const {
    if (!head.authorization.empty()) return service_.CheckToken(head.authorization);
    std::string_view token = CookieValue(head.cookie, kCookie);
    if (token.empty()) return std::nullopt;
    return service_.CheckToken("Bearer " + std::string(token));
  }

  void Work() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(jobs_mutex_);
        jobs_ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (stopping_) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  HttpResponse Answer(std::string_view path, const HttpRequest& request, const Params& params) {
    try {
      return Route(path, request, params);
    } catch (const std::exception& e) {
      // A bug of ours must not take the server down; the page shows it.
      spdlog::error("studio: {} failed: {}", path, e.what());
      return ErrorResponse(500, "studio_failed", e.what());
    }
  }

  HttpResponse Route(std::string_view path, const HttpRequest& request, const Params& params) {
    if (path == "/studio") return Redirect("/studio/");
    if (path == "/studio/") return Asset("index.html");
    if (path.starts_with(kAssetPrefix)) return Asset(path.substr(kAssetPrefix.size()));
    if (path == "/studio/login") return Login(request);
    if (path == "/studio/api/state") return State();
    if (path == "/studio/api/file") return request.method == "GET" ? ReadFile(params) : WriteFile(params, request.body);
    if (path == "/studio/api/delete") return DeleteFile(params);
    if (path == "/studio/api/check") return Json(200, Check());
    if (path == "/studio/api/reset") return Reset();
    if (path == "/studio/api/decide") return Decide(params, request.body);
    if (path == "/studio/api/cases") return request.method == "GET" ? Cases() : AddCase(request.body);
    if (path == "/studio/api/tests") return Tests();
    if (path == "/studio/api/graph") return Graph(params);
    if (path == "/studio/api/verify") return Verify(params);
    if (path == "/studio/api/impact") return Impact(params);
    if (path == "/studio/api/publish") return Publish(params);
    return ErrorResponse(404, "not_found", "no studio route " + std::string(path));
  }

  HttpResponse Asset(std::string_view name) {
    std::optional<AssetFile> file = FindAsset(name);
    if (!file) return ErrorResponse(404, "not_found", "no studio file " + std::string(name));
    HttpResponse r;
    r.content_type = std::string(file->content_type);
    r.body = std::string(file->body);
    r.headers.emplace_back("Cache-Control", "no-cache");
    // The page runs only its own scripts and styles; nothing from elsewhere.
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                           "frame-src 'self' about: data:; frame-ancestors 'none'");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return r;
  }

  HttpResponse Login(const HttpRequest& request) {
    if (!service_.has_tokens()) return Redirect("/studio/");
    if (request.method == "GET") {
      HttpResponse page = Asset("login.html");
      if (request.target.find("failed=1") != std::string::npos) {
        size_t at = page.body.find("<!--failed-->");
        if (at != std::string::npos) {
          page.body.replace(at, 13,
                            "<p class=\"message bad\">That is not an admin token of this server. 不是管理员令牌。</p>");
        }
      }
      return page;
    }
    // token=… from the form.
    std::optional<Params> form = service::QueryPairs(request.body);
    std::string token = form ? Param(*form, "token") : "";
    std::optional<service::Caller> caller = service_.CheckToken("Bearer " + token);
    if (!caller || caller->role != service::Role::kAdmin) {
      HttpResponse r = Redirect("/studio/login?failed=1");
      return r;
    }
    spdlog::info("studio: {} signed in", caller->name);
    HttpResponse r = Redirect("/studio/");
    r.headers.emplace_back("Set-Cookie",
                           std::string(kCookie) + "=" + token + "; Path=/studio; HttpOnly; SameSite=Strict");
    return r;
  }

  // Compiles the scratch folder; keeps the pack when it has no errors.
  std::string Check() {
    LoadResult loaded = LoadPack(scratch_.dir(), options_.load);
    std::string json = CheckJson(loaded);
    std::shared_ptr<LicenceStore> licences = service_.licences();
    std::string licence_problem;
    if (!licences) licences = ScratchLicences(&licence_problem);
    std::lock_guard lock(state_mutex_);
    if (loaded.ok()) pack_ = loaded.pack;
    licences_ = licences;
    check_json_ = json;
    if (!licence_problem.empty()) spdlog::warn("studio: tests/licences.jsonl: {}", licence_problem);
    return json;
  }

  // The scratch pack's tests/licences.jsonl as a store in memory, if any.
  std::shared_ptr<LicenceStore> ScratchLicences(std::string* problem) {
    std::string error;
    std::optional<std::string> text = scratch_.Read("tests/licences.jsonl", &error);
    if (!text) return nullptr;
    std::vector<std::string> records;
    std::istringstream in(*text);
    for (std::string line; std::getline(in, line);) {
      if (line.find_first_not_of(" \t\r") != std::string::npos) records.push_back(line);
    }
    std::shared_ptr<LicenceStore> store = MemoryLicences(records, problem);
    return store;
  }

  std::pair<std::shared_ptr<const Pack>, std::shared_ptr<LicenceStore>> Current() {
    std::lock_guard lock(state_mutex_);
    return {pack_, licences_};
  }

  HttpResponse NoPack() {
    return ErrorResponse(409, "pack_has_errors", "the edited pack has never compiled without errors; fix them first");
  }

  HttpResponse State() {
    std::string check;
    {
      std::lock_guard lock(state_mutex_);
      check = check_json_;
    }
    std::shared_ptr<const Pack> in_service = service_.pack();  // held: a reload may swap it meanwhile
    const PackIdentity& id = in_service->identity();
    std::string files = "[";
    for (const ScratchFile& f : scratch_.List()) {
      files += (files.size() > 1 ? "," : "") + std::string("{\"path\":") + JsonString(f.path) +
               ",\"bytes\":" + std::to_string(f.bytes) + "}";
    }
    files += "]";
    return Json(200, "{\"service\":{\"name\":" + JsonString(id.name) + ",\"version\":" + JsonString(id.version) +
                         ",\"hash\":" + JsonString(id.hash) + "},\"scratch\":" + JsonString(scratch_.dir()) +
                         ",\"files\":" + files + ",\"impact_inputs\":[\"cases\"" +
                         (options_.samples.empty() ? "" : ",\"samples\"") +
                         (options_.journal_dir.empty() ? "" : ",\"journal\"") +
                         "],\"today\":" + JsonString(TodayUtc()) + ",\"check\":" + check + "}");
  }

  static HttpResponse FileError(ScratchFailure why, const std::string& error) {
    switch (why) {
      case ScratchFailure::kBadPath: return ErrorResponse(400, "bad_path", error);
      case ScratchFailure::kNotFound: return ErrorResponse(404, "no_such_file", error);
      case ScratchFailure::kExists: return ErrorResponse(409, "file_exists", error);
      case ScratchFailure::kFull: return ErrorResponse(413, "scratch_full", error);
      default: return ErrorResponse(500, "file_failed", error);
    }
  }

  // The text of a file, and whether the editor may change it: a file that
  // is not UTF-8 (a table saved as GBK) would be rewritten by the browser.
  HttpResponse ReadFile(const Params& params) {
    std::string error;
    ScratchFailure why = ScratchFailure::kNone;
    std::string path = Param(params, "path");
    std::optional<std::string> text = scratch_.Read(path, &error, &why);
    if (!text) return FileError(why, error);
    bool utf8 = dsl::ValidUtf8(*text);
    return Json(200, "{\"path\":" + JsonString(path) + ",\"text\":" + JsonString(utf8 ? *text : std::string()) +
                         ",\"editable\":" + (utf8 ? "true" : "false") + "}");
  }

  HttpResponse WriteFile(const Params& params, const std::string& body) {
    std::string error;
    ScratchFailure why = ScratchFailure::kNone;
    std::string path = Param(params, "path");
    WriteMode mode = Param(params, "create") == "true"    ? WriteMode::kCreateOnly
                     : Param(params, "replace") == "true" ? WriteMode::kReplaceOnly
                                                          : WriteMode::kCreateOrReplace;
    if (!scratch_.Write(path, body, &error, &why, mode)) return FileError(why, error);
    return Json(200, "{\"saved\":" + JsonString(path) + ",\"check\":" + Check() + "}");
  }

  HttpResponse DeleteFile(const Params& params) {
    std::string error;
    ScratchFailure why = ScratchFailure::kNone;
    std::string path = Param(params, "path");
    if (!scratch_.Remove(path, &error, &why)) return FileError(why, error);
    return Json(200, "{\"deleted\":" + JsonString(path) + ",\"check\":" + Check() + "}");
  }

  HttpResponse Reset() {
    std::string error;
    std::string base = service_.pack()->identity().hash;
    if (!scratch_.Reset(&error)) return ErrorResponse(500, "reset_failed", error);
    scratch_.SetBaseHash(base);
    spdlog::info("studio: the scratch folder is a fresh copy of the pack");
    return Json(200, "{\"reset\":true,\"check\":" + Check() + "}");
  }

  // The date and item of a query: the date defaults to today.
  std::optional<HttpResponse> DateAndItem(const Params& params, std::string* date, std::string* item) {
    *date = Param(params, "date");
    *item = Param(params, "item");
    if (date->empty()) *date = TodayUtc();
    if (!dsl::ParseIsoDate(*date)) return ErrorResponse(400, "bad_query", "date is not a day YYYY-MM-DD");
    return std::nullopt;
  }

  HttpResponse Decide(const Params& params, const std::string& body) {
    auto [pack, licences] = Current();
    if (!pack) return NoPack();
    DecideOptions decide;
    if (auto bad = DateAndItem(params, &decide.date, &decide.item)) return *bad;
    decide.explain = true;
    decide.remedies = true;
    decide.notice = true;
    Evaluator evaluator(pack, licences);
    Record record = evaluator.Decide(body, decide);
    return Json(200, ToJson(record));
  }

  // The cases of the scratch pack's tests/*.json.
  std::vector<CaseSample> ScratchCases() const {
    std::vector<CaseSample> cases;
    for (const ScratchFile& f : scratch_.List()) {
      if (!f.path.starts_with("tests/") || !f.path.ends_with(".json")) continue;
      std::string error;
      if (std::optional<std::string> text = scratch_.Read(f.path, &error)) AppendCases(f.path, *text, &cases);
    }
    return cases;
  }

  HttpResponse Cases() { return Json(200, CasesJson(ScratchCases())); }

  HttpResponse AddCase(const std::string& body) {
    auto [pack, licences] = Current();
    if (!pack) return NoPack();
    rapidjson::Document doc;
    std::string parse_error;
    if (!ParseUserJson(body, &doc, &parse_error) || !doc.IsObject() || !doc.HasMember("application") ||
        !doc["application"].IsObject() || !doc.HasMember("name") || !doc["name"].IsString() ||
        doc["name"].GetStringLength() == 0) {
      return ErrorResponse(400, "bad_case",
                           "send {\"name\", \"application\": {…}, \"date\"?, \"item\"?, \"context\"?}");
    }
    auto member = [&](const char* name) -> std::string {
      return doc.HasMember(name) && doc[name].IsString() ? doc[name].GetString() : "";
    };
    DecideOptions decide;
    decide.date = member("date");
    decide.item = member("item");
    if (decide.date.empty()) decide.date = TodayUtc();
    if (!dsl::ParseIsoDate(decide.date)) return ErrorResponse(400, "bad_case", "date is not a day YYYY-MM-DD");
    std::string application = JsonText(doc["application"]);
    std::string context;
    if (doc.HasMember("context") && doc["context"].IsObject()) context = JsonText(doc["context"]);
    decide.context = context;
    Evaluator evaluator(pack, licences);
    Record record = evaluator.Decide(application, decide);
    std::string case_json = CaseFromRecord(member("name"), application, decide.date, decide.item, context, record);
    constexpr std::string_view kFile = "tests/studio_cases.json";
    std::string error;
    ScratchFailure why = ScratchFailure::kNone;
    std::optional<std::string> old = scratch_.Read(kFile, &error, &why);
    if (!old && why != ScratchFailure::kNotFound) return FileError(why, error);  // never write over what we cannot read
    std::optional<std::string> updated = AppendCase(old ? *old : "", case_json, &error);
    if (!updated) return ErrorResponse(409, "bad_cases_file", std::string(kFile) + ": " + error);
    if (!scratch_.Write(kFile, *updated, &error, &why)) return FileError(why, error);
    return Json(200, "{\"file\":" + JsonString(kFile) + ",\"case\":" + case_json + "}");
  }

  HttpResponse Tests() {
    auto [pack, licences] = Current();
    if (!pack) return NoPack();
    TestOptions test;
    test.licences = service_.licences();  // else the scratch pack's tests/licences.jsonl
    return Json(200, TestReportJson(RunPackTests(pack, scratch_.dir(), test)));
  }

  HttpResponse Graph(const Params& params) {
    auto [pack, licences] = Current();
    if (!pack) return NoPack();
    std::string date, item;
    if (auto bad = DateAndItem(params, &date, &item)) return *bad;
    const engine::CompiledPack& p = pack->impl();
    engine::ItemLookup found = p.Find(item, *dsl::ParseIsoDate(date));
    if (found.result == engine::ItemLookup::Result::kUnknownItem) {
      return ErrorResponse(404, "unknown_item", "the pack has no item '" + item + "'");
    }
    size_t index =
        found.result == engine::ItemLookup::Result::kFound ? found.index : p.by_code.find(item)->second.back();
    const engine::CompiledItem& compiled = p.items[index];
    engine::PrintContext ctx;
    ctx.tables = &p.tables;
    ctx.highlight = Param(params, "rule");
    if (Param(params, "only") == "true") ctx.rule = ctx.highlight;  // the rule's nodes alone
    // What would be drawn, counted before Graphviz sees it: the layout of a
    // few thousand nodes takes minutes.
    size_t drawn = compiled.graph.nodes.size();
    std::string dot;
    if (!ctx.rule.empty() || drawn <= options_.max_graph_nodes) {
      ctx.title = compiled.version->decl->code + " effective " + dsl::FormatIsoDate(compiled.version->effective) +
                  ": " + std::to_string(compiled.graph.nodes.size()) + " nodes";
      dot = engine::GraphDot(compiled.graph, ctx);
      drawn = 0;
      for (size_t at = dot.find(" [label="); at != std::string::npos; at = dot.find(" [label=", at + 1)) ++drawn;
    }
    if (drawn > options_.max_graph_nodes) {
      return ErrorResponse(422, "too_large_to_draw",
                           "the graph has " + std::to_string(drawn) + " nodes; the studio draws " +
                               std::to_string(options_.max_graph_nodes) +
                               " at most: pick a rule and draw its nodes alone (miaopi graph prints any)");
    }
    std::string error;
    std::optional<std::string> svg = RenderSvg(dot, &error);
    if (!svg) return ErrorResponse(500, "graphviz_failed", error);
    HttpResponse r;
    r.content_type = "image/svg+xml";
    r.body = std::move(*svg);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  }

  HttpResponse Verify(const Params& params) {
    auto [pack, licences] = Current();
    if (!pack) return NoPack();
    verify::VerifyOptions verify;
    verify.item = Param(params, "item");
    verify.property = Param(params, "property");
    verify.timeout_ms = options_.verify_timeout_ms;
    verify.threads = 1;
    return Json(200, VerifyJson(verify::VerifyProperties(pack, verify)));
  }

  HttpResponse Impact(const Params& params) {
    auto [pack, licences] = Current();
    if (!pack) return NoPack();
    std::string input = Param(params, "input"), date, item;
    if (auto bad = DateAndItem(params, &date, &item)) return *bad;
    journal::DiffOptions diff;
    diff.date = date;
    diff.licences = licences;
    diff.threads = 1;
    std::string temporary;
    struct RemoveAtEnd {
      std::string* path;
      ~RemoveAtEnd() {
        if (!path->empty()) ::unlink(path->c_str());
      }
    } remove_at_end{&temporary};
    if (input == "samples" && !options_.samples.empty()) {
      diff.input = options_.samples;
    } else if (input == "journal" && !options_.journal_dir.empty()) {
      diff.input = options_.journal_dir;
    } else if (input == "cases" || input.empty()) {
      // The pack's own cases, one envelope per line, in a file only we can
      // read (they hold applicants' data), made new (never through a link).
      std::string name = (std::filesystem::temp_directory_path() / "miaopi-studio-cases-XXXXXX").string();
      int fd = ::mkstemp(name.data());
      if (fd < 0) return ErrorResponse(500, "impact_failed", "cannot make a temporary file");
      ::close(fd);
      temporary = name;
      std::ofstream out(temporary, std::ios::trunc);
      for (const CaseSample& c : ScratchCases()) {
        out << "{\"application\":" << c.application;
        if (!c.context.empty()) out << ",\"context\":" << c.context;
        out << "}\n";
      }
      diff.input = temporary;
    } else {
      return ErrorResponse(400, "bad_query",
                           "input is cases, samples (with --studio-samples) or journal (with --journal)");
    }
    journal::DiffReport report = journal::RunDiff(service_.pack(), pack, diff);
    if (!report.error.empty()) return ErrorResponse(500, "impact_failed", report.error);
    return Json(
        200, "{\"report\":" + journal::DiffJson(report) + ",\"html\":" + JsonString(journal::DiffHtml(report)) + "}");
  }

  // `force`: publish even when the pack in service changed since the
  // scratch folder was copied (those changes are then overwritten).
  HttpResponse Publish(const Params& params) {
    std::string base = scratch_.BaseHash(), in_service = service_.pack()->identity().hash;
    if (!base.empty() && base != in_service && Param(params, "force") != "true") {
      return ErrorResponse(409, "pack_changed",
                           "the pack in service changed since the edits began (" + base.substr(0, 19) + " → " +
                               in_service.substr(0, 19) +
                               "); publishing would undo that change — publish with "
                               "force=true to overwrite it, or Reset and edit again");
    }
    LoadResult loaded = LoadPack(scratch_.dir(), options_.load);
    if (!loaded.ok()) {
      spdlog::warn("studio: publish refused, the edited pack has errors");
      return Json(422,
                  "{\"error\":\"pack_has_errors\",\"message\":\"the edited pack has errors; nothing was "
                  "published\",\"check\":" +
                      CheckJson(loaded) + "}");
    }
    std::string error;
    if (!scratch_.PublishTo(&error)) {
      spdlog::error("studio: publish failed: {}", error);
      return ErrorResponse(500, "publish_failed", error);
    }
    const std::string& published = loaded.pack->identity().hash;
    spdlog::info("studio: published {} to {}", published, options_.pack_dir);
    HttpResponse reloaded = service_.Reload("studio publish");
    reloaded.headers.emplace_back("Cache-Control", "no-store");
    if (reloaded.status != 200) return reloaded;
    std::string now = service_.pack()->identity().hash;
    scratch_.SetBaseHash(now);
    if (now != published) {
      // Someone changed the pack folder between the write and the reload.
      spdlog::error("studio: the pack folder compiled to {} after publishing {}", now, published);
      return ErrorResponse(
          500, "publish_mismatch",
          "the pack folder changed while publishing: now serving " + now + ", not the edited " + published);
    }
    return reloaded;
  }

  service::Service& service_;
  const StudioOptions options_;
  Scratch scratch_;
  std::mutex state_mutex_;
  std::shared_ptr<const Pack> pack_;  // the scratch pack's last compile without errors
  std::shared_ptr<LicenceStore> licences_;
  std::string check_json_;
  std::mutex jobs_mutex_;
  std::condition_variable jobs_ready_;
  std::deque<std::function<void()>> jobs_;
  std::atomic<bool> stopping_{false};
  std::thread worker_;
};

}  // namespace

std::unique_ptr<service::Extension> MakeStudio(service::Service& service, const StudioOptions& options,
                                               std::string* error) {
  // The studio must be able to hold every file the pack is compiled from, or
  // a publish would leave some behind.
  std::shared_ptr<const Pack> pack = service.pack();
  for (const auto& [path, text] : pack->files()) {
    if (std::string bad = CheckStudioPath(path); !bad.empty()) {
      *error = "the studio cannot edit this pack: its file '" + path + "' cannot be held in the scratch folder (" +
               bad + ")";
      return nullptr;
    }
  }
  if (!options.samples.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(options.samples, ec) || ::access(options.samples.c_str(), R_OK) != 0) {
      *error = "--studio-samples " + options.samples + ": not a readable file";
      return nullptr;
    }
  }
  std::optional<Scratch> scratch = Scratch::Open(options.pack_dir, options.scratch_dir, options.limits, error);
  if (!scratch) return nullptr;
  if (scratch->BaseHash().empty()) scratch->SetBaseHash(pack->identity().hash);
  spdlog::info("studio: at /studio/, editing a copy of {} in {}", options.pack_dir, scratch->dir());
  return std::make_unique<Studio>(service, options, std::move(*scratch));
}

}  // namespace miaopi::studio
