// The warning sink of the public API (miaopi.h): problems the run time works
// around without failing a decision, such as a licence row it cannot read.
#include <atomic>

#include "engine/include/miaopi/miaopi.h"

namespace miaopi {

namespace {
std::atomic<WarningSink> warning_sink{nullptr};
}  // namespace

void SetWarningSink(WarningSink sink) { warning_sink.store(sink); }

void LogWarning(const std::string& message) {
  if (WarningSink sink = warning_sink.load()) sink(message);
}

}  // namespace miaopi
