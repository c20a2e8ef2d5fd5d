#include "service/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <mutex>

namespace miaopi::service {

const char* RouteName(Route r) {
  switch (r) {
    case Route::kDecide: return "decide";
    case Route::kBatch: return "batch";
    case Route::kPack: return "pack";
    case Route::kHealth: return "healthz";
    case Route::kReady: return "readyz";
    case Route::kMetrics: return "metrics";
    case Route::kReload: return "reload";
    case Route::kReview: return "review";
    case Route::kOther: return "other";
  }
  return "other";
}

Metrics::Metrics() : registry_(std::make_shared<prometheus::Registry>()) {
  using namespace prometheus;
  decisions_ =
      &BuildCounter().Name("miaopi_decisions_total").Help("Decisions made, by item and outcome").Register(*registry_);
  errors_ = &BuildCounter()
                 .Name("miaopi_error_records_total")
                 .Help("Applications answered with an error record, by code")
                 .Register(*registry_);
  requests_ = &BuildCounter()
                   .Name("miaopi_http_requests_total")
                   .Help("HTTP requests answered, by route and status")
                   .Register(*registry_);
  reloads_ = &BuildCounter()
                  .Name("miaopi_reloads_total")
                  .Help("Pack reloads, by result (ok, refused, failed)")
                  .Register(*registry_);
  pack_info_ = &BuildGauge()
                    .Name("miaopi_pack_info")
                    .Help("The pack in service (1), with its name, version and hash")
                    .Register(*registry_);
  in_flight_ = &BuildGauge()
                    .Name("miaopi_http_requests_in_flight")
                    .Help("Requests being answered now")
                    .Register(*registry_)
                    .Add({});
  licence_errors_ = &BuildCounter()
                         .Name("miaopi_licence_store_errors_total")
                         .Help("Licence library lookups that failed (the licence was unknown: review)")
                         .Register(*registry_)
                         .Add({});
  journal_entries_ = &BuildCounter()
                          .Name("miaopi_journal_entries_total")
                          .Help("Decisions kept in the journal (--journal)")
                          .Register(*registry_)
                          .Add({});
  journal_errors_ = &BuildCounter()
                         .Name("miaopi_journal_errors_total")
                         .Help("Decisions not answered because the journal could not keep them (503)")
                         .Register(*registry_)
                         .Add({});
  auto& durations = BuildHistogram()
                        .Name("miaopi_http_request_duration_seconds")
                        .Help("Time from a request's last byte read to its response queued, by route")
                        .Register(*registry_);
  const Histogram::BucketBoundaries buckets{0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                            0.005,   0.01,   0.025,   0.05,   0.1,   1};
  for (size_t r = 0; r < kRouteCount; ++r) {
    durations_[r] = &durations.Add({{"route", RouteName(static_cast<Route>(r))}}, buckets);
  }
  for (const char* result : {"ok", "refused", "failed"}) reloads_->Add({{"result", result}});
}

Metrics::~Metrics() = default;

void Metrics::Decision(std::string_view item, Outcome outcome, uint64_t n) {
  size_t o = static_cast<size_t>(outcome);
  {
    std::shared_lock lock(mutex_);
    auto it = decision_cache_.find(item);
    if (it != decision_cache_.end()) return it->second[o]->Increment(static_cast<double>(n));
  }
  std::unique_lock lock(mutex_);
  auto [it, added] = decision_cache_.try_emplace(std::string(item));
  if (added) {
    for (Outcome each : {Outcome::kApprove, Outcome::kReview, Outcome::kReject}) {
      it->second[static_cast<size_t>(each)] =
          &decisions_->Add({{"item", std::string(item)}, {"outcome", OutcomeName(each)}});
    }
  }
  it->second[o]->Increment(static_cast<double>(n));
}

void Metrics::ErrorRecord(std::string_view code, uint64_t n) {
  {
    std::shared_lock lock(mutex_);
    auto it = error_cache_.find(code);
    if (it != error_cache_.end()) return it->second[0]->Increment(static_cast<double>(n));
  }
  std::unique_lock lock(mutex_);
  auto [it, added] = error_cache_.try_emplace(std::string(code));
  if (added) it->second[0] = &errors_->Add({{"code", std::string(code)}});
  it->second[0]->Increment(static_cast<double>(n));
}

void Metrics::RequestDone(Route route, int status, double seconds) {
  durations_[static_cast<size_t>(route)]->Observe(seconds);
  int key = static_cast<int>(route) * 1000 + status;
  {
    std::shared_lock lock(mutex_);
    auto it = request_cache_.find(key);
    if (it != request_cache_.end()) return it->second->Increment();
  }
  std::unique_lock lock(mutex_);
  prometheus::Counter*& counter = request_cache_[key];
  if (counter == nullptr) counter = &requests_->Add({{"route", RouteName(route)}, {"status", std::to_string(status)}});
  counter->Increment();
}

void Metrics::InFlight(int delta) {
  if (delta > 0) in_flight_->Increment(delta);
  if (delta < 0) in_flight_->Decrement(-delta);
}

void Metrics::PackLoaded(const PackIdentity& identity) {
  std::unique_lock lock(mutex_);
  // One series: the pack in service now.
  for (prometheus::Gauge* old : pack_gauges_) pack_info_->Remove(old);
  pack_gauges_.clear();
  pack_gauges_.push_back(
      &pack_info_->Add({{"name", identity.name}, {"version", identity.version}, {"hash", identity.hash}}));
  pack_gauges_.back()->Set(1);
}

void Metrics::Reload(std::string_view result) { reloads_->Add({{"result", std::string(result)}}).Increment(); }

void Metrics::LicenceStoreError() { licence_errors_->Increment(); }
void Metrics::JournalWritten(uint64_t n) { journal_entries_->Increment(static_cast<double>(n)); }
void Metrics::JournalFailed(uint64_t n) { journal_errors_->Increment(static_cast<double>(n)); }

std::string Metrics::Text() const { return prometheus::TextSerializer().Serialize(registry_->Collect()); }

}  // namespace miaopi::service
