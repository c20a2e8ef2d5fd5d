// Reading files whose size and kind the user controls: a pack's rules and
// tables, an application, a script. Nothing is read past a byte limit, a
// directory is an error, and a FIFO or device is refused where only regular
// files make sense (a table that is a symlink to /dev/zero, a FIFO that would
// block forever). This file's external interface is ReadFileBounded.
#pragma once

#include <cstdint>
#include <string>

namespace miaopi::dsl {

struct BoundedRead {
  bool ok = false;         // false: `error` says why (nothing else is set)
  bool too_large = false;  // ok, but the file holds more than the limit;
                           // `text` is then empty (nothing more was kept)
  std::string text;
  uint64_t size = 0;        // the file's size; for a pipe, the bytes read
  bool size_known = false;  // a regular file (else `size` is a lower bound)
  std::string error;        // "is a directory", "is not a regular file (a FIFO)", strerror
};

enum class FileKinds {
  kRegularOnly,  // pack files: regular files (or symlinks to them) only
  kAnyReadable,  // command-line inputs: pipes, /dev/stdin, process substitution too
};

// Reads `path` ("-" is standard input when `kinds` is kAnyReadable), at
// most `max_bytes` + 1 bytes.
BoundedRead ReadFileBounded(const std::string& path, size_t max_bytes, FileKinds kinds);

// "a FIFO", "a directory", "a character device", … for messages.
std::string DescribeFileType(unsigned mode);

}  // namespace miaopi::dsl
