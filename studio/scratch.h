// The studio's scratch folder: a copy of the pack that the page edits, with
// every path confined to it. No path the page sends leaves the folder: each
// is checked as text (relative, plain segments, known extensions) and no
// component may be a symbolic link. This file's external interface is
// Scratch::Open, CheckStudioPath and Scratch::PublishTo.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace miaopi::studio {

struct ScratchLimits {
  size_t max_files = 2000;              // files in the scratch folder
  size_t max_total_bytes = 256u << 20;  // all of them together
};

// Why `path` may not name a file of the scratch folder, or empty when it may:
// a relative path of at most 8 segments of [A-Za-z0-9_.-] (none starting
// with a dot), ending in .rules, .csv, .json, .jsonl, .md or .txt.
std::string CheckStudioPath(std::string_view path);

// What a write may do: make the file, replace it, or either.
enum class WriteMode { kCreateOrReplace, kCreateOnly, kReplaceOnly };

// Why a file operation failed, for the HTTP status: 400, 404, 409, 413, 500.
enum class ScratchFailure { kNone, kBadPath, kNotFound, kExists, kFull, kIo };

struct ScratchFile {
  std::string path;  // relative, '/'-separated
  uint64_t bytes = 0;
};

class Scratch {
 public:
  // Uses `dir` when it holds files already (work goes on where it stopped),
  // else creates it and copies the pack's files from `pack_dir` into it.
  // `dir` empty: a new folder under the temporary directory.
  static std::optional<Scratch> Open(const std::string& pack_dir, const std::string& dir, ScratchLimits limits,
                                     std::string* error);

  const std::string& dir() const { return dir_; }
  // Every file the studio may show, sorted by path; `error`, when given, is
  // set when the folder could not be read whole.
  std::vector<ScratchFile> List(std::string* error = nullptr) const;
  // nullopt with `error` (bad path, no such file, unreadable) and `why`.
  std::optional<std::string> Read(std::string_view path, std::string* error, ScratchFailure* why = nullptr) const;
  // Writes atomically (a temporary file renamed over it), making folders.
  // kCreateOnly fails with kExists when the file is there, kReplaceOnly with
  // kNotFound when it is not (a save never brings back a deleted file).
  bool Write(std::string_view path, std::string_view text, std::string* error, ScratchFailure* why = nullptr,
             WriteMode mode = WriteMode::kCreateOrReplace);
  bool Remove(std::string_view path, std::string* error, ScratchFailure* why = nullptr);
  // The scratch folder again as a fresh copy of `pack_dir`.
  bool Reset(std::string* error);
  // Makes the pack folder hold exactly the scratch folder's files: each
  // written atomically, and files of the studio's kinds that the scratch
  // folder no longer has removed. Other files in the pack folder are left.
  bool PublishTo(std::string* error) const;

  // The hash of the pack in service the scratch folder was copied from (or
  // last published to): kept in the folder, so a publish can tell when the
  // pack changed under the edits. Empty when not known.
  std::string BaseHash() const;
  void SetBaseHash(const std::string& hash);

 private:
  Scratch(std::string pack_dir, std::string dir, ScratchLimits limits)
      : pack_dir_(std::move(pack_dir)), dir_(std::move(dir)), limits_(limits) {}

  std::string pack_dir_, dir_;
  ScratchLimits limits_;
};

}  // namespace miaopi::studio
