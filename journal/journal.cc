#include "journal/journal.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>

#include "journal/audit.h"
#include "journal/codec.h"

namespace miaopi::journal {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries(
  seq       INTEGER PRIMARY KEY,  -- the leaf index: 0, 1, 2, ...
  kind      TEXT NOT NULL,        -- decision | review
  time      TEXT NOT NULL,        -- UTC, RFC 3339
  caller    TEXT NOT NULL,        -- the token's name; cli for the command line
  pack      TEXT NOT NULL,        -- the deciding pack's hash; packs/<hex>/ holds it
  date      TEXT NOT NULL,        -- the evaluation date
  options   TEXT NOT NULL,        -- how it was asked (JSON)
  input     TEXT NOT NULL,        -- the application exactly as received
  context   TEXT NOT NULL,        -- the request context as received
  licences  TEXT NOT NULL,        -- the licence library's answers used (JSON)
  record    TEXT NOT NULL,        -- the record as answered
  leaf_hash TEXT NOT NULL         -- hex SHA-256(0x00 || entry bytes), docs/journal.md
);
CREATE TABLE IF NOT EXISTS checkpoints(
  size INTEGER PRIMARY KEY,       -- tree size
  time TEXT NOT NULL,
  note TEXT NOT NULL              -- C2SP tlog-checkpoint, a signed note
);
CREATE VIEW IF NOT EXISTS decisions AS
  SELECT seq, time, caller, pack, date,
         json_extract(record, '$.item') AS item,
         coalesce(json_extract(record, '$.decision'), 'error') AS decision,
         json_extract(record, '$.error.code') AS error
  FROM entries WHERE kind = 'decision';
CREATE VIEW IF NOT EXISTS reviews AS
  SELECT seq, time, caller AS reviewer_caller,
         json_extract(options, '$.decision') AS decision_seq,
         json_extract(record, '$.outcome') AS outcome,
         json_extract(record, '$.reviewer') AS reviewer,
         json_extract(record, '$.note') AS note
  FROM entries WHERE kind = 'review';
)sql";

std::string SqliteError(sqlite3* db, const std::string& what) {
  return what + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
}

bool Exec(sqlite3* db, const char* sql, std::string* error) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    *error = std::string("the journal database: ") + (message ? message : sqlite3_errmsg(db));
    sqlite3_free(message);
    return false;
  }
  return true;
}

struct Statement {
  sqlite3_stmt* stmt = nullptr;
  bool owned = true;
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr); }
  // One of the journal's prepared statements: reset, with its bindings cleared, after use.
  explicit Statement(sqlite3_stmt* prepared) : stmt(prepared), owned(false) {}
  ~Statement() {
    if (owned) {
      sqlite3_finalize(stmt);
    } else {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
    }
  }
  explicit operator bool() const { return stmt != nullptr; }
  // The text must live until the statement is stepped (SQLITE_STATIC: no copy).
  void Text(int i, std::string_view s) {
    sqlite3_bind_text(stmt, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
  }
  std::string Column(int i) {
    const char* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt, i))) : std::string();
  }
};

bool WriteFileSynced(const fs::path& path, std::string_view bytes, std::string* error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "cannot write " + path.string() + ": " + std::strerror(errno);
    return false;
  }
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *error = "cannot write " + path.string() + ": " + std::strerror(errno);
      ::close(fd);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  bool ok = ::fsync(fd) == 0;
  if (!ok) *error = "cannot sync " + path.string() + ": " + std::strerror(errno);
  ::close(fd);
  return ok;
}

bool SyncDir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::string NowRfc3339() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  std::tm tm{};
  gmtime_r(&ts.tv_sec, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000);
  return buf;
}

std::unique_ptr<Journal> Journal::Open(const JournalOptions& options, std::string* error) {
  std::unique_ptr<Journal> journal(new Journal(options));
  if (!journal->OpenFiles(error)) return nullptr;
  // The writer thread commits what Submit queues, and writes a checkpoint
  // when one is due even while nothing is submitted (Append's entries too).
  journal->writer_ = std::thread([raw = journal.get()] { raw->WriterLoop(); });
  return journal;
}

bool Journal::OpenFiles(std::string* error) {
  std::error_code ec;
  fs::create_directories(fs::path(options_.dir) / "packs", ec);
  if (ec) {
    *error = "cannot create the journal folder " + options_.dir + ": " + ec.message();
    return false;
  }
  if (!options_.key_file.empty()) {
    std::ifstream in(options_.key_file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) {
      *error = "cannot read the journal key " + options_.key_file;
      return false;
    }
    std::string key_error;
    key_ = ParseSignerKey(text, &key_error);
    if (!key_) {
      *error = "the journal key " + options_.key_file + ": " + key_error;
      return false;
    }
  }
  std::string lock_path = (fs::path(options_.dir) / "lock").string();
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) {
    *error = "cannot open " + lock_path + ": " + std::strerror(errno);
    return false;
  }
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    *error = "the journal " + options_.dir + " is being written by another process";
    return false;
  }
  std::string db_path = (fs::path(options_.dir) / "journal.db").string();
  if (sqlite3_open_v2(db_path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    *error = SqliteError(db_, "cannot open " + db_path);
    return false;
  }
  sqlite3_busy_timeout(db_, 5000);
  // 16 KiB pages: an entry is about 1.4 KB, so fewer pages to write and index per entry.
  std::string pragmas = std::string("PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=") +
                        (options_.sync == SyncMode::kFull ? "FULL" : "NORMAL") + ";";
  if (!Exec(db_, pragmas.c_str(), error) || !Exec(db_, "BEGIN IMMEDIATE", error)) return false;
  if (!Exec(db_, kSchema, error)) {
    Exec(db_, "ROLLBACK", error);
    return false;
  }
  {
    Statement get(db_, "SELECT value FROM meta WHERE key = 'origin'");
    if (get && sqlite3_step(get.stmt) == SQLITE_ROW) origin_ = get.Column(0);
  }
  if (origin_.empty()) {
    // The origin names the log in its checkpoints; the key's name by
    // convention, else a fixed one.
    origin_ = key_ ? key_->name : "miaopi.local/journal";
    Statement put(db_, "INSERT INTO meta(key, value) VALUES ('format', '1'), ('origin', ?1), ('created', ?2)");
    std::string now = NowRfc3339();
    put.Text(1, origin_);
    put.Text(2, now);
    if (!put || sqlite3_step(put.stmt) != SQLITE_DONE) {
      *error = SqliteError(db_, "cannot write the journal's meta table");
      Exec(db_, "ROLLBACK", error);
      return false;
    }
  }
  if (!key_) {
    // A signed journal stays signed: an unsigned checkpoint after signed
    // ones would weaken what an auditor can check.
    Statement keys(db_, "SELECT substr(key, 5) FROM meta WHERE key LIKE 'key %' LIMIT 1");
    if (keys && sqlite3_step(keys.stmt) == SQLITE_ROW) {
      *error = "the journal's checkpoints are signed (by " + keys.Column(0) + "); give its key with --journal-key";
      Exec(db_, "ROLLBACK", error);
      return false;
    }
  }
  if (key_) {
    Statement put(db_, "INSERT OR IGNORE INTO meta(key, value) VALUES (?1, ?2)");
    std::string name = "key " + VerifierKeyText(VerifierOf(*key_)), now = NowRfc3339();
    put.Text(1, name);
    put.Text(2, now);
    if (!put || sqlite3_step(put.stmt) != SQLITE_DONE) {
      *error = SqliteError(db_, "cannot write the journal's meta table");
      Exec(db_, "ROLLBACK", error);
      return false;
    }
  }
  if (!Exec(db_, "COMMIT", error)) return false;

  // The tree from the stored leaf hashes, checked against the checkpoints
  // on the way: appending to a journal that was altered would hide it.
  std::vector<std::pair<uint64_t, Hash>> checkpoints;
  {
    Statement cps(db_, "SELECT size, note FROM checkpoints ORDER BY size");
    int rc = SQLITE_DONE;
    while (cps && (rc = sqlite3_step(cps.stmt)) == SQLITE_ROW) {
      std::string parse_error;
      OpenedNote note = OpenNote(cps.Column(1), nullptr);
      std::optional<journal::Checkpoint> cp = ParseCheckpoint(note.text, &parse_error);
      if (!note.error.empty() || !cp || cp->size != static_cast<uint64_t>(sqlite3_column_int64(cps.stmt, 0))) {
        *error = "the journal's checkpoint at size " + std::to_string(sqlite3_column_int64(cps.stmt, 0)) +
                 " is malformed; run `miaopi journal verify " + options_.dir + "`";
        return false;
      }
      checkpoints.emplace_back(cp->size, cp->root);
    }
    if (!cps || rc != SQLITE_DONE) {
      *error = SqliteError(db_, "cannot read the journal's checkpoints");
      return false;
    }
  }
  size_t next_checkpoint = 0;
  while (next_checkpoint < checkpoints.size() && checkpoints[next_checkpoint].first == 0) ++next_checkpoint;
  Statement leaves(db_, "SELECT seq, leaf_hash FROM entries ORDER BY seq");
  int step = SQLITE_DONE;
  while (leaves && (step = sqlite3_step(leaves.stmt)) == SQLITE_ROW) {
    uint64_t seq = static_cast<uint64_t>(sqlite3_column_int64(leaves.stmt, 0));
    std::optional<Hash> leaf = HashFromHex(leaves.Column(1));
    if (seq != tree_.size() || !leaf) {
      *error = "the journal's entries are not a gapless sequence with leaf hashes (at seq " + std::to_string(seq) +
               "); run `miaopi journal verify " + options_.dir + "`";
      return false;
    }
    tree_.Append(*leaf);
    while (next_checkpoint < checkpoints.size() && checkpoints[next_checkpoint].first == tree_.size()) {
      if (checkpoints[next_checkpoint].second != tree_.Root()) {
        *error = "the journal's entries do not match its checkpoint at size " + std::to_string(tree_.size()) +
                 "; run `miaopi journal verify " + options_.dir + "`";
        return false;
      }
      ++next_checkpoint;
    }
  }
  if (!leaves || step != SQLITE_DONE) {
    *error = SqliteError(db_, "cannot read the journal's entries");
    return false;
  }
  if (next_checkpoint < checkpoints.size()) {
    *error = "the journal has a checkpoint at size " + std::to_string(checkpoints.back().first) + " but only " +
             std::to_string(tree_.size()) + " entries; run `miaopi journal verify " + options_.dir + "`";
    return false;
  }
  checkpoint_size_ = checkpoints.empty() ? 0 : checkpoints.back().first;
  checkpoint_time_ = std::chrono::steady_clock::now();
  const std::pair<sqlite3_stmt**, const char*> statements[] = {
      {&begin_, "BEGIN IMMEDIATE"},
      {&commit_, "COMMIT"},
      {&insert_,
       "INSERT INTO entries(seq, kind, time, caller, pack, date, options, input, context, licences, record, leaf_hash) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"}};
  for (const auto& [stmt, sql] : statements) {
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, nullptr) != SQLITE_OK) {
      *error = SqliteError(db_, "cannot prepare the journal's statements");
      return false;
    }
  }
  opened_ = true;
  return true;
}

Journal::~Journal() {
  std::string ignored;
  Close(&ignored);
}

uint64_t Journal::size() const {
  std::lock_guard<std::mutex> lock(const_cast<std::mutex&>(write_mutex_));
  return tree_.size();
}

bool Journal::Archive(const Pack& pack, std::string* error) {
  const std::string& hash = pack.identity().hash;
  std::lock_guard<std::mutex> lock(archive_mutex_);
  if (archived_.count(hash)) return true;
  std::string hex = hash.substr(hash.find(':') + 1);
  fs::path packs = fs::path(options_.dir) / "packs";
  fs::path final_dir = packs / hex;
  std::error_code ec;
  if (fs::exists(final_dir, ec)) {
    // Kept by an earlier run: trusted only when it still hashes to its name
    // (a power cut before its folders reached the disk can leave it short).
    std::string ignored;
    if (ArchivedPackHash(final_dir.string(), &ignored) == hash) {
      archived_.insert(hash);
      return true;
    }
    fs::path aside = packs / (".damaged-" + hex + "-" + std::to_string(::time(nullptr)));
    fs::rename(final_dir, aside, ec);
    if (ec) {
      *error = "the archived pack " + final_dir.string() +
               " does not match its hash and cannot be moved aside: " + ec.message();
      return false;
    }
  }
  fs::path tmp = packs / (".tmp-" + hex + "-" + std::to_string(::getpid()));
  fs::remove_all(tmp, ec);
  std::vector<fs::path> folders{tmp};
  for (const auto& [path, text] : pack.files()) {
    fs::path target = tmp / path;
    for (fs::path dir = target.parent_path(); dir != tmp && !dir.empty(); dir = dir.parent_path()) {
      if (std::find(folders.begin(), folders.end(), dir) == folders.end()) folders.push_back(dir);
    }
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
      *error = "cannot archive the pack: " + ec.message();
      return false;
    }
    if (!WriteFileSynced(target, text, error)) return false;
  }
  // Every folder reaches the disk before the archive is named: deepest first.
  std::sort(folders.begin(), folders.end(),
            [](const fs::path& a, const fs::path& b) { return a.string().size() > b.string().size(); });
  for (const fs::path& dir : folders) {
    if (!SyncDir(dir)) {
      *error = "cannot sync " + dir.string() + ": " + std::strerror(errno);
      return false;
    }
  }
  fs::rename(tmp, final_dir, ec);
  if (ec) {
    *error = "cannot archive the pack under " + final_dir.string() + ": " + ec.message();
    return false;
  }
  if (!SyncDir(packs)) {
    *error = "cannot sync " + packs.string() + ": " + std::strerror(errno);
    return false;
  }
  archived_.insert(hash);
  return true;
}

bool Journal::CheckpointDue(bool force) const {
  if (tree_.size() == checkpoint_size_) return false;
  if (force || tree_.size() - checkpoint_size_ >= options_.checkpoint_every) return true;
  return std::chrono::steady_clock::now() - checkpoint_time_ >=
         std::chrono::duration<double>(options_.checkpoint_seconds);
}

bool Journal::WriteLocked(std::vector<Entry>* entries, bool force_checkpoint, std::string* error,
                          const MetaValues* meta) {
  int begun = sqlite3_step(begin_);
  sqlite3_reset(begin_);
  if (begun != SQLITE_DONE) {
    *error = SqliteError(db_, "the journal database: cannot begin a transaction");
    healthy_ = false;
    return false;
  }
  CompactRange tree = tree_;
  auto fail = [&](const std::string& what) {
    *error = SqliteError(db_, what);
    sqlite3_reset(insert_);
    sqlite3_reset(commit_);
    std::string ignored;
    Exec(db_, "ROLLBACK", &ignored);
    if (!sqlite3_get_autocommit(db_)) Exec(db_, "ROLLBACK", &ignored);  // never leave a transaction open
    healthy_ = false;
    return false;
  };
  {
    Statement insert(insert_);
    std::string time = NowRfc3339();
    for (Entry& e : *entries) {
      e.seq = tree.size();
      e.time = time;
      Hash leaf = EntryLeafHash(e);
      sqlite3_bind_int64(insert.stmt, 1, static_cast<sqlite3_int64>(e.seq));
      insert.Text(2, e.kind);
      insert.Text(3, e.time);
      insert.Text(4, e.caller);
      insert.Text(5, e.pack);
      insert.Text(6, e.date);
      insert.Text(7, e.options);
      insert.Text(8, e.input);
      insert.Text(9, e.context);
      insert.Text(10, e.licences);
      insert.Text(11, e.record);
      std::string leaf_hex = Hex(leaf);
      insert.Text(12, leaf_hex);
      if (sqlite3_step(insert.stmt) != SQLITE_DONE) return fail("cannot write the journal");
      sqlite3_reset(insert.stmt);
      tree.Append(leaf);
    }
  }
  if (meta) {
    Statement put(db_, "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2");
    if (!put) return fail("cannot write the journal's meta table");
    for (const auto& [key, value] : *meta) {
      put.Text(1, key);
      put.Text(2, value);
      if (sqlite3_step(put.stmt) != SQLITE_DONE) return fail("cannot write the journal's meta table");
      sqlite3_reset(put.stmt);
    }
  }
  bool checkpoint = false;
  if (tree.size() != checkpoint_size_ &&
      (force_checkpoint || tree.size() - checkpoint_size_ >= options_.checkpoint_every ||
       std::chrono::steady_clock::now() - checkpoint_time_ >=
           std::chrono::duration<double>(options_.checkpoint_seconds))) {
    std::string text = CheckpointText({origin_, tree.size(), tree.Root()});
    std::string note = key_ ? SignNote(text, *key_) : text;
    Statement insert(db_, "INSERT INTO checkpoints(size, time, note) VALUES (?1, ?2, ?3)");
    if (!insert || note.empty()) return fail("cannot write a checkpoint");
    std::string now = NowRfc3339();
    sqlite3_bind_int64(insert.stmt, 1, static_cast<sqlite3_int64>(tree.size()));
    insert.Text(2, now);
    insert.Text(3, note);
    if (sqlite3_step(insert.stmt) != SQLITE_DONE) return fail("cannot write a checkpoint");
    checkpoint = true;
  }
  if (sqlite3_step(commit_) != SQLITE_DONE) return fail("cannot commit the journal");
  sqlite3_reset(commit_);
  tree_ = tree;
  if (checkpoint) {
    checkpoint_size_ = tree_.size();
    checkpoint_time_ = std::chrono::steady_clock::now();
  }
  healthy_ = true;
  return true;
}

bool Journal::Append(std::vector<Entry>* entries, std::string* error) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  if (closed_) {
    *error = "the journal is closed";
    return false;
  }
  return WriteLocked(entries, false, error);
}

bool Journal::Append(std::vector<Entry>* entries, const MetaValues& meta, std::string* error) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  if (closed_) {
    *error = "the journal is closed";
    return false;
  }
  return WriteLocked(entries, false, error, &meta);
}

std::optional<std::string> Journal::Meta(const std::string& key) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  if (closed_) return std::nullopt;
  Statement get(db_, "SELECT value FROM meta WHERE key = ?1");
  if (!get) return std::nullopt;
  get.Text(1, key);
  if (sqlite3_step(get.stmt) != SQLITE_ROW) return std::nullopt;
  return get.Column(0);
}

std::optional<Entry> Journal::Get(uint64_t seq) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  if (closed_ || seq >= tree_.size()) return std::nullopt;
  Statement get(db_,
                "SELECT seq, kind, time, caller, pack, date, options, input, context, licences, record FROM entries "
                "WHERE seq = ?1");
  if (!get) return std::nullopt;
  sqlite3_bind_int64(get.stmt, 1, static_cast<sqlite3_int64>(seq));
  if (sqlite3_step(get.stmt) != SQLITE_ROW) return std::nullopt;
  Entry e;
  e.seq = seq;
  e.kind = get.Column(1);
  e.time = get.Column(2);
  e.caller = get.Column(3);
  e.pack = get.Column(4);
  e.date = get.Column(5);
  e.options = get.Column(6);
  e.input = get.Column(7);
  e.context = get.Column(8);
  e.licences = get.Column(9);
  e.record = get.Column(10);
  return e;
}

bool Journal::Checkpoint(std::string* error) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  if (closed_ || tree_.size() == checkpoint_size_) return true;
  std::vector<Entry> none;
  return WriteLocked(&none, true, error);
}

void Journal::Submit(Entry entry, Done done) {
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    if (!stopping_) {
      queue_.emplace_back(std::move(entry), std::move(done));
      done = nullptr;
    }
  }
  if (done) return done(nullptr, "the journal is closed");
  queue_cv_.notify_one();
}

void Journal::SetHandoff(Handoff handoff) {
  std::lock_guard<std::mutex> lock(queue_mutex_);
  handoff_ = std::move(handoff);
}

namespace {

// A committed group on its way to the hand-off's thread.
struct CommittedGroup {
  std::vector<Entry> entries;
  std::vector<Journal::Done> dones;
  bool ok = false;
  std::string error;
  void Run() {
    for (size_t i = 0; i < entries.size(); ++i) dones[i](ok ? &entries[i] : nullptr, error);
  }
};

}  // namespace

void Journal::WriterLoop() {
  std::vector<Entry> group;
  std::vector<Done> dones;
  Handoff handoff;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(queue_mutex_);
      queue_cv_.wait_for(lock, std::chrono::duration<double>(options_.checkpoint_seconds),
                         [&] { return stopping_ || !queue_.empty(); });
      handoff = handoff_;  // as it is now: set after the writer started, or cleared at shutdown
      if (queue_.empty() && stopping_) return;
      while (!queue_.empty() && group.size() < options_.max_group) {
        group.push_back(std::move(queue_.front().first));
        dones.push_back(std::move(queue_.front().second));
        queue_.pop_front();
      }
    }
    std::string error;
    if (group.empty()) {
      std::lock_guard<std::mutex> lock(write_mutex_);
      if (CheckpointDue(false)) {
        std::vector<Entry> none;
        WriteLocked(&none, true, &error);
      }
      continue;
    }
    bool ok;
    {
      std::lock_guard<std::mutex> lock(write_mutex_);
      ok = WriteLocked(&group, false, &error);
    }
    auto committed = std::make_shared<CommittedGroup>(CommittedGroup{std::move(group), std::move(dones), ok, error});
    group = {};
    dones = {};
    if (handoff) {
      handoff([committed = std::move(committed)] { committed->Run(); });
    } else {
      committed->Run();
    }
  }
}

bool Journal::Close(std::string* error) {
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  std::lock_guard<std::mutex> lock(write_mutex_);
  if (closed_) return true;
  bool ok = true;
  if (db_ != nullptr && opened_ && tree_.size() != checkpoint_size_) {
    std::vector<Entry> none;
    ok = WriteLocked(&none, true, error);
  }
  closed_ = true;
  for (sqlite3_stmt** stmt : {&begin_, &commit_, &insert_}) {
    sqlite3_finalize(*stmt);
    *stmt = nullptr;
  }
  if (db_ != nullptr) sqlite3_close(db_);
  db_ = nullptr;
  if (lock_fd_ >= 0) ::close(lock_fd_);
  lock_fd_ = -1;
  return ok;
}

}  // namespace miaopi::journal
