#include "service/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <deque>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "service/watch.h"

namespace miaopi::service {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::chrono::milliseconds Seconds(double s) { return std::chrono::milliseconds(static_cast<int64_t>(s * 1000)); }

// The headers only the extension's routes read (the studio's checks).
template <typename Fields>
void CopyExtensionHeaders(const Fields& head, HttpRequest* request) {
  request->host = std::string(head[http::field::host]);
  request->cookie = std::string(head[http::field::cookie]);
  request->origin = std::string(head[http::field::origin]);
  request->studio_header = std::string(head["X-Miaopi-Studio"]);
}

class Session;

// What every connection shares. Declared before the io_context, which
// destroys pending handlers (and so sessions) when it goes.
struct Shared {
  Service& service;
  std::mutex mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  std::function<void()> on_drained;  // the last session is gone while draining
};

http::message_generator ToBeast(HttpResponse r, unsigned version, bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(r.status), version};
  res.set(http::field::server, "miaopi");
  res.set(http::field::content_type, r.content_type);
  for (auto& [name, value] : r.headers) res.set(name, value);
  res.keep_alive(keep_alive && !r.close);
  res.body() = std::move(r.body);
  if (r.chunked) {
    res.chunked(true);
  } else {
    res.prepare_payload();
  }
  return http::message_generator(std::move(res));
}

// One connection: reads requests (header first, then the body), answers
// them in order — several may be in flight when the client pipelines — and
// closes after `Connection: close`, an error, or a timeout.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {}
  ~Session() {
    std::lock_guard lock(shared_.mutex);
    shared_.sessions.erase(this);
    if (shared_.service.draining() && shared_.sessions.empty() && shared_.on_drained) shared_.on_drained();
  }

  void Start() {
    {
      std::lock_guard lock(shared_.mutex);
      shared_.sessions.emplace(this, weak_from_this());
    }
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::ReadNext, shared_from_this()));
  }

  // On this session's strand, when the server starts to stop.
  void Drain() {
    if (WaitingIdle()) Drop();
  }
  net::any_io_executor executor() { return stream_.get_executor(); }

 private:
  // A response slot: filled when the Service answers (maybe on another thread).
  struct Slot {
    std::optional<HttpResponse> response;  // set when the Service answers
    unsigned version = 11;
    bool keep_alive = true;             // what the request asked for
    std::atomic<bool> handling{false};  // Service::Handle has not returned yet
  };
  static constexpr size_t kMaxQueued = 16;  // pipelined requests answered or being answered

  const ServeOptions& options() const { return shared_.service.options(); }

  bool WaitingIdle() const { return reading_ && queue_.empty() && buffer_.size() == 0 && !got_bytes_; }
  void Drop() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.cancel();
  }

  void ReadNext() {
    if (shared_.service.draining() || closing_) return;
    parser_.emplace();
    parser_->header_limit(16 * 1024);
    // Content-Length is checked against the largest route limit here; the
    // Service then applies its route's own (and a chunked body gets it below).
    parser_->body_limit(std::max(options().max_body, options().max_batch_body));
    reading_ = true;
    got_bytes_ = false;
    if (buffer_.size() > 0) return ReadHeader();  // a pipelined request is already here
    stream_.expires_after(Seconds(options().idle_timeout));
    stream_.async_read_some(buffer_.prepare(4096),
                            beast::bind_front_handler(&Session::OnFirstBytes, shared_from_this()));
  }

  void OnFirstBytes(beast::error_code ec, size_t n) {
    if (ec) return Finish();  // idle timeout, closed by the client, or dropped while draining
    buffer_.commit(n);
    ReadHeader();
  }

  void ReadHeader() {
    got_bytes_ = true;
    // One deadline for the header and the body: a client that trickles
    // bytes (slowloris) is cut off when it passes, however fast it drips.
    stream_.expires_after(Seconds(options().read_timeout));
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, size_t) {
    reading_ = false;
    if (ec == http::error::end_of_stream) return Finish();
    unsigned version = parser_->get().version() ? parser_->get().version() : 11;
    if (ec == http::error::body_limit) {
      return Reject(ErrorResponse(413, "too_large", "the body is larger than the server accepts"), version);
    }
    if (ec == http::error::header_limit) {
      return Reject(ErrorResponse(431, "header_too_large", "the request's header is too large"), version);
    }
    if (ec == beast::error::timeout || ec == net::error::operation_aborted) return Finish();
    if (ec) return Reject(ErrorResponse(400, "bad_request", "not an HTTP/1.1 request: " + ec.message()), 11);
    const auto& head = parser_->get();
    HttpRequest request;
    request.method = std::string(head.method_string());
    request.target = std::string(head.target());
    request.authorization = std::string(head[http::field::authorization]);
    if (shared_.service.IsExtensionPath(request.target)) CopyExtensionHeaders(head, &request);
    std::optional<uint64_t> length;
    if (auto declared = parser_->content_length()) length = *declared;
    if (std::optional<HttpResponse> early = shared_.service.BeforeBody(request, length)) {
      if (!parser_->is_done()) early->close = true;  // the body stays unread: the connection cannot go on
      return Reject(std::move(*early), version, !early->close);
    }
    bool batch = request.target.rfind("/v1/batch", 0) == 0;
    if (parser_->chunked()) parser_->body_limit(batch ? options().max_batch_body : options().max_body);
    // A batch first in line is decided while its body arrives; one behind
    // pipelined requests is read whole and answered in turn.
    if (batch && queue_.empty() && !parser_->is_done()) return StartBatch(std::move(request), version);
    if (parser_->is_done()) return OnBody({}, 0);
    if (beast::iequals(head[http::field::expect], "100-continue") && queue_.empty()) {
      continue_ = std::make_shared<http::response<http::empty_body>>(http::status::continue_, version);
      return http::async_write(stream_, *continue_, [self = shared_from_this()](beast::error_code ec, size_t) {
        self->continue_.reset();
        if (ec) return self->Finish();
        http::async_read(self->stream_, self->buffer_, *self->parser_,
                         beast::bind_front_handler(&Session::OnBody, self));
      });
    }
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, size_t) {
    got_bytes_ = false;  // this request is read (or reading it failed)
    unsigned version = parser_->get().version() ? parser_->get().version() : 11;
    if (ec == http::error::body_limit) {
      return Reject(ErrorResponse(413, "too_large", "the body is larger than the route accepts"), version);
    }
    if (ec == beast::error::timeout || ec == net::error::operation_aborted || ec == http::error::end_of_stream ||
        ec == net::error::eof || ec == net::error::connection_reset) {
      return Finish();
    }
    if (ec) return Reject(ErrorResponse(400, "bad_request", "the body could not be read: " + ec.message()), version);
    http::request<http::string_body> message = parser_->release();
    bool keep_alive = message.keep_alive();
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.authorization = std::string(message[http::field::authorization]);
    if (shared_.service.IsExtensionPath(request.target)) CopyExtensionHeaders(message, &request);
    request.body = std::move(message.body());
    auto slot = std::make_shared<Slot>();
    slot->version = version;
    slot->keep_alive = keep_alive;
    queue_.push_back(slot);
    // Most answers come before Handle returns, on this strand: no post then.
    // An answer from another thread (a reload) is posted back to the strand.
    auto self = shared_from_this();
    slot->handling = true;
    shared_.service.Handle(std::move(request), [self, slot](HttpResponse response) {
      slot->response.emplace(std::move(response));
      if (slot->handling.exchange(false)) return;  // still inside Handle: OnBody writes it
      net::post(self->stream_.get_executor(), [self] { self->Write(); });
    });
    if (!slot->handling.exchange(false)) Write();  // answered already
    if (queue_.size() < kMaxQueued) ReadNext();
  }

  // ------------------------------------------------------------ streamed batch
  void StartBatch(HttpRequest head, unsigned version) {
    std::weak_ptr<Session> weak = weak_from_this();
    // Called on the batch's thread: the reference it takes moves into the
    // posted handler, so the session is never let go of (and destroyed,
    // joining that very thread) there.
    auto wake = [weak] {
      std::shared_ptr<Session> self = weak.lock();
      if (!self) return;
      auto executor = self->stream_.get_executor();
      net::post(executor, [self = std::move(self)] { self->OnBatchWake(); });
    };
    std::string hash;
    HttpResponse refused;
    batch_ = shared_.service.StartBatch(head, std::move(wake), &hash, &refused);
    if (!batch_) return Reject(std::move(refused), version);  // the body stays unread: closes
    // While the batch works, nothing else may hold this session (its thread
    // only wakes it): it holds itself until the batch ends or fails.
    batch_self_ = shared_from_this();
    bool keep_alive = parser_->get().keep_alive() && !shared_.service.draining();
    batch_parser_.emplace(std::move(*parser_));
    parser_.reset();
    batch_response_.emplace(http::status::ok, version);
    batch_response_->set(http::field::server, "miaopi");
    batch_response_->set(http::field::content_type, "application/x-ndjson");
    batch_response_->set("X-Miaopi-Pack", hash);
    batch_response_->keep_alive(keep_alive);
    batch_response_->chunked(true);
    batch_serializer_.emplace(*batch_response_);
    // A batch takes as long as it takes; the connection holds no thread
    // meanwhile (the batch has its own), and a dead peer ends it on write.
    stream_.expires_never();
    batch_writing_ = true;
    http::async_write_header(stream_, *batch_serializer_, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->batch_writing_ = false;
      if (ec) return self->AbortBatch(ec);
      self->batch_header_sent_ = true;
      self->PumpBatch();
    });
    ReadBatch();
  }

  void ReadBatch() {
    if (batch_reading_ || batch_input_done_ || !batch_->WantsInput()) return;
    batch_reading_ = true;
    auto& body = batch_parser_->get().body();
    body.data = batch_buffer_.data();
    body.size = batch_buffer_.size();
    body.more = true;
    http::async_read_some(stream_, buffer_, *batch_parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->batch_reading_ = false;
      if (ec == http::error::need_buffer) ec = {};
      if (ec) return self->AbortBatch(ec);
      size_t got = self->batch_buffer_.size() - self->batch_parser_->get().body().size;
      self->batch_->Feed(std::string(self->batch_buffer_.data(), got));
      if (self->batch_parser_->is_done()) {
        self->batch_input_done_ = true;
        self->batch_->EndOfInput();
        return;
      }
      self->ReadBatch();
    });
  }

  void OnBatchWake() {
    if (!batch_) return;
    ReadBatch();
    PumpBatch();
  }

  // Writes the records the batch has made, a chunk at a time, then the last chunk.
  void PumpBatch() {
    if (!batch_ || !batch_header_sent_ || batch_writing_) return;
    batch_chunk_ = batch_->TakeOutput();
    auto self = shared_from_this();
    if (!batch_chunk_.empty()) {
      batch_writing_ = true;
      net::async_write(stream_, http::make_chunk(net::buffer(batch_chunk_)), [self](beast::error_code ec, size_t) {
        self->batch_writing_ = false;
        if (ec) return self->AbortBatch(ec);
        self->PumpBatch();
      });
      return;
    }
    if (!batch_->Finished()) return;  // woken again when there is more
    if (batch_->Failed()) return AbortBatch(net::error::make_error_code(net::error::connection_aborted));
    batch_writing_ = true;
    net::async_write(stream_, http::make_chunk_last(), [self](beast::error_code ec, size_t) {
      self->batch_writing_ = false;
      if (ec) return self->AbortBatch(ec);
      self->EndBatch();
    });
  }

  void EndBatch() {
    bool keep_alive = batch_response_->keep_alive() && batch_input_done_ && !shared_.service.draining();
    auto self = std::move(batch_self_);
    batch_.reset();
    batch_parser_.reset();
    batch_serializer_.reset();
    batch_response_.reset();
    batch_header_sent_ = batch_input_done_ = false;
    if (!keep_alive) return Finish();
    ReadNext();
  }

  void AbortBatch(beast::error_code ec) {
    spdlog::debug("batch stopped: {}", ec.message());
    if (batch_) batch_->Cancel();
    Drop();
    batch_self_.reset();
  }

 public:
  // After the io_context stopped (grace ran out): a batch still running ends
  // here, and the session lets go of itself.
  void ReleaseBatch() {
    if (batch_) batch_->Cancel();
    batch_self_.reset();
  }

 private:
  // Answers in order, then closes when the response says so.
  void Reject(HttpResponse response, unsigned version, bool keep_alive = false) {
    if (!keep_alive) closing_ = true;
    auto slot = std::make_shared<Slot>();
    slot->version = version;
    slot->keep_alive = keep_alive;
    slot->response.emplace(std::move(response));
    queue_.push_back(slot);
    Write();
    if (keep_alive && queue_.size() < kMaxQueued) ReadNext();
  }

  // Writes the front response once it is there; one write at a time.
  void Write() {
    if (writing_ || done_ || queue_.empty() || !queue_.front()->response) return;
    Slot& slot = *queue_.front();
    // While stopping, the last answer owed closes the connection; the ones
    // before it still go out (their requests were accepted).
    bool last_owed = shared_.service.draining() && queue_.size() == 1 && !got_bytes_;
    http::message_generator message = ToBeast(std::move(*slot.response), slot.version, slot.keep_alive && !last_owed);
    slot.response.reset();
    writing_ = true;
    if (!reading_) stream_.expires_after(Seconds(options().read_timeout + 20));  // a reader that never reads
    bool keep_alive = message.keep_alive();
    beast::async_write(stream_, std::move(message),
                       beast::bind_front_handler(&Session::OnWritten, shared_from_this(), keep_alive));
  }

  void OnWritten(bool keep_alive, beast::error_code ec, size_t) {
    writing_ = false;
    bool was_full = queue_.size() == kMaxQueued;
    queue_.pop_front();
    if (ec || !keep_alive) {
      done_ = true;  // nothing more goes out on this connection
      queue_.clear();
      return ec ? Drop() : Finish();
    }
    if (was_full && !closing_) ReadNext();
    Write();
    if (shared_.service.draining() && queue_.empty()) {
      if (!reading_) return Finish();
      if (WaitingIdle()) Drop();
    }
  }

  void Finish() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::deque<std::shared_ptr<Slot>> queue_;  // front: being written or next to be
  std::shared_ptr<http::response<http::empty_body>> continue_;
  bool reading_ = false, got_bytes_ = false, writing_ = false, closing_ = false, done_ = false;
  // A streamed batch (StartBatch): its decisions, request body, response and buffers.
  std::unique_ptr<BatchStream> batch_;
  std::shared_ptr<Session> batch_self_;
  std::optional<http::request_parser<http::buffer_body>> batch_parser_;
  std::optional<http::response<http::empty_body>> batch_response_;
  std::optional<http::response_serializer<http::empty_body>> batch_serializer_;
  std::array<char, 64 * 1024> batch_buffer_;
  std::string batch_chunk_;
  bool batch_reading_ = false, batch_writing_ = false, batch_header_sent_ = false, batch_input_done_ = false;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& io, Shared& shared) : io_(io), shared_(shared), acceptor_(net::make_strand(io)) {}

  bool Open(const tcp::endpoint& at, std::string* error) {
    beast::error_code ec;
    acceptor_.open(at.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(at, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
      *error = "cannot listen on " + at.address().to_string() + ":" + std::to_string(at.port()) + ": " + ec.message();
    return !ec;
  }
  tcp::endpoint local() const { return acceptor_.local_endpoint(); }
  void Accept() {
    acceptor_.async_accept(net::make_strand(io_), beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }
  void Stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
    });
  }

 private:
  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      size_t open;
      {
        std::lock_guard lock(shared_.mutex);
        open = shared_.sessions.size();
      }
      if (open >= shared_.service.options().max_connections) {
        Refuse(std::move(socket));
      } else {
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);  // answers are small: send them now
        std::make_shared<Session>(std::move(socket), shared_)->Start();
      }
    }
    Accept();  // a failed accept (out of descriptors) is that connection's problem only
  }

  // Over --max-connections: a fixed 503 and the connection closes; no
  // request is read, so the memory a connection can hold stays bounded.
  void Refuse(tcp::socket socket) {
    shared_.service.metrics().RequestDone(Route::kOther, 503, 0);
    struct Refusal {
      tcp::socket socket;
      std::string text;
    };
    static const std::string kBody = "{\"error\":\"overloaded\",\"message\":\"too many connections; try again\"}\n";
    auto refusal =
        std::make_shared<Refusal>(Refusal{std::move(socket),
                                          "HTTP/1.1 503 Service Unavailable\r\nServer: miaopi\r\nRetry-After: 1\r\n"
                                          "Content-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                                              std::to_string(kBody.size()) + "\r\n\r\n" + kBody});
    net::async_write(refusal->socket, net::buffer(refusal->text), [refusal](beast::error_code, size_t) {
      beast::error_code ignored;
      refusal->socket.shutdown(tcp::socket::shutdown_both, ignored);
    });
  }

  net::io_context& io_;
  Shared& shared_;
  tcp::acceptor acceptor_;
};

}  // namespace

int Serve(const ServeOptions& options) {
  beast::error_code ec;
  net::ip::address address = net::ip::make_address(options.host, ec);
  if (ec) {
    std::cerr << "miaopi: --listen: '" << options.host << "' is not an IP address\n";
    return 2;
  }
  if (options.tokens_file.empty() && !address.is_loopback()) {
    std::cerr << "miaopi: without --tokens the server listens on loopback only (127.0.0.1 or ::1); "
                 "give --tokens FILE to listen on "
              << options.host << "\n";
    return 2;
  }
  std::string error;
  std::unique_ptr<Service> service = Service::Create(options, &error);
  if (!service) {
    std::cerr << "miaopi: " << error << "\n";
    return error.rfind("the pack has errors", 0) == 0 ? 3 : 4;
  }
  int threads = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());

  Shared shared{*service, {}, {}, {}};
  net::io_context io{threads};
  // A group the journal committed is answered from here: one post per group,
  // through a strand so that groups are answered in the order they were
  // committed. Cleared on every way out of this function (before `io` goes,
  // and before the journal's last groups, which then run on its writer).
  auto journal_groups = net::make_strand(io);
  service->SetJournalHandoff(
      [journal_groups](std::function<void()> run_group) { net::post(journal_groups, std::move(run_group)); });
  struct ClearHandoff {
    Service& service;
    ~ClearHandoff() { service.SetJournalHandoff(nullptr); }
  } clear_handoff{*service};
  auto listener = std::make_shared<Listener>(io, shared);
  if (!listener->Open(tcp::endpoint(address, options.port), &error)) {
    std::cerr << "miaopi: " << error << "\n";
    return 4;
  }
  tcp::endpoint bound = listener->local();
  std::string host = bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
  std::printf("listening on %s:%u\n", host.c_str(), static_cast<unsigned>(bound.port()));
  std::fflush(stdout);
  spdlog::info("serving on {}:{} with {} threads", host, bound.port(), threads);
  listener->Accept();

  std::unique_ptr<PackWatcher> watcher;
  if (options.watch) {
    watcher = std::make_unique<PackWatcher>(options.pack_dir, 200,
                                            [&service] { service->ReloadInBackground("the pack folder changed"); });
    if (!watcher->Start(&error)) {
      std::cerr << "miaopi: " << error << "\n";
      return 4;
    }
  }

  net::signal_set reload_signal(io, SIGHUP);
  std::function<void()> wait_hup = [&] {
    reload_signal.async_wait([&](beast::error_code e, int) {
      if (e) return;
      service->ReloadInBackground("SIGHUP");
      wait_hup();
    });
  };
  wait_hup();

  net::steady_timer grace(io);
  net::signal_set stop_signals(io, SIGINT, SIGTERM);
  stop_signals.async_wait([&](beast::error_code e, int signal) {
    if (e) return;
    spdlog::info("signal {}: no new connections; finishing what is in flight (grace {} s)", signal, options.grace);
    service->StartDraining();
    listener->Stop();
    reload_signal.cancel();
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(shared.mutex);
      grace.expires_after(Seconds(options.grace));
      grace.async_wait([&](beast::error_code cancelled) {
        if (!cancelled) io.stop();
      });
      shared.on_drained = [&grace] { grace.cancel(); };
      for (auto& [raw, weak] : shared.sessions) {
        if (auto s = weak.lock()) live.push_back(std::move(s));
      }
      if (shared.sessions.empty()) grace.cancel();
    }
    for (auto& s : live) net::post(s->executor(), [s] { s->Drain(); });
  });

  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (std::thread& t : pool) t.join();
  std::vector<std::shared_ptr<Session>> left;
  {
    std::lock_guard lock(shared.mutex);
    shared.on_drained = nullptr;
    for (auto& [raw, weak] : shared.sessions) {
      if (auto s = weak.lock()) left.push_back(std::move(s));
    }
  }
  for (auto& s : left) s->ReleaseBatch();
  left.clear();
  // Every decision answered is in the journal; a last checkpoint covers them.
  service->SetJournalHandoff(nullptr);  // `io` runs nothing more: what is left is answered on the writer
  service->CloseJournal();
  service->StopWorker();  // a reload still running posts into `io`: finish it while `io` lives
  spdlog::info("stopped");
  return 0;
}

}  // namespace miaopi::service
