// Standard output of the `miaopi` command: std::cout writes through a buffer
// over file descriptor 1 that keeps the errno of the first write that
// failed, so a command can tell a full disk (an error: exit 4) from a reader
// that went away (`| head`: EPIPE, a quiet end). SIGPIPE is ignored, so a
// closed pipe is an error return, never a signal that kills the process.
#pragma once

namespace miaopi::cli {

// Routes std::cout through the buffer and ignores SIGPIPE; once, first in main.
void InstallStdout();

// errno of the first failed write to stdout (after flushing), or 0.
int StdoutError();

}  // namespace miaopi::cli
