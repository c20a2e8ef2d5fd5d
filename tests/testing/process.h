// Runs a program as a child process for tests that must see it as a user
// does (exit codes, signals, output, memory): the hostile-input and
// hostile-pack suites, the service tests. A time limit and a memory cap
// keep a runaway child from taking the test run with it.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace miaopi::testing {

struct ProcessOptions {
  std::vector<std::string> argv;           // argv[0] is the program's path
  std::string stdin_path;                  // empty: /dev/null
  std::string stdout_path;                 // empty: captured into ProcessResult::out
  std::map<std::string, std::string> env;  // added to (or replacing in) the environment
  double timeout_seconds = 120;
  // Address space cap in MiB (RLIMIT_AS), 0 for none. Under AddressSanitizer,
  // which reserves terabytes of address space, the cap becomes ASan's
  // hard_rss_limit_mb instead.
  size_t memory_mb = 0;
};

struct ProcessResult {
  int exit_code = -1;      // when it exited
  int signal = 0;          // when a signal ended it
  bool timed_out = false;  // killed at the time limit
  long max_rss_kb = 0;     // its peak resident memory
  double seconds = 0;
  std::string out, err;  // stdout (unless written to a file) and stderr, at most 16 MiB each
  bool exited(int code) const { return signal == 0 && !timed_out && exit_code == code; }
  std::string Describe() const;  // "exit 1", "signal 11", "timed out" …, and the start of stderr
};

ProcessResult RunProcess(const ProcessOptions& options);

// Whether this test binary (and so the programs built with it) runs under
// AddressSanitizer.
bool Sanitized();

// The `miaopi` binary under test: $MIAOPI_BIN (ctest sets it).
std::string MiaopiBinary();

}  // namespace miaopi::testing
