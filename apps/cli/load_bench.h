// The load benchmark behind `miaopi bench`: drives the engine in-process
// over applications held in memory, one evaluator per thread, for a fixed
// time per thread count, timing every decision into a histogram. Reports
// throughput and latency percentiles per thread count, as text, JSON and an
// SVG chart. This file's external interface is RunLoadBench and the writers.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/include/miaopi/licences.h"
#include "engine/include/miaopi/miaopi.h"

namespace miaopi::cli {

// Latencies in nanoseconds, in log-linear buckets: 64 per power of two, so a
// percentile is read to within 1.6%.
class LatencyHistogram {
 public:
  void Add(uint64_t ns);
  void Merge(const LatencyHistogram& other);
  uint64_t count() const { return count_; }
  uint64_t max() const { return max_; }
  // The smallest latency at or above which lies the slowest (1 - q) share;
  // q in [0, 1]. 0 when empty.
  uint64_t Percentile(double q) const;

 private:
  static constexpr int kSubBits = 6;
  static size_t Bucket(uint64_t ns);
  static uint64_t BucketTop(size_t bucket);
  std::array<uint64_t, 64 << kSubBits> counts_{};
  uint64_t count_ = 0, max_ = 0;
};

struct LoadRun {
  int threads = 1;
  double seconds = 0;
  uint64_t decisions = 0, errors = 0;
  double throughput = 0;                                  // decisions per second
  uint64_t p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;  // ns
};

struct LoadBenchOptions {
  std::vector<int> threads;  // thread counts, in order
  double seconds = 3;        // per thread count
  DecideOptions decide;
  std::shared_ptr<LicenceStore> licences;
};

struct LoadBenchResult {
  std::string pack;         // name version hash
  size_t applications = 0;  // distinct inputs cycled through
  std::vector<LoadRun> runs;
};

LoadBenchResult RunLoadBench(std::shared_ptr<const Pack> pack, const std::vector<std::string>& applications,
                             const LoadBenchOptions& options);

std::string LoadBenchText(const LoadBenchResult& r);
std::string LoadBenchJson(const LoadBenchResult& r);
// Throughput by thread count, and latency percentiles of each run (log scale).
std::string LoadBenchSvg(const LoadBenchResult& r);

}  // namespace miaopi::cli
