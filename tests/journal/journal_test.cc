// The journal as written and as attacked: entries kept in order by many
// threads at once, and every kind of tampering — a flipped byte in any
// column, a deleted, reordered or truncated entry, a rewritten leaf hash, a
// changed checkpoint or archived pack — found by VerifyJournal.
#include "journal/journal.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <thread>

#include "journal/audit.h"
#include "journal/recorder.h"
#include "tests/testing/golden.h"

namespace miaopi::journal {
namespace {

namespace fs = std::filesystem;

const std::string kPack = std::string(MIAOPI_SOURCE_DIR) + "/samples/food_sales";

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::FreshTestDir("miaopi-journal-test");
    std::string signer, error;
    ASSERT_TRUE(GenerateKey("test.example/journal", &signer, &verifier_text_, &error)) << error;
    std::ofstream(dir_ / "k.key") << signer << "\n";
    verifier_ = *ParseVerifierKey(verifier_text_, &error);
    LoadResult loaded = LoadPack(kPack);
    ASSERT_TRUE(loaded.ok()) << loaded.rendered;
    pack_ = loaded.pack;
  }
  void TearDown() override { fs::remove_all(dir_); }

  JournalOptions Options() {
    JournalOptions o;
    o.dir = (dir_ / "J").string();
    o.key_file = (dir_ / "k.key").string();
    o.checkpoint_every = 8;
    return o;
  }

  // `n` decisions of the sample pack, written four at a time (a checkpoint
  // falls between writes), and closed.
  void Write(uint64_t n) {
    std::string error;
    auto journal = Journal::Open(Options(), &error);
    ASSERT_TRUE(journal) << error;
    ASSERT_TRUE(journal->Archive(*pack_, &error)) << error;
    Evaluator evaluator(pack_);
    std::vector<Entry> entries;
    for (uint64_t i = 0; i < n; ++i) {
      DecideOptions options;
      options.date = "2026-09-10";
      std::string input = R"({"id":"A-)" + std::to_string(i) + R"(","item":"FS-001","submitted_at":"2026-09-07"})";
      entries.push_back(DecisionEntry("cli", pack_->identity().hash, options, 0, input, "",
                                      ToJson(evaluator.Decide(input, options))));
      if (entries.size() == 4 || i + 1 == n) {
        ASSERT_TRUE(journal->Append(&entries, &error)) << error;
        entries.clear();
      }
    }
    ASSERT_TRUE(journal->Close(&error)) << error;
  }

  VerifyReport Verify(const std::string& external_checkpoint = "") {
    VerifyOptions o;
    o.key = &verifier_;
    o.checkpoint = external_checkpoint;
    return VerifyJournal((dir_ / "J").string(), o);
  }

  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "J" / "journal.db").c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK) << (message ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
  }

  std::string Column(uint64_t seq, const std::string& column) {
    std::string error;
    auto reader = JournalReader::Open((dir_ / "J").string(), &error);
    sqlite3* db = nullptr;
    sqlite3_open((dir_ / "J" / "journal.db").c_str(), &db);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, ("SELECT " + column + " FROM entries WHERE seq = " + std::to_string(seq)).c_str(), -1, &stmt,
                       nullptr);
    std::string value;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      value.assign(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
                   static_cast<size_t>(sqlite3_column_bytes(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
  }

  void SetColumn(uint64_t seq, const std::string& column, const std::string& value) {
    sqlite3* db = nullptr;
    sqlite3_open((dir_ / "J" / "journal.db").c_str(), &db);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, ("UPDATE entries SET " + column + " = ?1 WHERE seq = " + std::to_string(seq)).c_str(), -1,
                       &stmt, nullptr);
    sqlite3_bind_text(stmt, 1, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
  }

  fs::path dir_;
  std::string verifier_text_;
  VerifierKey verifier_;
  std::shared_ptr<const Pack> pack_;
  std::string scratch_error_;
};

TEST(JournalEntry, TheLeafHashIsTheHashOfTheDocumentedBytes) {
  Entry e;
  e.seq = 1234567;
  e.time = "2026-12-06T18:34:57.237366Z";
  e.caller = "窗口";
  e.pack = "sha256:00";
  e.date = "2026-09-10";
  e.options = R"({"line":3})";
  e.input = std::string("{\"a\":\"\n\"}\0tail", 15);
  e.record = "{}";
  EXPECT_EQ(EntryLeafHash(e), LeafHash(EntryBytes(e)));
  EXPECT_EQ(EntryBytes(e).substr(0, 43), "miaopi-journal-entry/1\nseq 7\n1234567\nkind 8");
  e.context = std::string(100000, 'x');
  EXPECT_EQ(EntryLeafHash(e), LeafHash(EntryBytes(e)));
  Entry empty;
  EXPECT_EQ(EntryLeafHash(empty), LeafHash(EntryBytes(empty)));
}

TEST_F(JournalTest, AWrittenJournalVerifies) {
  Write(20);
  VerifyReport r = Verify();
  EXPECT_TRUE(r.ok) << (r.problems.empty() ? "" : r.problems.front());
  EXPECT_EQ(r.entries, 20u);
  EXPECT_EQ(r.checkpoints, 3u);  // at 8, 16 and on close at 20
  EXPECT_EQ(r.signed_checkpoints, 3u);
  EXPECT_EQ(r.packs, 1u);
  EXPECT_EQ(r.uncovered, 0u);
}

TEST_F(JournalTest, AFlippedByteInAnyColumnOfAnyEntryIsFound) {
  Write(12);
  const char* columns[] = {"kind",    "time",  "caller",  "pack",     "date",
                           "options", "input", "context", "licences", "record"};
  for (uint64_t seq : {0u, 5u, 11u}) {
    for (const char* column : columns) {
      std::string original = Column(seq, column);
      // Every byte position of short columns; a spread of positions of long ones.
      std::vector<size_t> positions;
      size_t step = original.size() <= 40 ? 1 : original.size() / 17;
      for (size_t i = 0; i < original.size(); i += step) positions.push_back(i);
      std::vector<std::string> changed_values;
      for (size_t at : positions) {
        std::string changed = original;
        changed[at] = static_cast<char>(changed[at] ^ 0x01);
        changed_values.push_back(changed);
      }
      changed_values.push_back(original + " ");  // a byte added
      if (original.empty()) changed_values.push_back("x");
      for (const std::string& changed : changed_values) {
        SetColumn(seq, column, changed);
        VerifyReport r = Verify();
        ASSERT_FALSE(r.ok) << column << " of entry " << seq;
        EXPECT_EQ(r.problems.front(),
                  "entry " + std::to_string(seq) + " does not match its leaf hash: it was changed after it was written")
            << column;
      }
      SetColumn(seq, column, original);
    }
  }
  EXPECT_TRUE(Verify().ok);
}

TEST_F(JournalTest, AChangedEntryWithARecomputedLeafHashIsFoundByTheSignedRoot) {
  Write(12);
  std::string record = Column(3, "record");
  std::string changed = record;
  changed.replace(changed.find("\"decision\":\"") + 12, 6, "reject");
  SetColumn(3, "record", changed);
  Entry e = *JournalReader::Open((dir_ / "J").string(), &scratch_error_)->Get(3);  // the altered row
  SetColumn(3, "leaf_hash", Hex(LeafHash(EntryBytes(e))));
  VerifyReport r = Verify();
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.problems.front().find("the checkpoint at size 8: the root of the first 8 entries is not the signed one"),
            std::string::npos)
      << r.problems.front();
}

TEST_F(JournalTest, DeletedReorderedAndTruncatedEntriesAreFound) {
  Write(20);
  fs::copy(dir_ / "J", dir_ / "clean", fs::copy_options::recursive);
  auto restore = [&] {
    fs::remove_all(dir_ / "J");
    fs::copy(dir_ / "clean", dir_ / "J", fs::copy_options::recursive);
  };
  Sql("DELETE FROM entries WHERE seq = 7");
  VerifyReport deleted = Verify();
  ASSERT_FALSE(deleted.ok);
  EXPECT_EQ(deleted.problems.front(), "entries 7 to 7 are missing (deleted)");
  restore();

  // Two entries swapped, each keeping its own leaf hash: the seq in the leaf gives it away.
  Sql("UPDATE entries SET seq = -1 WHERE seq = 4; UPDATE entries SET seq = 4 WHERE seq = 5; "
      "UPDATE entries SET seq = 5 WHERE seq = -1;");
  VerifyReport swapped = Verify();
  ASSERT_FALSE(swapped.ok);
  EXPECT_EQ(swapped.problems.front(), "entry 4 does not match its leaf hash: it was changed after it was written");
  restore();

  // The last entries removed: the checkpoint on close covers 20.
  Sql("DELETE FROM entries WHERE seq >= 17");
  VerifyReport truncated = Verify();
  ASSERT_FALSE(truncated.ok);
  EXPECT_EQ(truncated.problems.front(),
            "the checkpoint at size 20 covers 20 entries but the journal holds 17: entries were deleted from its end");
  restore();

  // Entries and their checkpoints removed together: only a checkpoint kept
  // elsewhere (as an auditor would) shows it.
  std::string kept_checkpoint = JournalReader::Open((dir_ / "J").string(), &scratch_error_)->checkpoints().back().note;
  Sql("DELETE FROM entries WHERE seq >= 16; DELETE FROM checkpoints WHERE size > 16");
  EXPECT_TRUE(Verify().ok);
  VerifyReport with_kept = Verify(kept_checkpoint);
  ASSERT_FALSE(with_kept.ok);
  EXPECT_NE(with_kept.problems.front().find("the checkpoint given with --checkpoint covers 20 entries but the journal "
                                            "holds 16"),
            std::string::npos)
      << with_kept.problems.front();
  restore();
  EXPECT_TRUE(Verify().ok);
}

TEST_F(JournalTest, ChangedCheckpointsAndPacksAreFound) {
  Write(20);
  Sql("UPDATE checkpoints SET note = replace(note, 'test.example/journal\n8\n', 'test.example/journal\n9\n') "
      "WHERE size = 8");
  VerifyReport note = Verify();
  ASSERT_FALSE(note.ok);
  EXPECT_EQ(note.problems.front(), "the checkpoint at size 8 holds a note for size 9");
  Sql("UPDATE checkpoints SET note = substr(note, 1, instr(note, char(10) || char(10))) WHERE size = 16");
  VerifyReport unsigned_note = Verify();
  ASSERT_FALSE(unsigned_note.ok);
  EXPECT_EQ(unsigned_note.problems.at(2),
            "the checkpoint at size 16 is not signed by test.example/journal (it has no signature)");

  // Removing checkpoints is not a change of the log (an external one shows
  // a truncation); the archive is checked next.
  Sql("DELETE FROM checkpoints WHERE size < 20");
  ASSERT_TRUE(Verify().ok);
  std::string hex = pack_->identity().hash.substr(7);
  std::ofstream(dir_ / "J" / "packs" / hex / "food_sales.rules", std::ios::app) << "# changed\n";
  VerifyReport pack = Verify();
  ASSERT_FALSE(pack.ok);
  EXPECT_NE(pack.problems.front().find("the archived pack " + pack_->identity().hash + " hashes to"),
            std::string::npos);
}

TEST_F(JournalTest, RowsAddedOutsideTheSequenceAreFound) {
  Write(10);
  Sql("INSERT INTO entries SELECT -1, kind, time, caller, pack, date, options, input, context, licences, record, "
      "leaf_hash FROM entries WHERE seq = 3");
  VerifyReport r = Verify();
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.problems.front(), "1 rows have a seq outside 0 … 2^63−2 (rows added by hand)");
}

TEST_F(JournalTest, ADamagedPackArchiveIsKeptAgain) {
  Write(4);
  std::string hex = pack_->identity().hash.substr(7);
  fs::remove(dir_ / "J" / "packs" / hex / "tables" / "credit_blacklist.csv");  // as a power cut might leave it
  ASSERT_FALSE(Verify().ok);
  std::string error;
  auto journal = Journal::Open(Options(), &error);
  ASSERT_TRUE(journal) << error;
  ASSERT_TRUE(journal->Archive(*pack_, &error)) << error;
  ASSERT_TRUE(journal->Close(&error)) << error;
  VerifyReport r = Verify();
  EXPECT_TRUE(r.ok) << (r.problems.empty() ? "" : r.problems.front());
}

TEST_F(JournalTest, AnAlteredJournalIsNotAppendedTo) {
  Write(10);
  Sql("UPDATE entries SET leaf_hash = '" + Hex(Sha256("x")) + "' WHERE seq = 2");
  std::string error;
  EXPECT_FALSE(Journal::Open(Options(), &error));
  EXPECT_NE(error.find("do not match its checkpoint at size 8"), std::string::npos) << error;
}

TEST_F(JournalTest, OneWriterAtATime) {
  std::string error;
  auto first = Journal::Open(Options(), &error);
  ASSERT_TRUE(first) << error;
  EXPECT_FALSE(Journal::Open(Options(), &error));
  EXPECT_NE(error.find("being written by another process"), std::string::npos) << error;
}

TEST_F(JournalTest, ManyThreadsSubmitAndEveryEntryIsKeptOnce) {
  std::string error;
  JournalOptions o = Options();
  o.checkpoint_every = 100;
  auto journal = Journal::Open(o, &error);
  ASSERT_TRUE(journal) << error;
  constexpr int kThreads = 8, kEach = 250;
  std::atomic<int> written{0}, failed{0};
  std::vector<std::thread> threads;
  std::mutex seen_mutex;
  std::set<uint64_t> seqs;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::promise<void> done;
        Entry e;
        e.caller = "thread" + std::to_string(t);
        e.input = std::to_string(i);
        e.record = "{}";
        journal->Submit(std::move(e), [&](const Entry* w, const std::string&) {
          if (w != nullptr) {
            std::lock_guard<std::mutex> lock(seen_mutex);
            seqs.insert(w->seq);
            ++written;
          } else {
            ++failed;
          }
          done.set_value();
        });
        done.get_future().wait();  // as a request waits for its answer
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_TRUE(journal->Close(&error)) << error;
  EXPECT_EQ(written.load(), kThreads * kEach);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(seqs.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(*seqs.rbegin(), static_cast<uint64_t>(kThreads * kEach - 1));
  VerifyReport r = Verify();
  EXPECT_TRUE(r.ok) << (r.problems.empty() ? "" : r.problems.front());
  EXPECT_EQ(r.entries, static_cast<uint64_t>(kThreads * kEach));
}

TEST_F(JournalTest, ProofsCheckWithOnlyTheKeyAndFailWhenAltered) {
  Write(20);
  std::string proof, error;
  ASSERT_TRUE(ProveInclusion((dir_ / "J").string(), 13, &proof, &error)) << error;
  ProofCheck ok = CheckProof(proof, verifier_);
  EXPECT_TRUE(ok.ok) << ok.message;
  std::string altered = proof;
  size_t at = altered.find("\"decision\\\":\\\"");
  ASSERT_NE(at, std::string::npos) << proof.substr(0, 400);
  altered.replace(at + 15, 1, "X");
  EXPECT_FALSE(CheckProof(altered, verifier_).ok);
  std::string other_signer, other_verifier;
  ASSERT_TRUE(GenerateKey("test.example/journal", &other_signer, &other_verifier, &error));
  EXPECT_FALSE(CheckProof(proof, *ParseVerifierKey(other_verifier, &error)).ok);

  // Hostile proofs: deep nesting, wrong types, garbage — a clear failure, never a crash.
  EXPECT_FALSE(CheckProof(std::string(1000000, '[') + std::string(1000000, ']'), verifier_).ok);
  EXPECT_FALSE(CheckProof(R"({"format":"miaopi-inclusion-proof/1","checkpoint":5})", verifier_).ok);
  std::string deep_entry = proof;
  deep_entry.replace(deep_entry.find("\"entry\":{") + 9, 0,
                     "\"deep\":" + std::string(100000, '[') + std::string(100000, ']') + ",");
  EXPECT_FALSE(CheckProof(deep_entry, verifier_).ok);
  EXPECT_FALSE(CheckProof("\x01\x02garbage", verifier_).ok);

  ASSERT_TRUE(ProveConsistency((dir_ / "J").string(), 8, 0, &proof, &error)) << error;
  ProofCheck grew = CheckProof(proof, verifier_);
  EXPECT_TRUE(grew.ok) << grew.message;
  EXPECT_EQ(grew.message,
            "the log test.example/journal only grew from 8 to 20 entries, signed by test.example/journal");
  EXPECT_FALSE(ProveConsistency((dir_ / "J").string(), 7, 0, &proof, &error));
}

}  // namespace
}  // namespace miaopi::journal
