// Reading and checking a journal: the reader (read-only, alongside a
// writer), `journal verify` (recompute every leaf, root and signature, and
// every archived pack's hash), inclusion and consistency proofs, and
// checking a proof with only the public key. This file's external
// interface is JournalReader, VerifyJournal, ProveInclusion,
// ProveConsistency, CheckProof and ArchivedPackHash.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "journal/entry.h"
#include "journal/merkle.h"
#include "journal/note.h"

struct sqlite3;

namespace miaopi::journal {

struct StoredCheckpoint {
  uint64_t size = 0;
  std::string time;
  std::string note;
};

class JournalReader {
 public:
  static std::unique_ptr<JournalReader> Open(const std::string& dir, std::string* error);
  ~JournalReader();

  uint64_t size();  // entries
  std::string origin();
  std::vector<VerifierKey> keys();  // the keys the journal says it signed with
  std::vector<StoredCheckpoint> checkpoints();
  // Entries with from <= seq < to, in seq order; `stored_leaf` is the hex
  // leaf hash as stored. Stops when `fn` returns false. False with `error`
  // when the database cannot be read.
  bool ForEach(uint64_t from, uint64_t to, const std::function<bool(const Entry&, const std::string& stored_leaf)>& fn,
               std::string* error);
  std::optional<Entry> Get(uint64_t seq);
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  sqlite3* db_ = nullptr;
};

struct VerifyOptions {
  const VerifierKey* key = nullptr;  // null: the keys the journal names (a weaker check)
  std::string checkpoint;            // a checkpoint note kept outside the journal, or ""
  std::function<void(uint64_t done, uint64_t total)> progress;
};

struct VerifyReport {
  bool ok = false;
  bool unreadable = false;  // no journal there, or it cannot be read at all
  uint64_t entries = 0, checkpoints = 0, signed_checkpoints = 0, packs = 0;
  uint64_t uncovered = 0;             // entries after the last checkpoint
  std::vector<std::string> problems;  // the first one first; empty when ok
  std::vector<std::string> warnings;
};

VerifyReport VerifyJournal(const std::string& dir, const VerifyOptions& options);

// A proof of one entry against the latest checkpoint that holds it, as a
// self-contained JSON document (docs/journal.md); false with `error`.
bool ProveInclusion(const std::string& dir, uint64_t seq, std::string* proof_json, std::string* error);
// A proof that the journal at checkpoint `old_size` is a prefix of the one
// at checkpoint `new_size` (0: the latest).
bool ProveConsistency(const std::string& dir, uint64_t old_size, uint64_t new_size, std::string* proof_json,
                      std::string* error);

// Checks a proof document with only the verifier key: what it proves, or
// the reason it does not.
struct ProofCheck {
  bool ok = false;
  std::string message;
};
ProofCheck CheckProof(std::string_view proof_json, const VerifierKey& key);

// The hash of an archived pack folder, computed as the engine computes a
// pack's hash ("sha256:…"); "" with `error` when unreadable.
std::string ArchivedPackHash(const std::string& folder, std::string* error);

}  // namespace miaopi::journal
