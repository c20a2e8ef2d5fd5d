#include "dsl/diagnostics.h"

#include <algorithm>

namespace miaopi::dsl {

namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string DidYouMean(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::max<size_t>(1, name.size() / 3) + 1;
  for (const std::string& c : candidates) {
    size_t d = EditDistance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}

namespace {

struct CodeInfo {
  std::string_view code;
  std::string_view meaning;
};

constexpr CodeInfo kCodes[] = {
#define MIAOPI_INFO(name, code, meaning) {code, meaning},
    MIAOPI_ERROR_CODES(MIAOPI_INFO)
#undef MIAOPI_INFO
};

const char* SeverityText(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "error";
}

void RenderLocation(std::string& out, const SourceSet& sources, Span span) {
  const SourceFile& file = sources.file(span.file);
  LineCol lc = file.Locate(span.begin);
  out += file.path() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

// A long source line (a generated pack, a minified file) is shown as a
// window of about this many columns around the span, with … at the cuts.
constexpr size_t kSnippetWindow = 120;

size_t Utf8Start(std::string_view text, size_t at) {
  while (at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
  return at;
}

void RenderSnippet(std::string& out, const SourceSet& sources, Span span, bool color) {
  const SourceFile& file = sources.file(span.file);
  LineCol lc = file.Locate(span.begin);
  std::string_view line = file.Line(lc.line);
  std::string_view text = file.text();
  size_t begin = std::min<size_t>(span.begin, text.size());
  size_t line_start = begin;
  while (line_start > 0 && text[line_start - 1] != '\n') --line_start;
  size_t line_end = line_start + line.size();
  // The part of the line shown: all of it, or a window around the span.
  size_t shown_begin = line_start, shown_end = line_end;
  bool cut_left = false, cut_right = false;
  if (DisplayWidth(line) > kSnippetWindow + kSnippetWindow / 2) {
    shown_begin = begin > line_start + kSnippetWindow / 3 ? Utf8Start(text, begin - kSnippetWindow / 3) : line_start;
    shown_end = std::min(line_end, Utf8Start(text, std::min(text.size(), shown_begin + kSnippetWindow)));
    shown_end = std::max(shown_end, std::min(line_end, begin + 1));
    cut_left = shown_begin > line_start;
    cut_right = shown_end < line_end;
  }
  std::string gutter = std::to_string(lc.line);
  out += " " + gutter + " | ";
  if (cut_left) out += "…";
  out += text.substr(shown_begin, shown_end - shown_begin);
  if (cut_right) out += "…";
  out += "\n " + std::string(gutter.size(), ' ') + " | ";
  std::string_view prefix = text.substr(shown_begin, begin - shown_begin);
  for (size_t i = 0, w = DisplayWidth(prefix) + (cut_left ? 1 : 0); i < w; ++i) out += ' ';
  size_t end = std::min<size_t>(std::max<size_t>(span.end, begin + 1), shown_end);
  size_t width = end > begin ? DisplayWidth(text.substr(begin, end - begin)) : 1;
  if (color) out += "\033[1;32m";
  out += '^';
  for (size_t i = 1; i < width; ++i) out += '~';
  if (color) out += "\033[0m";
  out += '\n';
}

}  // namespace

std::string_view CodeText(ErrorCode code) { return kCodes[static_cast<int>(code)].code; }
std::string_view CodeMeaning(ErrorCode code) { return kCodes[static_cast<int>(code)].meaning; }

void Diagnostics::Error(ErrorCode code, Span span, std::string message) {
  list_.push_back({Severity::kError, code, span, true, std::move(message), {}});
  ++errors_;
}

void Diagnostics::Warning(ErrorCode code, Span span, std::string message) {
  list_.push_back({Severity::kWarning, code, span, true, std::move(message), {}});
}

void Diagnostics::Global(ErrorCode code, std::string message) {
  list_.push_back({Severity::kError, code, {}, false, std::move(message), {}});
  ++errors_;
}

void Diagnostics::Note(Span span, std::string message) {
  if (!list_.empty()) list_.back().notes.emplace_back(span, std::move(message));
}

void Diagnostics::Append(const Diagnostics& other) {
  list_.insert(list_.end(), other.list_.begin(), other.list_.end());
  errors_ += other.errors_;
}

void Diagnostics::Sort() {
  std::stable_sort(list_.begin(), list_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.has_span != b.has_span) return !a.has_span;
    if (a.span.file != b.span.file) return a.span.file < b.span.file;
    return a.span.begin < b.span.begin;
  });
}

std::string Render(const Diagnostic& d, const SourceSet& sources, bool color) {
  std::string out;
  if (d.has_span) {
    RenderLocation(out, sources, d.span);
    out += ": ";
  }
  const char* sev = SeverityText(d.severity);
  if (color) out += d.severity == Severity::kError ? "\033[1;31m" : "\033[1;35m";
  out += sev;
  out += "[";
  out += CodeText(d.code);
  out += "]";
  if (color) out += "\033[0m";
  out += ": " + d.message + "\n";
  if (d.has_span) RenderSnippet(out, sources, d.span, color);
  for (const auto& [span, note] : d.notes) {
    RenderLocation(out, sources, span);
    out += ": note: " + note + "\n";
    RenderSnippet(out, sources, span, color);
  }
  return out;
}

std::string RenderAll(const Diagnostics& d, const SourceSet& sources, bool color) {
  std::string out;
  for (const Diagnostic& diag : d.all()) out += Render(diag, sources, color);
  return out;
}

}  // namespace miaopi::dsl
