// `miaopi serve`: the Service over HTTP/1.1 (Boost.Beast on Asio), with
// keep-alive and pipelining, timeouts, limits, SIGHUP and --watch reloads
// and a graceful stop on SIGTERM/SIGINT. The only file that includes Beast.
// This file's external interface is Serve.
#pragma once

#include <string>

#include "service/service.h"

namespace miaopi::service {

// Runs until SIGTERM or SIGINT; the first line on stdout is exactly
// `listening on HOST:PORT`. The exit code: 0 after a clean stop, 2 for
// options it refuses, 3 when the pack does not compile, 4 when it cannot
// listen or read what it needs.
int Serve(const ServeOptions& options);

}  // namespace miaopi::service
