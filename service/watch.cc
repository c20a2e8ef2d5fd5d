#include "service/watch.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

namespace miaopi::service {

PackWatcher::PackWatcher(std::string dir, int quiet_ms, std::function<void()> changed)
    : dir_(std::move(dir)), quiet_ms_(quiet_ms), changed_(std::move(changed)) {}

PackWatcher::~PackWatcher() {
  if (stop_ >= 0) {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(stop_, &one, sizeof one);
  }
  if (thread_.joinable()) thread_.join();
  if (inotify_ >= 0) ::close(inotify_);
  if (stop_ >= 0) ::close(stop_);
}

void PackWatcher::WatchTree(const std::string& dir) {
  constexpr uint32_t kEvents = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_MODIFY;
  inotify_add_watch(inotify_, dir.c_str(), kEvents);
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (entry.is_directory(ec)) inotify_add_watch(inotify_, entry.path().c_str(), kEvents);
  }
}

bool PackWatcher::Start(std::string* error) {
  inotify_ = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  stop_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (inotify_ < 0 || stop_ < 0) {
    *error = std::string("cannot watch the pack: ") + std::strerror(errno);
    return false;
  }
  if (inotify_add_watch(inotify_, dir_.c_str(), IN_CLOSE_WRITE) < 0) {
    *error = "cannot watch " + dir_ + ": " + std::strerror(errno);
    return false;
  }
  WatchTree(dir_);
  thread_ = std::thread([this] { Run(); });
  return true;
}

void PackWatcher::Run() {
  bool pending = false;
  alignas(inotify_event) char buffer[16 * 1024];
  for (;;) {
    pollfd fds[2] = {{inotify_, POLLIN, 0}, {stop_, POLLIN, 0}};
    int ready = ::poll(fds, 2, pending ? quiet_ms_ : -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0 || (fds[1].revents & POLLIN)) return;
    if (ready == 0) {  // quiet since the last change
      pending = false;
      changed_();
      continue;
    }
    bool new_folder = false;
    for (ssize_t n; (n = ::read(inotify_, buffer, sizeof buffer)) > 0;) {
      for (char* p = buffer; p < buffer + n;) {
        auto* event = reinterpret_cast<inotify_event*>(p);
        new_folder |= (event->mask & IN_ISDIR) && (event->mask & (IN_CREATE | IN_MOVED_TO));
        p += sizeof(inotify_event) + event->len;
      }
    }
    if (new_folder) WatchTree(dir_);
    pending = true;
  }
}

}  // namespace miaopi::service
