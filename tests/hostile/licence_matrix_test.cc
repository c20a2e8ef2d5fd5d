// The licence-status matrix: for every Nanhai item that reads a licence, its
// approved test case decided again with that licence in every state the
// library can hold it — status × expiry × issue date × login kind × holder,
// corrupt rows included, through the real SQLite store. Nothing is approved
// unless the licence is in force on the evaluation date and the logged-in
// subject's own (or lists it as a related party), at a login of its kind; and
// in exactly the clean state it is approved (so the matrix is not vacuous).
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "dsl/date.h"
#include "engine/include/miaopi/licences.h"
#include "engine/include/miaopi/miaopi.h"
#include "tests/testing/golden.h"

namespace miaopi {
namespace {

namespace fs = std::filesystem;
using testing::SourceDir;

std::string Text(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  v.Accept(w);
  return {buffer.GetString(), buffer.GetSize()};
}

bool Is(const rapidjson::Value& v, const std::string& s) {
  return v.IsString() && std::string_view(v.GetString(), v.GetStringLength()) == s;
}

rapidjson::Document Parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text.substr(0, 200);
  return doc;
}

std::string ShiftDate(const std::string& date, int days) { return dsl::FormatIsoDate(*dsl::ParseIsoDate(date) + days); }

// The item, its licence type and the approved case of its tests.
struct Subject {
  std::string file, item, type;
};
void PrintTo(const Subject& s, std::ostream* os) { *os << s.item << " " << s.type; }

const Subject kItems[] = {
    {"p01_birth.json", "NH-P01", "birth_certificate"},
    {"p02_senior.json", "NH-P02", "household_register"},
    {"p03_residence.json", "NH-P03", "id_card"},
    {"p04_pension.json", "NH-P04", "social_security_card"},
    {"p04_pension_2025.json", "NH-P04", "social_security_card"},
    {"p05_disability.json", "NH-P05", "disability_certificate"},
    {"b01_individual.json", "NH-B01", "id_card"},
    {"b02_food_filing.json", "NH-B02", "business_licence"},
    {"b03_food_renewal.json", "NH-B03", "business_licence"},
    {"b04_signboard.json", "NH-B04", "business_licence"},
    {"b05_investment.json", "NH-B05", "business_licence"},
};

// One state of the licence: what is written into its row.
struct Variant {
  std::string status;     // a string, or "<missing>" / "<number>" for corrupt rows
  std::string expires;    // a date, "" for none, "2026-02-30" for a corrupt one
  std::string issued;     // likewise
  std::string holder;     // "self", "related" (someone else's, listing the subject) or "other"
  bool same_kind = true;  // the login is of the licence holder's kind
  bool in_force = false;
  bool visible = false;
};

std::vector<Variant> Variants(const std::string& date) {
  std::vector<Variant> out;
  const std::vector<std::string> statuses = {"valid", "revoked", "cancelled", "suspended", "expired",
                                             "VALID", "",        "<missing>", "<number>"};
  const std::vector<std::pair<std::string, bool>> expiries = {
      {"", true}, {ShiftDate(date, -1), false}, {date, true}, {ShiftDate(date, 365), true}, {"2026-02-30", false}};
  const std::vector<std::pair<std::string, bool>> issues = {
      {"", true}, {ShiftDate(date, -365), true}, {date, true}, {ShiftDate(date, 1), false}, {"2026-13-01", false}};
  for (const std::string& status : statuses) {
    for (const auto& [expires, expiry_ok] : expiries) {
      for (const auto& [issued, issue_ok] : issues) {
        for (const char* holder : {"self", "related", "other"}) {
          for (bool same_kind : {true, false}) {
            Variant v{status, expires, issued, holder, same_kind};
            v.in_force = status == "valid" && expiry_ok && issue_ok;
            v.visible = std::string(holder) != "other" && same_kind;
            out.push_back(v);
          }
        }
      }
    }
  }
  return out;
}

class LicenceMatrix : public ::testing::TestWithParam<Subject> {};

TEST_P(LicenceMatrix, NoApprovalUnlessInForceAndTheSubjectsOwn) {
  const Subject& subject = GetParam();
  const fs::path tests = fs::path(SourceDir()) / "rules/nanhai/tests";
  LoadResult loaded = LoadPack(SourceDir() + "/rules/nanhai");
  ASSERT_TRUE(loaded.ok()) << loaded.rendered;
  rapidjson::Document cases = Parse(testing::ReadFileOrDie(tests / subject.file));
  const rapidjson::Value* base = nullptr;
  for (const auto& c : cases.GetArray()) {
    if (c["expect"].HasMember("decision") && Is(c["expect"]["decision"], "approve") && !c.HasMember("licences")) {
      base = &c;
      break;
    }
  }
  ASSERT_NE(base, nullptr) << "an approved case in " << subject.file;
  const std::string date = (*base)["date"].GetString();
  const std::string subject_id = (*base)["subject"]["id"].GetString();
  const std::string subject_kind = (*base)["subject"]["kind"].GetString();
  const std::string other_kind = subject_kind == "natural_person" ? "legal_person" : "natural_person";
  const std::string app = Text((*base)["application"]);

  // The library: the pack's test licences, in a fresh SQLite file.
  fs::path db = fs::temp_directory_path() / ("miaopi_matrix_" + std::to_string(getpid()) + "_" + subject.file + ".db");
  fs::remove(db);
  std::ifstream jsonl(tests / "licences.jsonl");
  LicenceImportReport imported = ImportLicences(jsonl, db.string());
  ASSERT_TRUE(imported.fatal.empty() && imported.errors.empty()) << imported.fatal;
  // The row the item reads: of its type, visible to the subject, named by the case.
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  std::string number, original;
  {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(handle, "SELECT number, json FROM licences WHERE type = ?1", -1, &st, nullptr);
    sqlite3_bind_text(st, 1, subject.type.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::string n = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      std::string json = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
      rapidjson::Document l = Parse(json);
      bool mine = Is(l["holder"]["id"], subject_id);
      if (l.HasMember("related")) {
        for (const auto& p : l["related"].GetArray()) mine |= Is(p["id"], subject_id);
      }
      // The subject's valid one; of several, the one the application names.
      bool named = app.find(n) != std::string::npos;
      if (mine && Is(l["status"], "valid") && (number.empty() || (named && app.find(number) == std::string::npos))) {
        number = n;
        original = json;
      }
    }
    sqlite3_finalize(st);
  }
  ASSERT_FALSE(number.empty()) << "a " << subject.type << " of " << subject_id << " in the test library";
  std::string error;
  std::shared_ptr<LicenceStore> store = OpenSqliteLicences(db.string(), &error);
  ASSERT_NE(store, nullptr) << error;
  Evaluator evaluator(loaded.pack, store);

  size_t decided = 0, approvals = 0;
  for (const Variant& v : Variants(date)) {
    rapidjson::Document l = Parse(original);
    auto& alloc = l.GetAllocator();
    l.RemoveMember("status");
    if (v.status == "<number>") {
      l.AddMember("status", 1, alloc);
    } else if (v.status != "<missing>") {
      l.AddMember("status", rapidjson::Value(v.status.c_str(), alloc), alloc);
    }
    l.RemoveMember("expires");
    if (!v.expires.empty()) l.AddMember("expires", rapidjson::Value(v.expires.c_str(), alloc), alloc);
    l.RemoveMember("issued");
    if (!v.issued.empty()) l.AddMember("issued", rapidjson::Value(v.issued.c_str(), alloc), alloc);
    std::string holder_id = l["holder"]["id"].GetString();
    l.RemoveMember("related");
    if (v.holder == "self") {
      l["holder"]["id"].SetString(subject_id.c_str(), alloc);
    } else {
      std::string someone = holder_id == subject_id ? "someone-else" : holder_id;
      l["holder"]["id"].SetString(someone.c_str(), alloc);
      if (v.holder == "related") {
        rapidjson::Value party(rapidjson::kObjectType), related(rapidjson::kArrayType);
        party.AddMember("id", rapidjson::Value(subject_id.c_str(), alloc), alloc);
        party.AddMember("relation", "agent", alloc);
        related.PushBack(party, alloc);
        l.AddMember("related", related, alloc);
      }
    }
    // Written into the row as it is, corrupt or not (an import would refuse
    // the corrupt ones; a library written by another system may hold them).
    std::string json = Text(l);
    sqlite3_stmt* update = nullptr;
    sqlite3_prepare_v2(handle, "UPDATE licences SET json = ?1, holder_id = ?2 WHERE type = ?3 AND number = ?4", -1,
                       &update, nullptr);
    sqlite3_bind_text(update, 1, json.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(update, 2, l["holder"]["id"].GetString(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(update, 3, subject.type.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(update, 4, number.c_str(), -1, SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(update), SQLITE_DONE);
    sqlite3_finalize(update);

    DecideOptions options;
    options.date = date;
    rapidjson::Document context(rapidjson::kObjectType);
    rapidjson::Value sub(rapidjson::kObjectType);
    sub.CopyFrom((*base)["subject"], context.GetAllocator());
    sub["kind"].SetString(v.same_kind ? subject_kind.c_str() : other_kind.c_str(), context.GetAllocator());
    context.AddMember("subject", sub, context.GetAllocator());
    if (base->HasMember("town"))
      context.AddMember("town", rapidjson::Value((*base)["town"], context.GetAllocator()), context.GetAllocator());
    options.context = Text(context);
    Record r = evaluator.Decide(app, options);
    ++decided;
    ASSERT_TRUE(r.ok) << r.error.code << ": " << r.error.message;
    bool approved = r.decision.decision == Outcome::kApprove;
    approvals += approved;
    SCOPED_TRACE(subject.file + ": status '" + v.status + "', expires '" + v.expires + "', issued '" + v.issued +
                 "', holder " + v.holder + (v.same_kind ? "" : ", login of the other kind"));
    if (approved) {
      EXPECT_TRUE(v.in_force && v.visible) << "approved on a licence not in force or not the subject's";
    }
    if (v.in_force && v.visible && v.holder == "self") {
      EXPECT_TRUE(approved) << "the clean state must approve";
    }
    // A licence of the subject that exists but is not in force says why.
    if (v.visible && v.holder == "self" && !v.in_force && (v.status == "revoked" || v.status == "cancelled")) {
      bool said = false;
      for (const Reason& reason : r.decision.reasons) {
        for (const std::string& note : reason.notes) {
          said |= note.find(v.status == "revoked" ? "已被吊销" : "已注销") != std::string::npos;
        }
      }
      EXPECT_TRUE(said) << ToJson(r);
    }
  }
  EXPECT_GT(approvals, 0u);
  EXPECT_EQ(decided, Variants(date).size());
  sqlite3_close(handle);
  store.reset();
  fs::remove(db);
  fs::remove(db.string() + "-wal");
  fs::remove(db.string() + "-shm");
}

INSTANTIATE_TEST_SUITE_P(Nanhai, LicenceMatrix, ::testing::ValuesIn(kItems),
                         [](const ::testing::TestParamInfo<Subject>& info) {
                           std::string name = info.param.file.substr(0, info.param.file.find('.'));
                           return name;
                         });

}  // namespace
}  // namespace miaopi
