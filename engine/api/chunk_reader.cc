#include "engine/api/chunk_reader.h"

#include <algorithm>

#include "engine/runtime/decider.h"

namespace miaopi {

char* TextBuffer::Grow(size_t n) {
  if (size_ + n > capacity_) {
    size_t capacity = std::max(size_ + n, capacity_ * 2);
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }
  char* at = data_.get() + size_;
  size_ += n;
  return at;
}

ChunkReader::ChunkReader(std::istream& in, size_t max_line, size_t lines_per_chunk)
    : in_(in), max_line_(max_line), per_chunk_(std::max<size_t>(lines_per_chunk, 1)) {}

bool ChunkReader::Fill(TextBuffer* text, std::vector<std::string_view>* lines, std::vector<size_t>* dropped) {
  text->clear();
  text->Append(carry_.data(), carry_.size());
  carry_.clear();
  starts_.clear();
  ends_.clear();
  dropped->clear();
  size_t line_start = 0, scan = 0, skipped = 0;
  bool skipping = false;  // the line in progress passed the limit: its rest is being skipped
  while (starts_.size() < per_chunk_) {
    if (!skipping) {
      const void* nl = scan < text->size() ? std::memchr(text->data() + scan, '\n', text->size() - scan) : nullptr;
      if (nl != nullptr) {
        size_t end = static_cast<size_t>(static_cast<const char*>(nl) - text->data());
        AddLine(*text, line_start, end, 0, true, dropped);
        line_start = scan = end + 1;
        continue;
      }
      scan = text->size();
      if (text->size() - line_start > max_line_) {  // keep the first max_line bytes
        skipped = text->size() - line_start - max_line_;
        text->Shrink(line_start + max_line_);
        scan = text->size();
        skipping = true;
      }
    }
    if (eof_) {
      if (line_start < text->size() || skipping) AddLine(*text, line_start, text->size(), skipped, false, dropped);
      line_start = text->size();
      break;
    }
    size_t old = text->size();
    const size_t block = BlockSize();
    in_.read(text->Grow(block), static_cast<std::streamsize>(block));
    size_t got = static_cast<size_t>(in_.gcount());
    text->Shrink(old + got);
    read_ += got;
    if (got == 0) eof_ = true;
    if (!bom_checked_ && text->size() >= 3) {
      bom_checked_ = true;
      if (std::memcmp(text->data(), "\xEF\xBB\xBF", 3) == 0) line_start = scan = 3;
    }
    if (skipping && got > 0) {  // discard up to the newline; the rest is text again
      const char* from = text->data() + old;
      const void* nl = std::memchr(from, '\n', got);
      if (nl == nullptr) {
        skipped += got;
        text->Shrink(old);
        continue;
      }
      size_t before = static_cast<size_t>(static_cast<const char*>(nl) - from);
      skipped += before;
      AddLine(*text, line_start, old, skipped, true, dropped);
      text->Erase(old, before + 1);
      line_start = scan = old;
      skipped = 0;
      skipping = false;
    }
  }
  if (eof_ && !bom_checked_) bom_checked_ = true;
  carry_.assign(text->data() + line_start, text->size() - line_start);
  text->Shrink(line_start);
  consumed_ = read_ - carry_.size();
  std::memset(text->Grow(engine::kTextPadding), 0, engine::kTextPadding);
  lines->clear();
  for (size_t i = 0; i < starts_.size(); ++i) lines->emplace_back(text->data() + starts_[i], ends_[i] - starts_[i]);
  if (!lines->empty()) {
    size_t bytes = ends_.back() - starts_.front();
    average_ = bytes / lines->size() + 1;
  }
  return !lines->empty();
}

void ChunkReader::AddLine(const TextBuffer& text, size_t start, size_t end, size_t skipped, bool newline,
                          std::vector<size_t>* dropped) {
  if (end - start > max_line_) {
    skipped += end - start - max_line_;
    end = start + max_line_;
  }
  if (newline && end > start && text[end - 1] == '\r') --end;
  starts_.push_back(start);
  ends_.push_back(end);
  dropped->push_back(skipped);
}

// Enough for the lines still wanted, by the average so far.
size_t ChunkReader::BlockSize() const {
  size_t want = average_ * (per_chunk_ - starts_.size()) + 4096;
  return std::clamp<size_t>(want, 16 << 10, 4 << 20);
}

}  // namespace miaopi
