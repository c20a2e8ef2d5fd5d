// Standard output of the `miaopi` command: std::cout writes through a buffer
// over file descriptor 1 that keeps the errno of the first write that
// failed, so a command can tell a full disk (an error: exit 4) from a reader
// that went away (`| head`: EPIPE, a quiet end). SIGPIPE is ignored, so a
// closed pipe is an error return, never a signal that kills the process.
#pragma once

#include <atomic>
#include <istream>
#include <memory>

namespace miaopi::cli {

// Routes std::cout through the buffer and ignores SIGPIPE; once, first in main.
void InstallStdout();

// errno of the first failed write to stdout (after flushing), or 0.
int StdoutError();

// An input stream over a file descriptor that ends (as at end of file) once
// `stop` is set, even while it waits for a pipe: a signal may be handled by
// any thread, so a blocked read() cannot be counted on to return. Reads wait
// with poll() and look at `stop` ten times a second.
class StoppableInput : public std::istream {
 public:
  StoppableInput(int fd, const std::atomic<bool>* stop);
  ~StoppableInput() override;

 private:
  class Buffer;
  std::unique_ptr<Buffer> buffer_;
};

}  // namespace miaopi::cli
