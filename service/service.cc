#include "service/service.h"

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <sstream>

#include "dsl/date.h"
#include "engine/api/batch.h"
#include "engine/graph/value_format.h"
#include "journal/licence_capture.h"
#include "journal/recorder.h"

namespace miaopi::service {

std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target) {
  size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

std::string JsonString(std::string_view s) {
  std::string out;
  engine::AppendJsonQuoted(s, &out);
  return out;
}

namespace {

// Counts the licence library's failures for /metrics; answers as the store does.
class CountingStore : public LicenceStore {
 public:
  CountingStore(std::shared_ptr<LicenceStore> inner, Metrics& metrics) : inner_(std::move(inner)), metrics_(metrics) {}
  bool Find(std::string_view type, std::string_view key, std::vector<LicenceRecord>* out) override {
    bool ok = inner_->Find(type, key, out);
    if (!ok) metrics_.LicenceStoreError();
    return ok;
  }

 private:
  std::shared_ptr<LicenceStore> inner_;
  Metrics& metrics_;
};

struct RouteInfo {
  std::string_view path;
  std::string_view method;
  Route route;
  bool needs_token;  // when the service has tokens
  bool admin;
};

constexpr RouteInfo kRoutes[] = {
    {"/v1/decide", "POST", Route::kDecide, true, false}, {"/v1/batch", "POST", Route::kBatch, true, false},
    {"/v1/pack", "GET", Route::kPack, true, false},      {"/v1/admin/reload", "POST", Route::kReload, true, true},
    {"/healthz", "GET", Route::kHealth, false, false},   {"/readyz", "GET", Route::kReady, false, false},
    {"/metrics", "GET", Route::kMetrics, false, false},
};
// POST /v1/decisions/{seq}/review: a person's review (decide or admin token).
constexpr RouteInfo kReviewRoute = {"/v1/decisions/{seq}/review", "POST", Route::kReview, true, false};

// The {seq} of a review path, or nullopt.
std::optional<uint64_t> ReviewSeq(std::string_view path) {
  constexpr std::string_view kPrefix = "/v1/decisions/", kSuffix = "/review";
  if (!path.starts_with(kPrefix) || !path.ends_with(kSuffix)) return std::nullopt;
  std::string_view digits = path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size());
  if (digits.empty() || digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  return std::stoull(std::string(digits));
}

const RouteInfo* FindRoute(std::string_view path) {
  for (const RouteInfo& r : kRoutes) {
    if (r.path == path) return &r;
  }
  if (ReviewSeq(path)) return &kReviewRoute;
  return nullptr;
}

// %XX and + in a query value.
std::optional<std::string> Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
        return {};
      }
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

HttpResponse Json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace

std::optional<std::vector<std::pair<std::string, std::string>>> QueryPairs(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::optional<std::string> name = Unescape(pair.substr(0, eq));
    std::optional<std::string> value = Unescape(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (!name || !value) return std::nullopt;
    pairs.emplace_back(std::move(*name), std::move(*value));
  }
  return pairs;
}

HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message) {
  HttpResponse r;
  r.status = status;
  r.body = "{\"error\":" + JsonString(code) + ",\"message\":" + JsonString(message) + "}\n";
  return r;
}

std::unique_ptr<Service> Service::Create(const ServeOptions& options, std::string* error) {
  std::unique_ptr<Service> s(new Service(options));
  if (!options.tokens_file.empty()) {
    s->tokens_ = LoadTokens(options.tokens_file, error);
    if (!s->tokens_) return nullptr;
  }
  if (!options.licences_db.empty()) {
    std::shared_ptr<LicenceStore> store = OpenSqliteLicences(options.licences_db, error);
    if (!store) return nullptr;
    s->licences_ = std::make_shared<CountingStore>(std::move(store), s->metrics_);
  }
  if (!options.journal.dir.empty()) {
    s->journal_ = journal::Journal::Open(options.journal, error);
    if (!s->journal_) {
      *error = "cannot open the journal: " + *error;
      return nullptr;
    }
    // Each decision keeps the licence answers it used, for replay.
    if (s->licences_) s->licences_ = std::make_shared<journal::RecordingLicences>(s->licences_);
  }
  LoadResult loaded = LoadPack(options.pack_dir, options.load);
  if (!loaded.ok()) {
    *error = loaded.io_error.empty() ? "the pack has errors:\n" + loaded.rendered : loaded.io_error;
    return nullptr;
  }
  if (s->journal_ && !s->journal_->Archive(*loaded.pack, error)) {
    *error = "cannot archive the pack in the journal: " + *error;
    return nullptr;
  }
  s->metrics_.PackLoaded(loaded.pack->identity());
  s->engine_ = std::make_unique<Engine>(loaded.pack, s->licences_);
  s->worker_ = std::thread([raw = s.get()] {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(raw->tasks_mutex_);
        raw->tasks_ready_.wait(lock, [raw] { return raw->stopping_ || !raw->tasks_.empty(); });
        if (raw->tasks_.empty()) return;
        task = std::move(raw->tasks_.front());
        raw->tasks_.pop_front();
      }
      task();
    }
  });
  if (options.extension) {
    s->extension_ = options.extension(*s, error);
    if (!s->extension_) return nullptr;
  }
  return s;
}

Service::~Service() { StopWorker(); }

bool Service::IsExtensionPath(std::string_view target) const {
  if (!extension_) return false;
  std::string_view prefix = extension_->prefix();
  return target.starts_with(prefix) &&
         (target.size() == prefix.size() || target[prefix.size()] == '/' || target[prefix.size()] == '?');
}

void Service::StopWorker() {
  // The extension's thread first: its work may still ask the service, and
  // answers what it was asking while the transport lives.
  extension_.reset();
  {
    std::lock_guard lock(tasks_mutex_);
    stopping_ = true;
    tasks_.clear();
  }
  tasks_ready_.notify_all();
  if (worker_.joinable()) worker_.join();
}

std::optional<HttpResponse> Service::BeforeBody(const HttpRequest& head, std::optional<uint64_t> content_length) {
  std::optional<HttpResponse> answer = Refuse(head, content_length);
  if (answer) {
    const RouteInfo* route = FindRoute(SplitTarget(head.target).first);
    metrics_.RequestDone(route ? route->route : Route::kOther, answer->status, 0);
  }
  return answer;
}

std::optional<HttpResponse> Service::Refuse(const HttpRequest& head, std::optional<uint64_t> content_length) {
  if (IsExtensionPath(head.target)) return extension_->BeforeBody(head, content_length);
  auto [path, query] = SplitTarget(head.target);
  const RouteInfo* route = FindRoute(path);
  if (route == nullptr) return ErrorResponse(404, "not_found", "no route " + std::string(path));
  if (head.method != route->method) {
    HttpResponse r =
        ErrorResponse(405, "method_not_allowed", std::string(path) + " takes " + std::string(route->method));
    r.headers.emplace_back("Allow", std::string(route->method));
    return r;
  }
  if (tokens_ && route->needs_token) {
    std::optional<Caller> caller = tokens_->Check(head.authorization);
    if (!caller) {
      HttpResponse r = ErrorResponse(401, "unauthorized", "send Authorization: Bearer TOKEN");
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return r;
    }
    if (route->admin && caller->role != Role::kAdmin) {
      return ErrorResponse(403, "forbidden", "this token may decide but not administer");
    }
  }
  size_t limit = route->route == Route::kBatch ? options_.max_batch_body : options_.max_body;
  if (content_length && *content_length > limit) {
    HttpResponse r = ErrorResponse(
        413, "too_large",
        "the body has " + std::to_string(*content_length) + " bytes; the limit is " + std::to_string(limit));
    r.close = true;
    return r;
  }
  return std::nullopt;
}

std::optional<HttpResponse> Service::ParseQuery(std::string_view query, DecideOptions* decide) const {
  bool seen_date = false, seen_explain = false, seen_item = false, seen_remedies = false, seen_notice = false;
  std::optional<std::vector<std::pair<std::string, std::string>>> pairs = QueryPairs(query);
  if (!pairs) return ErrorResponse(400, "bad_query", "a query option is badly escaped");
  for (const auto& [name, text] : *pairs) {
    const std::string* value = &text;
    bool* seen = name == "date"       ? &seen_date
                 : name == "explain"  ? &seen_explain
                 : name == "item"     ? &seen_item
                 : name == "remedies" ? &seen_remedies
                 : name == "notice"   ? &seen_notice
                                      : nullptr;
    if (seen != nullptr && *seen) return ErrorResponse(400, "bad_query", std::string(name) + " is given twice");
    if (seen != nullptr) *seen = true;
    if (name == "date") {
      if (!dsl::ParseIsoDate(*value)) return ErrorResponse(400, "bad_query", "date is not a day YYYY-MM-DD");
      decide->date = *value;
    } else if (name == "explain") {
      if (*value != "true" && *value != "false") return ErrorResponse(400, "bad_query", "explain is true or false");
      decide->explain = *value == "true";
    } else if (name == "remedies" || name == "notice") {
      if (*value != "true" && *value != "false") {
        return ErrorResponse(400, "bad_query", std::string(name) + " is true or false");
      }
      (name == "remedies" ? decide->remedies : decide->notice) = *value == "true";
    } else if (name == "item") {
      if (value->empty()) return ErrorResponse(400, "bad_query", "item is empty");
      decide->item = *value;
    } else {
      return ErrorResponse(400, "bad_query",
                           "unknown query option '" + std::string(name) + "' (date, explain, item, remedies, notice)");
    }
  }
  if (decide->date.empty()) decide->date = TodayUtc();
  return std::nullopt;
}

void Service::Handle(HttpRequest request, std::function<void(HttpResponse)> done) {
  if (IsExtensionPath(request.target)) {
    auto started = std::chrono::steady_clock::now();
    return extension_->Handle(std::move(request), [this, started, done = std::move(done)](HttpResponse r) {
      metrics_.RequestDone(Route::kOther, r.status,
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      done(std::move(r));
    });
  }
  auto [path, query] = SplitTarget(request.target);
  const RouteInfo* route = FindRoute(path);
  if (route == nullptr) return done(ErrorResponse(404, "not_found", "no route " + std::string(path)));
  auto started = std::chrono::steady_clock::now();
  auto finish = [this, route, started](HttpResponse r) {
    metrics_.RequestDone(route->route, r.status,
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return r;
  };
  switch (route->route) {
    case Route::kDecide: {
      metrics_.InFlight(1);
      journal::Entry entry;
      HttpResponse r = Decide(request, query, journal_ ? &entry : nullptr);
      if (!journal_ || (r.status != 200 && r.status != 422)) {
        metrics_.InFlight(-1);
        return done(finish(std::move(r)));
      }
      // Answered only once the journal holds it (group commit: the writer
      // thread commits the requests waiting together, with one fsync).
      journal_->Submit(std::move(entry), [this, r = std::move(r), done = std::move(done), finish](
                                             const journal::Entry* written, const std::string& error) mutable {
        metrics_.InFlight(-1);
        if (written == nullptr) {
          metrics_.JournalFailed(1);
          if (!journal_failure_logged_.exchange(true)) {
            spdlog::error("the journal cannot keep decisions; answering 503 until it can: {}", error);
          }
          HttpResponse refused = ErrorResponse(503, "journal_unavailable",
                                               "the decision could not be kept in the journal, so it is not given");
          refused.headers.emplace_back("Retry-After", "5");
          return done(finish(std::move(refused)));
        }
        if (journal_failure_logged_.exchange(false)) spdlog::info("the journal keeps decisions again");
        metrics_.JournalWritten(1);
        r.headers.emplace_back("X-Miaopi-Seq", std::to_string(written->seq));
        done(finish(std::move(r)));
      });
      return;
    }
    case Route::kBatch: {
      metrics_.InFlight(1);
      HttpResponse r = Batch(request, query);
      metrics_.InFlight(-1);
      return done(finish(std::move(r)));
    }
    case Route::kPack: return done(finish(PackInfo()));
    case Route::kHealth: return done(finish(Json(200, "{\"status\":\"alive\"}\n")));
    case Route::kReady:
      if (draining_) return done(finish(ErrorResponse(503, "draining", "the server is shutting down")));
      if (journal_ && !journal_->healthy()) {
        return done(finish(ErrorResponse(503, "journal_unavailable", "the journal cannot keep decisions")));
      }
      return done(finish(Json(200, "{\"status\":\"ready\"}\n")));
    case Route::kMetrics: {
      HttpResponse r = Json(200, metrics_.Text());
      r.content_type = "text/plain; version=0.0.4; charset=utf-8";
      return done(finish(std::move(r)));
    }
    case Route::kReload: {
      std::lock_guard lock(tasks_mutex_);
      tasks_.push_back([this, done = std::move(done), finish] { done(finish(Reload("POST /v1/admin/reload"))); });
      tasks_ready_.notify_one();
      return;
    }
    case Route::kReview: return Review(request, path, std::move(done), finish);
    case Route::kOther: break;
  }
  done(ErrorResponse(404, "not_found", "no route"));
}

namespace {

// The value of the first string member `key` of a record as the record
// writer puts it ("item" of a decision, "code" of an error record): a quote
// inside a JSON string is escaped, so the first match is the member.
std::string_view RecordField(std::string_view record, std::string_view key) {
  size_t at = record.find(key);
  if (at == std::string_view::npos) return {};
  at += key.size();
  size_t end = record.find('"', at);
  return end == std::string_view::npos ? std::string_view{} : record.substr(at, end - at);
}

}  // namespace

size_t Service::JournalMaxBytes() const {
  size_t limit = options_.load.limits.max_application_bytes;
  return limit == Limits{}.max_application_bytes ? 0 : limit;
}

std::string Service::CallerName(const std::string& authorization) const {
  if (!tokens_) return "local";  // no tokens: loopback callers only
  std::optional<Caller> caller = tokens_->Check(authorization);
  return caller ? caller->name : "unknown";
}

HttpResponse Service::Decide(const HttpRequest& request, std::string_view query, journal::Entry* entry) {
  DecideOptions decide;
  if (std::optional<HttpResponse> bad = ParseQuery(query, &decide)) return *bad;
  HttpResponse r;
  std::string hash;
  r.body.reserve(512);
  if (entry != nullptr) journal::BeginCapture();
  std::optional<Outcome> outcome = engine_->DecideToJson(request.body, decide, &r.body, &hash);
  if (entry != nullptr) {
    *entry = journal::DecisionEntry(CallerName(request.authorization), hash, decide, 0, request.body,
                                    journal::EndCapture(), r.body, JournalMaxBytes());
  }
  r.body += '\n';
  r.headers.emplace_back("X-Miaopi-Pack", std::move(hash));
  std::string_view what;
  if (outcome) {
    what = RecordField(r.body, "\"item\":\"");
    metrics_.Decision(what, *outcome);
  } else {
    r.status = 422;
    what = RecordField(r.body, "\"error\":{\"code\":\"");
    metrics_.ErrorRecord(what);
  }
  // Who asked, at --log-level debug only: a line per decision is too many
  // for the default log (the journal keeps every decision with its caller).
  // Never the application's content.
  if (spdlog::should_log(spdlog::level::debug)) {
    std::optional<Caller> caller = tokens_ ? tokens_->Check(request.authorization) : std::nullopt;
    spdlog::debug("decide for {}: {} {}", caller ? caller->name : "(no tokens)", what,
                  outcome ? OutcomeName(*outcome) : "error record");
  }
  return r;
}

std::optional<HttpResponse> Service::BatchOptionsFor(std::string_view query, BatchOptions* batch) const {
  if (std::optional<HttpResponse> bad = ParseQuery(query, &batch->decide)) return bad;
  batch->threads = 1;  // one request's share; other connections have the other threads
  batch->licences = licences_;
  batch->count = true;
  return std::nullopt;
}

void Service::CountBatch(const BatchStats& stats) {
  for (const auto& [item, tally] : stats.by_item) {
    if (tally.approve) metrics_.Decision(item, Outcome::kApprove, tally.approve);
    if (tally.review) metrics_.Decision(item, Outcome::kReview, tally.review);
    if (tally.reject) metrics_.Decision(item, Outcome::kReject, tally.reject);
  }
  for (const auto& [code, n] : stats.by_error) metrics_.ErrorRecord(code, n);
}

HttpResponse Service::Batch(const HttpRequest& request, std::string_view query) {
  BatchOptions batch;
  if (std::optional<HttpResponse> bad = BatchOptionsFor(query, &batch)) return *bad;
  std::shared_ptr<const Pack> pack = engine_->pack();
  std::unique_ptr<journal::BatchRecorder> recorder;
  if (journal_) {
    recorder = std::make_unique<journal::BatchRecorder>(*journal_, CallerName(request.authorization),
                                                        pack->identity().hash, batch.decide, JournalMaxBytes());
    batch.observer = recorder.get();
  }
  std::istringstream in(request.body);
  std::ostringstream out;
  BatchStats stats = RunBatch(pack, in, out, batch);
  CountBatch(stats);
  if (recorder) metrics_.JournalWritten(recorder->written());
  if (!stats.observer_error.empty()) {
    metrics_.JournalFailed(1);
    return ErrorResponse(503, "journal_unavailable", "the decisions could not be kept in the journal");
  }
  HttpResponse r;
  r.body = std::move(out).str();
  r.content_type = "application/x-ndjson";
  r.chunked = true;
  r.headers.emplace_back("X-Miaopi-Pack", pack->identity().hash);
  return r;
}

std::unique_ptr<BatchStream> Service::StartBatch(const HttpRequest& head, std::function<void()> wake,
                                                 std::string* pack_hash, HttpResponse* refused) {
  BatchOptions batch;
  if (std::optional<HttpResponse> bad = BatchOptionsFor(SplitTarget(head.target).second, &batch)) {
    *refused = std::move(*bad);
    metrics_.RequestDone(Route::kBatch, refused->status, 0);
    return nullptr;
  }
  std::shared_ptr<const Pack> pack = engine_->pack();
  *pack_hash = pack->identity().hash;
  std::shared_ptr<journal::BatchRecorder> recorder;
  if (journal_) {
    if (!journal_->healthy()) {
      *refused = ErrorResponse(503, "journal_unavailable", "the journal cannot keep decisions");
      refused->headers.emplace_back("Retry-After", "5");
      metrics_.RequestDone(Route::kBatch, refused->status, 0);
      return nullptr;
    }
    // Each chunk of records is kept before it is sent; when the journal
    // fails mid-batch the response ends without its last chunk (the client
    // sees an incomplete response, not a short one that looks whole).
    recorder = std::make_shared<journal::BatchRecorder>(*journal_, CallerName(head.authorization), *pack_hash,
                                                        batch.decide, JournalMaxBytes());
    batch.observer = recorder.get();
  }
  metrics_.InFlight(1);
  auto started = std::chrono::steady_clock::now();
  return std::make_unique<BatchStream>(
      std::move(pack), std::move(batch), std::move(wake), [this, started, recorder](const BatchStats& stats) {
        if (recorder) metrics_.JournalWritten(recorder->written());
        if (!stats.observer_error.empty()) {
          metrics_.JournalFailed(1);
          spdlog::error("a batch stopped: the journal cannot keep decisions: {}", stats.observer_error);
        }
        CountBatch(stats);
        metrics_.InFlight(-1);
        metrics_.RequestDone(Route::kBatch, 200,
                             std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      });
}

HttpResponse Service::PackInfo() const {
  std::shared_ptr<const Pack> pack = engine_->pack();
  const PackIdentity& id = pack->identity();
  std::string body = "{\"name\":" + JsonString(id.name) + ",\"version\":" + JsonString(id.version) +
                     ",\"hash\":" + JsonString(id.hash) + ",\"items\":[";
  bool first = true;
  for (const ItemVersionInfo& v : pack->item_versions()) {
    body += first ? "" : ",";
    first = false;
    body += "{\"item\":" + JsonString(v.item) + ",\"title\":" + JsonString(v.title) +
            ",\"effective\":" + JsonString(v.effective) +
            ",\"until\":" + (v.until.empty() ? "null" : JsonString(v.until)) + ",\"rules\":" + std::to_string(v.rules) +
            "}";
  }
  body += "]}\n";
  HttpResponse r = Json(200, std::move(body));
  r.headers.emplace_back("X-Miaopi-Pack", id.hash);
  return r;
}

void Service::ReloadInBackground(std::string why) {
  std::lock_guard lock(tasks_mutex_);
  tasks_.push_back([this, why = std::move(why)] { Reload(why); });
  tasks_ready_.notify_one();
}

HttpResponse Service::Reload(std::string_view why) {
  std::lock_guard lock(reload_mutex_);
  LoadResult loaded = LoadPack(options_.pack_dir, options_.load);
  if (!loaded.ok()) {
    if (!loaded.io_error.empty()) {
      metrics_.Reload("failed");
      spdlog::error("reload ({}): the pack cannot be read: {}", why, loaded.io_error);
      return ErrorResponse(500, "reload_failed", loaded.io_error);
    }
    metrics_.Reload("refused");
    spdlog::error("reload ({}): refused, the pack has errors; the old one keeps serving:\n{}", why, loaded.rendered);
    std::string diagnostics = "[";
    for (size_t i = 0; i < loaded.diagnostics.size(); ++i) {
      const Diagnostic& d = loaded.diagnostics[i];
      diagnostics += (i ? "," : "") + std::string("{\"file\":") + JsonString(d.file) +
                     ",\"line\":" + std::to_string(d.line) + ",\"column\":" + std::to_string(d.column) +
                     ",\"severity\":" + JsonString(d.severity) + ",\"code\":" + JsonString(d.code) +
                     ",\"message\":" + JsonString(d.message) + "}";
    }
    diagnostics += "]";
    HttpResponse r = ErrorResponse(422, "pack_has_errors", "the pack has errors; the old one keeps serving");
    r.body.pop_back();  // "}\n" → add the diagnostics
    r.body.pop_back();
    r.body += ",\"diagnostics\":" + diagnostics + "}\n";
    r.headers.emplace_back("X-Miaopi-Pack", engine_->pack()->identity().hash);
    return r;
  }
  const PackIdentity& id = loaded.pack->identity();
  std::string archive_error;
  if (journal_ && !journal_->Archive(*loaded.pack, &archive_error)) {
    metrics_.Reload("failed");
    spdlog::error("reload ({}): the new pack cannot be archived in the journal; the old one keeps serving: {}", why,
                  archive_error);
    return ErrorResponse(500, "reload_failed", "the new pack cannot be archived in the journal: " + archive_error);
  }
  engine_->Swap(loaded.pack);
  metrics_.PackLoaded(id);
  metrics_.Reload("ok");
  spdlog::info("reload ({}): now serving pack {} {} {}", why, id.name, id.version, id.hash);
  HttpResponse r = Json(200, "{\"name\":" + JsonString(id.name) + ",\"version\":" + JsonString(id.version) +
                                 ",\"hash\":" + JsonString(id.hash) + "}\n");
  r.headers.emplace_back("X-Miaopi-Pack", id.hash);
  return r;
}

void Service::Review(const HttpRequest& request, std::string_view path, std::function<void(HttpResponse)> done,
                     std::function<HttpResponse(HttpResponse)> finish) {
  if (!journal_) {
    return done(finish(ErrorResponse(404, "no_journal", "reviews are kept in the journal: serve with --journal DIR")));
  }
  rapidjson::Document body;
  body.Parse<rapidjson::kParseIterativeFlag>(request.body.data(), request.body.size());
  auto text = [&](const char* key) -> std::optional<std::string> {
    auto it = body.FindMember(key);
    if (it == body.MemberEnd()) return std::string();
    if (!it->value.IsString()) return std::nullopt;
    return std::string(it->value.GetString(), it->value.GetStringLength());
  };
  if (body.HasParseError() || !body.IsObject()) {
    return done(finish(ErrorResponse(400, "bad_review",
                                     "the body is {\"outcome\": \"approve\"|\"reject\", "
                                     "\"reviewer\": NAME, \"note\": TEXT}")));
  }
  std::optional<std::string> outcome = text("outcome"), reviewer = text("reviewer"), note = text("note");
  if (!outcome || !reviewer || !note) {
    return done(finish(ErrorResponse(400, "bad_review", "outcome, reviewer and note are strings")));
  }
  std::string error;
  journal::Review review{*ReviewSeq(path), *outcome, *reviewer, *note};
  std::optional<journal::Entry> entry =
      journal::ReviewEntry(*journal_, review, CallerName(request.authorization), &error);
  if (!entry) {
    int status = error.find("no decision") != std::string::npos ? 404 : 400;
    return done(finish(ErrorResponse(status, status == 404 ? "no_such_decision" : "bad_review", error)));
  }
  journal_->Submit(std::move(*entry), [this, done = std::move(done), finish, decision = review.decision](
                                          const journal::Entry* written, const std::string& error) {
    if (written == nullptr) {
      metrics_.JournalFailed(1);
      return done(finish(ErrorResponse(503, "journal_unavailable", "the review could not be kept: " + error)));
    }
    metrics_.JournalWritten(1);
    HttpResponse r =
        Json(200, "{\"seq\":" + std::to_string(written->seq) + ",\"decision\":" + std::to_string(decision) + "}\n");
    r.headers.emplace_back("X-Miaopi-Seq", std::to_string(written->seq));
    done(finish(std::move(r)));
  });
}

void Service::SetJournalHandoff(std::function<void(std::function<void()>)> handoff) {
  if (journal_) journal_->SetHandoff(std::move(handoff));
}

void Service::CloseJournal() {
  if (!journal_) return;
  std::string error;
  if (!journal_->Close(&error)) spdlog::error("closing the journal: {}", error);
}

}  // namespace miaopi::service
