// The decision journal: every decision kept in an SQLite file (WAL) in the
// journal folder, each entry a leaf of an RFC 6962 Merkle tree, with signed
// checkpoints of the tree and an archive of every pack that decided. One
// process writes a journal at a time (a lock file says who). This file's
// external interface is JournalOptions and Journal; reading and checking
// a journal is journal/audit.h.
//
// Folder layout:
//   journal.db              entries, checkpoints, meta (see docs/journal.md)
//   packs/<sha256 hex>/     each pack's rules files and tables, as hashed
//   lock                    held (flock) by the writing process
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/include/miaopi/miaopi.h"
#include "journal/entry.h"
#include "journal/merkle.h"
#include "journal/note.h"

struct sqlite3;
struct sqlite3_stmt;

namespace miaopi::journal {

enum class SyncMode {
  kFull,    // every commit reaches the disk before the caller hears of it (fsync of the WAL)
  kNormal,  // commits survive a crash of the process, not of the machine or its power
};

struct JournalOptions {
  std::string dir;
  SyncMode sync = SyncMode::kFull;
  std::string key_file;              // signer key (`miaopi journal keygen`); empty: unsigned checkpoints
  uint64_t checkpoint_every = 1000;  // entries between checkpoints
  double checkpoint_seconds = 10;    // at most this long between a new entry and its checkpoint
  size_t max_group = 2048;           // entries committed together by the writer thread
};

class Journal {
 public:
  // Opens (creating when missing) the journal in options.dir. Null with
  // `error` when it cannot be written, another process holds it, or its
  // entries do not match its latest checkpoint.
  static std::unique_ptr<Journal> Open(const JournalOptions& options, std::string* error);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Keeps the pack's files under packs/<hash>/ (once per hash). Call before
  // the first entry it decided. Thread-safe.
  bool Archive(const Pack& pack, std::string* error);

  // Writes the entries, in order, in one transaction; sets their seq and
  // time. On failure nothing of them is written.
  bool Append(std::vector<Entry>* entries, std::string* error);
  // The same, setting `meta` keys in the same transaction: a reader of
  // another log (`journal ingest`) keeps where it stopped with the entries,
  // so a crash can neither skip nor repeat one.
  using MetaValues = std::vector<std::pair<std::string, std::string>>;
  bool Append(std::vector<Entry>* entries, const MetaValues& meta, std::string* error);
  // A value of the meta table, when it holds `key`.
  std::optional<std::string> Meta(const std::string& key);

  // Queues one entry for the writer thread, which commits many together
  // (one fsync for the group); `done` runs after the commit, with the entry
  // as written, or with null and the error: on the writer thread, or where
  // the hand-off below sends the group.
  using Done = std::function<void(const Entry* written, const std::string& error)>;
  void Submit(Entry entry, Done done);
  // Where the writer thread sends each committed group's `done`s, to run
  // (and free the group) together: one wake-up of the submitting side per
  // group instead of one per entry, and each entry freed by the thread
  // that allocated it. Empty (and before it is set): the writer runs them.
  // Clear it before whatever it posts to stops running handlers.
  using Handoff = std::function<void(std::function<void()> run_group)>;
  void SetHandoff(Handoff handoff);

  // The entry `seq`, when the journal holds it.
  std::optional<Entry> Get(uint64_t seq);

  // A checkpoint of the tree as it is now, when it grew since the last one.
  bool Checkpoint(std::string* error);
  // Drains the queue, writes a last checkpoint and closes. Idempotent.
  bool Close(std::string* error);

  // False after a write failed (a full disk, a read-only file), until one succeeds.
  bool healthy() const { return healthy_.load(); }
  uint64_t size() const;
  const std::string& dir() const { return options_.dir; }

 private:
  explicit Journal(const JournalOptions& options) : options_(options) {}
  bool OpenFiles(std::string* error);
  bool WriteLocked(std::vector<Entry>* entries, bool force_checkpoint, std::string* error,
                   const MetaValues* meta = nullptr);
  bool CheckpointDue(bool force) const;
  void WriterLoop();

  JournalOptions options_;
  int lock_fd_ = -1;
  sqlite3* db_ = nullptr;
  // Prepared once: a group commit under load is a few dozen entries, and
  // parsing these three again for each was a tenth of the writer's time.
  sqlite3_stmt* begin_ = nullptr;
  sqlite3_stmt* commit_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  std::optional<SignerKey> key_;
  std::string origin_;

  std::mutex write_mutex_;  // the database and the tree below
  CompactRange tree_;
  uint64_t checkpoint_size_ = 0;
  std::chrono::steady_clock::time_point checkpoint_time_;

  std::mutex archive_mutex_;
  std::set<std::string> archived_;

  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<std::pair<Entry, Done>> queue_;
  Handoff handoff_;
  bool stopping_ = false;
  std::thread writer_;
  bool closed_ = false;
  bool opened_ = false;  // OpenFiles succeeded: Close may write a checkpoint

  std::atomic<bool> healthy_{true};
};

// The entry's time: now, UTC, RFC 3339 with microseconds.
std::string NowRfc3339();

}  // namespace miaopi::journal
