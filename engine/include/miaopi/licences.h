// The electronic licence library (电子证照库) behind certificate-free handling
// (免证办). The engine asks a LicenceStore for licences by type and key (a
// holder id or a licence number) and decides itself which of them the
// logged-in subject may see: only its own, or those that list it as a
// related party — and a legal person's licences only at a legal-person
// login, a natural person's only at a natural-person login. Anything else is
// "not found". A backend may plug in the provincial service instead of the
// embedded SQLite store.
#pragma once

#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace miaopi {

// One licence as JSON:
// {"type": "business_licence", "number": "…", "holder": {"id": "…", "kind": "legal_person", "name": "…"},
//  "related": [{"id": "…", "relation": "legal_representative"}], "status": "valid",
//  "issued": "2020-01-01", "expires": "2030-01-01" | null, "issuer": "…", "fields": {…}}
struct LicenceRecord {
  std::string json;
  std::string row;  // where the store keeps it ("licences row 42"), for messages; may be empty
};

class LicenceStore {
 public:
  virtual ~LicenceStore() = default;
  // Every licence of `type` whose holder id or number equals `key`. False
  // when the store could not answer; the licence is then unknown (review).
  // Called from many threads at once.
  virtual bool Find(std::string_view type, std::string_view key, std::vector<LicenceRecord>* out) = 0;
  // A number that changes whenever any licence may have changed (non-zero),
  // or 0 when the store cannot tell. While it stays the same, the engine
  // keeps each answer parsed and asks again only for new keys; 0 means
  // every lookup asks. Called from many threads at once, per lookup: it must
  // be cheap (the SQLite store reads its WAL index, no query, no lock).
  virtual uint64_t Generation() { return 0; }
};

// The embedded store: an SQLite file written by ImportLicences
// (`miaopi licences import`). Null with `error` set when it cannot be opened.
std::shared_ptr<LicenceStore> OpenSqliteLicences(const std::string& path, std::string* error);

struct LicenceImportReport {
  size_t imported = 0;              // new licences
  size_t replaced = 0;              // licences whose (type, number) was already there
  std::vector<std::string> errors;  // "line 7: …" for every line not imported
  std::string fatal;                // the database could not be written
};

// Reads JSONL licence records and stores them in the SQLite file `db_path`
// (created when missing). Every line is checked; bad lines are reported and
// skipped, the rest go in one transaction.
LicenceImportReport ImportLicences(std::istream& jsonl, const std::string& db_path);

// A store held in memory, from licence records as JSON (each checked as by
// CheckLicenceJson): for tests, benchmarks, and backends that keep the
// library in memory. Null with `error` set at the first bad record.
std::shared_ptr<LicenceStore> MemoryLicences(const std::vector<std::string>& records, std::string* error);

// Checks one licence record; empty when it is well formed, else what is wrong.
std::string CheckLicenceJson(std::string_view json);

}  // namespace miaopi
