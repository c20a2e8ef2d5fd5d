// Diagnostics are data: passes append them to a Diagnostics list, and only
// the edge of the program renders them (Render) or turns them into JSON.
#pragma once

#include <string>
#include <vector>

#include "dsl/error_codes.h"
#include "dsl/source.h"

namespace miaopi::dsl {

enum class Severity { kError, kWarning, kNote };

struct Diagnostic {
  Severity severity = Severity::kError;
  ErrorCode code = ErrorCode::kSyntax;
  Span span;
  bool has_span = true;  // false for pack-wide problems (no pack declaration)
  std::string message;
  std::vector<std::pair<Span, std::string>> notes;  // "previous definition is here"
};

class Diagnostics {
 public:
  void Error(ErrorCode code, Span span, std::string message);
  void Warning(ErrorCode code, Span span, std::string message);
  // A pack-wide error with no location.
  void Global(ErrorCode code, std::string message);
  // Adds a note to the last diagnostic.
  void Note(Span span, std::string message);

  bool has_errors() const { return errors_ > 0; }
  size_t error_count() const { return errors_; }
  const std::vector<Diagnostic>& all() const { return list_; }
  void Append(const Diagnostics& other);
  // Orders by file, then position, keeping the insertion order of equals.
  void Sort();

 private:
  std::vector<Diagnostic> list_;
  size_t errors_ = 0;
};

// "file:line:col: error[E201]: message" then the source line and a caret
// under the span (wide characters count two cells so the caret lines up).
std::string Render(const Diagnostic& d, const SourceSet& sources, bool color = false);
std::string RenderAll(const Diagnostics& d, const SourceSet& sources, bool color = false);

// "; did you mean 'x'?" for the candidate closest to `name` (by edit
// distance, within a third of its length), or "".
std::string DidYouMean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace miaopi::dsl
