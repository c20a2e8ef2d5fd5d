// What the service counts, in Prometheus' model (prometheus-cpp core) and
// served as its text format by our own /metrics route. The counters the
// request path touches are found once and kept (a family lookup takes a
// mutex and allocates; an increment is one atomic). This file's external
// interface is Metrics.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/include/miaopi/miaopi.h"

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace miaopi::service {

// Every route the service answers, and "other" for what it does not.
enum class Route { kDecide, kBatch, kPack, kHealth, kReady, kMetrics, kReload, kReview, kOther };
inline constexpr size_t kRouteCount = 9;
const char* RouteName(Route r);  // "decide", "batch", …

class Metrics {
 public:
  Metrics();
  ~Metrics();

  void Decision(std::string_view item, Outcome outcome, uint64_t n = 1);
  void ErrorRecord(std::string_view code, uint64_t n = 1);
  void RequestDone(Route route, int status, double seconds);
  void InFlight(int delta);
  void PackLoaded(const PackIdentity& identity);
  void Reload(std::string_view result);  // "ok", "refused" (errors in the pack), "failed" (unreadable)
  void LicenceStoreError();
  void JournalWritten(uint64_t n);
  void JournalFailed(uint64_t n);
  // Every metric in the text exposition format.
  std::string Text() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* decisions_;
  prometheus::Family<prometheus::Counter>* errors_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Counter>* reloads_;
  prometheus::Family<prometheus::Gauge>* pack_info_;
  prometheus::Gauge* in_flight_;
  prometheus::Counter* licence_errors_;
  prometheus::Counter* journal_entries_;
  prometheus::Counter* journal_errors_;
  std::array<prometheus::Histogram*, kRouteCount> durations_{};
  // Caches of the counters by label values, found without allocating.
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using ByName = std::unordered_map<std::string, std::array<prometheus::Counter*, 3>, StringHash, std::equal_to<>>;
  mutable std::shared_mutex mutex_;
  ByName decision_cache_, error_cache_;                          // error codes use slot 0
  std::unordered_map<int, prometheus::Counter*> request_cache_;  // route * 1000 + status
  std::vector<prometheus::Gauge*> pack_gauges_;
};

}  // namespace miaopi::service
