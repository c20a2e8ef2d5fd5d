// A connection to NATS JetStream as miaopi uses it: connect with backoff
// (never a busy loop) and stay connected, the streams and buckets of a
// deployment created when missing, messages with headers. A thin layer over
// the C client (libnats); the rest of scale/ sees only this file's types.
// This file's external interface is NatsOptions, Nats and Topology.
//
// The deployment (docs/scale.md):
//   stream APPS     work queue, subjects apps.<ITEM>: applications to decide
//   stream RESULTS  limits, subjects results.<ITEM>: one record per application
//   KV bucket       miaopi, key "pack": the hash of the pack in force
//   object store    miaopi_packs: every published pack by hash (ADR-20 layout)
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct __natsConnection;
struct __jsCtx;
struct __natsMsg;
struct __natsSubscription;

namespace miaopi::scale {

struct NatsOptions {
  std::string url = "nats://127.0.0.1:4222";  // several, comma-separated, for a cluster
  int replicas = 1;                           // of every stream this creates (3 in a cluster)
  double duplicate_window = 600;              // seconds a Nats-Msg-Id is remembered
  double request_timeout = 5;                 // seconds for a JetStream request
  double max_backoff = 5;                     // seconds between connection attempts, at most
  // Set (by a signal) to give up connecting and end long waits.
  const std::atomic<bool>* stop = nullptr;
};

// The names of a deployment's streams and buckets.
struct Topology {
  static constexpr const char* kApps = "APPS";
  static constexpr const char* kResults = "RESULTS";
  static constexpr const char* kKvBucket = "miaopi";
  static constexpr const char* kPackKey = "pack";
  static constexpr const char* kObjectBucket = "miaopi_packs";
  // "apps.<item>", "results.<item>": the item code with what a subject
  // cannot hold ('.', '*', '>', spaces, controls) turned into '_'; "_"
  // when there is none.
  static std::string Subject(std::string_view prefix, std::string_view item);
};

// A received message. Owns the libnats message.
class Message {
 public:
  explicit Message(__natsMsg* msg) : msg_(msg) {}
  ~Message();
  Message(Message&& other) noexcept : msg_(other.msg_) { other.msg_ = nullptr; }
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;
  std::string_view subject() const;
  std::string_view data() const;
  // The header's value, or "" when the message has none.
  std::string_view Header(const char* key) const;
  // What JetStream says of a message it delivered (zeros when not one).
  struct Meta {
    uint64_t stream_seq = 0;
    uint64_t deliveries = 0;
    uint64_t pending = 0;   // messages after this one for the same consumer
    int64_t timestamp = 0;  // when the stream stored it, ns since the epoch
  };
  Meta JetStreamMeta() const;
  uint64_t StreamSeq() const { return JetStreamMeta().stream_seq; }
  bool Ack();
  bool Nak();
  __natsMsg* raw() { return msg_; }

 private:
  __natsMsg* msg_;
};

// A message to publish.
struct Outgoing {
  std::string subject;
  std::string data;
  std::vector<std::pair<std::string, std::string>> headers;
};

class Nats {
 public:
  using Log = std::function<void(const std::string&)>;
  // Connects, retrying with exponential backoff (0.25 s doubling to
  // max_backoff) and one log line per attempt, until it succeeds or
  // options.stop is set (null then). Once connected, the client reconnects
  // by itself, forever; losing and regaining the server are logged.
  static std::unique_ptr<Nats> Connect(const NatsOptions& options, const Log& log, std::string* error);
  ~Nats();
  Nats(const Nats&) = delete;
  Nats& operator=(const Nats&) = delete;

  // Creates the streams and buckets above when missing (an existing one is
  // used as it is). Retries while JetStream is not yet ready (a cluster
  // electing its leaders).
  bool EnsureTopology(std::string* error);

  // Publishes and waits for the stream's acknowledgement. `duplicate`
  // (when given) tells whether the stream had the message already.
  bool Publish(const Outgoing& msg, std::string* error, bool* duplicate = nullptr);
  // Publishes without waiting; WaitPublished waits for every
  // acknowledgement and says how many failed since the last wait.
  bool PublishAsync(const Outgoing& msg, std::string* error);
  bool WaitPublished(double seconds, uint64_t* failed, std::string* error);

  // The last message on a subject of a stream; nullopt when there is none
  // (`error` stays empty) or the request failed (`error` says why).
  std::optional<Message> LastMessage(const char* stream, const std::string& subject, std::string* error);
  // A stream's last sequence number and its message count.
  // `subjects` and `duplicate_window` (seconds), when given, receive the
  // stream's subject filters and how long it remembers a Nats-Msg-Id.
  bool StreamState(const char* stream, uint64_t* last_seq, uint64_t* messages, std::string* error,
                   std::vector<std::string>* subjects = nullptr, double* duplicate_window = nullptr);

  // KV: the value of a key (nullopt when unset), and setting it.
  // `revision` (when given) receives the entry's revision.
  std::optional<std::string> KvGet(const char* bucket, const char* key, std::string* error,
                                   uint64_t* revision = nullptr);
  bool KvPut(const char* bucket, const char* key, std::string_view value, std::string* error);

  __natsConnection* connection() { return conn_; }
  __jsCtx* js() { return js_; }
  const NatsOptions& options() const { return options_; }
  const Log& log() const { return log_; }

 private:
  Nats(NatsOptions options, Log log) : options_(std::move(options)), log_(std::move(log)) {}
  NatsOptions options_;
  Log log_;
  __natsConnection* conn_ = nullptr;
  __jsCtx* js_ = nullptr;
  std::atomic<uint64_t> async_failed_{0};
  std::atomic<bool> closing_{false};
  std::mutex closed_mutex_;
  std::condition_variable closed_cv_;
  bool closed_ = false;
  std::mutex async_mutex_;  // async_error_: written on the client's reply thread
  std::string async_error_;
  friend struct NatsCallbacks;
};

// Reads a stream from a sequence on, in order (an ordered consumer: no
// state on the server, recreated by the client after a failure).
class StreamReader {
 public:
  // Transient failures (no leader yet, a timeout) are retried for
  // `retry_seconds` (0: three request timeouts).
  static std::unique_ptr<StreamReader> Open(Nats& nats, const char* stream, const std::string& subjects,
                                            uint64_t from_seq, std::string* error, double retry_seconds = 0);
  ~StreamReader();
  // The next message, or nullopt after `seconds` without one.
  std::optional<Message> Next(double seconds);

 private:
  __natsSubscription* sub_ = nullptr;
};

// A pull consumer shared by a pool of workers (a durable on a work queue).
class PullConsumer {
 public:
  struct Config {
    std::string durable = "workers";
    double ack_wait = 30;  // seconds before an unacknowledged message is delivered again
    int64_t max_ack_pending = 20000;
  };
  static std::unique_ptr<PullConsumer> Open(Nats& nats, const char* stream, const std::string& subjects,
                                            const Config& config, std::string* error);
  ~PullConsumer();
  // Up to `batch` messages; empty after `seconds` without one. `error` set
  // when the request failed (the server away), empty on a plain timeout.
  std::vector<Message> Fetch(int batch, double seconds, std::string* error);

 private:
  __natsSubscription* sub_ = nullptr;
};

// A header's (or meta value's) decimal number; 0 when it is not one.
uint64_t DecimalOr0(std::string_view text);

// Sleeps up to `seconds`, waking early when `stop` is set.
void SleepUnlessStopped(double seconds, const std::atomic<bool>* stop);

// Base64 URL-safe alphabet with padding, as NATS object stores name things.
std::string Base64Url(std::string_view bytes);

}  // namespace miaopi::scale
