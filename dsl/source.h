// Source files and byte spans, and the mapping from a byte offset to a
// line and a column counted in characters (so Chinese text lines up).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace miaopi::dsl {

// A half-open byte range [begin, end) inside one source file.
struct Span {
  uint32_t file = 0;
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct LineCol {
  uint32_t line = 1;    // 1-based
  uint32_t column = 1;  // 1-based, in Unicode characters
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  const std::string& path() const { return path_; }
  std::string_view text() const { return text_; }

  LineCol Locate(uint32_t offset) const;
  // The text of a 1-based line, without its line break.
  std::string_view Line(uint32_t line) const;
  std::string_view Slice(Span span) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

// All files of one compilation; a Span's `file` indexes into it.
class SourceSet {
 public:
  uint32_t Add(std::string path, std::string text);
  const SourceFile& file(uint32_t id) const { return *files_[id]; }
  size_t size() const { return files_.size(); }

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

// Number of Unicode characters in UTF-8 text (continuation bytes not counted).
size_t CountChars(std::string_view utf8);
// Terminal cells the text occupies: East Asian wide characters take two.
size_t DisplayWidth(std::string_view utf8);
// Source text on one line: each run of white space becomes one space.
std::string OneLine(std::string_view text);
// True when `text` is well-formed UTF-8; `bad_offset` gets the first bad byte.
bool ValidUtf8(std::string_view text, size_t* bad_offset = nullptr);

}  // namespace miaopi::dsl
