// http_load — an HTTP/1.1 load generator for `miaopi serve`.
//
//   http_load HOST:PORT PATH [--body FILE] [--connections N] [--rate R]
//             [--seconds S] [--warmup S] [--method GET|POST]
//             [--body-line-separator BYTE]
//
// With --rate R it is open loop: request i is due at start + i/R whatever
// the server does, and its latency is measured from that intended time, not
// from when it could be sent (coordinated omission corrected: a stall shows
// as the latency of every request it delayed). Requests go round-robin over
// the keep-alive connections, pipelined when one is still busy. Without
// --rate it is closed loop: each connection sends its next request when the
// last is answered — the maximum rate. --body FILE: one request body a line
// (cycled); none for GET. Prints one line: rate, statuses, percentiles.
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string host = "127.0.0.1", port, path, method = "POST", body_file;
  int connections = 64;
  int separator = -1;  // --body-line-separator: this byte in a body line becomes a newline (batch bodies)
  double rate = 0, seconds = 5, warmup = 1;
};

struct Stats {
  std::vector<double> latencies_us;  // measured requests only
  std::vector<double> lags_us;       // open loop: how late the generator itself sent each one
  std::map<int, uint64_t> statuses;
  uint64_t errors = 0;
};

class Load;

// One keep-alive connection: writes requests, reads responses in order.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::io_context& io, Load& load) : socket_(io), load_(load) {}
  void Open(const tcp::endpoint& at) {
    socket_.connect(at);
    socket_.set_option(tcp::no_delay(true));
  }
  void Send(const std::string& request, Clock::time_point intended, bool measured);
  size_t outstanding() const { return due_.size(); }

 private:
  void Flush();
  void Read();
  bool ParseOne();  // one whole response from in_, or false

  tcp::socket socket_;
  Load& load_;
  std::string out_, writing_, in_;
  size_t parsed_ = 0;  // bytes of in_ already consumed
  bool write_busy_ = false, read_busy_ = false;
  struct Due {
    Clock::time_point intended;
    bool measured;
  };
  std::deque<Due> due_;
  char buf_[64 * 1024];
};

class Load {
 public:
  Load(const Options& o, std::vector<std::string> bodies) : o_(o), bodies_(std::move(bodies)), timer_(io_) {}

  int Run() {
    tcp::resolver resolver(io_);
    tcp::endpoint at = *resolver.resolve(o_.host, o_.port).begin();
    for (int i = 0; i < o_.connections; ++i) {
      auto c = std::make_shared<Connection>(io_, *this);
      c->Open(at);
      conns_.push_back(c);
    }
    start_ = Clock::now();
    measure_from_ = start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.warmup));
    end_ = measure_from_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.seconds));
    if (o_.rate > 0) {
      Tick();
    } else {
      for (auto& c : conns_) SendNext(*c, Clock::now());
    }
    io_.run();
    return Report();
  }

  // A response arrived for a request due at `intended`.
  void Answered(Connection& c, int status, Clock::time_point intended, bool measured) {
    Clock::time_point now = Clock::now();
    if (measured) {
      stats_.latencies_us.push_back(std::chrono::duration<double, std::micro>(now - intended).count());
      ++stats_.statuses[status];
      last_answer_ = now;
    }
    if (o_.rate == 0 && now < end_) SendNext(c, now);
    if (now >= end_ && o_.rate == 0) MaybeStop();
    if (o_.rate > 0 && stopping_) MaybeStop();
  }
  void Failed() {
    ++stats_.errors;
    io_.stop();
  }

 private:
  // Requests are built once per body, so the generator spends its time on
  // the network, not on copying bodies.
  const std::string& Request() {
    if (requests_.empty()) {
      std::vector<std::string> bodies = bodies_.empty() ? std::vector<std::string>{""} : bodies_;
      for (const std::string& body : bodies) {
        std::string r = o_.method + " " + o_.path + " HTTP/1.1\r\nHost: " + o_.host + "\r\n";
        if (o_.method == "POST") r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        r += "\r\n";
        r += body;
        requests_.push_back(std::move(r));
      }
    }
    return requests_[next_body_++ % requests_.size()];
  }
  void SendNext(Connection& c, Clock::time_point intended) {
    c.Send(Request(), intended, intended >= measure_from_);
    if (intended >= measure_from_) {
      ++sent_measured_;
      if (o_.rate > 0)
        stats_.lags_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - intended).count());
    }
  }
  // Open loop: send everything due by now, then sleep until the next is due.
  void Tick() {
    Clock::time_point now = Clock::now();
    auto due_at = [&](uint64_t i) {
      return start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(i / o_.rate));
    };
    while (due_at(next_) <= now && due_at(next_) < end_) {
      SendNext(*conns_[next_ % conns_.size()], due_at(next_));
      ++next_;
    }
    if (due_at(next_) >= end_) {
      stopping_ = true;
      MaybeStop();
      return;
    }
    timer_.expires_at(due_at(next_));
    timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) Tick();
    });
  }
  void MaybeStop() {
    for (auto& c : conns_) {
      if (c->outstanding()) return;
    }
    io_.stop();
  }
  int Report() {
    std::vector<double>& l = stats_.latencies_us;
    std::sort(l.begin(), l.end());
    auto pct = [&](double p) { return l.empty() ? 0.0 : l[std::min(l.size() - 1, static_cast<size_t>(p * l.size()))]; };
    double window = std::chrono::duration<double>((o_.rate > 0 ? end_ : last_answer_) - measure_from_).count();
    std::string statuses;
    for (auto [code, n] : stats_.statuses) statuses += " " + std::to_string(code) + ":" + std::to_string(n);
    std::vector<double>& lag = stats_.lags_us;
    std::sort(lag.begin(), lag.end());
    auto lag_pct = [&](double p) {
      return lag.empty() ? 0.0 : lag[std::min(lag.size() - 1, static_cast<size_t>(p * lag.size()))];
    };
    std::string lags;
    if (!lag.empty()) {
      char text[160];
      std::snprintf(text, sizeof text, "; generator's own send lag us p50=%.0f p99=%.0f p99.9=%.0f", lag_pct(0.5),
                    lag_pct(0.99), lag_pct(0.999));
      lags = text;
    }
    std::printf(
        "%s %s%s connections=%d rate=%s: %zu answered in %.2f s = %.0f/s;%s; errors=%llu; latency us "
        "p50=%.0f p90=%.0f p99=%.0f p99.9=%.0f max=%.0f%s\n",
        o_.method.c_str(), o_.path.c_str(), o_.rate > 0 ? " open-loop" : " closed-loop", o_.connections,
        o_.rate > 0 ? std::to_string(static_cast<long>(o_.rate)).c_str() : "max", l.size(), window, l.size() / window,
        statuses.c_str(), static_cast<unsigned long long>(stats_.errors), pct(0.5), pct(0.9), pct(0.99), pct(0.999),
        l.empty() ? 0.0 : l.back(), lags.c_str());
    return stats_.errors ? 1 : 0;
  }

  Options o_;
  std::vector<std::string> bodies_, requests_;
  size_t next_body_ = 0;
  net::io_context io_;
  net::steady_timer timer_;
  std::vector<std::shared_ptr<Connection>> conns_;
  Clock::time_point start_, measure_from_, end_, last_answer_;
  uint64_t next_ = 0, sent_measured_ = 0;
  bool stopping_ = false;
  Stats stats_;
};

void Connection::Send(const std::string& request, Clock::time_point intended, bool measured) {
  out_ += request;
  due_.push_back({intended, measured});
  Flush();
  Read();
}

void Connection::Flush() {
  if (write_busy_ || out_.empty()) return;
  write_busy_ = true;
  writing_.swap(out_);
  out_.clear();
  net::async_write(socket_, net::buffer(writing_), [self = shared_from_this()](boost::system::error_code ec, size_t) {
    self->write_busy_ = false;
    if (ec) return self->load_.Failed();
    self->Flush();
  });
}

// One read at a time: answers parsed here may send new requests (closed
// loop), which must not start a second read into the same buffer.
void Connection::Read() {
  if (read_busy_) return;
  read_busy_ = true;
  socket_.async_read_some(net::buffer(buf_), [self = shared_from_this()](boost::system::error_code ec, size_t n) {
    if (ec) return self->load_.Failed();
    self->in_.append(self->buf_, n);
    while (self->ParseOne()) {
    }
    self->read_busy_ = false;
    if (!self->due_.empty()) self->Read();
  });
}

bool Connection::ParseOne() {
  std::string_view in(in_);
  in.remove_prefix(parsed_);
  size_t head_end = in.find("\r\n\r\n");
  if (head_end == std::string_view::npos || due_.empty()) return false;
  int status = std::atoi(in.data() + 9);
  std::string head(in.substr(0, head_end));
  for (char& ch : head) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  size_t body_at = head_end + 4, total;
  size_t cl = head.find("content-length:");
  if (cl != std::string::npos) {
    total = body_at + std::strtoull(head.c_str() + cl + 15, nullptr, 10);
    if (in.size() < total) return false;
  } else {  // chunked
    size_t at = body_at;
    for (;;) {
      size_t line_end = in.find("\r\n", at);
      if (line_end == std::string_view::npos) return false;
      size_t size = std::strtoull(in.data() + at, nullptr, 16);
      at = line_end + 2 + size + 2;
      if (in.size() < at) return false;
      if (size == 0) break;
    }
    total = at;
  }
  parsed_ += total;
  if (parsed_ == in_.size()) {
    in_.clear();
    parsed_ = 0;
  } else if (parsed_ > (1u << 20)) {
    in_.erase(0, parsed_);
    parsed_ = 0;
  }
  Due d = due_.front();
  due_.pop_front();
  load_.Answered(*this, status, d.intended, d.measured);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (argc < 3) {
    std::cerr << "usage: http_load HOST:PORT PATH [--body FILE] [--connections N] [--rate R] [--seconds S] "
                 "[--warmup S] [--method GET|POST]\n";
    return 2;
  }
  std::string hostport = argv[1];
  o.host = hostport.substr(0, hostport.rfind(':'));
  o.port = hostport.substr(hostport.rfind(':') + 1);
  o.path = argv[2];
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--body")
      o.body_file = value;
    else if (flag == "--connections")
      o.connections = std::stoi(value);
    else if (flag == "--rate")
      o.rate = std::stod(value);
    else if (flag == "--seconds")
      o.seconds = std::stod(value);
    else if (flag == "--warmup")
      o.warmup = std::stod(value);
    else if (flag == "--method")
      o.method = value;
    else if (flag == "--body-line-separator")
      o.separator = std::stoi(value);
    else {
      std::cerr << "http_load: unknown option " << flag << "\n";
      return 2;
    }
  }
  std::vector<std::string> bodies;
  if (!o.body_file.empty()) {
    std::ifstream in(o.body_file);
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      if (o.separator >= 0) std::replace(line.begin(), line.end(), static_cast<char>(o.separator), '\n');
      bodies.push_back(line + "\n");
    }
  }
  if (o.method == "GET") bodies.clear();
  return Load(o, std::move(bodies)).Run();
}
