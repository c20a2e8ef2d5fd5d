// miaopi serve PACK — the decision service over HTTP (docs/service.md).
#include <iostream>

#include "apps/cli/cli.h"
#include "service/server.h"
#include "studio/studio.h"

namespace miaopi::cli {

namespace {

// "127.0.0.1:8080", "[::1]:0" → host and port; false when it is neither.
bool ParseListen(const std::string& text, std::string* host, uint16_t* port) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) return false;
  std::string h = text.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (h.empty()) return false;
  unsigned long p = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9') return false;
    p = p * 10 + static_cast<unsigned>(c - '0');
    if (p > 65535) return false;
  }
  *host = h;
  *port = static_cast<uint16_t>(p);
  return true;
}

}  // namespace

void AddServe(CLI::App& app, Common& common, int* exit_code) {
  auto options = std::make_shared<service::ServeOptions>();
  auto listen = std::make_shared<std::string>("127.0.0.1:8080");
  CLI::App* cmd = app.add_subcommand("serve", "Serve decisions over HTTP (docs/service.md)");
  cmd->add_option("PACK", common.pack_dir, "pack folder")->required();
  cmd->add_option("--listen", *listen, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0: any free one)");
  cmd->add_option("--threads", options->threads, "HTTP threads (default: one per core)")->check(CLI::Range(0, 1024));
  cmd->add_option("--licences", options->licences_db, "the electronic licence library (SQLite)");
  cmd->add_option("--tokens", options->tokens_file,
                  "callers allowed: lines `SHA256_OF_TOKEN NAME ROLE` (decide|admin); without it, loopback only");
  cmd->add_flag("--watch", options->watch, "reload when files in the pack folder change");
  cmd->add_option("--max-body", options->max_body,
                  "bytes of a /v1/decide body and of one /v1/batch line (default 1 MiB)")
      ->check(CLI::Range(size_t{1}, size_t{1} << 30));
  cmd->add_option("--max-batch-body", options->max_batch_body, "bytes of a /v1/batch body (default 64 MiB)")
      ->check(CLI::Range(size_t{1}, size_t{1} << 34));
  cmd->add_option("--read-timeout", options->read_timeout, "seconds to read one request (default 10)")
      ->check(CLI::Range(0.1, 3600.0));
  cmd->add_option("--idle-timeout", options->idle_timeout,
                  "seconds a keep-alive connection may wait for its next request (default 60)")
      ->check(CLI::Range(0.1, 86400.0));
  cmd->add_option("--grace", options->grace, "seconds to finish in-flight requests after SIGTERM (default 10)")
      ->check(CLI::Range(0.0, 3600.0));
  cmd->add_option("--max-connections", options->max_connections,
                  "open connections at most; one more is answered 503 with Retry-After (default 10000)")
      ->check(CLI::Range(size_t{1}, size_t{1} << 24));
  cmd->add_option("--disable-pass", common.disabled_passes, "skip an optimization pass (repeatable)");
  auto journal = std::make_shared<JournalFlags>();
  AddJournalOptions(cmd, *journal);
  auto studio = std::make_shared<studio::StudioOptions>();
  auto studio_on = std::make_shared<bool>(false);
  cmd->add_flag("--studio", *studio_on,
                "serve the studio at /studio/: edit, try, test and prove a copy of the pack (docs/studio.md)");
  cmd->add_option("--studio-scratch", studio->scratch_dir,
                  "the studio's scratch folder (default: a new temporary one); work in it is kept");
  cmd->add_option("--studio-samples", studio->samples, "JSONL applications the studio measures an edit's impact on");
  cmd->callback([&common, options, listen, journal, studio, studio_on, exit_code] {
    if (!ParseListen(*listen, &options->host, &options->port)) {
      std::cerr << "miaopi: --listen takes HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:0\n";
      *exit_code = kUsage;
      return;
    }
    options->pack_dir = common.pack_dir;
    options->journal.dir = journal->dir;
    options->journal.key_file = journal->key_file;
    options->journal.sync = journal->sync == "normal" ? journal::SyncMode::kNormal : journal::SyncMode::kFull;
    options->journal.checkpoint_every = journal->checkpoint_every;
    options->journal.checkpoint_seconds = journal->checkpoint_seconds;
    options->load.disabled_passes = common.disabled_passes;
    // One application's size limit, whether it comes alone or as a batch line.
    options->load.limits.max_application_bytes = options->max_body;
    if (*studio_on) {
      studio->pack_dir = options->pack_dir;
      studio->journal_dir = options->journal.dir;
      studio->load = options->load;
      studio->max_body = options->max_body;
      options->extension = [studio](service::Service& service, std::string* error) {
        return studio::MakeStudio(service, *studio, error);
      };
    } else if (!studio->scratch_dir.empty() || !studio->samples.empty()) {
      std::cerr << "miaopi: --studio-scratch and --studio-samples go with --studio\n";
      *exit_code = kUsage;
      return;
    }
    *exit_code = service::Serve(*options);
  });
}

}  // namespace miaopi::cli
