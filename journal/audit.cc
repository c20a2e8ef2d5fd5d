#include "journal/audit.h"

#include "journal/json_text.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace miaopi::journal {

namespace fs = std::filesystem;

namespace {

std::string Column(sqlite3_stmt* stmt, int i) {
  const char* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt, i))) : std::string();
}

struct Stmt {
  sqlite3_stmt* s = nullptr;
  Stmt(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &s, nullptr); }
  ~Stmt() { sqlite3_finalize(s); }
};

Entry EntryAt(sqlite3_stmt* s) {
  Entry e;
  e.seq = static_cast<uint64_t>(sqlite3_column_int64(s, 0));
  e.kind = Column(s, 1);
  e.time = Column(s, 2);
  e.caller = Column(s, 3);
  e.pack = Column(s, 4);
  e.date = Column(s, 5);
  e.options = Column(s, 6);
  e.input = Column(s, 7);
  e.context = Column(s, 8);
  e.licences = Column(s, 9);
  e.record = Column(s, 10);
  return e;
}

constexpr const char* kEntryColumns =
    "SELECT seq, kind, time, caller, pack, date, options, input, context, licences, record, leaf_hash FROM entries ";

std::string ReadAll(const fs::path& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  *ok = static_cast<bool>(in) || in.eof();
  return text;
}

}  // namespace

std::unique_ptr<JournalReader> JournalReader::Open(const std::string& dir, std::string* error) {
  std::string path = (fs::path(dir) / "journal.db").string();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    *error = "no journal in " + dir + " (" + path + " is missing)";
    return nullptr;
  }
  auto reader = std::unique_ptr<JournalReader>(new JournalReader());
  reader->dir_ = dir;
  if (sqlite3_open_v2(path.c_str(), &reader->db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    *error = "cannot open " + path + ": " + sqlite3_errmsg(reader->db_);
    return nullptr;
  }
  sqlite3_busy_timeout(reader->db_, 5000);
  // Every read of this reader sees one snapshot, so a writer committing
  // entries and a checkpoint meanwhile cannot look like a truncation.
  sqlite3_exec(reader->db_, "BEGIN", nullptr, nullptr, nullptr);
  Stmt check(reader->db_, "SELECT count(*) FROM sqlite_master WHERE name IN ('entries', 'checkpoints', 'meta')");
  if (check.s == nullptr || sqlite3_step(check.s) != SQLITE_ROW || sqlite3_column_int(check.s, 0) != 3) {
    *error = path + " is not a miaopi journal";
    return nullptr;
  }
  return reader;
}

JournalReader::~JournalReader() {
  sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(db_);
}

uint64_t JournalReader::size() {
  Stmt s(db_, "SELECT count(*) FROM entries");
  return s.s && sqlite3_step(s.s) == SQLITE_ROW ? static_cast<uint64_t>(sqlite3_column_int64(s.s, 0)) : 0;
}

std::string JournalReader::origin() {
  Stmt s(db_, "SELECT value FROM meta WHERE key = 'origin'");
  return s.s && sqlite3_step(s.s) == SQLITE_ROW ? Column(s.s, 0) : std::string();
}

std::vector<VerifierKey> JournalReader::keys() {
  std::vector<VerifierKey> keys;
  Stmt s(db_, "SELECT key FROM meta WHERE key LIKE 'key %'");
  while (s.s && sqlite3_step(s.s) == SQLITE_ROW) {
    std::string error;
    std::optional<VerifierKey> k = ParseVerifierKey(Column(s.s, 0).substr(4), &error);
    if (k) keys.push_back(*k);
  }
  return keys;
}

std::vector<StoredCheckpoint> JournalReader::checkpoints() {
  std::vector<StoredCheckpoint> out;
  Stmt s(db_, "SELECT size, time, note FROM checkpoints ORDER BY size");
  while (s.s && sqlite3_step(s.s) == SQLITE_ROW) {
    out.push_back({static_cast<uint64_t>(sqlite3_column_int64(s.s, 0)), Column(s.s, 1), Column(s.s, 2)});
  }
  return out;
}

bool JournalReader::ForEach(uint64_t from, uint64_t to, const std::function<bool(const Entry&, const std::string&)>& fn,
                            std::string* error) {
  std::string sql = std::string(kEntryColumns) + "WHERE seq >= ?1 AND seq < ?2 ORDER BY seq";
  Stmt s(db_, sql.c_str());
  if (s.s == nullptr) {
    *error = std::string("cannot read the journal: ") + sqlite3_errmsg(db_);
    return false;
  }
  sqlite3_bind_int64(s.s, 1, static_cast<sqlite3_int64>(std::min<uint64_t>(from, INT64_MAX)));
  sqlite3_bind_int64(s.s, 2, static_cast<sqlite3_int64>(std::min<uint64_t>(to, INT64_MAX)));
  int rc;
  while ((rc = sqlite3_step(s.s)) == SQLITE_ROW) {
    if (!fn(EntryAt(s.s), Column(s.s, 11))) return true;
  }
  if (rc != SQLITE_DONE) {
    *error = std::string("cannot read the journal: ") + sqlite3_errmsg(db_);
    return false;
  }
  return true;
}

std::optional<Entry> JournalReader::Get(uint64_t seq) {
  std::optional<Entry> out;
  std::string ignored;
  ForEach(
      seq, seq + 1,
      [&](const Entry& e, const std::string&) {
        out = e;
        return false;
      },
      &ignored);
  return out;
}

std::string ArchivedPackHash(const std::string& folder, std::string* error) {
  std::vector<std::string> files;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    *error = folder + " is missing";
    return {};
  }
  for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file()) files.push_back(it->path().lexically_relative(folder).string());
  }
  if (ec) {
    *error = "cannot list " + folder + ": " + ec.message();
    return {};
  }
  std::sort(files.begin(), files.end());
  std::string all;
  for (const std::string& f : files) {
    bool ok = false;
    std::string text = ReadAll(fs::path(folder) / f, &ok);
    if (!ok) {
      *error = "cannot read " + folder + "/" + f;
      return {};
    }
    all += f;
    all += '\0';
    all += std::to_string(text.size());
    all += '\0';
    all += text;
  }
  return "sha256:" + Hex(Sha256(all));
}

VerifyReport VerifyJournal(const std::string& dir, const VerifyOptions& options) {
  VerifyReport report;
  std::string error;
  std::unique_ptr<JournalReader> reader = JournalReader::Open(dir, &error);
  if (!reader) {
    report.problems.push_back(error);
    report.unreadable = true;
    return report;
  }
  auto problem = [&](std::string p) { report.problems.push_back(std::move(p)); };
  uint64_t total = reader->size();
  std::vector<Hash> leaves;
  leaves.reserve(total);
  std::map<std::string, uint64_t> packs;  // hash → first seq that names it
  uint64_t expected = 0;
  bool read_ok = reader->ForEach(
      0, UINT64_MAX,
      [&](const Entry& e, const std::string& stored) {
        if (e.seq != expected) {
          problem(e.seq > expected ? "entries " + std::to_string(expected) + " to " + std::to_string(e.seq - 1) +
                                         " are missing (deleted)"
                                   : "entry " + std::to_string(e.seq) + " is out of order");
          expected = e.seq;
        }
        Hash leaf = EntryLeafHash(e);
        if (Hex(leaf) != stored) {
          problem("entry " + std::to_string(e.seq) +
                  " does not match its leaf hash: it was changed after it was written");
        }
        leaves.push_back(leaf);
        if (e.kind == "decision" && !e.pack.empty()) packs.emplace(e.pack, e.seq);
        if (e.kind != "decision" && e.kind != "review")
          problem("entry " + std::to_string(e.seq) + " has an unknown kind");
        ++expected;
        if (options.progress && expected % 4096 == 0) options.progress(expected, total);
        return true;
      },
      &error);
  if (!read_ok) problem(error);
  report.entries = leaves.size();
  if (read_ok && total != leaves.size()) {
    problem(std::to_string(total - std::min<uint64_t>(total, leaves.size())) +
            " rows have a seq outside 0 … 2^63−2 (rows added by hand)");
  }

  std::vector<VerifierKey> keys;
  if (options.key != nullptr) {
    keys.push_back(*options.key);
  } else {
    keys = reader->keys();
    report.warnings.push_back(
        "checked against the keys the journal names; give --public-key for a check that does not trust the journal");
  }
  std::string origin = reader->origin();
  CompactRange tree;
  uint64_t last_size = 0;
  auto root_at = [&](uint64_t size) {
    while (tree.size() < size) tree.Append(leaves[tree.size()]);
    return tree.Root();
  };
  auto check_note = [&](const std::string& note_text, const std::string& where, bool* is_signed) -> bool {
    *is_signed = false;
    std::string parse_error;
    OpenedNote note;
    for (const VerifierKey& k : keys) {
      note = OpenNote(note_text, &k);
      if (!note.error.empty() || note.signed_by) break;
    }
    if (keys.empty()) note = OpenNote(note_text, nullptr);
    if (!note.error.empty()) {
      problem(where + ": " + note.error);
      return false;
    }
    std::optional<Checkpoint> cp = ParseCheckpoint(note.text, &parse_error);
    if (!cp) {
      problem(where + ": " + parse_error);
      return false;
    }
    *is_signed = note.signed_by;
    if (!keys.empty() && !note.signed_by) {
      problem(where + " is not signed by " + keys.front().name +
              (note.signatures > 0 ? " (its signature is by another key)" : " (it has no signature)"));
    }
    if (cp->origin != origin)
      problem(where + " names the origin '" + cp->origin + "', not the journal's '" + origin + "'");
    if (cp->size > leaves.size()) {
      problem(where + " covers " + std::to_string(cp->size) + " entries but the journal holds " +
              std::to_string(leaves.size()) + ": entries were deleted from its end");
      return false;
    }
    if (root_at(cp->size) != cp->root) {
      problem(where + ": the root of the first " + std::to_string(cp->size) +
              " entries is not the signed one: entries were changed, deleted or reordered");
    }
    return true;
  };
  for (const StoredCheckpoint& c : reader->checkpoints()) {
    ++report.checkpoints;
    std::string where = "the checkpoint at size " + std::to_string(c.size);
    bool is_signed = false;
    if (c.size < tree.size()) tree = CompactRange();  // never: sizes ascend
    OpenedNote plain = OpenNote(c.note, nullptr);
    std::string ignored;
    std::optional<Checkpoint> cp = ParseCheckpoint(plain.text, &ignored);
    if (cp && cp->size != c.size) problem(where + " holds a note for size " + std::to_string(cp->size));
    if (check_note(c.note, where, &is_signed) && is_signed) ++report.signed_checkpoints;
    last_size = std::max(last_size, c.size);
  }
  if (!options.checkpoint.empty()) {
    bool is_signed = false;
    tree = CompactRange();
    check_note(options.checkpoint, "the checkpoint given with --checkpoint", &is_signed);
  }
  report.uncovered = leaves.size() > last_size ? leaves.size() - last_size : 0;
  if (report.uncovered > 0) {
    report.warnings.push_back(std::to_string(report.uncovered) +
                              " entries after the last checkpoint are not yet covered by one (the next checkpoint, "
                              "or closing the journal, covers them)");
  }
  if (report.checkpoints > 0 && report.signed_checkpoints == 0 && keys.empty()) {
    report.warnings.push_back(
        "the checkpoints are not signed: give the journal a key (--journal-key) so that "
        "a rewritten journal can be told from the original");
  }
  for (const auto& [hash, seq] : packs) {
    std::string folder = (fs::path(dir) / "packs" / hash.substr(hash.find(':') + 1)).string();
    std::string hash_error;
    std::string actual = ArchivedPackHash(folder, &hash_error);
    ++report.packs;
    if (actual.empty()) {
      problem("the pack " + hash + " that decided entry " + std::to_string(seq) + " is not archived: " + hash_error);
    } else if (actual != hash) {
      problem("the archived pack " + hash + " hashes to " + actual + ": its files were changed");
    }
  }
  report.ok = report.problems.empty();
  return report;
}

namespace {

bool LatestCheckpoint(JournalReader& reader, uint64_t min_size, StoredCheckpoint* out, std::string* error) {
  std::vector<StoredCheckpoint> cps = reader.checkpoints();
  if (cps.empty() || cps.back().size < min_size) {
    *error = "no checkpoint covers it yet (the journal writes one every N entries or T seconds, and on close)";
    return false;
  }
  *out = cps.back();
  return true;
}

bool Leaves(JournalReader& reader, uint64_t size, std::vector<Hash>* leaves, std::string* error) {
  if (size > reader.size()) {
    *error = "the journal holds fewer entries than its checkpoint; run `miaopi journal verify`";
    return false;
  }
  leaves->reserve(size);
  bool ok = reader.ForEach(
      0, size,
      [&](const Entry& e, const std::string&) {
        leaves->push_back(EntryLeafHash(e));
        return true;
      },
      error);
  if (ok && leaves->size() != size) {
    *error = "the journal holds fewer entries than its checkpoint; run `miaopi journal verify`";
    return false;
  }
  return ok;
}

template <typename W>
void Hashes(W& w, const std::vector<Hash>& hashes) {
  w.StartArray();
  for (const Hash& h : hashes) WriteString(w, Base64(AsBytes(h)));
  w.EndArray();
}

std::optional<std::vector<Hash>> ParseHashes(const rapidjson::Value& v) {
  if (!v.IsArray()) return std::nullopt;
  std::vector<Hash> out;
  for (const rapidjson::Value& h : v.GetArray()) {
    if (!h.IsString()) return std::nullopt;
    std::optional<Hash> hash = HashFromBase64(std::string_view(h.GetString(), h.GetStringLength()));
    if (!hash) return std::nullopt;
    out.push_back(*hash);
  }
  return out;
}

}  // namespace

bool ProveInclusion(const std::string& dir, uint64_t seq, std::string* proof_json, std::string* error) {
  std::unique_ptr<JournalReader> reader = JournalReader::Open(dir, error);
  if (!reader) return false;
  std::optional<Entry> entry = reader->Get(seq);
  if (!entry) {
    *error = "the journal has no entry " + std::to_string(seq) + " (it holds " + std::to_string(reader->size()) + ")";
    return false;
  }
  StoredCheckpoint cp;
  if (!LatestCheckpoint(*reader, seq + 1, &cp, error)) {
    *error = "entry " + std::to_string(seq) + ": " + *error;
    return false;
  }
  std::vector<Hash> leaves;
  if (!Leaves(*reader, cp.size, &leaves, error)) return false;
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("format");
  w.String("miaopi-inclusion-proof/1");
  w.Key("entry");
  std::string entry_json = EntryToJson(*entry);
  w.RawValue(entry_json.data(), entry_json.size(), rapidjson::kObjectType);
  w.Key("leaf_index");
  w.Uint64(seq);
  w.Key("tree_size");
  w.Uint64(cp.size);
  w.Key("proof");
  Hashes(w, InclusionProof(leaves, seq));
  w.Key("checkpoint");
  WriteString(w, cp.note);
  w.EndObject();
  *proof_json = std::string(buffer.GetString(), buffer.GetSize());
  return true;
}

bool ProveConsistency(const std::string& dir, uint64_t old_size, uint64_t new_size, std::string* proof_json,
                      std::string* error) {
  std::unique_ptr<JournalReader> reader = JournalReader::Open(dir, error);
  if (!reader) return false;
  std::vector<StoredCheckpoint> cps = reader->checkpoints();
  if (cps.empty()) {
    *error = "the journal has no checkpoint yet";
    return false;
  }
  if (new_size == 0) new_size = cps.back().size;
  const StoredCheckpoint* old_cp = nullptr;
  const StoredCheckpoint* new_cp = nullptr;
  for (const StoredCheckpoint& c : cps) {
    if (c.size == old_size) old_cp = &c;
    if (c.size == new_size) new_cp = &c;
  }
  if (old_cp == nullptr || new_cp == nullptr || old_size > new_size || old_size == 0) {
    std::string sizes;
    for (const StoredCheckpoint& c : cps) sizes += (sizes.empty() ? "" : ", ") + std::to_string(c.size);
    *error = "both sizes must be checkpoints, the first not larger and not 0; the journal's checkpoints: " + sizes;
    return false;
  }
  std::vector<Hash> leaves;
  if (!Leaves(*reader, new_size, &leaves, error)) return false;
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("format");
  w.String("miaopi-consistency-proof/1");
  w.Key("old_checkpoint");
  WriteString(w, old_cp->note);
  w.Key("new_checkpoint");
  WriteString(w, new_cp->note);
  w.Key("proof");
  Hashes(w, ConsistencyProof(leaves, old_size));
  w.EndObject();
  *proof_json = std::string(buffer.GetString(), buffer.GetSize());
  return true;
}

ProofCheck CheckProof(std::string_view proof_json, const VerifierKey& key) {
  ProofCheck out;
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(proof_json.data(), proof_json.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("format") || !doc["format"].IsString()) {
    out.message = "not a miaopi proof (a JSON object with a \"format\")";
    return out;
  }
  std::string format = doc["format"].GetString();
  auto signed_checkpoint = [&](const char* member, Checkpoint* cp) -> bool {
    if (!doc.HasMember(member) || !doc[member].IsString()) {
      out.message = std::string("the proof has no ") + member;
      return false;
    }
    OpenedNote note = OpenNote(std::string_view(doc[member].GetString(), doc[member].GetStringLength()), &key);
    if (!note.error.empty() || !note.signed_by) {
      out.message = "the checkpoint is not signed by " + key.name + (note.error.empty() ? "" : ": " + note.error);
      return false;
    }
    std::string error;
    std::optional<Checkpoint> parsed = ParseCheckpoint(note.text, &error);
    if (!parsed) {
      out.message = "the checkpoint: " + error;
      return false;
    }
    *cp = *parsed;
    return true;
  };
  if (format == "miaopi-inclusion-proof/1") {
    Checkpoint cp;
    if (!signed_checkpoint("checkpoint", &cp)) return out;
    if (!doc.HasMember("entry") || !doc["entry"].IsObject() || !doc.HasMember("leaf_index") ||
        !doc["leaf_index"].IsUint64() || !doc.HasMember("tree_size") || !doc["tree_size"].IsUint64() ||
        !doc.HasMember("proof")) {
      out.message = "the proof lacks its entry, leaf_index, tree_size or proof";
      return out;
    }
    // The entry is flat (a number and strings): read it member by member,
    // never re-serializing what an untrusted proof holds.
    std::string error;
    std::optional<Entry> entry = EntryFromValue(doc["entry"], &error);
    std::optional<std::vector<Hash>> proof = ParseHashes(doc["proof"]);
    uint64_t index = doc["leaf_index"].GetUint64(), size = doc["tree_size"].GetUint64();
    if (!entry || !proof) {
      out.message = entry ? "the proof's hashes are not base64 SHA-256 hashes" : "the entry: " + error;
      return out;
    }
    if (entry->seq != index || size != cp.size) {
      out.message = "the entry's seq, the leaf index and the checkpoint's size disagree";
      return out;
    }
    if (!VerifyInclusion(index, size, EntryLeafHash(*entry), *proof, cp.root)) {
      out.message = "the entry is not in the tree the checkpoint signs: the entry or the proof was altered";
      return out;
    }
    out.ok = true;
    out.message = "entry " + std::to_string(index) + " is in " + cp.origin + " at tree size " + std::to_string(size) +
                  ", signed by " + key.name;
    return out;
  }
  if (format == "miaopi-consistency-proof/1") {
    Checkpoint old_cp, new_cp;
    if (!signed_checkpoint("old_checkpoint", &old_cp) || !signed_checkpoint("new_checkpoint", &new_cp)) return out;
    std::optional<std::vector<Hash>> proof =
        doc.HasMember("proof") ? ParseHashes(doc["proof"]) : std::optional<std::vector<Hash>>();
    if (!proof) {
      out.message = "the proof's hashes are not base64 SHA-256 hashes";
      return out;
    }
    if (old_cp.origin != new_cp.origin) {
      out.message = "the two checkpoints are of different logs";
      return out;
    }
    if (!VerifyConsistency(old_cp.size, new_cp.size, old_cp.root, new_cp.root, *proof)) {
      out.message = "the tree at size " + std::to_string(new_cp.size) + " does not extend the one at size " +
                    std::to_string(old_cp.size) + ": the log was rewritten";
      return out;
    }
    out.ok = true;
    out.message = "the log " + new_cp.origin + " only grew from " + std::to_string(old_cp.size) + " to " +
                  std::to_string(new_cp.size) + " entries, signed by " + key.name;
    return out;
  }
  out.message = "unknown proof format '" + format + "'";
  return out;
}

}  // namespace miaopi::journal
