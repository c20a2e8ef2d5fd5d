// The decision service behind `miaopi serve`, without the HTTP transport:
// routes, query options, who may call, limits, decisions on the Engine,
// metrics and pack reloads. server.cc carries it over HTTP/1.1 (Beast);
// tests can call it directly. This file's external interface is
// ServeOptions, Service::Create, Service::BeforeBody and Service::Handle.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "engine/api/batch.h"
#include "engine/include/miaopi/miaopi.h"
#include "journal/journal.h"
#include "service/batch_stream.h"
#include "service/metrics.h"
#include "service/tokens.h"

namespace miaopi::service {

class Service;
struct HttpRequest;
struct HttpResponse;

// Routes served beside the service's own, under one path prefix: the
// studio (studio/). The service asks it about every request under its
// prefix; who may call is the extension's to decide (Service::CheckToken).
class Extension {
 public:
  virtual ~Extension() = default;
  virtual std::string_view prefix() const = 0;  // "/studio"
  // As Service::BeforeBody: the answer when the body must not be read.
  virtual std::optional<HttpResponse> BeforeBody(const HttpRequest& head, std::optional<uint64_t> content_length) = 0;
  // The answer; `done` may be called on another thread.
  virtual void Handle(HttpRequest request, std::function<void(HttpResponse)> done) = 0;
};

struct ServeOptions {
  std::string pack_dir;
  std::string host = "127.0.0.1";
  uint16_t port = 8080;               // 0: any free port
  int threads = 0;                    // HTTP threads; 0: one per core
  std::string licences_db;            // the licence library; empty: licences are unknown (review)
  std::string tokens_file;            // empty: no tokens, and loopback only
  bool watch = false;                 // reload when the pack folder changes
  size_t max_body = 1u << 20;         // bytes of a /v1/decide body (and of one /v1/batch line)
  size_t max_batch_body = 64u << 20;  // bytes of a /v1/batch body
  double read_timeout = 10;           // seconds to read one request, header and body
  double idle_timeout = 60;           // seconds a keep-alive connection may wait for its next request
  double grace = 10;                  // seconds in-flight requests get after SIGTERM
  size_t max_connections = 10000;     // open connections; one more is answered 503 and closed
  LoadOptions load;                   // limits and passes for compiling the pack
  journal::JournalOptions journal;    // dir empty: no journal
  // Made once the service is (serve --studio); null with `error` stops it.
  std::function<std::unique_ptr<Extension>(Service& service, std::string* error)> extension;
};

// One request as the transport read it.
struct HttpRequest {
  std::string method;  // "GET", "POST", …
  std::string target;  // "/v1/decide?date=2026-09-10"
  std::string authorization;
  std::string body;
  // Read only for the extension's paths (the studio checks them).
  std::string host, cookie, origin, studio_header;  // Host, Cookie, Origin, X-Miaopi-Studio
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra: X-Miaopi-Pack, Retry-After, Allow
  bool chunked = false;                                      // JSONL streams
  bool close = false;                                        // close the connection after it
};

// The JSON error body every failed request gets.
HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message);

// A request target's path and query ("/v1/decide?date=…" → "/v1/decide", "date=…").
std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target);

// `s` as a JSON string, quotes included.
std::string JsonString(std::string_view s);

// The name=value pairs of a query, %XX and + decoded; nullopt when a value
// is badly escaped.
std::optional<std::vector<std::pair<std::string, std::string>>> QueryPairs(std::string_view query);

class Service {
 public:
  // Loads the pack, the licence library and the tokens; null with `error`.
  static std::unique_ptr<Service> Create(const ServeOptions& options, std::string* error);
  ~Service();

  // After a request's header: the answer when the body must not be read
  // (unknown route, wrong method, no token, too large, overload), else nothing.
  std::optional<HttpResponse> BeforeBody(const HttpRequest& head, std::optional<uint64_t> content_length);
  // The answer to a whole request. `done` may be called on another thread
  // (a reload compiles away from the serving threads).
  void Handle(HttpRequest request, std::function<void(HttpResponse)> done);

  // A /v1/batch request whose body is still to come, decided as it arrives
  // (`wake` as BatchStream says); null with `refused` (a bad query).
  std::unique_ptr<BatchStream> StartBatch(const HttpRequest& head, std::function<void()> wake, std::string* pack_hash,
                                          HttpResponse* refused);

  // Compiles the pack folder again and swaps it in when it has no errors.
  // Runs on the caller's thread; reloads never overlap.
  HttpResponse Reload(std::string_view why);
  // Reload on the service's own thread (SIGHUP, --watch); the result is logged.
  void ReloadInBackground(std::string why);
  // Finishes the reload in progress, if any, and takes no more; stops the
  // extension (after the last request, while the transport lives).
  void StopWorker();
  // SIGTERM: /readyz answers 503 from now on.
  void StartDraining() { draining_ = true; }
  bool draining() const { return draining_; }
  // Closes the journal with a last checkpoint (after the last request).
  void CloseJournal();
  // Where the journal's writer sends each committed group's answers (the
  // transport's threads); before the first request. No journal: nothing.
  void SetJournalHandoff(std::function<void(std::function<void()>)> handoff);
  const ServeOptions& options() const { return options_; }
  Metrics& metrics() { return metrics_; }
  // What the extension needs: the pack in service, the licence library
  // (null without --licences), and who a token is (nothing without --tokens).
  std::shared_ptr<const Pack> pack() const { return engine_->pack(); }
  std::shared_ptr<LicenceStore> licences() const { return licences_; }
  bool has_tokens() const { return tokens_.has_value(); }
  std::optional<Caller> CheckToken(std::string_view authorization) const {
    return tokens_ ? tokens_->Check(authorization) : std::nullopt;
  }
  // The extension's path prefix ("/studio"), or empty.
  std::string_view extension_prefix() const { return extension_ ? extension_->prefix() : std::string_view{}; }
  bool IsExtensionPath(std::string_view target) const;

 private:
  explicit Service(const ServeOptions& options) : options_(options) {}
  std::optional<HttpResponse> Refuse(const HttpRequest& head, std::optional<uint64_t> content_length);
  HttpResponse Decide(const HttpRequest& request, std::string_view query, journal::Entry* entry);
  std::string CallerName(const std::string& authorization) const;
  // The application size limit for journal entries: 0 when it is the default.
  size_t JournalMaxBytes() const;
  void Review(const HttpRequest& request, std::string_view path, std::function<void(HttpResponse)> done,
              std::function<HttpResponse(HttpResponse)> finish);
  HttpResponse Batch(const HttpRequest& request, std::string_view query);
  std::optional<HttpResponse> BatchOptionsFor(std::string_view query, BatchOptions* batch) const;
  void CountBatch(const BatchStats& stats);
  HttpResponse PackInfo() const;
  std::optional<HttpResponse> ParseQuery(std::string_view query, DecideOptions* decide) const;

  ServeOptions options_;
  Metrics metrics_;
  std::optional<Tokens> tokens_;
  std::shared_ptr<LicenceStore> licences_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<journal::Journal> journal_;  // --journal; closed after the last request
  std::unique_ptr<Extension> extension_;       // --studio
  std::atomic<bool> draining_{false};
  std::atomic<bool> journal_failure_logged_{false};
  std::mutex reload_mutex_;
  // Work that must not hold a serving thread (reloads), one task at a time.
  std::mutex tasks_mutex_;
  std::condition_variable tasks_ready_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace miaopi::service
