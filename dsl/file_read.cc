#include "dsl/file_read.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace miaopi::dsl {

std::string DescribeFileType(unsigned mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISREG(mode)) return "a regular file";
  return "a special file";
}

namespace {

// Reads until EOF or limit + 1 bytes; false on a read error.
bool ReadUpTo(int fd, size_t limit, std::string* out, std::string* error) {
  const size_t want = limit + 1;
  size_t have = 0;
  out->clear();
  while (have < want) {
    size_t chunk = std::min<size_t>(want - have, 1u << 16);
    out->resize(have + chunk);
    ssize_t n = ::read(fd, out->data() + have, chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = std::strerror(errno);
      out->clear();
      return false;
    }
    if (n == 0) break;
    have += static_cast<size_t>(n);
  }
  out->resize(have);
  return true;
}

}  // namespace

BoundedRead ReadFileBounded(const std::string& path, size_t max_bytes, FileKinds kinds) {
  BoundedRead r;
  int fd = -1;
  bool close_fd = true;
  if (path == "-" && kinds == FileKinds::kAnyReadable) {
    fd = STDIN_FILENO;
    close_fd = false;
  } else {
    // O_NONBLOCK: opening a FIFO with no writer must not hang; it is
    // cleared again below for the kinds we do read.
    fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      r.error = std::strerror(errno);
      return r;
    }
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    r.error = std::strerror(errno);
  } else if (S_ISDIR(st.st_mode)) {
    r.error = "is a directory";
  } else if (kinds == FileKinds::kRegularOnly && !S_ISREG(st.st_mode)) {
    r.error = "is not a regular file (it is " + DescribeFileType(st.st_mode) + ")";
  } else {
    if (close_fd) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    r.size_known = S_ISREG(st.st_mode);
    if (r.size_known && static_cast<uint64_t>(st.st_size) > max_bytes) {
      r.ok = true;
      r.too_large = true;
      r.size = static_cast<uint64_t>(st.st_size);
    } else if (ReadUpTo(fd, max_bytes, &r.text, &r.error)) {
      r.ok = true;
      r.too_large = r.text.size() > max_bytes;
      // A regular file may grow while it is read; what was read counts.
      r.size = r.size_known ? std::max<uint64_t>(r.text.size(), st.st_size) : r.text.size();
      if (r.too_large) r.text.clear();
    }
  }
  if (close_fd) ::close(fd);
  return r;
}

}  // namespace miaopi::dsl
