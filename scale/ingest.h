// The journal over the stream: `miaopi journal ingest` reads RESULTS in
// stream order and appends each record, with the application, context,
// licence answers and pack it came with, as a journal entry; each pack that
// decided is fetched from the object store and archived. Where it stopped
// is kept in the journal's meta table in the same transaction as the
// entries, so it resumes without skipping or repeating one. This file's
// external interface is IngestOptions and IngestResults.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "journal/journal.h"
#include "scale/nats.h"

namespace miaopi::scale {

struct IngestOptions {
  bool follow = false;      // keep reading new records until stopped
  bool allow_gaps = false;  // go on past records the stream no longer holds (counted in `lost`)
  size_t group = 1000;      // entries per transaction
  std::string cache_dir;    // where fetched packs are unpacked; empty: a temporary folder
  const std::atomic<bool>* stop = nullptr;
  std::function<void(uint64_t done, uint64_t total)> progress;
};

struct IngestStats {
  uint64_t first_seq = 0;  // the first RESULTS sequence read this run
  uint64_t entries = 0;
  uint64_t packs = 0;  // packs archived this run
  uint64_t lost = 0;   // records gone from the stream before they were ingested (allow_gaps)
};

// The meta key holding the last RESULTS sequence ingested.
inline constexpr const char* kIngestedSeqKey = "nats results seq";

bool IngestResults(Nats& nats, journal::Journal& journal, const IngestOptions& options, IngestStats* stats,
                   std::string* error);

}  // namespace miaopi::scale
