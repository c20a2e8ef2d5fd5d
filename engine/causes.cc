#include "engine/causes.h"

#include <unordered_set>

#include "engine/value_format.h"

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

void CauseArena::Flatten(uint32_t root, const CauseNames& names, std::vector<std::string>* missing,
                         std::vector<std::string>* notes) const {
  std::vector<uint32_t> stack = {root};
  std::unordered_set<std::string> seen;
  size_t dropped = 0;
  auto add = [&](std::vector<std::string>* list, std::string text) {
    if (!seen.insert(text).second) return;
    if (list == missing && list->size() >= kMaxListed) {
      ++dropped;
      return;
    }
    list->push_back(std::move(text));
  };
  while (!stack.empty()) {
    const Cause& c = causes_[stack.back()];
    stack.pop_back();
    switch (c.kind) {
      case CauseKind::kNone: break;
      case CauseKind::kJoin:
        stack.push_back(c.b);
        stack.push_back(c.a);
        break;
      case CauseKind::kAbsent:
      case CauseKind::kWrongType:
        add(missing, FillPath((*names.paths)[c.a], indices_.data() + c.b, c.count));
        break;
      case CauseKind::kNoRow:
        add(missing, (*names.tables)[c.a] + "[" + FormatValue(keys_[c.b]) + "]");
        break;
      case CauseKind::kEmptyCell:
        add(missing, (*names.tables)[c.a] + "[" + FormatValue(keys_[c.b]) + "]." + (*names.columns)[c.a][c.count]);
        break;
      case CauseKind::kNoElement:
        add(missing, (*names.labels)[c.a] + "[" + std::to_string(keys_[c.b].i) + "]");
        break;
      case CauseKind::kNote: add(notes, std::string(NoteText(static_cast<Note>(c.a)))); break;
      case CauseKind::kLicence: {
        const auto& [name, title] = (*names.licences)[c.a];
        static const char* kWhy[] = {"未找到", "已过期", "证照库暂不可用", "未接入证照库"};
        add(missing, "licence " + name + " (" + title + ")");
        add(notes, "未能调取" + title + "电子证照（" + kWhy[c.b] + "），请上传证照扫描件或到任一镇（街道）窗口进行原件核验");
        break;
      }
    }
  }
  if (dropped > 0) notes->push_back("and " + std::to_string(dropped) + " more missing paths");
}

}  // namespace miaopi::engine
