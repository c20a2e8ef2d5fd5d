// The scratch folder: paths checked as text first, then walked component by
// component without following links, so nothing the page sends can name a
// file outside the folder.
#include "studio/scratch.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace miaopi::studio {

namespace fs = std::filesystem;

namespace {

constexpr std::array<std::string_view, 6> kExtensions = {".rules", ".csv", ".json", ".jsonl", ".md", ".txt"};
constexpr size_t kMaxPathBytes = 240;
constexpr size_t kMaxSegments = 8;

constexpr std::string_view kBaseFile = ".miaopi-studio-base";

// The regular files under `root` whose relative paths the studio accepts,
// never following a link. A file that vanishes while it is listed (another
// thread's temporary file) is skipped; `error`, when given, says why the
// listing stopped short.
std::vector<ScratchFile> ListFiles(const fs::path& root, std::string* error = nullptr) {
  std::vector<ScratchFile> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    fs::file_status status = it->symlink_status(ec);
    if (ec) {
      ec.clear();
      continue;
    }
    std::string rel = it->path().lexically_relative(root).generic_string();
    if (fs::is_directory(status)) {
      // Hidden folders and deep trees are not the pack's.
      if (rel.starts_with('.') || rel.find("/.") != std::string::npos || it.depth() >= int(kMaxSegments) - 1) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (!fs::is_regular_file(status) || !CheckStudioPath(rel).empty()) continue;
    uint64_t bytes = it->file_size(ec);
    if (ec) {
      ec.clear();
      continue;
    }
    files.push_back({rel, bytes});
  }
  if (ec && error != nullptr) *error = "cannot list " + root.string() + ": " + ec.message();
  std::sort(files.begin(), files.end(), [](const ScratchFile& a, const ScratchFile& b) { return a.path < b.path; });
  return files;
}

// Walks `rel` under `root`: false with `error` when a component is a link
// or a file where a folder should be. `make_dirs`: creates missing folders.
bool WalkParents(const fs::path& root, std::string_view rel, bool make_dirs, std::string* error) {
  fs::path at = root;
  fs::path parent = fs::path(rel).parent_path();
  for (const fs::path& segment : parent) {
    at /= segment;
    std::error_code ec;
    fs::file_status status = fs::symlink_status(at, ec);
    if (fs::is_symlink(status)) {
      *error = "'" + std::string(rel) + "': a folder on the way is a link";
      return false;
    }
    if (!fs::exists(status)) {
      if (!make_dirs) {
        *error = "no file '" + std::string(rel) + "'";
        return false;
      }
      if (!fs::create_directory(at, ec) && ec) {
        *error = "cannot make folder for '" + std::string(rel) + "': " + ec.message();
        return false;
      }
    } else if (!fs::is_directory(status)) {
      *error = "'" + std::string(rel) + "': a file is where a folder should be";
      return false;
    }
  }
  return true;
}

std::optional<std::string> ReadNoFollow(const fs::path& file, std::string* error) {
  int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    *error = errno == ENOENT ? "no such file" : std::string("cannot read: ") + std::strerror(errno);
    return std::nullopt;
  }
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = std::string("cannot read: ") + std::strerror(errno);
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

// Writes `text` to `file` through a temporary file in the same folder.
bool WriteAtomically(const fs::path& file, std::string_view text, std::string* error) {
  std::string temp = file.string() + ".studio-XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    *error = std::string("cannot write: ") + std::strerror(errno);
    return false;
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *error = std::string("cannot write: ") + std::strerror(errno);
      ::close(fd);
      ::unlink(temp.c_str());
      return false;
    }
    done += static_cast<size_t>(n);
  }
  ::fchmod(fd, 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(temp.c_str(), file.c_str()) != 0) {
    *error = std::string("cannot write: ") + std::strerror(errno);
    ::unlink(temp.c_str());
    return false;
  }
  return true;
}

bool CopyTree(const fs::path& from, const fs::path& to, ScratchLimits limits, std::string* error) {
  std::vector<ScratchFile> files = ListFiles(from);
  uint64_t total = 0;
  for (const ScratchFile& f : files) total += f.bytes;
  if (files.size() > limits.max_files || total > limits.max_total_bytes) {
    *error = "the pack has " + std::to_string(files.size()) + " files of " + std::to_string(total) +
             " bytes; the studio takes at most " + std::to_string(limits.max_files) + " files of " +
             std::to_string(limits.max_total_bytes) + " bytes";
    return false;
  }
  for (const ScratchFile& f : files) {
    std::optional<std::string> text = ReadNoFollow(from / f.path, error);
    if (!text) {
      *error = f.path + ": " + *error;
      return false;
    }
    if (!WalkParents(to, f.path, true, error) || !WriteAtomically(to / f.path, *text, error)) return false;
  }
  return true;
}

}  // namespace

std::string CheckStudioPath(std::string_view path) {
  if (path.empty()) return "the path is empty";
  if (path.size() > kMaxPathBytes) return "the path is longer than " + std::to_string(kMaxPathBytes) + " bytes";
  if (path.front() == '/') return "the path must be relative to the pack folder";
  size_t segments = 0;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string_view segment = path.substr(start, slash == std::string_view::npos ? path.npos : slash - start);
    if (segment.empty()) return "the path has an empty segment";
    if (segment.front() == '.') return "no segment may start with a dot ('" + std::string(segment) + "')";
    for (char c : segment) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                c == '.';
      if (!ok) return "the path may hold only letters, digits, '_', '-', '.' and '/'";
    }
    if (++segments > kMaxSegments) return "the path has more than " + std::to_string(kMaxSegments) + " segments";
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  for (std::string_view ext : kExtensions) {
    if (path.size() > ext.size() && path.ends_with(ext)) return {};
  }
  return "the studio edits .rules, .csv, .json, .jsonl, .md and .txt files";
}

std::optional<Scratch> Scratch::Open(const std::string& pack_dir, const std::string& dir, ScratchLimits limits,
                                     std::string* error) {
  std::string folder = dir;
  std::error_code ec;
  // Neither inside the other: the pack compiles every .rules file under its
  // folder, so a scratch copy inside it would be compiled with it. Checked
  // before anything is made.
  std::string pack = fs::canonical(pack_dir, ec).string();
  if (ec) {
    *error = "cannot open the pack folder " + pack_dir + ": " + ec.message();
    return std::nullopt;
  }
  auto overlaps = [&pack, pack_dir, error](const std::string& f) {
    auto inside = [](const std::string& a, const std::string& b) { return a == b || a.starts_with(b + "/"); };
    if (!inside(f, pack) && !inside(pack, f)) return false;
    *error = "the scratch folder " + f + " must be outside the pack folder " + pack_dir +
             ", and the pack outside it: the studio edits a copy";
    return true;
  };
  if (!folder.empty() && overlaps(fs::weakly_canonical(folder, ec).string())) return std::nullopt;
  if (folder.empty()) {
    std::string pattern = (fs::temp_directory_path(ec) / "miaopi-studio-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      *error = std::string("cannot make the scratch folder: ") + std::strerror(errno);
      return std::nullopt;
    }
    folder = pattern;
  } else {
    fs::file_status status = fs::symlink_status(folder, ec);
    if (fs::exists(status) && !fs::is_directory(status)) {
      *error = "--studio-scratch " + folder + " is not a folder";
      return std::nullopt;
    }
    fs::create_directories(folder, ec);
    if (ec) {
      *error = "cannot make the scratch folder " + folder + ": " + ec.message();
      return std::nullopt;
    }
  }
  folder = fs::canonical(folder, ec).string();
  if (ec) {
    *error = "cannot open the scratch folder: " + ec.message();
    return std::nullopt;
  }
  if (overlaps(folder)) return std::nullopt;
  Scratch scratch(pack_dir, folder, limits);
  if (ListFiles(folder).empty() && !CopyTree(pack_dir, folder, limits, error)) return std::nullopt;
  return scratch;
}

std::vector<ScratchFile> Scratch::List(std::string* error) const { return ListFiles(dir_, error); }

namespace {

bool Fail(ScratchFailure* why, ScratchFailure kind) {
  if (why != nullptr) *why = kind;
  return false;
}

// A missing file or folder on the way: kNotFound; a link or a file where a
// folder should be: kBadPath; anything else: kIo.
ScratchFailure Classify(const fs::path& root, std::string_view rel) {
  std::error_code ec;
  fs::path at = root;
  for (const fs::path& segment : fs::path(rel)) {
    at /= segment;
    fs::file_status status = fs::symlink_status(at, ec);
    if (!fs::exists(status)) return ScratchFailure::kNotFound;
    if (fs::is_symlink(status)) return ScratchFailure::kBadPath;
  }
  return ScratchFailure::kIo;
}

}  // namespace

std::optional<std::string> Scratch::Read(std::string_view path, std::string* error, ScratchFailure* why) const {
  if (std::string bad = CheckStudioPath(path); !bad.empty()) {
    *error = bad;
    Fail(why, ScratchFailure::kBadPath);
    return std::nullopt;
  }
  std::optional<std::string> text;
  if (WalkParents(dir_, path, false, error)) text = ReadNoFollow(fs::path(dir_) / path, error);
  if (!text) {
    *error = "'" + std::string(path) + "': " + *error;
    Fail(why, Classify(dir_, path));
  }
  return text;
}

bool Scratch::Write(std::string_view path, std::string_view text, std::string* error, ScratchFailure* why,
                    WriteMode mode) {
  if (std::string bad = CheckStudioPath(path); !bad.empty()) {
    *error = bad;
    return Fail(why, ScratchFailure::kBadPath);
  }
  std::vector<ScratchFile> files = List();
  uint64_t total = text.size();
  bool exists = false;
  for (const ScratchFile& f : files) {
    if (f.path == path) {
      exists = true;
    } else {
      total += f.bytes;
    }
  }
  if (exists && mode == WriteMode::kCreateOnly) {
    *error = "'" + std::string(path) + "' exists already";
    return Fail(why, ScratchFailure::kExists);
  }
  if (!exists && mode == WriteMode::kReplaceOnly) {
    *error = "no file '" + std::string(path) + "' (deleted or reset meanwhile?)";
    return Fail(why, ScratchFailure::kNotFound);
  }
  if (!exists && files.size() + 1 > limits_.max_files) {
    *error = "the scratch folder holds " + std::to_string(files.size()) + " files, the most it takes";
    return Fail(why, ScratchFailure::kFull);
  }
  if (total > limits_.max_total_bytes) {
    *error = "the scratch folder would hold " + std::to_string(total) + " bytes; it takes at most " +
             std::to_string(limits_.max_total_bytes);
    return Fail(why, ScratchFailure::kFull);
  }
  fs::path file = fs::path(dir_) / path;
  std::error_code ec;
  if (!WalkParents(dir_, path, true, error)) return Fail(why, ScratchFailure::kBadPath);
  fs::file_status status = fs::symlink_status(file, ec);
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    *error = "'" + std::string(path) + "' is not a plain file";
    return Fail(why, ScratchFailure::kBadPath);
  }
  return WriteAtomically(file, text, error) || Fail(why, ScratchFailure::kIo);
}

bool Scratch::Remove(std::string_view path, std::string* error, ScratchFailure* why) {
  if (std::string bad = CheckStudioPath(path); !bad.empty()) {
    *error = bad;
    return Fail(why, ScratchFailure::kBadPath);
  }
  fs::path file = fs::path(dir_) / path;
  std::error_code ec;
  if (!WalkParents(dir_, path, false, error) || !fs::is_regular_file(fs::symlink_status(file, ec))) {
    *error = "no file '" + std::string(path) + "'";
    return Fail(
        why, Classify(dir_, path) == ScratchFailure::kBadPath ? ScratchFailure::kBadPath : ScratchFailure::kNotFound);
  }
  if (!fs::remove(file, ec) || ec) {
    *error = "cannot remove '" + std::string(path) + "': " + ec.message();
    return Fail(why, ScratchFailure::kIo);
  }
  return true;
}

std::string Scratch::BaseHash() const {
  std::string error;
  std::optional<std::string> text = ReadNoFollow(fs::path(dir_) / kBaseFile, &error);
  if (!text) return {};
  while (!text->empty() && (text->back() == '\n' || text->back() == ' ')) text->pop_back();
  return *text;
}

void Scratch::SetBaseHash(const std::string& hash) {
  std::string error;
  WriteAtomically(fs::path(dir_) / kBaseFile, hash + "\n", &error);
}

bool Scratch::Reset(std::string* error) {
  for (const ScratchFile& f : List()) {
    std::error_code ec;
    fs::remove(fs::path(dir_) / f.path, ec);
  }
  return CopyTree(pack_dir_, dir_, limits_, error);
}

bool Scratch::PublishTo(std::string* error) const {
  std::string listing;
  std::vector<ScratchFile> files = List(&listing);
  if (!listing.empty()) {
    *error = listing;
    return false;
  }
  std::vector<ScratchFile> old_files = ListFiles(pack_dir_, &listing);
  if (!listing.empty()) {
    *error = listing;
    return false;
  }
  for (const ScratchFile& f : files) {
    std::optional<std::string> text = Read(f.path, error);
    if (!text) return false;
    if (!WalkParents(pack_dir_, f.path, true, error) || !WriteAtomically(fs::path(pack_dir_) / f.path, *text, error)) {
      *error = "publishing " + f.path + ": " + *error;
      return false;
    }
  }
  for (const ScratchFile& old : old_files) {
    bool kept = std::any_of(files.begin(), files.end(), [&](const ScratchFile& f) { return f.path == old.path; });
    std::error_code ec;
    if (!kept) fs::remove(fs::path(pack_dir_) / old.path, ec);
  }
  return true;
}

}  // namespace miaopi::studio
