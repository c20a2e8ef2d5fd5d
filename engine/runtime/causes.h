// Why a value is unknown. Every unknown value carries a cause id; causes are
// small records in a per-evaluation arena: a path that was absent or of the
// wrong type, a table row that does not exist, an arithmetic problem, or the
// join of two causes (when an unknown result has two unknown operands).
// Flattening the chain gives the `missing` paths and the `notes` of a reason.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/graph/value.h"

namespace miaopi::engine {

enum class CauseKind : uint8_t {
  kNone,       // id 0: no recorded cause
  kAbsent,     // path `a` (a path template) with `count` list indices: absent or null
  kWrongType,  // path `a` with indices: present but not of its declared type
  kNoRow,      // table `a` has no row for key keys[b]
  kEmptyCell,  // table `a`, row key keys[b], column `count`: the CSV cell is empty
  kNoElement,  // list `a` (a label) has no element at index `b`
  kNote,       // a note (`a` is a Note)
  kJoin,       // both causes `a` and `b`
  kLicence,    // licence use `a` could not be used: LicenceProblem `b`
};

// Why a licence could not be used: X(enumerator, the word licence_status()
// returns ("" where it is unknown), why, as the applicant's note says it,
// what it means). Only a licence in force on the evaluation date is ever
// used; the first six are licences that exist but are not.
// clang-format off
#define MIAOPI_LICENCE_PROBLEMS(X)                                                                  \
  X(kNotFound, "not_found", "未找到", "no licence of this type that the subject may use")          \
  X(kExpired, "expired", "已过期", "the licence expired before the evaluation date")               \
  X(kRevoked, "revoked", "已被吊销", "its status is revoked")                                      \
  X(kCancelled, "cancelled", "已注销", "its status is cancelled")                                  \
  X(kSuspended, "suspended", "已暂停使用", "its status is suspended")                               \
  X(kNotYetValid, "not_yet_valid", "尚未生效", "it is issued after the evaluation date")            \
  X(kOtherStatus, "other_status", "状态不是“有效”", "its status is none of valid, expired, revoked, cancelled, suspended") \
  X(kUnreadable, "unreadable", "证照记录无法读取", "the library's record of it cannot be read (a corrupt row)") \
  X(kStoreError, "", "证照库暂不可用", "the licence library did not answer")                       \
  X(kNoStore, "", "未接入证照库", "no licence library is configured")
// clang-format on

enum class LicenceProblem : uint8_t {
#define MIAOPI_LICENCE_ENUM(name, word, why, meaning) name,
  MIAOPI_LICENCE_PROBLEMS(MIAOPI_LICENCE_ENUM)
#undef MIAOPI_LICENCE_ENUM
};

// The word licence_status() gives ("" when the status is unknown).
std::string_view LicenceProblemWord(LicenceProblem p);
// The applicant's note: what is wrong with the licence and how to go on.
std::string LicenceNote(LicenceProblem p, std::string_view title);
void AppendLicenceNote(LicenceProblem p, std::string_view title, std::string* out);

enum class Note : uint8_t {
  kDivisionByZero,  // x / 0 or x % 0
  kOverflow,        // an int result past 64 bits
  kDateOutOfRange,  // a date before year 1 or after 9999
  kEmptyList,       // min or max of an empty list
  kIncomparable,    // durations of months and of days compared
  kNotANumber,      // a number result that is not finite
  kBadIdNumber,     // id_number_birth of something that is not an ID number
  kNoDecisionRow,   // no row of a decision table matches
  kAmbiguousRows,   // several rows of a unique/any decision table match with different outputs
};

std::string_view NoteText(Note n);

struct Cause {
  CauseKind kind = CauseKind::kNone;
  uint32_t a = 0;
  uint32_t b = 0;
  uint32_t count = 0;
};

// Text a cause needs when rendered: the graph's path templates and labels.
struct CauseNames {
  const std::vector<std::string>* paths = nullptr;                 // "staff[].health_cert_expires"
  const std::vector<std::string>* labels = nullptr;                // source text of graph nodes
  const std::vector<std::string>* tables = nullptr;                // table names
  const std::vector<std::vector<std::string>>* columns = nullptr;  // table columns
  // Licence uses: the name and title of each ("bl", "营业执照").
  const std::vector<std::pair<std::string, std::string>>* licences = nullptr;
};

// Flattened causes in reusable storage: the first `missing_count` strings
// of `missing` (and `notes_count` of `notes`) are the result; the strings
// past them are kept for their capacity, so a steady state does not allocate.
struct FlatCauses {
  std::vector<std::string> missing, notes;
  size_t missing_count = 0, notes_count = 0;
  size_t dropped = 0;                 // missing paths past the listing limit
  std::vector<std::string> unlisted;  // those paths, to count each once
  std::vector<uint32_t> stack;
  std::string scratch;  // a note being built
};

class CauseArena {
 public:
  CauseArena() { Reset(); }

  void Reset() {
    causes_.resize(1);
    indices_.clear();
    keys_.clear();
  }

  uint32_t Path(bool wrong_type, uint32_t path, const uint32_t* indices, uint32_t count) {
    uint32_t start = static_cast<uint32_t>(indices_.size());
    indices_.insert(indices_.end(), indices, indices + count);
    return Add({wrong_type ? CauseKind::kWrongType : CauseKind::kAbsent, path, start, count});
  }
  uint32_t NoRow(uint32_t table, Value key) {
    keys_.push_back(key);
    return Add({CauseKind::kNoRow, table, static_cast<uint32_t>(keys_.size() - 1), 0});
  }
  uint32_t EmptyCell(uint32_t table, Value key, uint32_t column) {
    keys_.push_back(key);
    return Add({CauseKind::kEmptyCell, table, static_cast<uint32_t>(keys_.size() - 1), column});
  }
  uint32_t NoElement(uint32_t label, int64_t index) {
    keys_.push_back(Value::Int(index));
    return Add({CauseKind::kNoElement, label, static_cast<uint32_t>(keys_.size() - 1), 0});
  }
  uint32_t MakeNote(Note note) { return Add({CauseKind::kNote, static_cast<uint32_t>(note), 0, 0}); }
  uint32_t Licence(uint32_t use, LicenceProblem problem) {
    return Add({CauseKind::kLicence, use, static_cast<uint32_t>(problem), 0});
  }
  uint32_t Join(uint32_t a, uint32_t b) {
    if (a == 0 || a == b) return b;
    if (b == 0) return a;
    return Add({CauseKind::kJoin, a, b, 0});
  }

  // Appends the rendered missing paths and notes of `cause`, without
  // duplicates, in first-seen order.
  void Flatten(uint32_t cause, const CauseNames& names, std::vector<std::string>* missing,
               std::vector<std::string>* notes) const;
  // The same into reusable storage ("and N more missing paths" is left to
  // the caller, from `dropped`).
  void FlattenInto(uint32_t cause, const CauseNames& names, FlatCauses* out) const;

  const Cause& at(uint32_t id) const { return causes_[id]; }

 private:
  uint32_t Add(Cause c) {
    causes_.push_back(c);
    return static_cast<uint32_t>(causes_.size() - 1);
  }

  std::vector<Cause> causes_;
  std::vector<uint32_t> indices_;
  std::vector<Value> keys_;
};

// "staff[].health_cert_expires" with indices {1} → "staff[1].health_cert_expires".
std::string FillPath(std::string_view path_template, const uint32_t* indices, uint32_t count);

}  // namespace miaopi::engine
