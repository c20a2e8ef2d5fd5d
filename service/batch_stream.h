// A /v1/batch request decided while its body arrives: RunBatch — the code
// `miaopi batch` runs, so the records are the same bytes — works on a thread
// of its own, reading the body through a bounded input queue and writing
// records through a bounded output queue. The transport feeds one queue and
// drains the other, and is woken when either has room or data; memory stays
// bounded whatever the body's size. This file's external interface is
// BatchStream.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "engine/api/batch.h"

namespace miaopi::service {

class BatchStream {
 public:
  // `wake` is called from the batch's thread when input may be fed again,
  // output is waiting, or the batch ended; `done` there with its stats.
  BatchStream(std::shared_ptr<const Pack> pack, BatchOptions options, std::function<void()> wake,
              std::function<void(const BatchStats&)> done);
  ~BatchStream();  // cancels, and waits for the batch's thread
  BatchStream(const BatchStream&) = delete;
  BatchStream& operator=(const BatchStream&) = delete;

  // Transport side.
  void Feed(std::string bytes);  // body bytes, in order
  bool WantsInput() const;       // below the input limit: feed more
  void EndOfInput();             // the body is complete
  void Cancel();                 // the client went away
  std::string TakeOutput();      // the records written so far
  bool Finished() const;         // the batch ended and every record was taken
  bool Failed() const;           // it ended because the journal refused its records

 private:
  class Input;
  class Output;
  static constexpr size_t kMaxInput = 1u << 20, kMaxOutput = 1u << 20;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> input_;
  size_t input_bytes_ = 0;
  bool input_ended_ = false, cancelled_ = false, ended_ = false, failed_ = false;
  std::string output_;
  std::atomic<bool> stop_{false};
  std::function<void()> wake_;
  std::thread thread_;
};

}  // namespace miaopi::service
