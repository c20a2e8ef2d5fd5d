#include "scale/nats.h"

#include <nats/nats.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

namespace miaopi::scale {

namespace {

int64_t Millis(double seconds) { return static_cast<int64_t>(seconds * 1000); }
int64_t Nanos(double seconds) { return static_cast<int64_t>(seconds * 1e9); }

// "what: status text (JetStream error code)" with the client's last error
// when it says more.
std::string StatusText(const std::string& what, natsStatus s, jsErrCode code = static_cast<jsErrCode>(0)) {
  std::string text = what + ": " + natsStatus_GetText(s);
  natsStatus last = NATS_OK;
  const char* detail = nats_GetLastError(&last);
  if (detail && *detail && !std::strstr(detail, natsStatus_GetText(s))) text += std::string(" (") + detail + ")";
  if (code != 0) text += " [JetStream error " + std::to_string(static_cast<int>(code)) + "]";
  return text;
}

// JetStream answers "not ready" while a cluster elects its leaders, and
// times out while a node is down: worth asking again.
bool Transient(natsStatus s) {
  return s == NATS_TIMEOUT || s == NATS_NO_RESPONDERS || s == NATS_CONNECTION_DISCONNECTED ||
         s == NATS_CONNECTION_CLOSED || s == NATS_ERR;
}

struct MsgHolder {
  natsMsg* msg = nullptr;
  ~MsgHolder() { natsMsg_Destroy(msg); }
};

bool MakeMessage(const Outgoing& out, MsgHolder* holder, std::string* error) {
  natsStatus s =
      natsMsg_Create(&holder->msg, out.subject.c_str(), nullptr, out.data.data(), static_cast<int>(out.data.size()));
  for (const auto& [key, value] : out.headers) {
    if (s == NATS_OK) s = natsMsgHeader_Set(holder->msg, key.c_str(), value.c_str());
  }
  if (s != NATS_OK) *error = StatusText("cannot make a message for " + out.subject, s);
  return s == NATS_OK;
}

}  // namespace

struct NatsCallbacks {
  static void Disconnected(natsConnection*, void* closure) {
    Nats* nats = static_cast<Nats*>(closure);
    if (!nats->closing_) nats->log_("nats: lost the connection; reconnecting");
  }
  // The last callback of a connection (the client posts them in order):
  // until it ran, the Nats object must live.
  static void Closed(natsConnection*, void* closure) {
    Nats* nats = static_cast<Nats*>(closure);
    std::lock_guard<std::mutex> lock(nats->closed_mutex_);
    nats->closed_ = true;
    nats->closed_cv_.notify_all();
  }
  static void Reconnected(natsConnection* nc, void* closure) {
    char url[256] = "";
    natsConnection_GetConnectedUrl(nc, url, sizeof url);
    static_cast<Nats*>(closure)->log_(std::string("nats: reconnected to ") + url);
  }
  static void PublishFailed(jsCtx*, jsPubAckErr* pae, void* closure) {
    Nats* nats = static_cast<Nats*>(closure);
    std::lock_guard<std::mutex> lock(nats->async_mutex_);
    nats->async_failed_.fetch_add(1);
    if (nats->async_error_.empty()) {
      nats->async_error_ = StatusText("an asynchronous publish failed", pae->Err, pae->ErrCode);
      if (pae->ErrText) nats->async_error_ += std::string(": ") + pae->ErrText;
    }
  }
};

std::string Topology::Subject(std::string_view prefix, std::string_view item) {
  std::string s(prefix);
  s += '.';
  if (item.empty()) return s + "_";
  for (char c : item) {
    bool bad = c == '.' || c == '*' || c == '>' || static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
    s += bad ? '_' : c;
  }
  return s;
}

Message::~Message() { natsMsg_Destroy(msg_); }
std::string_view Message::subject() const { return natsMsg_GetSubject(msg_); }
std::string_view Message::data() const {
  return {natsMsg_GetData(msg_), static_cast<size_t>(natsMsg_GetDataLength(msg_))};
}
std::string_view Message::Header(const char* key) const {
  const char* value = nullptr;
  if (natsMsgHeader_Get(msg_, key, &value) != NATS_OK || !value) return {};
  return value;
}
Message::Meta Message::JetStreamMeta() const {
  Meta out;
  jsMsgMetaData* meta = nullptr;
  if (natsMsg_GetMetaData(&meta, msg_) != NATS_OK) return out;
  out.stream_seq = meta->Sequence.Stream;
  out.deliveries = meta->NumDelivered;
  out.pending = meta->NumPending;
  out.timestamp = meta->Timestamp;
  jsMsgMetaData_Destroy(meta);
  return out;
}
bool Message::Ack() { return natsMsg_Ack(msg_, nullptr) == NATS_OK; }
bool Message::Nak() { return natsMsg_Nak(msg_, nullptr) == NATS_OK; }

uint64_t DecimalOr0(std::string_view text) {
  uint64_t v = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
  return error == std::errc() && end == text.data() + text.size() ? v : 0;
}

void SleepUnlessStopped(double seconds, const std::atomic<bool>* stop) {
  auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (stop && stop->load()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::unique_ptr<Nats> Nats::Connect(const NatsOptions& options, const Log& log, std::string* error) {
  std::unique_ptr<Nats> nats(new Nats(options, log));
  natsOptions* opts = nullptr;
  natsStatus s = natsOptions_Create(&opts);
  // A list is given as servers (libnats 3.4 takes a comma-separated URL
  // for one server only).
  std::vector<std::string> urls;
  for (size_t at = 0; at <= options.url.size();) {
    size_t comma = std::min(options.url.find(',', at), options.url.size());
    std::string url = options.url.substr(at, comma - at);
    url.erase(0, url.find_first_not_of(' '));
    url.erase(url.find_last_not_of(' ') + 1);
    if (!url.empty()) urls.push_back(url);
    at = comma + 1;
  }
  std::vector<const char*> servers;
  for (const std::string& url : urls) servers.push_back(url.c_str());
  if (servers.empty()) servers.push_back("nats://127.0.0.1:4222");
  if (s == NATS_OK) s = natsOptions_SetServers(opts, servers.data(), static_cast<int>(servers.size()));
  if (s == NATS_OK) s = natsOptions_SetTimeout(opts, 2000);
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(opts, -1);  // forever, once connected
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(opts, 250);
  if (s == NATS_OK) s = natsOptions_SetReconnectBufSize(opts, 64 * 1024 * 1024);
  if (s == NATS_OK) s = natsOptions_SetDisconnectedCB(opts, NatsCallbacks::Disconnected, nats.get());
  if (s == NATS_OK) s = natsOptions_SetReconnectedCB(opts, NatsCallbacks::Reconnected, nats.get());
  if (s == NATS_OK) s = natsOptions_SetClosedCB(opts, NatsCallbacks::Closed, nats.get());
  if (s != NATS_OK) {
    natsOptions_Destroy(opts);
    *error = StatusText("bad NATS options for " + options.url, s);
    return nullptr;
  }
  double backoff = 0.25;
  for (int attempt = 1;; ++attempt) {
    s = natsConnection_Connect(&nats->conn_, opts);
    if (s == NATS_OK) break;
    std::string why = StatusText("cannot reach " + options.url, s);
    if (s != NATS_NO_SERVER && s != NATS_TIMEOUT && s != NATS_CONNECTION_CLOSED && s != NATS_IO_ERROR) {
      natsOptions_Destroy(opts);
      *error = why;
      return nullptr;
    }
    char wait[32];
    std::snprintf(wait, sizeof wait, "%.2f", backoff);
    log("nats: " + why + " (attempt " + std::to_string(attempt) + "); retrying in " + wait + " s");
    SleepUnlessStopped(backoff, options.stop);
    if (options.stop && options.stop->load()) {
      natsOptions_Destroy(opts);
      *error = "stopped before NATS could be reached";
      return nullptr;
    }
    backoff = std::min(backoff * 2, options.max_backoff);
  }
  natsOptions_Destroy(opts);
  jsOptions jo;
  jsOptions_Init(&jo);
  jo.Wait = Millis(options.request_timeout);
  jo.PublishAsync.MaxPending = 4096;
  jo.PublishAsync.ErrHandler = NatsCallbacks::PublishFailed;
  jo.PublishAsync.ErrHandlerClosure = nats.get();
  s = natsConnection_JetStream(&nats->js_, nats->conn_, &jo);
  if (s != NATS_OK) {
    *error = StatusText("cannot open JetStream", s);
    return nullptr;
  }
  return nats;
}

Nats::~Nats() {
  if (js_) {
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = 2000;
    js_PublishAsyncComplete(js_, &po);
    jsCtx_Destroy(js_);
  }
  if (conn_) {
    closing_ = true;
    natsConnection_Close(conn_);
    {
      std::unique_lock<std::mutex> lock(closed_mutex_);
      closed_cv_.wait_for(lock, std::chrono::seconds(10), [this] { return closed_; });
    }
    natsConnection_Destroy(conn_);
  }
}

namespace {

// Runs `attempt` until it succeeds, fails for good, or the time is up,
// pausing between tries: JetStream is briefly unavailable while a cluster
// elects leaders.
// A JetStream answer that may change on asking again: a cluster without a
// leader or quorum for the moment. Any other answer (a configuration the
// server refuses) is final.
bool TransientAnswer(natsStatus s, jsErrCode code) {
  if (s == NATS_TIMEOUT || s == NATS_NO_RESPONDERS || s == NATS_CONNECTION_DISCONNECTED ||
      s == NATS_CONNECTION_CLOSED) {
    return true;  // no answer at all
  }
  switch (static_cast<int>(code)) {  // 0: the client itself refused (a consumer's settings differ)
    case JSClusterIncompleteErr:
    case JSClusterNoPeersErr:
    case JSClusterNotAssignedErr:
    case JSClusterNotAvailErr:
    case JSClusterNotLeaderErr:
    case JSStreamOfflineErr:
    case JSConsumerOfflineErr: return true;
    default: return false;
  }
}

// `code` (when given) is the JetStream error of the last attempt.
template <typename Attempt>
bool Retrying(const NatsOptions& options, double seconds, Attempt attempt, const jsErrCode* code = nullptr) {
  auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  double pause = 0.1;
  for (;;) {
    natsStatus s = attempt();
    if (s == NATS_OK) return true;
    if (!Transient(s) || (code && !TransientAnswer(s, *code)) || std::chrono::steady_clock::now() >= until) {
      return false;
    }
    if (options.stop && options.stop->load()) return false;
    SleepUnlessStopped(pause, options.stop);
    pause = std::min(pause * 2, 1.0);
  }
}

}  // namespace

bool Nats::EnsureTopology(std::string* error) {
  auto add_stream = [&](jsStreamConfig& cfg) {
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus s = NATS_OK;
    bool ok = Retrying(options_, 30, [&] {
      code = static_cast<jsErrCode>(0);
      jsStreamInfo* info = nullptr;
      s = js_GetStreamInfo(&info, js_, cfg.Name, nullptr, &code);
      jsStreamInfo_Destroy(info);
      if (s == NATS_OK) return NATS_OK;
      if (s != NATS_NOT_FOUND && code != JSStreamNotFoundErr) return s;
      code = static_cast<jsErrCode>(0);
      s = js_AddStream(&info, js_, &cfg, nullptr, &code);
      jsStreamInfo_Destroy(info);
      if (code == JSStreamNameExistErr) return NATS_OK;  // another process made it meanwhile
      return s;
    });
    if (!ok) *error = StatusText(std::string("cannot create the stream ") + cfg.Name, s, code);
    return ok;
  };
  int64_t replicas = std::max(1, options_.replicas);
  // The work queue and the results differ only in name, subjects, purpose
  // and retention.
  auto queue_stream = [&](const char* name, const char* subject, const char* description, jsRetentionPolicy retention) {
    const char* subjects[] = {subject};
    jsStreamConfig cfg;
    jsStreamConfig_Init(&cfg);
    cfg.Name = name;
    cfg.Description = description;
    cfg.Subjects = subjects;
    cfg.SubjectsLen = 1;
    cfg.Retention = retention;
    cfg.Storage = js_FileStorage;
    cfg.Replicas = replicas;
    cfg.Duplicates = Nanos(options_.duplicate_window);
    return add_stream(cfg);
  };
  if (!queue_stream(Topology::kApps, "apps.>", "miaopi: applications to decide (work queue)", js_WorkQueuePolicy) ||
      !queue_stream(Topology::kResults, "results.>", "miaopi: one decision record per application", js_LimitsPolicy)) {
    return false;
  }
  {
    // The object store's stream, laid out as NATS object stores are
    // (ADR-20), so `nats object get miaopi_packs …` reads the packs too.
    std::string stream = std::string("OBJ_") + Topology::kObjectBucket;
    std::string chunks = std::string("$O.") + Topology::kObjectBucket + ".C.>";
    std::string meta = std::string("$O.") + Topology::kObjectBucket + ".M.>";
    const char* subjects[] = {chunks.c_str(), meta.c_str()};
    jsStreamConfig cfg;
    jsStreamConfig_Init(&cfg);
    cfg.Name = stream.c_str();
    cfg.Description = "miaopi: every published pack, by hash";
    cfg.Subjects = subjects;
    cfg.SubjectsLen = 2;
    cfg.Storage = js_FileStorage;
    cfg.Replicas = replicas;
    cfg.Discard = js_DiscardNew;
    cfg.AllowRollup = true;
    cfg.AllowDirect = true;
    if (!add_stream(cfg)) return false;
  }
  {
    kvStore* kv = nullptr;
    natsStatus s = NATS_OK;
    bool ok = Retrying(options_, 30, [&] {
      s = js_KeyValue(&kv, js_, Topology::kKvBucket);
      if (s == NATS_OK) return NATS_OK;
      if (s != NATS_NOT_FOUND) return s;
      kvConfig cfg;
      kvConfig_Init(&cfg);
      cfg.Bucket = Topology::kKvBucket;
      cfg.History = 16;
      cfg.Replicas = static_cast<int>(replicas);
      cfg.StorageType = js_FileStorage;
      s = js_CreateKeyValue(&kv, js_, &cfg);
      return s;
    });
    kvStore_Destroy(kv);
    if (!ok) {
      *error = StatusText(std::string("cannot create the key-value bucket ") + Topology::kKvBucket, s);
      return false;
    }
  }
  return true;
}

bool Nats::Publish(const Outgoing& out, std::string* error, bool* duplicate) {
  MsgHolder holder;
  if (!MakeMessage(out, &holder, error)) return false;
  jsPubAck* ack = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = NATS_OK;
  bool ok = Retrying(options_, options_.request_timeout * 3, [&] {
    jsPubAck_Destroy(ack);
    ack = nullptr;
    s = js_PublishMsg(&ack, js_, holder.msg, nullptr, &code);
    return s;
  });
  if (ok && duplicate) *duplicate = ack && ack->Duplicate;
  jsPubAck_Destroy(ack);
  if (!ok) *error = StatusText("cannot publish to " + out.subject, s, code);
  return ok;
}

bool Nats::PublishAsync(const Outgoing& out, std::string* error) {
  MsgHolder holder;
  if (!MakeMessage(out, &holder, error)) return false;
  natsStatus s = js_PublishMsgAsync(js_, &holder.msg, nullptr);  // takes the message on success
  if (s != NATS_OK) *error = StatusText("cannot publish to " + out.subject, s);
  return s == NATS_OK;
}

bool Nats::WaitPublished(double seconds, uint64_t* failed, std::string* error) {
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MaxWait = Millis(seconds);
  natsStatus s = js_PublishAsyncComplete(js_, &po);
  {
    std::lock_guard<std::mutex> lock(async_mutex_);
    *failed = async_failed_.exchange(0);
    if (*failed > 0) *error = async_error_;
    async_error_.clear();
  }
  if (s != NATS_OK) {
    // Those still pending are dropped: the caller publishes them again.
    natsMsgList pending{};
    if (js_PublishAsyncGetPendingList(&pending, js_) == NATS_OK) {
      *failed += static_cast<uint64_t>(pending.Count);
      natsMsgList_Destroy(&pending);
    }
    if (error->empty()) *error = StatusText("the stream did not acknowledge every publish", s);
    return false;
  }
  return *failed == 0;
}

std::optional<Message> Nats::LastMessage(const char* stream, const std::string& subject, std::string* error) {
  natsMsg* msg = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = NATS_OK;
  error->clear();
  bool ok = Retrying(options_, options_.request_timeout * 3, [&] {
    s = js_GetLastMsg(&msg, js_, stream, subject.c_str(), nullptr, &code);
    return s == NATS_NOT_FOUND ? NATS_OK : s;
  });
  if (!ok) {
    *error = StatusText("cannot read " + subject, s, code);
    return std::nullopt;
  }
  if (!msg) return std::nullopt;
  return Message(msg);
}

bool Nats::StreamState(const char* stream, uint64_t* last_seq, uint64_t* messages, std::string* error,
                       std::vector<std::string>* subjects, double* duplicate_window) {
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = NATS_OK;
  bool ok = Retrying(options_, options_.request_timeout * 3, [&] {
    jsStreamInfo_Destroy(info);
    info = nullptr;
    s = js_GetStreamInfo(&info, js_, stream, nullptr, &code);
    return s;
  });
  if (!ok) {
    *error = StatusText(std::string("cannot read the state of stream ") + stream, s, code);
    return false;
  }
  *last_seq = info->State.LastSeq;
  *messages = info->State.Msgs;
  if (duplicate_window && info->Config) *duplicate_window = static_cast<double>(info->Config->Duplicates) / 1e9;
  if (subjects && info->Config) {
    for (int i = 0; i < info->Config->SubjectsLen; ++i) subjects->emplace_back(info->Config->Subjects[i]);
  }
  jsStreamInfo_Destroy(info);
  return true;
}

std::optional<std::string> Nats::KvGet(const char* bucket, const char* key, std::string* error, uint64_t* revision) {
  error->clear();
  kvStore* kv = nullptr;
  natsStatus s = js_KeyValue(&kv, js_, bucket);
  if (s != NATS_OK) {
    *error = StatusText(std::string("cannot open the key-value bucket ") + bucket, s);
    return std::nullopt;
  }
  kvEntry* entry = nullptr;
  std::optional<std::string> value;
  bool ok = Retrying(options_, options_.request_timeout * 3, [&] {
    s = kvStore_Get(&entry, kv, key);
    return s == NATS_NOT_FOUND ? NATS_OK : s;
  });
  if (!ok) *error = StatusText(std::string("cannot read the key ") + key, s);
  if (entry) {
    value.emplace(static_cast<const char*>(kvEntry_Value(entry)), static_cast<size_t>(kvEntry_ValueLen(entry)));
    if (revision) *revision = kvEntry_Revision(entry);
    kvEntry_Destroy(entry);
  }
  kvStore_Destroy(kv);
  return value;
}

bool Nats::KvPut(const char* bucket, const char* key, std::string_view value, std::string* error) {
  kvStore* kv = nullptr;
  natsStatus s = js_KeyValue(&kv, js_, bucket);
  if (s == NATS_OK) {
    uint64_t rev = 0;
    Retrying(options_, options_.request_timeout * 3, [&] {
      s = kvStore_Put(&rev, kv, key, value.data(), static_cast<int>(value.size()));
      return s;
    });
  }
  kvStore_Destroy(kv);
  if (s != NATS_OK) *error = StatusText(std::string("cannot set the key ") + key, s);
  return s == NATS_OK;
}

std::unique_ptr<StreamReader> StreamReader::Open(Nats& nats, const char* stream, const std::string& subjects,
                                                 uint64_t from_seq, std::string* error, double retry_seconds) {
  std::unique_ptr<StreamReader> reader(new StreamReader());
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Stream = stream;
  so.Ordered = true;
  if (from_seq > 1) {
    so.Config.DeliverPolicy = js_DeliverByStartSequence;
    so.Config.OptStartSeq = from_seq;
  } else {
    so.Config.DeliverPolicy = js_DeliverAll;
  }
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = NATS_OK;
  const double patience = retry_seconds > 0 ? retry_seconds : nats.options().request_timeout * 3;
  bool ok = Retrying(nats.options(), patience, [&] {
    s = js_SubscribeSync(&reader->sub_, nats.js(), subjects.c_str(), nullptr, &so, &code);
    return s;
  });
  if (!ok) {
    *error = StatusText(std::string("cannot read the stream ") + stream, s, code);
    return nullptr;
  }
  natsSubscription_SetPendingLimits(reader->sub_, -1, 256 * 1024 * 1024);
  return reader;
}

StreamReader::~StreamReader() {
  if (sub_) {
    natsSubscription_Unsubscribe(sub_);
    natsSubscription_Destroy(sub_);
  }
}

std::optional<Message> StreamReader::Next(double seconds) {
  natsMsg* msg = nullptr;
  natsStatus s = natsSubscription_NextMsg(&msg, sub_, Millis(seconds));
  if (s != NATS_OK || !msg) {
    // Anything but a timeout returns at once: wait out the rest, so a
    // caller's loop never spins.
    if (s != NATS_TIMEOUT) std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    return std::nullopt;
  }
  return Message(msg);
}

std::unique_ptr<PullConsumer> PullConsumer::Open(Nats& nats, const char* stream, const std::string& subjects,
                                                 const Config& config, std::string* error) {
  std::unique_ptr<PullConsumer> consumer(new PullConsumer());
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Stream = stream;
  so.Config.Durable = config.durable.c_str();
  so.Config.AckPolicy = js_AckExplicit;
  so.Config.AckWait = Nanos(config.ack_wait);
  so.Config.MaxAckPending = config.max_ack_pending;
  so.Config.Replicas = 0;  // as the stream's
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = NATS_OK;
  bool ok = Retrying(
      nats.options(), 60,
      [&] {
        code = static_cast<jsErrCode>(0);
        s = js_PullSubscribe(&consumer->sub_, nats.js(), subjects.c_str(), config.durable.c_str(), nullptr, &so, &code);
        return s;
      },
      &code);
  if (!ok) {
    *error = StatusText(std::string("cannot consume the stream ") + stream, s, code);
    return nullptr;
  }
  return consumer;
}

PullConsumer::~PullConsumer() {
  // The durable stays on the server for the other workers and the next run.
  if (sub_) natsSubscription_Destroy(sub_);
}

std::vector<Message> PullConsumer::Fetch(int batch, double seconds, std::string* error) {
  error->clear();
  natsMsgList list{};
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = natsSubscription_Fetch(&list, sub_, batch, Millis(seconds), &code);
  std::vector<Message> out;
  if (s == NATS_OK) {
    out.reserve(static_cast<size_t>(list.Count));
    for (int i = 0; i < list.Count; ++i) {
      out.emplace_back(list.Msgs[i]);
      list.Msgs[i] = nullptr;
    }
  } else if (s != NATS_TIMEOUT) {
    *error = StatusText("cannot fetch applications", s, code);
  }
  natsMsgList_Destroy(&list);
  return out;
}

std::string Base64Url(std::string_view bytes) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                 static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

}  // namespace miaopi::scale
