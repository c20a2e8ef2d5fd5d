#include "apps/cli/load_bench.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>

namespace miaopi::cli {

size_t LatencyHistogram::Bucket(uint64_t ns) {
  if (ns < (1u << kSubBits)) return static_cast<size_t>(ns);
  int e = 63 - std::countl_zero(ns);  // ns in [2^e, 2^(e+1))
  uint64_t sub = (ns >> (e - kSubBits)) & ((1u << kSubBits) - 1);
  return static_cast<size_t>((e - kSubBits + 1) << kSubBits) + static_cast<size_t>(sub);
}

uint64_t LatencyHistogram::BucketTop(size_t bucket) {
  if (bucket < (1u << kSubBits)) return bucket;
  int e = static_cast<int>(bucket >> kSubBits) + kSubBits - 1;
  uint64_t sub = bucket & ((1u << kSubBits) - 1);
  uint64_t low = ((uint64_t{1} << kSubBits) + sub) << (e - kSubBits);
  return low + (uint64_t{1} << (e - kSubBits)) - 1;
}

void LatencyHistogram::Add(uint64_t ns) {
  ++counts_[Bucket(ns)];
  ++count_;
  max_ = std::max(max_, ns);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

uint64_t LatencyHistogram::Percentile(double q) const {
  if (count_ == 0) return 0;
  uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(BucketTop(i), max_);
  }
  return max_;
}

LoadBenchResult RunLoadBench(std::shared_ptr<const Pack> pack, const std::vector<std::string>& applications,
                             const LoadBenchOptions& options) {
  using Clock = std::chrono::steady_clock;
  LoadBenchResult result;
  const PackIdentity& id = pack->identity();
  result.pack = id.name + " " + id.version + " " + id.hash;
  result.applications = applications.size();
  if (applications.empty()) return result;
  // The applications in one buffer, one after another, with simdjson's
  // padding after the last — as `batch` holds its lines: each is decided in
  // place (what follows it is readable), not copied first.
  constexpr size_t kPadding = 64;
  std::string text;
  std::vector<size_t> starts;
  for (const std::string& a : applications) {
    starts.push_back(text.size());
    text += a;
    text += '\n';
  }
  text.append(kPadding, '\0');
  auto decide = [&](Evaluator& evaluator, size_t i, std::string* out) {
    return evaluator.DecideToJson(std::string_view(text).substr(starts[i], applications[i].size()), options.decide, 0,
                                  out, text.size() - starts[i]);
  };
  for (int threads : options.threads) {
    std::vector<LatencyHistogram> histograms(static_cast<size_t>(threads));
    std::vector<uint64_t> errors(static_cast<size_t>(threads), 0);
    std::atomic<int> ready{0};
    std::atomic<bool> go{false}, stop{false};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        Evaluator evaluator(pack, options.licences);
        std::string out;
        out.reserve(4096);
        size_t n = applications.size();
        size_t i = (n / static_cast<size_t>(threads)) * static_cast<size_t>(t);
        // Warm up: buffers reach their working size before timing starts.
        for (size_t k = 0; k < std::min<size_t>(n, 2000); ++k) {
          out.clear();
          decide(evaluator, (i + k) % n, &out);
        }
        ++ready;
        while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
        LatencyHistogram& h = histograms[static_cast<size_t>(t)];
        while (!stop.load(std::memory_order_relaxed)) {
          out.clear();
          auto start = Clock::now();
          std::optional<Outcome> o = decide(evaluator, i, &out);
          auto end = Clock::now();
          h.Add(static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count()));
          if (!o) ++errors[static_cast<size_t>(t)];
          if (++i == n) i = 0;
        }
      });
    }
    while (ready.load() < threads) std::this_thread::yield();
    auto start = Clock::now();
    go.store(true, std::memory_order_release);
    std::this_thread::sleep_for(std::chrono::duration<double>(options.seconds));
    stop.store(true);
    for (auto& w : workers) w.join();
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    LatencyHistogram all;
    LoadRun run;
    for (int t = 0; t < threads; ++t) {
      all.Merge(histograms[static_cast<size_t>(t)]);
      run.errors += errors[static_cast<size_t>(t)];
    }
    run.threads = threads;
    run.seconds = elapsed;
    run.decisions = all.count();
    run.throughput = static_cast<double>(all.count()) / elapsed;
    run.p50 = all.Percentile(0.50);
    run.p90 = all.Percentile(0.90);
    run.p99 = all.Percentile(0.99);
    run.p999 = all.Percentile(0.999);
    run.max = all.max();
    result.runs.push_back(run);
  }
  return result;
}

namespace {

std::string Micros(uint64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, ns < 10000 ? "%.2f" : "%.1f", static_cast<double>(ns) / 1000.0);
  return buf;
}

}  // namespace

std::string LoadBenchText(const LoadBenchResult& r) {
  std::string s = "pack " + r.pack + "\n" + std::to_string(r.applications) + " distinct applications, cycled\n";
  s += "threads  decisions/s   speed-up   p50 µs   p90 µs   p99 µs  p99.9 µs   max µs  errors\n";
  double base = r.runs.empty() ? 0 : r.runs[0].throughput;
  for (const LoadRun& run : r.runs) {
    char line[256];
    std::snprintf(line, sizeof line, "%7d  %11.0f  %8.2fx  %7s  %7s  %7s  %8s  %7s  %6llu\n", run.threads,
                  run.throughput, base > 0 ? run.throughput / base : 0.0, Micros(run.p50).c_str(),
                  Micros(run.p90).c_str(), Micros(run.p99).c_str(), Micros(run.p999).c_str(), Micros(run.max).c_str(),
                  static_cast<unsigned long long>(run.errors));
    s += line;
  }
  return s;
}

std::string LoadBenchJson(const LoadBenchResult& r) {
  std::string s = "{\"pack\":\"" + r.pack + "\",\"applications\":" + std::to_string(r.applications) + ",\"runs\":[";
  for (size_t i = 0; i < r.runs.size(); ++i) {
    const LoadRun& run = r.runs[i];
    char line[512];
    std::snprintf(line, sizeof line,
                  "%s{\"threads\":%d,\"seconds\":%.3f,\"decisions\":%llu,\"errors\":%llu,\"throughput\":%.0f,"
                  "\"latency_ns\":{\"p50\":%llu,\"p90\":%llu,\"p99\":%llu,\"p99.9\":%llu,\"max\":%llu}}",
                  i ? "," : "", run.threads, run.seconds, static_cast<unsigned long long>(run.decisions),
                  static_cast<unsigned long long>(run.errors), run.throughput, static_cast<unsigned long long>(run.p50),
                  static_cast<unsigned long long>(run.p90), static_cast<unsigned long long>(run.p99),
                  static_cast<unsigned long long>(run.p999), static_cast<unsigned long long>(run.max));
    s += line;
  }
  return s + "]}\n";
}

std::string LoadBenchSvg(const LoadBenchResult& r) {
  // Left: throughput per thread count. Right: latency percentiles per run,
  // on a log scale from 0.1 µs to the largest maximum.
  const int width = 960, height = 400, top = 60, bottom = 340;
  char buf[512];
  std::string s;
  std::snprintf(buf, sizeof buf,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
                "font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
                width, height);
  s += buf;
  s += "<text x=\"20\" y=\"24\" font-size=\"15\" font-weight=\"bold\">miaopi bench — " +
       r.pack.substr(0, r.pack.find(" sha256")) + ", " + std::to_string(r.applications) + " applications</text>\n";
  double max_tp = 1;
  for (const LoadRun& run : r.runs) max_tp = std::max(max_tp, run.throughput);
  s += "<text x=\"20\" y=\"48\">decisions per second by thread count</text>\n";
  int left0 = 40, left_w = 380;
  int bar_w = r.runs.empty() ? 0 : std::min(80, left_w / static_cast<int>(r.runs.size()) - 20);
  for (size_t i = 0; i < r.runs.size(); ++i) {
    const LoadRun& run = r.runs[i];
    int h = static_cast<int>((bottom - top - 20) * run.throughput / max_tp);
    int x = left0 + static_cast<int>(i) * (bar_w + 20);
    std::snprintf(buf, sizeof buf,
                  "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#3b7dd8\"/>\n"
                  "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%.0fk/s</text>\n"
                  "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d thread%s</text>\n",
                  x, bottom - h, bar_w, h, x + bar_w / 2, bottom - h - 5, run.throughput / 1000, x + bar_w / 2,
                  bottom + 16, run.threads, run.threads == 1 ? "" : "s");
    s += buf;
  }
  // Latency, log scale.
  int right0 = 500, right_w = 440;
  uint64_t max_ns = 1000;
  for (const LoadRun& run : r.runs) max_ns = std::max(max_ns, run.max);
  double lo = std::log10(100.0), hi = std::log10(static_cast<double>(max_ns)) + 0.1;
  auto y_of = [&](uint64_t ns) {
    double v = std::log10(std::max<double>(100.0, static_cast<double>(ns)));
    return bottom - static_cast<int>((bottom - top - 20) * (v - lo) / (hi - lo));
  };
  s += "<text x=\"" + std::to_string(right0) +
       "\" y=\"48\">latency per decision (µs, log scale): p50 p90 p99 p99.9 max</text>\n";
  for (double decade = 0.1; decade * 1000 <= max_ns * 10; decade *= 10) {
    int y = y_of(static_cast<uint64_t>(decade * 1000));
    if (y < top) break;
    std::snprintf(buf, sizeof buf,
                  "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%d\" "
                  "text-anchor=\"end\" fill=\"#666\">%g</text>\n",
                  right0 + 30, y, right0 + right_w, y, right0 + 26, y + 4, decade);
    s += buf;
  }
  const char* colors[] = {"#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b"};
  int group_w = r.runs.empty() ? 0 : (right_w - 40) / static_cast<int>(r.runs.size());
  for (size_t i = 0; i < r.runs.size(); ++i) {
    const LoadRun& run = r.runs[i];
    uint64_t values[] = {run.p50, run.p90, run.p99, run.p999, run.max};
    int gx = right0 + 40 + static_cast<int>(i) * group_w;
    int w = std::max(4, group_w / 6);
    for (int k = 0; k < 5; ++k) {
      int y = y_of(values[k]);
      std::snprintf(buf, sizeof buf,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s µs</title></rect>\n",
                    gx + k * w, y, w - 1, bottom - y, colors[k], Micros(values[k]).c_str());
      s += buf;
    }
    std::snprintf(buf, sizeof buf, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d thread%s</text>\n",
                  gx + 5 * w / 2, bottom + 16, run.threads, run.threads == 1 ? "" : "s");
    s += buf;
    std::snprintf(buf, sizeof buf, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#333\">p99 %s</text>\n",
                  gx + 5 * w / 2, bottom + 32, Micros(run.p99).c_str());
    s += buf;
  }
  return s + "</svg>\n";
}

}  // namespace miaopi::cli
