// Batch runs at scale: `submit` puts every line of a JSONL file on the APPS
// work queue (the evaluation date and the line number travel with each),
// and `collect` writes the records back in input order — the same bytes
// `miaopi batch` writes for the same file and date. This file's external
// interface is Submit and Collect.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <istream>
#include <ostream>
#include <string>

#include "scale/nats.h"

namespace miaopi::scale {

struct SubmitOptions {
  std::string date;      // YYYY-MM-DD, sent with every application
  std::string context;   // the request context JSON (compact), or ""
  std::string item;      // overrides every application's item, or ""
  std::string id;        // the submission's name in de-duplication ids; empty: made up
  size_t window = 4096;  // applications in flight before waiting for the stream
  double rate = 0;       // applications a second, paced (0: as fast as the stream takes them)
  const std::atomic<bool>* stop = nullptr;
  std::function<void(uint64_t lines, uint64_t bytes)> progress;
};

struct SubmitStats {
  std::string id;
  uint64_t lines = 0;
  uint64_t first_seq = 0, last_seq = 0;  // APPS sequences before and after (exact when alone)
  bool interrupted = false;
};

// Publishes every line (an empty or broken one too: it gets its error
// record). A window the stream did not acknowledge is published again;
// its de-duplication ids (<submission>:<line>) keep it from counting twice.
bool Submit(Nats& nats, std::istream& in, const SubmitOptions& options, SubmitStats* stats, std::string* error);

struct CollectOptions {
  uint64_t from = 1;   // the first APPS sequence whose record is wanted
  uint64_t count = 0;  // records wanted; 0: up to the last application submitted when collect starts
  double timeout = 0;  // give up after this many seconds without a new record (0: wait)
  const std::atomic<bool>* stop = nullptr;
  std::function<void(uint64_t written, uint64_t wanted)> progress;
};

struct CollectStats {
  uint64_t written = 0;
  uint64_t wanted = 0;
  uint64_t duplicates = 0;    // a second record for an application (another pack or date): the first is kept
  uint64_t next_missing = 0;  // when it gave up: the first application without a record
  // From APPS storing each written application to RESULTS storing its
  // record (the servers' clocks), in milliseconds.
  double latency_median_ms = 0, latency_p99_ms = 0, latency_max_ms = 0;
};

// Reads RESULTS from its start and writes each wanted application's first
// record in APPS order. False when it stopped or timed out before every
// wanted record came.
bool Collect(Nats& nats, std::ostream& out, const CollectOptions& options, CollectStats* stats, std::string* error);

}  // namespace miaopi::scale
