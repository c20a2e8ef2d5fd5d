#include "scale/submit.h"

#include <nats/nats.h>
#include <openssl/rand.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <thread>
#include <vector>

#include "scale/worker.h"

namespace miaopi::scale {

namespace {

std::string NewSubmissionId() {
  unsigned char bytes[6];
  RAND_bytes(bytes, sizeof bytes);
  static const char kHex[] = "0123456789abcdef";
  std::string s = "s";
  for (unsigned char b : bytes) {
    s += kHex[b >> 4];
    s += kHex[b & 15];
  }
  return s;
}

// The application's item code, for its subject; "" when it names none.
std::string ItemOf(const std::string& line) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseStopWhenDoneFlag>(line.data(), line.size());
  if (doc.HasParseError() || !doc.IsObject()) return {};
  const rapidjson::Value* app = &doc;
  // An envelope {"application": {…}, "context": {…}} names it inside.
  if (auto a = doc.FindMember("application"); a != doc.MemberEnd() && a->value.IsObject()) app = &a->value;
  auto it = app->FindMember("item");
  if (it == app->MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

bool Submit(Nats& nats, std::istream& in, const SubmitOptions& options, SubmitStats* stats, std::string* error) {
  stats->id = options.id.empty() ? NewSubmissionId() : options.id;
  uint64_t ignored = 0;
  if (!nats.StreamState(Topology::kApps, &stats->first_seq, &ignored, error)) return false;
  ++stats->first_seq;
  std::vector<Outgoing> window;
  auto flush = [&]() {
    // Publish the window; on any failure publish it all again (the stream
    // drops what it already has by id), a few times, then give up.
    for (int attempt = 0;; ++attempt) {
      bool ok = true;
      for (const Outgoing& out : window) {
        if (!(ok = nats.PublishAsync(out, error))) break;
      }
      uint64_t failed = 0;
      std::string wait_error;
      bool acknowledged = nats.WaitPublished(30, &failed, &wait_error);  // drains the window even after a failure
      if (ok && acknowledged) break;
      if (error->empty()) *error = wait_error;
      if (attempt == 5 || (options.stop && options.stop->load())) return false;
      nats.log()("submit: " + *error + "; publishing the last " + std::to_string(window.size()) + " again");
      error->clear();
      SleepUnlessStopped(0.5 * (attempt + 1), options.stop);
    }
    window.clear();
    return true;
  };
  std::string line;
  uint64_t bytes = 0;
  const size_t max_payload = static_cast<size_t>(std::max<int64_t>(natsConnection_GetMaxPayload(nats.connection()), 0));
  auto start = std::chrono::steady_clock::now();
  while (std::getline(in, line)) {
    if (options.stop && options.stop->load()) {
      stats->interrupted = true;
      break;
    }
    ++stats->lines;
    bytes += line.size() + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();  // as batch reads a CRLF line
    Outgoing out;
    out.subject = Topology::Subject("apps", options.item.empty() ? ItemOf(line) : options.item);
    out.headers = {{Headers::kMsgId, stats->id + ":" + std::to_string(stats->lines)},
                   {Headers::kLine, std::to_string(stats->lines)},
                   {Headers::kDate, options.date}};
    if (!options.context.empty()) out.headers.emplace_back(Headers::kContext, options.context);
    if (!options.item.empty()) out.headers.emplace_back(Headers::kItem, options.item);
    if (max_payload > 0 && line.size() + 4096 > max_payload) {
      // Too long for one message: it goes empty, with its length, and gets
      // batch's too_large record.
      out.headers.emplace_back(Headers::kLineBytes, std::to_string(line.size()));
      line.clear();
    }
    out.data = std::move(line);
    if (options.rate > 0) {
      // Paced: each application goes when its time comes, on its own.
      double due = (stats->lines - 1) / options.rate -
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (due > 0) SleepUnlessStopped(due, options.stop);
    }
    window.push_back(std::move(out));
    if (window.size() >= options.window || options.rate > 0) {
      if (!flush()) return false;
      if (options.progress) options.progress(stats->lines, bytes);
    }
  }
  if (!flush()) return false;
  if (options.progress) options.progress(stats->lines, bytes);
  return nats.StreamState(Topology::kApps, &stats->last_seq, &ignored, error);
}

bool Collect(Nats& nats, std::ostream& out, const CollectOptions& options, CollectStats* stats, std::string* error) {
  uint64_t from = std::max<uint64_t>(1, options.from);
  if (options.count > 0) {
    stats->wanted = options.count;
  } else {
    uint64_t last = 0, ignored = 0;
    if (!nats.StreamState(Topology::kApps, &last, &ignored, error)) return false;
    stats->wanted = last >= from ? last - from + 1 : 0;
  }
  uint64_t end = from + stats->wanted;  // one past the last wanted sequence
  uint64_t next = from;
  std::map<uint64_t, std::string> waiting;  // records ahead of `next`, by input sequence
  std::vector<double> latencies_ms;
  if (options.progress) options.progress(0, stats->wanted);
  std::unique_ptr<StreamReader> reader;
  if (stats->wanted > 0) {
    // As patient as the wait for records: after a node of the cluster dies,
    // the stream has no leader until the others elect one (seconds; more on
    // a busy machine), and the collector waits for that too.
    reader = StreamReader::Open(nats, Topology::kResults, "results.>", 1, error,
                                options.timeout > 0 ? options.timeout : 3600);
    if (!reader) return false;
  }
  auto last_record = std::chrono::steady_clock::now();
  auto last_progress = last_record;
  while (next < end) {
    if (options.stop && options.stop->load()) break;
    std::optional<Message> msg = reader->Next(0.25);
    auto now = std::chrono::steady_clock::now();
    if (!msg) {
      if (options.timeout > 0 && now - last_record > std::chrono::duration<double>(options.timeout)) break;
      continue;
    }
    // Records of another work queue (a worker's --stream) are not ours.
    std::string_view input_stream = msg->Header(Headers::kInputStream);
    if (!input_stream.empty() && input_stream != Topology::kApps) continue;
    uint64_t seq = 0;
    std::string_view seq_text = msg->Header(Headers::kInputSeq);
    auto [end_of_seq, seq_error] = std::from_chars(seq_text.data(), seq_text.data() + seq_text.size(), seq);
    if (seq_error != std::errc() || end_of_seq != seq_text.data() + seq_text.size()) continue;  // not a record of ours
    if (seq < from || seq >= end) continue;
    std::string_view data = msg->data();
    std::string_view record = data.substr(0, data.find('\n'));
    if (seq < next || waiting.count(seq)) {
      ++stats->duplicates;
      continue;
    }
    last_record = now;
    int64_t queued = 0;
    std::string_view queued_text = msg->Header(Headers::kQueued);
    std::from_chars(queued_text.data(), queued_text.data() + queued_text.size(), queued);
    if (queued > 0) latencies_ms.push_back(static_cast<double>(msg->JetStreamMeta().timestamp - queued) / 1e6);
    if (seq != next) {
      waiting.emplace(seq, record);
      continue;
    }
    out << record << '\n';
    ++next;
    for (auto it = waiting.begin(); it != waiting.end() && it->first == next; it = waiting.erase(it), ++next) {
      out << it->second << '\n';
    }
    stats->written = next - from;
    if (options.progress && now - last_progress > std::chrono::milliseconds(100)) {
      options.progress(stats->written, stats->wanted);
      last_progress = now;
    }
  }
  stats->written = next - from;
  if (!latencies_ms.empty()) {
    std::sort(latencies_ms.begin(), latencies_ms.end());
    stats->latency_median_ms = latencies_ms[latencies_ms.size() / 2];
    stats->latency_p99_ms = latencies_ms[std::min(latencies_ms.size() - 1, latencies_ms.size() * 99 / 100)];
    stats->latency_max_ms = latencies_ms.back();
  }
  out.flush();
  if (options.progress) options.progress(stats->written, stats->wanted);
  if (next < end) {
    stats->next_missing = next;
    *error = "no record yet for application " + std::to_string(next) + " (APPS sequence); " +
             std::to_string(stats->written) + " of " + std::to_string(stats->wanted) + " written";
    return false;
  }
  if (!out) {
    *error = "cannot write the records";
    return false;
  }
  return true;
}

}  // namespace miaopi::scale
