#include "apps/cli/output.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <streambuf>

namespace miaopi::cli {

namespace {

class FdBuffer : public std::streambuf {
 public:
  explicit FdBuffer(int fd) : fd_(fd) { setp(buffer_, buffer_ + sizeof buffer_); }

  int error() const { return error_; }

 protected:
  int_type overflow(int_type ch) override {
    if (!Drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }

  int sync() override { return Drain() ? 0 : -1; }

 private:
  // Writes out the buffer; after a failure, drops everything (and stays failed).
  bool Drain() {
    const char* at = pbase();
    const char* end = pptr();
    while (error_ == 0 && at < end) {
      ssize_t n = ::write(fd_, at, static_cast<size_t>(end - at));
      if (n < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
        break;
      }
      at += n;
    }
    setp(buffer_, buffer_ + sizeof buffer_);
    return error_ == 0;
  }

  int fd_;
  int error_ = 0;
  char buffer_[1 << 16];
};

FdBuffer* stdout_buffer = nullptr;

}  // namespace

void InstallStdout() {
  if (stdout_buffer != nullptr) return;
  signal(SIGPIPE, SIG_IGN);
  stdout_buffer = new FdBuffer(STDOUT_FILENO);  // lives until exit: std::cout may be used by destructors
  std::cout.rdbuf(stdout_buffer);
}

int StdoutError() {
  if (stdout_buffer == nullptr) return 0;
  std::cout.flush();
  return stdout_buffer->error();
}

class StoppableInput::Buffer : public std::streambuf {
 public:
  Buffer(int fd, const std::atomic<bool>* stop) : fd_(fd), stop_(stop) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    for (;;) {
      if (stop_ != nullptr && stop_->load()) return traits_type::eof();
      pollfd p{fd_, POLLIN, 0};
      int ready = ::poll(&p, 1, 100);
      if (ready < 0 && errno != EINTR) return traits_type::eof();
      if (ready <= 0) continue;
      ssize_t n = ::read(fd_, buffer_, sizeof buffer_);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return traits_type::eof();
      setg(buffer_, buffer_, buffer_ + n);
      return traits_type::to_int_type(*gptr());
    }
  }

  // Large reads (batch's blocks) go straight into the caller's memory: no
  // copy through the buffer, one system call per block from a file. Short
  // only at the end of input (or when stopped), as istream::read expects.
  std::streamsize xsgetn(char* s, std::streamsize n) override {
    std::streamsize done = std::min<std::streamsize>(n, egptr() - gptr());
    if (done > 0) {
      std::memcpy(s, gptr(), static_cast<size_t>(done));
      gbump(static_cast<int>(done));
    }
    while (done < n) {
      if (n - done < static_cast<std::streamsize>(sizeof buffer_)) {  // small: through the buffer
        if (underflow() == traits_type::eof()) break;
        std::streamsize take = std::min<std::streamsize>(n - done, egptr() - gptr());
        std::memcpy(s + done, gptr(), static_cast<size_t>(take));
        gbump(static_cast<int>(take));
        done += take;
        continue;
      }
      if (stop_ != nullptr && stop_->load()) break;
      pollfd p{fd_, POLLIN, 0};
      int ready = ::poll(&p, 1, 100);
      if (ready < 0 && errno != EINTR) break;
      if (ready <= 0) continue;
      ssize_t got = ::read(fd_, s + done, static_cast<size_t>(n - done));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      done += got;
    }
    return done;
  }

 private:
  int fd_;
  const std::atomic<bool>* stop_;
  char buffer_[1 << 16];
};

StoppableInput::StoppableInput(int fd, const std::atomic<bool>* stop)
    : std::istream(nullptr), buffer_(std::make_unique<Buffer>(fd, stop)) {
  rdbuf(buffer_.get());
  // A pipe holds 64 KiB by default: the writer then wakes the reader every
  // 64 KiB. A larger one (best effort: the system may refuse) lets large
  // reads take large blocks.
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode)) ::fcntl(fd, F_SETPIPE_SZ, 1 << 20);
}

StoppableInput::~StoppableInput() = default;

}  // namespace miaopi::cli
