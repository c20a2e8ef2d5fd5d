// A stateless decision worker: pulls applications from the APPS work queue
// in batches, decides them with the pack in force (swapped between batches
// when the key changes), publishes each record to RESULTS with a
// de-duplication id, and only then acknowledges the applications. A worker
// that dies leaves its unacknowledged applications to be delivered again
// after the ack wait; the same id makes the second decision no second
// record. This file's external interface is WorkerOptions and RunWorker.
//
// A results message (docs/scale.md):
//   subject  results.<ITEM>
//   headers  Nats-Msg-Id     <application id>/<pack hash>/<date>
//            Miaopi-Pack, Miaopi-Date, Miaopi-Line, Miaopi-Input-Seq,
//            Miaopi-Worker, Miaopi-Outcome, Miaopi-Queued, Miaopi-Context
//            and Miaopi-Item (when the application had them)
//   body     the record, '\n', the application as received, '\n', the
//            licence answers the decision used (JSON, or empty)
// The application id is the application message's Nats-Msg-Id (`submit`
// sets <submission>:<line>), or <stream>-<stream sequence> without one.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "engine/include/miaopi/miaopi.h"
#include "scale/nats.h"

namespace miaopi::scale {

// The headers applications and records carry.
struct Headers {
  static constexpr const char* kMsgId = "Nats-Msg-Id";
  static constexpr const char* kPack = "Miaopi-Pack";
  static constexpr const char* kDate = "Miaopi-Date";
  static constexpr const char* kLine = "Miaopi-Line";
  static constexpr const char* kItem = "Miaopi-Item";
  static constexpr const char* kContext = "Miaopi-Context";
  static constexpr const char* kInputSeq = "Miaopi-Input-Seq";
  static constexpr const char* kInputStream = "Miaopi-Input-Stream";
  // The application's length when its line was too long to queue (the body
  // is then empty): its record is batch's too_large error.
  static constexpr const char* kLineBytes = "Miaopi-Line-Bytes";
  // The application's length when it was left out of the record's message
  // (record, application and licence answers did not fit in one).
  static constexpr const char* kInputOmitted = "Miaopi-Input-Omitted";
  static constexpr const char* kWorker = "Miaopi-Worker";
  static constexpr const char* kOutcome = "Miaopi-Outcome";
  // When APPS stored the application (ns since the epoch): with the time
  // RESULTS stored the record, the latency from submit to record.
  static constexpr const char* kQueued = "Miaopi-Queued";
};

struct WorkerOptions {
  NatsOptions nats;
  std::string name;                  // in every record's Miaopi-Worker; default host:pid
  std::string stream = "APPS";       // the work queue: APPS, or one an operator made (one subject filter)
  std::string consumer = "workers";  // the durable pull consumer the workers share
  int threads = 1;                   // deciding threads
  int fetch = 512;                   // applications asked for at once
  double ack_wait = 30;              // seconds before an unacknowledged application goes to another worker
  bool sync_publish = false;         // wait for each record's acknowledgement (measuring only)
  double idle_exit = 0;              // stop after this many seconds without applications (0: never)
  std::shared_ptr<LicenceStore> licences;
  LoadOptions load;
  std::string cache_dir;  // where fetched packs are unpacked; empty: a temporary folder
  const std::atomic<bool>* stop = nullptr;
  std::function<void(const std::string&)> log;
};

struct WorkerStats {
  bool started = false;    // it got as far as deciding
  uint64_t decided = 0;    // records published and applications acknowledged
  uint64_t redecided = 0;  // applications delivered more than once
  uint64_t retried_batches = 0;
};

// Runs until options.stop is set (or idle_exit passes). False with `error`
// when it cannot start (no NATS, no pack ever published within the wait).
bool RunWorker(const WorkerOptions& options, WorkerStats* stats, std::string* error);

}  // namespace miaopi::scale
