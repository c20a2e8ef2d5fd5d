#include "service/batch_stream.h"

#include <istream>
#include <ostream>
#include <streambuf>

namespace miaopi::service {

// The body as the batch's istream: waits for the transport's bytes.
class BatchStream::Input : public std::streambuf {
 public:
  explicit Input(BatchStream& s) : s_(s) {}

 protected:
  int_type underflow() override {
    std::unique_lock lock(s_.mutex_);
    s_.changed_.wait(lock, [&] { return !s_.input_.empty() || s_.input_ended_ || s_.cancelled_; });
    if (s_.cancelled_ || s_.input_.empty()) return traits_type::eof();
    current_ = std::move(s_.input_.front());
    s_.input_.pop_front();
    bool was_full = s_.input_bytes_ >= kMaxInput;
    s_.input_bytes_ -= current_.size();
    lock.unlock();
    if (was_full) s_.wake_();  // room again: the transport may read on
    setg(current_.data(), current_.data(), current_.data() + current_.size());
    return traits_type::to_int_type(current_[0]);
  }

 private:
  BatchStream& s_;
  std::string current_;
};

// The records as the batch's ostream: handed to the transport in pieces of
// about 64 KB, waiting while the transport has a full queue to write.
class BatchStream::Output : public std::streambuf {
 public:
  explicit Output(BatchStream& s) : s_(s) {}
  ~Output() override { Hand(); }

 protected:
  std::streamsize xsputn(const char* data, std::streamsize n) override {
    pending_.append(data, static_cast<size_t>(n));
    if (pending_.size() >= 64 * 1024) Hand();
    return n;
  }
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) pending_ += traits_type::to_char_type(c);
    if (pending_.size() >= 64 * 1024) Hand();
    return traits_type::not_eof(c);
  }
  int sync() override {
    Hand();
    return 0;
  }

 private:
  void Hand() {
    if (pending_.empty()) return;
    {
      std::unique_lock lock(s_.mutex_);
      s_.changed_.wait(lock, [&] { return s_.output_.size() < kMaxOutput || s_.cancelled_; });
      if (s_.cancelled_) {
        pending_.clear();
        return;
      }
      s_.output_ += pending_;
    }
    pending_.clear();
    s_.wake_();
  }

  BatchStream& s_;
  std::string pending_;
};

BatchStream::BatchStream(std::shared_ptr<const Pack> pack, BatchOptions options, std::function<void()> wake,
                         std::function<void(const BatchStats&)> done)
    : wake_(std::move(wake)) {
  options.stop = &stop_;
  thread_ = std::thread([this, pack = std::move(pack), options = std::move(options), done = std::move(done)] {
    BatchStats stats;
    {
      Input input(*this);
      Output output(*this);
      std::istream in(&input);
      std::ostream out(&output);
      stats = RunBatch(pack, in, out, options);
      out.flush();
    }  // the Output hands its last records over
    done(stats);
    {
      std::lock_guard lock(mutex_);
      ended_ = true;
      failed_ = !stats.observer_error.empty();
    }
    wake_();
  });
}

BatchStream::~BatchStream() {
  Cancel();
  if (thread_.joinable()) thread_.join();
}

void BatchStream::Feed(std::string bytes) {
  if (bytes.empty()) return;
  {
    std::lock_guard lock(mutex_);
    input_bytes_ += bytes.size();
    input_.push_back(std::move(bytes));
  }
  changed_.notify_all();
}

bool BatchStream::WantsInput() const {
  std::lock_guard lock(mutex_);
  return input_bytes_ < kMaxInput && !cancelled_;
}

void BatchStream::EndOfInput() {
  {
    std::lock_guard lock(mutex_);
    input_ended_ = true;
  }
  changed_.notify_all();
}

void BatchStream::Cancel() {
  stop_ = true;
  {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
  }
  changed_.notify_all();
}

std::string BatchStream::TakeOutput() {
  std::string out;
  {
    std::lock_guard lock(mutex_);
    out.swap(output_);
  }
  changed_.notify_all();  // room for the batch to write again
  return out;
}

bool BatchStream::Failed() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

bool BatchStream::Finished() const {
  std::lock_guard lock(mutex_);
  return ended_ && output_.empty();
}

}  // namespace miaopi::service
