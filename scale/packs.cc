#include "scale/packs.h"

#include <nats/nats.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace miaopi::scale {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "miaopi-pack/1\n";
constexpr size_t kChunkBytes = 128 * 1024;  // as NATS object stores chunk

std::string Sha256(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &n, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), n);
}

std::string ObjectStream() { return std::string("OBJ_") + Topology::kObjectBucket; }
std::string MetaSubject(const std::string& name) {
  return std::string("$O.") + Topology::kObjectBucket + ".M." + Base64Url(name);
}
std::string ChunkSubject(const std::string& nuid) {
  return std::string("$O.") + Topology::kObjectBucket + ".C." + nuid;
}

std::string NewNuid() {
  unsigned char bytes[16];
  RAND_bytes(bytes, sizeof bytes);
  static const char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string s;
  for (unsigned char b : bytes) s += kDigits[b % 62];
  return s;
}

// A relative path that stays inside its folder: no absolute path, no "..",
// no empty or "." part.
bool SafeRelative(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.find('\0') != std::string_view::npos) return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

}  // namespace

std::string PackBytes(const Pack& pack) {
  std::string out(kMagic);
  for (const auto& [path, bytes] : pack.files()) {
    out += path;
    out += ' ';
    out += std::to_string(bytes.size());
    out += '\n';
    out += bytes;
    out += '\n';
  }
  return out;
}

bool WritePackFiles(std::string_view bytes, const std::string& dir, std::string* error) {
  if (bytes.substr(0, kMagic.size()) != kMagic) {
    *error = "not a miaopi pack object";
    return false;
  }
  size_t at = kMagic.size();
  std::error_code ec;
  fs::create_directories(dir, ec);
  while (at < bytes.size()) {
    size_t eol = bytes.find('\n', at);
    size_t space = bytes.rfind(' ', eol);
    if (eol == std::string_view::npos || space == std::string_view::npos || space < at) {
      *error = "malformed pack object at byte " + std::to_string(at);
      return false;
    }
    std::string path(bytes.substr(at, space - at));
    std::string_view length_text = bytes.substr(space + 1, eol - space - 1);
    size_t length = 0;
    for (char c : length_text) {
      if (c < '0' || c > '9' || length > bytes.size()) {
        *error = "malformed pack object at byte " + std::to_string(at);
        return false;
      }
      length = length * 10 + static_cast<size_t>(c - '0');
    }
    if (length_text.empty() || eol + 1 + length + 1 > bytes.size() || bytes[eol + 1 + length] != '\n') {
      *error = "malformed pack object at byte " + std::to_string(at);
      return false;
    }
    if (!SafeRelative(path)) {
      *error = "the pack object names a path outside its folder: " + path;
      return false;
    }
    fs::path target = fs::path(dir) / path;
    fs::create_directories(target.parent_path(), ec);
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    out.write(bytes.data() + eol + 1, static_cast<std::streamsize>(length));
    if (!out) {
      *error = "cannot write " + target.string();
      return false;
    }
    at = eol + 1 + length + 1;
  }
  return true;
}

bool PublishPack(Nats& nats, const Pack& pack, bool* stored, std::string* error) {
  const std::string& name = pack.identity().hash;
  std::string bytes = PackBytes(pack);
  std::string digest = "SHA-256=" + Base64Url(Sha256(bytes));
  *stored = false;
  std::optional<Message> existing = nats.LastMessage(ObjectStream().c_str(), MetaSubject(name), error);
  if (!error->empty()) return false;
  bool have = false;
  if (existing) {
    rapidjson::Document meta;
    meta.Parse(existing->data().data(), existing->data().size());
    have = !meta.HasParseError() && meta.IsObject() && meta.HasMember("digest") && meta["digest"].IsString() &&
           meta["digest"].GetString() == digest && !(meta.HasMember("deleted") && meta["deleted"].IsTrue());
  }
  if (!have) {
    std::string nuid = NewNuid();
    size_t chunks = 0;
    for (size_t at = 0; at < bytes.size(); at += kChunkBytes, ++chunks) {
      // An id per chunk: a publish retried after a timeout is not stored twice.
      Outgoing chunk{
          ChunkSubject(nuid), bytes.substr(at, kChunkBytes), {{"Nats-Msg-Id", nuid + "." + std::to_string(chunks)}}};
      if (!nats.Publish(chunk, error)) return false;
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("name");
    w.String(name.c_str());
    w.Key("description");
    std::string description = pack.identity().name + " " + pack.identity().version;
    w.String(description.c_str());
    w.Key("bucket");
    w.String(Topology::kObjectBucket);
    w.Key("nuid");
    w.String(nuid.c_str());
    w.Key("size");
    w.Uint64(bytes.size());
    w.Key("chunks");
    w.Uint64(chunks);
    w.Key("digest");
    w.String(digest.c_str());
    w.EndObject();
    Outgoing meta{MetaSubject(name), buffer.GetString(), {{"Nats-Rollup", "sub"}}};
    if (!nats.Publish(meta, error)) return false;
    *stored = true;
  }
  return nats.KvPut(Topology::kKvBucket, Topology::kPackKey, name, error);
}

bool IsPackHash(std::string_view hash) {
  if (hash.size() != 7 + 64 || hash.substr(0, 7) != "sha256:") return false;
  for (char c : hash.substr(7)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::shared_ptr<const Pack> FetchPack(Nats& nats, const std::string& hash, const std::string& cache_dir,
                                      const LoadOptions& load, std::string* error, bool* permanent) {
  if (permanent) *permanent = true;
  if (!IsPackHash(hash)) {
    *error = "not a pack hash: '" + hash.substr(0, 80) + "'";
    return nullptr;
  }
  std::optional<Message> meta_msg = nats.LastMessage(ObjectStream().c_str(), MetaSubject(hash), error);
  if (!meta_msg) {
    if (permanent) *permanent = error->empty();  // a failed request may succeed later
    if (error->empty()) *error = "the object store has no pack " + hash;
    return nullptr;
  }
  rapidjson::Document meta;
  meta.Parse(meta_msg->data().data(), meta_msg->data().size());
  if (meta.HasParseError() || !meta.IsObject() || !meta.HasMember("nuid") || !meta["nuid"].IsString() ||
      !meta.HasMember("chunks") || !meta["chunks"].IsUint64() || !meta.HasMember("size") || !meta["size"].IsUint64() ||
      !meta.HasMember("digest") || !meta["digest"].IsString()) {
    *error = "the object store's entry for " + hash + " is malformed";
    return nullptr;
  }
  uint64_t chunks = meta["chunks"].GetUint64(), size = meta["size"].GetUint64();
  std::string bytes;
  if (chunks > 0) {
    std::unique_ptr<StreamReader> reader =
        StreamReader::Open(nats, ObjectStream().c_str(), ChunkSubject(meta["nuid"].GetString()), 1, error);
    if (!reader) {
      if (permanent) *permanent = false;
      return nullptr;
    }
    for (uint64_t i = 0; i < chunks; ++i) {
      std::optional<Message> chunk = reader->Next(nats.options().request_timeout);
      if (!chunk) {
        if (permanent) *permanent = false;  // a slow or changing server: try again later
        *error = "no chunk " + std::to_string(i + 1) + " of " + std::to_string(chunks) + " of " + hash + " came";
        return nullptr;
      }
      bytes += chunk->data();
    }
  }
  if (bytes.size() != size || "SHA-256=" + Base64Url(Sha256(bytes)) != meta["digest"].GetString()) {
    *error = "the object store's copy of " + hash + " does not match its digest";
    return nullptr;
  }
  std::string dir = (fs::path(cache_dir) / hash.substr(hash.find(':') + 1)).string();
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (!WritePackFiles(bytes, dir, error)) return nullptr;
  LoadResult loaded = LoadPack(dir, load);
  if (!loaded.ok()) {
    *error = "pack " + hash + " does not compile:\n" + (loaded.io_error.empty() ? loaded.rendered : loaded.io_error);
    return nullptr;
  }
  if (loaded.pack->identity().hash != hash) {
    *error = "the object store's pack " + hash + " compiles to " + loaded.pack->identity().hash;
    return nullptr;
  }
  return loaded.pack;
}

PackWatcher::PackWatcher(Nats& nats, std::string cache_dir, LoadOptions load)
    : nats_(nats), cache_dir_(std::move(cache_dir)), load_(std::move(load)) {
  thread_ = std::thread([this] { Loop(); });
}

PackWatcher::~PackWatcher() {
  stopping_ = true;
  thread_.join();
}

std::shared_ptr<const Pack> PackWatcher::current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_;
}

std::shared_ptr<const Pack> PackWatcher::WaitForPack(double seconds, const std::atomic<bool>* stop) const {
  auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  for (;;) {
    if (auto pack = current()) return pack;
    if (std::chrono::steady_clock::now() >= until || (stop && stop->load())) return nullptr;
    SleepUnlessStopped(0.05, stop);
  }
}

void PackWatcher::Consider(const std::string& hash, uint64_t revision) {
  {
    // Never back to an older revision (a lagging replica answering a read).
    std::lock_guard<std::mutex> lock(mutex_);
    if (revision < revision_) return;
    if ((current_ && current_->identity().hash == hash) || hash == refused_) {
      revision_ = revision;
      return;
    }
  }
  std::string error;
  bool permanent = true;
  std::shared_ptr<const Pack> pack = FetchPack(nats_, hash, cache_dir_, load_, &error, &permanent);
  if (!pack) {
    if (!permanent) {
      // Asked again at the next read of the key (every few seconds).
      nats_.log()("pack " + hash.substr(0, 80) + " not fetched yet (" + error + "); the pack in use stays");
      return;
    }
    nats_.log()("pack " + hash.substr(0, 80) + " refused; the pack in use stays: " + error);
    std::lock_guard<std::mutex> lock(mutex_);
    refused_ = hash;
    return;
  }
  nats_.log()("pack in force: " + pack->identity().name + " " + pack->identity().version + " " + hash);
  std::lock_guard<std::mutex> lock(mutex_);
  if (revision < revision_) return;  // a newer one came meanwhile
  revision_ = revision;
  current_ = std::move(pack);
}

void PackWatcher::Loop() {
  // A watch on the key for prompt swaps, and a plain read every few
  // seconds besides: a watch can miss an update while its server changes.
  kvStore* kv = nullptr;
  kvWatcher* watcher = nullptr;
  auto last_read = std::chrono::steady_clock::time_point{};
  while (!stopping_) {
    if (!watcher) {
      kvStore_Destroy(kv);
      kv = nullptr;
      if (js_KeyValue(&kv, nats_.js(), Topology::kKvBucket) != NATS_OK ||
          kvStore_Watch(&watcher, kv, Topology::kPackKey, nullptr) != NATS_OK) {
        watcher = nullptr;
      }
    }
    if (std::chrono::steady_clock::now() - last_read > std::chrono::seconds(3) || !watcher) {
      std::string error;
      uint64_t revision = 0;
      std::optional<std::string> hash = nats_.KvGet(Topology::kKvBucket, Topology::kPackKey, &error, &revision);
      if (hash) Consider(*hash, revision);
      last_read = std::chrono::steady_clock::now();
    }
    if (!watcher) {
      SleepUnlessStopped(0.5, &stopping_);
      continue;
    }
    kvEntry* entry = nullptr;
    natsStatus s = kvWatcher_Next(&entry, watcher, 250);
    if (s == NATS_OK && entry) {
      if (kvEntry_Operation(entry) == kvOp_Put) {
        Consider(
            std::string(static_cast<const char*>(kvEntry_Value(entry)), static_cast<size_t>(kvEntry_ValueLen(entry))),
            kvEntry_Revision(entry));
      }
      kvEntry_Destroy(entry);
    } else if (s != NATS_OK && s != NATS_TIMEOUT) {
      kvWatcher_Destroy(watcher);
      watcher = nullptr;
    }
  }
  if (watcher) {
    kvWatcher_Stop(watcher);
    kvWatcher_Destroy(watcher);
  }
  kvStore_Destroy(kv);
}

}  // namespace miaopi::scale
