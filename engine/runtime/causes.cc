#include "engine/runtime/causes.h"

#include <cstdio>

#include "engine/graph/value_format.h"

namespace miaopi::engine {

namespace {

// A reason lists at most this many missing paths; the rest are counted.
constexpr size_t kMaxListed = 50;

}  // namespace

std::string_view NoteText(Note n) {
  switch (n) {
    case Note::kDivisionByZero: return "division by zero";
    case Note::kOverflow: return "integer overflow";
    case Note::kDateOutOfRange: return "date out of range";
    case Note::kEmptyList: return "min or max of an empty list";
    case Note::kIncomparable: return "durations in months and in days cannot be compared";
    case Note::kNotANumber: return "the result is not a finite number";
    case Note::kBadIdNumber: return "not an ID number with a real birth date";
    case Note::kNoDecisionRow: return "no row of the decision table matches";
    case Note::kAmbiguousRows: return "several rows of the decision table match with different outputs";
  }
  return "unknown";
}

std::string_view LicenceProblemWord(LicenceProblem p) {
  switch (p) {
#define MIAOPI_LICENCE_WORD(name, word, why, meaning) \
  case LicenceProblem::name: return word;
    MIAOPI_LICENCE_PROBLEMS(MIAOPI_LICENCE_WORD)
#undef MIAOPI_LICENCE_WORD
  }
  return "";
}

std::string LicenceNote(LicenceProblem p, std::string_view title) {
  std::string note;
  AppendLicenceNote(p, title, &note);
  return note;
}

void AppendLicenceNote(LicenceProblem p, std::string_view title, std::string* out) {
  std::string_view why;
  switch (p) {
#define MIAOPI_LICENCE_WHY(name, word, text, meaning) \
  case LicenceProblem::name: why = text; break;
    MIAOPI_LICENCE_PROBLEMS(MIAOPI_LICENCE_WHY)
#undef MIAOPI_LICENCE_WHY
  }
  switch (p) {
    case LicenceProblem::kExpired:
    case LicenceProblem::kRevoked:
    case LicenceProblem::kCancelled:
    case LicenceProblem::kSuspended:
    case LicenceProblem::kNotYetValid:
    case LicenceProblem::kOtherStatus:
      // The licence exists but is not in force: a scan of it would not help.
      for (std::string_view part : {std::string_view("电子证照库中的"), title, why,
                                    std::string_view("，不能用于免证办理，请持有效证件到任一镇（街道）窗口办理")}) {
        out->append(part);
      }
      return;
    default:
      for (std::string_view part : {std::string_view("未能调取"), title, std::string_view("电子证照（"), why,
                                    std::string_view("），请上传证照扫描件或到任一镇（街道）窗口进行原件核验")}) {
        out->append(part);
      }
  }
}

namespace {

// "table[key]" as a missing path: a string key quoted in place (most keys
// are), anything else as FormatValue writes it.
void AppendRowPath(std::string_view table, const Value& key, std::string* s) {
  s->append(table);
  *s += '[';
  if (key.kind == ValueKind::kString) {
    AppendJsonQuoted(key.string(), s);
  } else {
    *s += FormatValue(key);
  }
  *s += ']';
}

}  // namespace

std::string FillPath(std::string_view path_template, const uint32_t* indices, uint32_t count) {
  std::string out;
  out.reserve(path_template.size() + 4 * count);
  uint32_t next = 0;
  for (size_t i = 0; i < path_template.size(); ++i) {
    out += path_template[i];
    if (path_template[i] == '[' && i + 1 < path_template.size() && path_template[i + 1] == ']' && next < count) {
      out += std::to_string(indices[next++]);
    }
  }
  return out;
}

namespace {

// Adds `text` to the first `*count` strings of `list` unless it is there;
// false when it was there.
bool AddUnique(std::vector<std::string>& list, size_t* count, std::string_view text) {
  for (size_t i = 0; i < *count; ++i) {
    if (list[i] == text) return false;
  }
  if (*count == list.size()) list.emplace_back();
  list[(*count)++].assign(text);
  return true;
}

}  // namespace

void CauseArena::FlattenInto(uint32_t root, const CauseNames& names, FlatCauses* out) const {
  out->missing_count = out->notes_count = out->dropped = 0;
  out->stack.clear();
  out->stack.push_back(root);
  // A path is built in the slot past the listed ones, then kept or dropped.
  auto add_missing = [&](auto&& build) {
    if (out->missing_count == out->missing.size()) out->missing.emplace_back();
    std::string& slot = out->missing[out->missing_count];
    slot.clear();
    build(slot);
    for (size_t i = 0; i < out->missing_count; ++i) {
      if (out->missing[i] == slot) return;
    }
    for (size_t i = 0; i < out->notes_count; ++i) {
      if (out->notes[i] == slot) return;
    }
    if (out->missing_count >= kMaxListed) {
      AddUnique(out->unlisted, &out->dropped, slot);  // counted once each
      return;
    }
    ++out->missing_count;
  };
  auto add_note = [&](std::string_view text) {
    for (size_t i = 0; i < out->missing_count; ++i) {
      if (out->missing[i] == text) return;
    }
    AddUnique(out->notes, &out->notes_count, text);
  };
  while (!out->stack.empty()) {
    const Cause& c = causes_[out->stack.back()];
    out->stack.pop_back();
    switch (c.kind) {
      case CauseKind::kNone: break;
      case CauseKind::kJoin:
        out->stack.push_back(c.b);
        out->stack.push_back(c.a);
        break;
      case CauseKind::kAbsent:
      case CauseKind::kWrongType:
        add_missing([&](std::string& s) {
          std::string_view path = (*names.paths)[c.a];
          const uint32_t* indices = indices_.data() + c.b;
          uint32_t next = 0;
          char digits[16];
          for (size_t i = 0; i < path.size(); ++i) {
            s += path[i];
            if (path[i] == '[' && i + 1 < path.size() && path[i + 1] == ']' && next < c.count) {
              int n = std::snprintf(digits, sizeof digits, "%u", indices[next++]);
              s.append(digits, static_cast<size_t>(n));
            }
          }
        });
        break;
      case CauseKind::kNoRow:
        add_missing([&](std::string& s) { AppendRowPath((*names.tables)[c.a], keys_[c.b], &s); });
        break;
      case CauseKind::kEmptyCell:
        add_missing([&](std::string& s) {
          AppendRowPath((*names.tables)[c.a], keys_[c.b], &s);
          s += '.';
          s += (*names.columns)[c.a][c.count];
        });
        break;
      case CauseKind::kNoElement:
        add_missing([&](std::string& s) { s += (*names.labels)[c.a] + "[" + std::to_string(keys_[c.b].i) + "]"; });
        break;
      case CauseKind::kNote: add_note(NoteText(static_cast<Note>(c.a))); break;
      case CauseKind::kLicence: {
        // Not a structured binding: clang cannot capture those in the lambda.
        const std::string& name = (*names.licences)[c.a].first;
        const std::string& title = (*names.licences)[c.a].second;
        add_missing([&](std::string& s) {
          s += "licence ";
          s += name;
          s += " (";
          s += title;
          s += ')';
        });
        out->scratch.clear();
        AppendLicenceNote(static_cast<LicenceProblem>(c.b), title, &out->scratch);
        add_note(out->scratch);
        break;
      }
    }
  }
}

void CauseArena::Flatten(uint32_t root, const CauseNames& names, std::vector<std::string>* missing,
                         std::vector<std::string>* notes) const {
  FlatCauses flat;
  FlattenInto(root, names, &flat);
  missing->insert(missing->end(), flat.missing.begin(), flat.missing.begin() + static_cast<long>(flat.missing_count));
  notes->insert(notes->end(), flat.notes.begin(), flat.notes.begin() + static_cast<long>(flat.notes_count));
  if (flat.dropped > 0) notes->push_back("and " + std::to_string(flat.dropped) + " more missing paths");
}

}  // namespace miaopi::engine
