// The SQLite licence store: one table, indexed by (type, holder_id) and
// (type, number); a small pool of read-only connections so lookups from many
// threads do not wait on one handle.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "dsl/date.h"
#include "engine/include/miaopi/licences.h"
#include "engine/runtime/json_parse.h"

namespace miaopi {

namespace {

// How long a reader or the importer waits for a lock another process holds.
constexpr int kBusyTimeoutMs = 10000;

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS licences ("
    "  type TEXT NOT NULL, number TEXT NOT NULL, holder_id TEXT NOT NULL, holder_kind TEXT NOT NULL,"
    "  json TEXT NOT NULL, PRIMARY KEY (type, number));"
    "CREATE INDEX IF NOT EXISTS licences_by_holder ON licences (type, holder_id);";

// What changed in a WAL-mode database, read without a system call: the two
// copies of the WAL-index header at the start of the -shm file, which every
// commit rewrites (its transaction counter, last frame and salts; SQLite's
// file format, "The WAL-Index Format"). While a reader has the database open
// the file stays in WAL mode and the -shm file stays in place.
class WalWatch {
 public:
  static constexpr size_t kHeaderWords = 12;  // one WalIndexHdr: 48 bytes
  struct Token {
    uint32_t words[kHeaderWords] = {};
    bool operator==(const Token& o) const { return std::memcmp(words, o.words, sizeof words) == 0; }
  };

  ~WalWatch() {
    if (map_ != nullptr) ::munmap(const_cast<uint32_t*>(map_), kMapBytes);
  }

  bool Open(const std::string& shm_path) {
    int fd = ::open(shm_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || static_cast<size_t>(st.st_size) < kMapBytes) {
      ::close(fd);
      return false;
    }
    void* map = ::mmap(nullptr, kMapBytes, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) return false;
    map_ = static_cast<const uint32_t*>(map);
    return true;
  }

  // The current header; false while a commit is writing it (the copies differ).
  bool Read(Token* out) const {
    Token second;
    for (size_t i = 0; i < kHeaderWords; ++i) out->words[i] = __atomic_load_n(&map_[i], __ATOMIC_ACQUIRE);
    for (size_t i = 0; i < kHeaderWords; ++i)
      second.words[i] = __atomic_load_n(&map_[kHeaderWords + i], __ATOMIC_ACQUIRE);
    // isInit is the low byte of the fourth word.
    return *out == second && (out->words[3] & 0xff) != 0;
  }

 private:
  static constexpr size_t kMapBytes = 2 * kHeaderWords * sizeof(uint32_t);
  const uint32_t* map_ = nullptr;
};

class SqliteLicences : public LicenceStore {
 public:
  explicit SqliteLicences(std::string path) : path_(std::move(path)) {}

  ~SqliteLicences() override {
    for (auto& c : all_) {
      sqlite3_finalize(c->find);
      sqlite3_close(c->db);
    }
  }

  bool Open(std::string* error) {
    Connection* c = Acquire(error);
    if (c == nullptr) return false;
    // Answers are cached only when a change can be seen without asking
    // SQLite: a database in WAL mode (what `licences import` writes).
    sqlite3_stmt* mode = nullptr;
    if (sqlite3_prepare_v2(c->db, "PRAGMA journal_mode", -1, &mode, nullptr) == SQLITE_OK &&
        sqlite3_step(mode) == SQLITE_ROW) {
      const char* text = reinterpret_cast<const char*>(sqlite3_column_text(mode, 0));
      if (text != nullptr && std::string_view(text) == "wal") {
        auto watch = std::make_unique<WalWatch>();
        if (watch->Open(path_ + "-shm")) watch_ = std::move(watch);
      }
    }
    sqlite3_finalize(mode);
    Release(c);
    return true;
  }

  // The WAL-index header, folded: it changes with every commit.
  uint64_t Generation() override {
    WalWatch::Token token;
    if (watch_ == nullptr || !watch_->Read(&token)) return 0;
    uint64_t h = 1469598103934665603ull;  // FNV-1a, a word at a time
    for (uint32_t word : token.words) h = (h ^ word) * 1099511628211ull;
    return h | 1;
  }

  // Each connection (one thread at a time) keeps the answers it gave while
  // the database did not change: a lookup then costs no query and no lock.
  // A commit anywhere changes the token and empties every cache, so no
  // answer is served after the licences it came from changed.
  bool Find(std::string_view type, std::string_view key, std::vector<LicenceRecord>* out) override {
    std::string error;
    Connection* c = Acquire(&error);
    if (c == nullptr) return false;
    WalWatch::Token before;
    bool cacheable = watch_ != nullptr && watch_->Read(&before);
    std::string cache_key;
    if (cacheable) {
      if (!(before == c->token)) {
        c->cache.clear();
        c->token = before;
      }
      cache_key.reserve(type.size() + key.size() + 1);
      cache_key.append(type).append(1, '\n').append(key);
      auto hit = c->cache.find(cache_key);
      if (hit != c->cache.end()) {
        out->insert(out->end(), hit->second.begin(), hit->second.end());
        Release(c);
        return true;
      }
    }
    size_t first = out->size();
    sqlite3_stmt* st = c->find;
    sqlite3_bind_text(st, 1, type.data(), static_cast<int>(type.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      const char* text = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      int bytes = sqlite3_column_bytes(st, 0);  // the whole text, NUL bytes and all
      out->push_back({text ? std::string(text, static_cast<size_t>(bytes)) : std::string(),
                      "licences row " + std::to_string(sqlite3_column_int64(st, 1))});
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    // Kept only when nothing committed while it was read.
    WalWatch::Token after;
    if (rc == SQLITE_DONE && cacheable && watch_->Read(&after) && after == before) {
      if (c->cache.size() >= kCacheEntries) c->cache.clear();
      c->cache.emplace(std::move(cache_key), std::vector<LicenceRecord>(out->begin() + first, out->end()));
    }
    Release(c);
    return rc == SQLITE_DONE;
  }

 private:
  // One read-only connection with its prepared lookup, used by one thread at a time.
  struct Connection {
    sqlite3* db = nullptr;
    sqlite3_stmt* find = nullptr;
    WalWatch::Token token;                                              // the database state the cache is of
    std::unordered_map<std::string, std::vector<LicenceRecord>> cache;  // "type\nkey" → answer
  };
  // Answers a connection keeps before it starts afresh.
  static constexpr size_t kCacheEntries = 200000;

  Connection* Acquire(std::string* error) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!idle_.empty()) {
        Connection* c = idle_.back();
        idle_.pop_back();
        return c;
      }
    }
    auto c = std::make_unique<Connection>();
    if (sqlite3_open_v2(path_.c_str(), &c->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
      *error = "cannot open licence database " + path_ + ": " + (c->db ? sqlite3_errmsg(c->db) : "out of memory");
      sqlite3_close(c->db);
      return nullptr;
    }
    // The library is written in WAL mode (ImportLicences), so lookups read
    // the last committed state while an import writes, and the import does
    // not wait for them; every lookup is its own read transaction, so a
    // change is seen by the next decision. Where a lock is held anyway (a
    // database still in rollback mode), wait for it rather than fail.
    sqlite3_busy_timeout(c->db, kBusyTimeoutMs);
    // Two searches, each on its own index (licences_by_holder, then the
    // primary key); a single OR would scan every licence of the type.
    const char* sql =
        "SELECT json, rowid FROM licences WHERE type = ?1 AND holder_id = ?2 "
        "UNION ALL SELECT json, rowid FROM licences WHERE type = ?1 AND number = ?2 AND holder_id <> ?2";
    if (sqlite3_prepare_v2(c->db, sql, -1, &c->find, nullptr) != SQLITE_OK) {
      int code = sqlite3_errcode(c->db);
      *error = code == SQLITE_BUSY || code == SQLITE_LOCKED
                   ? "licence database " + path_ + " is locked by another process (waited " +
                         std::to_string(kBusyTimeoutMs / 1000) + " s): " + sqlite3_errmsg(c->db)
                   : path_ + " is not a licence database: " + sqlite3_errmsg(c->db);
      sqlite3_close(c->db);
      return nullptr;
    }
    std::lock_guard<std::mutex> lock(mu_);
    all_.push_back(std::move(c));
    return all_.back().get();
  }

  void Release(Connection* c) {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(c);
  }

  std::string path_;
  std::unique_ptr<WalWatch> watch_;  // null: no cache
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> all_;
  std::vector<Connection*> idle_;
};

bool IsString(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  return it != v.MemberEnd() && it->value.IsString() && it->value.GetStringLength() > 0;
}

std::string CheckDate(const rapidjson::Value& v, const char* key, bool required) {
  auto it = v.FindMember(key);
  if (it == v.MemberEnd() || it->value.IsNull()) return required ? std::string("\"") + key + "\" is missing" : "";
  if (!it->value.IsString() || !dsl::ParseIsoDate(it->value.GetString())) {
    return std::string("\"") + key + "\" is not a date YYYY-MM-DD";
  }
  return "";
}

}  // namespace

std::string CheckLicenceJson(std::string_view json) {
  rapidjson::Document doc;
  ErrorRecord error;
  // The decision path's parser: no NUL byte, no duplicate member (a record
  // with two "status" members would read as either), depth and size limits.
  if (!engine::ParseApplication(json, Limits{}, &doc, &error)) return error.code + ": " + error.message;
  if (!doc.IsObject()) return "a licence is a JSON object";
  for (const char* key : {"type", "number", "status"}) {
    if (!IsString(doc, key)) return std::string("\"") + key + "\" must be a non-empty string";
  }
  auto holder = doc.FindMember("holder");
  if (holder == doc.MemberEnd() || !holder->value.IsObject() || !IsString(holder->value, "id") ||
      !IsString(holder->value, "kind")) {
    return "\"holder\" must be an object with \"id\" and \"kind\"";
  }
  std::string kind = holder->value["kind"].GetString();
  if (kind != "natural_person" && kind != "legal_person") {
    return "holder.kind must be natural_person or legal_person, not \"" + kind + "\"";
  }
  auto related = doc.FindMember("related");
  if (related != doc.MemberEnd() && !related->value.IsNull()) {
    if (!related->value.IsArray()) return "\"related\" must be a list";
    for (const auto& party : related->value.GetArray()) {
      if (!party.IsObject() || !IsString(party, "id") || !IsString(party, "relation")) {
        return "each related party has \"id\" and \"relation\"";
      }
    }
  }
  for (std::string problem : {CheckDate(doc, "issued", false), CheckDate(doc, "expires", false)}) {
    if (!problem.empty()) return problem;
  }
  auto fields = doc.FindMember("fields");
  if (fields != doc.MemberEnd() && !fields->value.IsObject() && !fields->value.IsNull()) {
    return "\"fields\" must be an object";
  }
  return "";
}

std::shared_ptr<LicenceStore> OpenSqliteLicences(const std::string& path, std::string* error) {
  // SQLite's memory statistics take a global mutex on every allocation,
  // which serializes lookups from many threads; miaopi does not read them.
  // (Only possible before SQLite initializes; later it is a harmless error.)
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  auto store = std::make_shared<SqliteLicences>(path);
  if (!store->Open(error)) return nullptr;
  return store;
}

LicenceImportReport ImportLicences(std::istream& jsonl, const std::string& db_path) {
  LicenceImportReport report;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    report.fatal = "cannot open " + db_path + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return report;
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  char* message = nullptr;
  // WAL: engines reading the library go on while this import writes.
  if (sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, &message) != SQLITE_OK ||
      sqlite3_exec(db, kSchema, nullptr, nullptr, &message) != SQLITE_OK ||
      sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, &message) != SQLITE_OK) {
    int code = sqlite3_errcode(db);
    report.fatal = (code == SQLITE_BUSY || code == SQLITE_LOCKED ? db_path + " is locked by another process (waited " +
                                                                       std::to_string(kBusyTimeoutMs / 1000) + " s)"
                                                                 : std::string("cannot prepare ") + db_path) +
                   ": " + (message ? message : sqlite3_errmsg(db));
    sqlite3_free(message);
    sqlite3_close(db);
    return report;
  }
  sqlite3_stmt* exists = nullptr;
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "SELECT 1 FROM licences WHERE type = ?1 AND number = ?2", -1, &exists, nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT OR REPLACE INTO licences (type, number, holder_id, holder_kind, json) "
                     "VALUES (?1, ?2, ?3, ?4, ?5)",
                     -1, &insert, nullptr);
  std::string line;
  for (size_t n = 1; std::getline(jsonl, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::string problem = CheckLicenceJson(line);
    if (!problem.empty()) {
      report.errors.push_back("line " + std::to_string(n) + ": " + problem);
      continue;
    }
    rapidjson::Document doc;
    doc.Parse(line.c_str(), line.size());
    std::string type = doc["type"].GetString(), number = doc["number"].GetString();
    std::string holder_id = doc["holder"]["id"].GetString(), holder_kind = doc["holder"]["kind"].GetString();
    sqlite3_bind_text(exists, 1, type.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(exists, 2, number.c_str(), -1, SQLITE_TRANSIENT);
    bool replacing = sqlite3_step(exists) == SQLITE_ROW;
    sqlite3_reset(exists);
    sqlite3_bind_text(insert, 1, type.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 2, number.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 3, holder_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 4, holder_kind.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 5, line.c_str(), static_cast<int>(line.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(insert) != SQLITE_DONE) {
      report.errors.push_back("line " + std::to_string(n) + ": " + sqlite3_errmsg(db));
    } else if (replacing) {
      ++report.replaced;
    } else {
      ++report.imported;
    }
    sqlite3_reset(insert);
  }
  sqlite3_finalize(exists);
  sqlite3_finalize(insert);
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, &message) != SQLITE_OK) {
    report.fatal = std::string("cannot commit to ") + db_path + ": " + (message ? message : "");
    sqlite3_free(message);
  }
  sqlite3_close(db);
  return report;
}

}  // namespace miaopi
