// JSONL read in large blocks, a chunk of lines at a time: each chunk's lines
// are views into one buffer with simdjson's padding past the last, so they
// are decided in place (no copy per line). Used by `batch` and `diff`. This
// file's external interface is TextBuffer and ChunkReader.
#pragma once

#include <cstdint>
#include <cstring>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace miaopi {

// Bytes grown without being zero-filled: a chunk's text, its storage reused
// from chunk to chunk.
class TextBuffer {
 public:
  char* data() { return data_.get(); }
  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  void clear() { size_ = 0; }
  // `n` more bytes at the end, not yet written.
  char* Grow(size_t n);
  void Shrink(size_t n) { size_ = n < size_ ? n : size_; }
  void Append(const char* p, size_t n) {
    if (n > 0) std::memcpy(Grow(n), p, n);
  }
  void Erase(size_t at, size_t n) {
    std::memmove(data_.get() + at, data_.get() + at + n, size_ - at - n);
    size_ -= n;
  }
  char operator[](size_t i) const { return data_[i]; }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0, capacity_ = 0;
};

// A line longer than `max_line` keeps its first `max_line` bytes; the rest
// is skipped and counted (`dropped`: the caller answers it as too large).
// A UTF-8 byte order mark before the first line is not part of it. A line
// that ended with a newline loses a carriage return.
class ChunkReader {
 public:
  ChunkReader(std::istream& in, size_t max_line, size_t lines_per_chunk);

  // Fills the chunk's text, its lines (views into `text`, padded past the
  // last) and the bytes dropped from each; false at the end of input.
  bool Fill(TextBuffer* text, std::vector<std::string_view>* lines, std::vector<size_t>* dropped);

  uint64_t bytes() const { return consumed_; }  // input bytes consumed so far

 private:
  void AddLine(const TextBuffer& text, size_t start, size_t end, size_t skipped, bool newline,
               std::vector<size_t>* dropped);
  size_t BlockSize() const;

  std::istream& in_;
  size_t max_line_, per_chunk_;
  std::string carry_;  // the start of the next chunk's first line
  std::vector<size_t> starts_, ends_;
  size_t average_ = 1024;  // bytes a line, of the last chunk
  uint64_t read_ = 0, consumed_ = 0;
  bool eof_ = false, bom_checked_ = false;
};

}  // namespace miaopi
