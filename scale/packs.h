// Rule packs through JetStream: every published version kept in the object
// store under its hash, a key-value entry naming the one in force, and the
// watch a worker keeps on that key. This file's external interface is
// PackBytes, PublishPack, FetchPack and PackWatcher.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "engine/include/miaopi/miaopi.h"
#include "scale/nats.h"

namespace miaopi::scale {

// A pack's files as one object: "miaopi-pack/1\n" then, per file in path
// order, "<path> <byte length>\n<bytes>\n" — exactly what its hash covers.
std::string PackBytes(const Pack& pack);
// Writes the files of PackBytes into `dir` (made when missing). Refuses a
// malformed object and any path that would leave `dir`.
bool WritePackFiles(std::string_view bytes, const std::string& dir, std::string* error);

// Stores the pack in the object store (once per hash) and names it the pack
// in force. `stored` says whether its bytes were new to the store.
bool PublishPack(Nats& nats, const Pack& pack, bool* stored, std::string* error);

// The pack with `hash` from the object store, compiled from a folder under
// `cache_dir`; null with `error` when missing, corrupt (its digest or its
// hash does not match) or it does not compile.
// `permanent` (when given) tells a pack that will never do (missing, corrupt,
// not compiling, not a hash) from a request that failed and may succeed later.
std::shared_ptr<const Pack> FetchPack(Nats& nats, const std::string& hash, const std::string& cache_dir,
                                      const LoadOptions& load, std::string* error, bool* permanent = nullptr);
// "sha256:" and 64 lower-case hex digits: all a hash from a message may be.
bool IsPackHash(std::string_view hash);

// Follows the key naming the pack in force; current() is the last one that
// compiled (null until one has). A pack that does not compile is logged and
// the previous one stays.
class PackWatcher {
 public:
  PackWatcher(Nats& nats, std::string cache_dir, LoadOptions load);
  ~PackWatcher();
  std::shared_ptr<const Pack> current() const;
  // Waits up to `seconds` for a first pack.
  std::shared_ptr<const Pack> WaitForPack(double seconds, const std::atomic<bool>* stop) const;

 private:
  void Loop();
  void Consider(const std::string& hash, uint64_t revision);

  Nats& nats_;
  std::string cache_dir_;
  LoadOptions load_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Pack> current_;
  std::string refused_;    // the last hash that will never do: not fetched again
  uint64_t revision_ = 0;  // of the key's entry last taken
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace miaopi::scale
