// miaopi journal keygen|verify|prove|consistency|check-proof — the
// decision journal's keys and checks (docs/journal.md).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "apps/cli/cli.h"
#include "journal/audit.h"
#include "journal/export.h"
#include "journal/journal.h"
#include "journal/note.h"
#include "journal/recorder.h"
#include "journal/stats.h"

namespace miaopi::cli {

namespace {

bool ReadText(const std::string& path, std::string* text) {
  std::ifstream in(path == "-" ? "/dev/stdin" : path, std::ios::binary);
  if (!in) {
    std::cerr << "miaopi: cannot read " << path << ": " << std::strerror(errno) << "\n";
    return false;
  }
  text->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

bool ReadVerifierKey(const std::string& path, std::optional<journal::VerifierKey>* key) {
  std::string text, error;
  if (!ReadText(path, &text)) return false;
  *key = journal::ParseVerifierKey(text, &error);
  if (!*key) {
    std::cerr << "miaopi: " << path << " is not a verifier key: " << error << "\n";
    return false;
  }
  return true;
}

// Writes a new file (never over an existing one) with `mode`.
bool WriteNew(const std::string& path, const std::string& text, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    std::cerr << "miaopi: cannot create " << path << ": " << std::strerror(errno)
              << (errno == EEXIST ? " (a key is never overwritten)" : "") << "\n";
    return false;
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) std::cerr << "miaopi: cannot write " << path << "\n";
  return ok;
}

struct JournalCliOptions {
  std::string dir, name = "miaopi-journal", key_out = "journal.key", public_key, checkpoint, proof;
  uint64_t seq = 0, old_size = 0, new_size = 0;
  bool json = false;
  std::string outcome, reviewer, note, key_file, output;
  bool mask = false;
};

int Keygen(const JournalCliOptions& o) {
  std::string signer, verifier, error;
  if (!journal::GenerateKey(o.name, &signer, &verifier, &error)) {
    std::cerr << "miaopi: " << error << "\n";
    return kUsage;
  }
  if (!WriteNew(o.key_out, signer + "\n", 0600)) return kIoError;
  if (!WriteNew(o.key_out + ".pub", verifier + "\n", 0644)) return kIoError;
  std::cout << "signer key:   " << o.key_out << " (keep it secret; give it to --journal-key)\n"
            << "verifier key: " << o.key_out << ".pub (publish it; auditors check with it)\n"
            << verifier << "\n";
  return kOk;
}

int Verify(const JournalCliOptions& o) {
  std::optional<journal::VerifierKey> key;
  if (!o.public_key.empty() && !ReadVerifierKey(o.public_key, &key)) return kIoError;
  journal::VerifyOptions options;
  options.key = key ? &*key : nullptr;
  if (!o.checkpoint.empty() && !ReadText(o.checkpoint, &options.checkpoint)) return kIoError;
  bool progress = StderrIsTerminal() && !o.json;
  if (progress) {
    options.progress = [](uint64_t done, uint64_t total) {
      std::fprintf(stderr, "\rverifying %llu / %llu entries ", static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total));
    };
  }
  journal::VerifyReport r = journal::VerifyJournal(o.dir, options);
  if (progress) std::fprintf(stderr, "\r%60s\r", "");
  if (o.json) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    auto list = [&](const char* key, const std::vector<std::string>& v) {
      w.Key(key);
      w.StartArray();
      for (const std::string& s : v) w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
      w.EndArray();
    };
    w.StartObject();
    w.Key("ok");
    w.Bool(r.ok);
    for (auto [key, n] : {std::pair<const char*, uint64_t>{"entries", r.entries},
                          {"checkpoints", r.checkpoints},
                          {"signed_checkpoints", r.signed_checkpoints},
                          {"packs", r.packs},
                          {"uncovered", r.uncovered}}) {
      w.Key(key);
      w.Uint64(n);
    }
    list("problems", r.problems);
    list("warnings", r.warnings);
    w.EndObject();
    std::cout << std::string_view(buffer.GetString(), buffer.GetSize()) << "\n";
  } else {
    for (const std::string& w : r.warnings) std::cerr << "warning: " << w << "\n";
    if (r.ok) {
      std::cout << "ok: " << r.entries << " entries, " << r.checkpoints << " checkpoints (" << r.signed_checkpoints
                << " signed by the key), " << r.packs << " archived packs: every leaf, root, signature and pack "
                << "hash recomputed and matching\n";
    } else {
      std::cout << "FAILED: " << r.problems.front() << "\n";
      for (size_t i = 1; i < r.problems.size() && i < 20; ++i) std::cout << "  also: " << r.problems[i] << "\n";
      if (r.problems.size() > 20) std::cout << "  and " << r.problems.size() - 20 << " more\n";
    }
  }
  if (r.unreadable) return kIoError;
  return r.ok ? kOk : kFindings;
}

// A missing journal is an unreadable input (exit 4), not a finding.
bool HaveJournal(const std::string& dir) {
  if (std::filesystem::is_regular_file(std::filesystem::path(dir) / "journal.db")) return true;
  std::cerr << "miaopi: no journal in " << dir << "\n";
  return false;
}

int Prove(const JournalCliOptions& o) {
  if (!HaveJournal(o.dir)) return kIoError;
  std::string proof, error;
  if (!journal::ProveInclusion(o.dir, o.seq, &proof, &error)) {
    std::cerr << "miaopi: " << error << "\n";
    return kFindings;
  }
  std::cout << proof << "\n";
  return kOk;
}

int Consistency(const JournalCliOptions& o) {
  if (!HaveJournal(o.dir)) return kIoError;
  std::string proof, error;
  if (!journal::ProveConsistency(o.dir, o.old_size, o.new_size, &proof, &error)) {
    std::cerr << "miaopi: " << error << "\n";
    return kFindings;
  }
  std::cout << proof << "\n";
  return kOk;
}

int CheckProofCmd(const JournalCliOptions& o) {
  std::optional<journal::VerifierKey> key;
  if (!ReadVerifierKey(o.public_key, &key)) return kIoError;
  std::string proof;
  if (!ReadText(o.proof, &proof)) return kIoError;
  journal::ProofCheck check = journal::CheckProof(proof, *key);
  (check.ok ? std::cout : std::cerr) << (check.ok ? "ok: " : "FAILED: ") << check.message << "\n";
  return check.ok ? kOk : kFindings;
}

int ReviewCmd(const JournalCliOptions& o) {
  journal::JournalOptions options;
  options.dir = o.dir;
  options.key_file = o.key_file;
  std::string error;
  if (!HaveJournal(o.dir)) return kIoError;
  std::unique_ptr<journal::Journal> j = journal::Journal::Open(options, &error);
  if (!j) {
    std::cerr << "miaopi: cannot open the journal: " << error
              << (error.find("another process") != std::string::npos
                      ? " (while `miaopi serve` holds it, send POST /v1/decisions/SEQ/review)"
                      : "")
              << "\n";
    return kIoError;
  }
  std::optional<journal::Entry> entry = journal::ReviewEntry(*j, {o.seq, o.outcome, o.reviewer, o.note}, "cli", &error);
  if (!entry) {
    std::cerr << "miaopi: " << error << "\n";
    return kFindings;
  }
  std::vector<journal::Entry> entries{std::move(*entry)};
  if (!j->Append(&entries, &error)) {
    std::cerr << "miaopi: the journal could not keep the review: " << error << "\n";
    return kIoError;
  }
  std::cout << "review of decision " << o.seq << " kept as entry " << entries[0].seq << "\n";
  if (!j->Close(&error)) {
    std::cerr << "miaopi: the review is kept, but the checkpoint covering it could not be written: " << error << "\n";
    return kIoError;
  }
  return kOk;
}

int ExportCmd(const JournalCliOptions& o) {
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!o.output.empty() && o.output != "-") {
    file.open(o.output, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "miaopi: cannot write " << o.output << ": " << std::strerror(errno) << "\n";
      return kIoError;
    }
    out = &file;
  }
  journal::ExportOptions options;
  options.mask = o.mask;
  journal::ExportReport r = journal::ExportJournal(o.dir, options, *out);
  if (!r.error.empty()) {
    std::cerr << "miaopi: " << r.error << "\n";
    return kIoError;
  }
  std::cerr << r.entries << " entries exported"
            << (o.mask ? ", " + std::to_string(r.masked_values) + " values masked, " + std::to_string(r.left_out) +
                             " inputs left out whole (their item's private fields are not known)"
                       : "")
            << "\n";
  return kOk;
}

int StatsCmd(const JournalCliOptions& o) {
  journal::JournalStats stats = journal::ComputeStats(o.dir);
  if (!stats.error.empty()) {
    std::cerr << "miaopi: " << stats.error << "\n";
    return kIoError;
  }
  std::cout << (o.json ? journal::StatsJson(stats) : journal::StatsText(stats));
  return kOk;
}

}  // namespace

void AddJournal(CLI::App& app, Common& common, int* exit_code) {
  auto o = std::make_shared<JournalCliOptions>();
  CLI::App* cmd = app.add_subcommand("journal", "The decision journal: keys, verification, proofs (docs/journal.md)");
  cmd->require_subcommand(1);

  CLI::App* keygen = cmd->add_subcommand("keygen", "Make an Ed25519 key pair for signing checkpoints");
  keygen->add_option("NAME", o->name, "the key's name, by convention the journal's origin (default miaopi-journal)");
  keygen->add_option("-o,--output", o->key_out,
                     "signer key file (default journal.key); the verifier key goes to FILE.pub");
  keygen->callback([o, exit_code] { *exit_code = Keygen(*o); });

  CLI::App* verify = cmd->add_subcommand("verify", "Recompute every entry, root, signature and archived pack");
  verify->add_option("DIR", o->dir, "journal folder")->required();
  verify->add_option("--public-key", o->public_key, "the verifier key (FILE.pub) checkpoints must be signed with");
  verify->add_option("--checkpoint", o->checkpoint, "a checkpoint kept outside the journal, which it must extend");
  verify->add_flag("--json", o->json, "the report as JSON");
  verify->callback([o, exit_code] { *exit_code = Verify(*o); });

  CLI::App* prove = cmd->add_subcommand("prove", "Print an inclusion proof of one entry against the latest checkpoint");
  prove->add_option("DIR", o->dir, "journal folder")->required();
  prove->add_option("SEQ", o->seq, "the entry's sequence number")->required();
  prove->callback([o, exit_code] { *exit_code = Prove(*o); });

  CLI::App* consistency =
      cmd->add_subcommand("consistency", "Print a proof that the log only grew between two checkpoints");
  consistency->add_option("DIR", o->dir, "journal folder")->required();
  consistency->add_option("OLD", o->old_size, "the older checkpoint's tree size")->required();
  consistency->add_option("NEW", o->new_size, "the newer checkpoint's tree size (default: the latest)");
  consistency->callback([o, exit_code] { *exit_code = Consistency(*o); });

  CLI::App* check = cmd->add_subcommand("check-proof", "Check a proof with only the verifier key");
  check->add_option("PROOF", o->proof, "the proof (JSON from prove or consistency), or - for stdin")->required();
  check->add_option("--public-key", o->public_key, "the journal's verifier key (FILE.pub)")->required();
  check->callback([o, exit_code] { *exit_code = CheckProofCmd(*o); });
  CLI::App* review = cmd->add_subcommand("review", "Record a person's review of a decision (PIPL §24)");
  review->add_option("DIR", o->dir, "journal folder")->required();
  review->add_option("SEQ", o->seq, "the decision's entry")->required();
  review->add_option("--outcome", o->outcome, "approve or reject")
      ->required()
      ->check(CLI::IsMember({"approve", "reject"}));
  review->add_option("--reviewer", o->reviewer, "who reviewed it")->required();
  review->add_option("--note", o->note, "why");
  review->add_option("--journal-key", o->key_file, "sign the checkpoint written on closing with this key");
  review->callback([o, exit_code] { *exit_code = ReviewCmd(*o); });

  CLI::App* exp = cmd->add_subcommand("export", "Write the entries as JSONL; --mask hides personal data");
  exp->add_option("DIR", o->dir, "journal folder")->required();
  exp->add_option("-o,--output", o->output, "output file (default stdout)");
  exp->add_flag("--mask", o->mask, "mask the items' private input paths and the subject's id and name");
  exp->callback([o, exit_code] { *exit_code = ExportCmd(*o); });

  CLI::App* stats = cmd->add_subcommand("stats", "Outcomes, and what people decided on review, per item and rule");
  stats->add_option("DIR", o->dir, "journal folder")->required();
  stats->add_flag("--json", o->json, "as JSON");
  stats->callback([o, exit_code] { *exit_code = StatsCmd(*o); });
  (void)common;
}

}  // namespace miaopi::cli
