// stall_probe — how long this machine takes a core away from a thread that
// wants to run, with nothing else of ours running. One thread per core reads
// the clock in a loop; a gap between two reads longer than 0.5 ms is time
// the thread did not run (the hypervisor, an interrupt, another process).
// A latency percentile cannot be better than these gaps allow: at 25,000
// requests/s a 4 ms gap holds back 100 requests. bench/serve_load.sh prints
// it before its latency runs.
//
//   stall_probe [SECONDS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

struct Gaps {
  long over_half_ms = 0, over_1ms = 0, over_2ms = 0, over_5ms = 0;
  double stalled_us = 0, longest_us = 0;
};

Gaps Probe(double seconds) {
  using Clock = std::chrono::steady_clock;
  Gaps g;
  const auto start = Clock::now();
  auto last = start;
  for (;;) {
    const auto now = Clock::now();
    const double gap = std::chrono::duration<double, std::micro>(now - last).count();
    last = now;
    g.longest_us = std::max(g.longest_us, gap);
    if (gap > 500) {
      ++g.over_half_ms;
      g.stalled_us += gap;
      g.over_1ms += gap > 1000;
      g.over_2ms += gap > 2000;
      g.over_5ms += gap > 5000;
    }
    if (std::chrono::duration<double>(now - start).count() >= seconds) return g;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 10;
  if (!(seconds > 0)) {
    std::fprintf(stderr, "usage: stall_probe [SECONDS]\n");
    return 2;
  }
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<Gaps> gaps(cores);
  std::vector<std::thread> threads;
  for (unsigned c = 0; c < cores; ++c) threads.emplace_back([&, c] { gaps[c] = Probe(seconds); });
  for (std::thread& t : threads) t.join();
  for (unsigned c = 0; c < cores; ++c) {
    const Gaps& g = gaps[c];
    std::printf(
        "thread %u of %u: gaps over 0.5 ms %ld, over 1 ms %ld, over 2 ms %ld, over 5 ms %ld; "
        "not running %.1f ms of %.0f s (%.2f%%); longest %.0f us\n",
        c + 1, cores, g.over_half_ms, g.over_1ms, g.over_2ms, g.over_5ms, g.stalled_us / 1000, seconds,
        g.stalled_us / (seconds * 1e4), g.longest_us);
  }
  return 0;
}
