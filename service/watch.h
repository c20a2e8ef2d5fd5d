// --watch: calls back when files in a pack folder (or its subfolders) change,
// once per burst of changes (an editor's save, a deploy that copies many
// files), after the folder has been quiet for `quiet_ms`. Linux inotify.
// This file's external interface is PackWatcher.
#pragma once

#include <functional>
#include <string>
#include <thread>

namespace miaopi::service {

class PackWatcher {
 public:
  PackWatcher(std::string dir, int quiet_ms, std::function<void()> changed);
  ~PackWatcher();  // stops the thread
  PackWatcher(const PackWatcher&) = delete;
  PackWatcher& operator=(const PackWatcher&) = delete;
  // False (with `error`) when the folder cannot be watched.
  bool Start(std::string* error);

 private:
  void Run();
  void WatchTree(const std::string& dir);

  std::string dir_;
  int quiet_ms_;
  std::function<void()> changed_;
  int inotify_ = -1, stop_ = -1;  // stop_: an eventfd that ends Run
  std::thread thread_;
};

}  // namespace miaopi::service
