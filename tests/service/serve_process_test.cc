// `miaopi serve` as a process under load and under attack, with a real
// HTTP client (Beast, synchronous): hot reloads every 100 ms while clients
// decide (no failed request; every answer is exactly the record of the pack
// named in its X-Miaopi-Pack), pipelining, a slowloris, 1,000 idle
// connections, a 100 MB body, garbage, a client that goes away mid-response,
// and SIGTERM under load. The quick route-by-route checks are
// tests/service_test.sh (curl).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "engine/include/miaopi/miaopi.h"
#include "tests/testing/golden.h"
#include "tests/testing/process.h"

namespace miaopi {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace fs = std::filesystem;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

// A `miaopi serve` child process on 127.0.0.1:0.
class Server {
 public:
  explicit Server(std::vector<std::string> args)
      : log_(::testing::TempDir() + "/miaopi_serve_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++) +
             ".log") {
    int out[2];
    EXPECT_EQ(::pipe(out), 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      int log = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(log, STDERR_FILENO);
      ::close(out[0]);
      std::vector<std::string> argv = {testing::MiaopiBinary(), "serve"};
      argv.insert(argv.end(), args.begin(), args.end());
      argv.push_back("--listen");
      argv.push_back("127.0.0.1:0");
      std::vector<char*> raw;
      for (std::string& a : argv) raw.push_back(a.data());
      raw.push_back(nullptr);
      ::execv(raw[0], raw.data());
      ::_exit(127);
    }
    ::close(out[1]);
    std::string line;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    const std::string prefix = "listening on 127.0.0.1:";
    if (line.rfind(prefix, 0) == 0) port_ = std::atoi(line.c_str() + prefix.size());
    EXPECT_NE(port_, 0) << "first line: " << line;
  }
  ~Server() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    std::remove(log_.c_str());
  }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  bool Alive() const { return pid_ > 0 && ::kill(pid_, 0) == 0; }
  // SIGTERM, then the exit status (or -signal).
  int Stop() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    if (code != 0) ADD_FAILURE() << "the server's log:\n" << testing::ReadFileOrDie(log_);
    return code;
  }

 private:
  static inline int counter_ = 0;
  std::string log_;  // the server's stderr
  pid_t pid_ = -1;
  int port_ = 0;
};

struct Answer {
  int status = 0;
  std::string pack, body;
};

// One keep-alive connection.
class Client {
 public:
  explicit Client(int port) : stream_(io_) {
    stream_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  }
  Answer Send(http::verb method, const std::string& target, const std::string& body = "") {
    Write(method, target, body);
    return Read();
  }
  void Write(http::verb method, const std::string& target, const std::string& body) {
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.body() = body;
    req.prepare_payload();
    http::write(stream_, req);
  }
  Answer Read() {
    http::response<http::string_body> res;
    http::read(stream_, buffer_, res);
    return {static_cast<int>(res.result_int()), std::string(res["X-Miaopi-Pack"]), res.body()};
  }
  beast::tcp_stream& stream() { return stream_; }

 private:
  net::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

std::vector<std::string> SampleApps(size_t n) {
  std::ifstream in(testing::SourceDir() + "/samples/applications/food_sales_1000.jsonl");
  std::vector<std::string> apps;
  for (std::string line; apps.size() < n && std::getline(in, line);) apps.push_back(line);
  return apps;
}

std::string Read(const fs::path& p) { return testing::ReadFileOrDie(p); }

// Rule text variants of the sample pack that decide some applications differently.
struct Variant {
  std::string rules;                           // food_sales.rules
  std::string hash;                            // "" for the broken one
  std::map<std::string, std::string> records;  // application → ToJson(record) + "\n"
};

class ServeUnderLoad : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("miaopi_serve_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::copy(testing::SourceDir() + "/samples/food_sales", dir_ / "pack", fs::copy_options::recursive);
    original_ = Read(dir_ / "pack/food_sales.rules");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteRules(const std::string& text) {
    std::ofstream(dir_ / "pack/food_sales.rules.tmp") << text;
    fs::rename(dir_ / "pack/food_sales.rules.tmp", dir_ / "pack/food_sales.rules");
  }

  // Compiles `rules` in-process and records what it decides for `apps`.
  Variant Expect(const std::string& rules, const std::vector<std::string>& apps) {
    WriteRules(rules);
    Variant v{rules, "", {}};
    LoadResult loaded = LoadPack((dir_ / "pack").string());
    if (!loaded.ok()) return v;
    v.hash = loaded.pack->identity().hash;
    Evaluator e(loaded.pack);
    DecideOptions options;
    options.date = "2026-09-10";
    for (const std::string& app : apps) v.records[app] = ToJson(e.Decide(app, options)) + "\n";
    return v;
  }

  fs::path dir_;
  std::string original_;
};

TEST_F(ServeUnderLoad, HotReloadEvery100msNeverFailsNorMixesPacks) {
  std::vector<std::string> apps = SampleApps(40);
  std::string stricter = original_;
  size_t at = stricter.find("business.area_m2 >= 10");
  ASSERT_NE(at, std::string::npos);
  stricter.replace(at, 22, "business.area_m2 >= 60");
  std::vector<Variant> variants = {Expect(original_, apps), Expect(stricter, apps),
                                   Expect(original_ + "\nrule BROKEN \"x\" require nonsense else reject\n", apps)};
  ASSERT_FALSE(variants[0].hash.empty());
  ASSERT_FALSE(variants[1].hash.empty());
  ASSERT_TRUE(variants[2].hash.empty());
  int differ = 0;
  for (const std::string& app : apps) differ += variants[0].records[app] != variants[1].records[app];
  ASSERT_GT(differ, 0) << "the two versions must decide some applications differently";
  WriteRules(original_);

  Server server({(dir_ / "pack").string(), "--threads", "2"});
  ASSERT_NE(server.port(), 0);
  std::atomic<bool> stop{false};
  std::atomic<int> failed{0}, wrong{0}, answered{0};
  std::set<std::string> packs_seen;
  std::mutex seen_mutex;
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      Client client(server.port());
      for (size_t i = c; !stop; i = (i + 1) % apps.size()) {
        Answer a;
        try {
          a = client.Send(http::verb::post, "/v1/decide?date=2026-09-10", apps[i]);
        } catch (const std::exception& e) {
          ++failed;
          return;
        }
        ++answered;
        const Variant* v = a.pack == variants[0].hash   ? &variants[0]
                           : a.pack == variants[1].hash ? &variants[1]
                                                        : nullptr;
        if (a.status != 200 || v == nullptr) {
          ++failed;
        } else if (a.body != v->records.at(apps[i])) {
          ++wrong;
        } else {
          std::lock_guard lock(seen_mutex);
          packs_seen.insert(a.pack);
        }
      }
    });
  }
  Client admin(server.port());
  int reloads = 0, refused = 0;
  auto until = std::chrono::steady_clock::now() + 10s;
  for (int k = 0; std::chrono::steady_clock::now() < until; ++k) {
    const Variant& v = variants[k % 3];
    WriteRules(v.rules);
    Answer a = admin.Send(http::verb::post, "/v1/admin/reload");
    if (v.hash.empty()) {
      EXPECT_EQ(a.status, 422) << a.body;
      ++refused;
    } else {
      EXPECT_EQ(a.status, 200) << a.body;
      EXPECT_EQ(a.pack, v.hash);
      ++reloads;
    }
    std::this_thread::sleep_for(100ms);
  }
  stop = true;
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(answered.load(), 1000);
  EXPECT_GT(reloads, 20);
  EXPECT_GT(refused, 10);
  EXPECT_EQ(packs_seen.size(), 2u);
  EXPECT_EQ(server.Stop(), 0);
}

TEST(Serve, PipelinedRequestsAreAnsweredInOrder) {
  Server server({testing::SourceDir() + "/samples/food_sales"});
  std::vector<std::string> apps = SampleApps(50);
  Client client(server.port());
  for (const std::string& app : apps) client.Write(http::verb::post, "/v1/decide?date=2026-09-10", app);
  for (size_t i = 0; i < apps.size(); ++i) {
    Answer a = client.Read();
    std::string id = "\"id\":\"APP-" + std::to_string(i + 1) + "\"";
    EXPECT_NE(a.body.find(id), std::string::npos) << i << ": " << a.body;
  }
  EXPECT_EQ(server.Stop(), 0);
}

// A raw socket for what no well-behaved client sends.
int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Reads until the peer closes or `limit` passes; what came.
std::string ReadAll(int fd, std::chrono::milliseconds limit) {
  timeval tv{static_cast<time_t>(limit.count() / 1000), static_cast<suseconds_t>(limit.count() % 1000 * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<size_t>(n));
  return out;
}

bool Healthy(int port) {
  try {
    return Client(port).Send(http::verb::get, "/healthz").status == 200;
  } catch (const std::exception&) {
    return false;
  }
}

TEST(Serve, ASlowlorisIsCutOffAtTheReadTimeoutAndHoldsNothing) {
  Server server({testing::SourceDir() + "/samples/food_sales", "--read-timeout", "2"});
  int fd = Connect(server.port());
  ASSERT_GE(fd, 0);
  std::string request = "POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n{}   ";
  auto start = std::chrono::steady_clock::now();
  bool cut = false;
  for (char c : request) {
    if (::send(fd, &c, 1, MSG_NOSIGNAL) != 1) {
      cut = true;
      break;
    }
    EXPECT_TRUE(Healthy(server.port()));  // others are served meanwhile
    std::this_thread::sleep_for(300ms);
    if (std::chrono::steady_clock::now() - start > 6s) break;
  }
  if (!cut) cut = ReadAll(fd, 2000ms).empty() || ::send(fd, "x", 1, MSG_NOSIGNAL) != 1;
  ::close(fd);
  EXPECT_TRUE(cut) << "a client sending a byte every 0.3 s was still connected after 6 s";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 8s);
  EXPECT_EQ(server.Stop(), 0);
}

TEST(Serve, AThousandIdleConnectionsDoNotStopService) {
  rlimit files{};
  ::getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = std::min<rlim_t>(files.rlim_max, 4096);
  ::setrlimit(RLIMIT_NOFILE, &files);  // the server inherits it
  if (files.rlim_cur < 2100) GTEST_SKIP() << "this machine allows only " << files.rlim_cur << " open files";
  Server server({testing::SourceDir() + "/samples/food_sales"});
  std::vector<int> idle;
  for (int i = 0; i < 1000; ++i) {
    int fd = Connect(server.port());
    ASSERT_GE(fd, 0) << "connection " << i;
    idle.push_back(fd);
  }
  EXPECT_TRUE(Healthy(server.port()));
  Answer a = Client(server.port()).Send(http::verb::post, "/v1/decide?date=2026-09-10", SampleApps(1)[0]);
  EXPECT_EQ(a.status, 200);
  for (int fd : idle) ::close(fd);
  EXPECT_TRUE(Healthy(server.port()));
  EXPECT_EQ(server.Stop(), 0);
}

TEST(Serve, A100MBBodyIsRefusedWithoutBeingRead) {
  Server server({testing::SourceDir() + "/samples/food_sales"});
  int fd = Connect(server.port());
  ASSERT_GE(fd, 0);
  std::string head = "POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n";
  ASSERT_EQ(::send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
  std::string chunk(64 * 1024, 'x');
  size_t sent = 0;
  while (sent < (8u << 20) && ::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL) > 0) sent += chunk.size();
  std::string answer = ReadAll(fd, 5000ms);
  ::close(fd);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer.substr(0, 200);
  EXPECT_NE(answer.find("\"error\":\"too_large\""), std::string::npos);
  EXPECT_TRUE(Healthy(server.port()));
  EXPECT_EQ(server.Stop(), 0);
}

TEST(Serve, GarbageAndClientsThatLeaveMidResponseHarmNothing) {
  Server server({testing::SourceDir() + "/samples/food_sales"});
  std::mt19937 random(7);
  for (int i = 0; i < 50; ++i) {
    int fd = Connect(server.port());
    ASSERT_GE(fd, 0);
    std::string junk(1 + random() % 2000, '\0');
    for (char& c : junk) c = static_cast<char>(random());
    ::send(fd, junk.data(), junk.size(), MSG_NOSIGNAL);
    if (i % 2) ReadAll(fd, 200ms);
    ::close(fd);
  }
  EXPECT_TRUE(Healthy(server.port()));
  // A batch of 1,000 whose client hangs up as soon as the request is sent.
  std::ifstream in(testing::SourceDir() + "/samples/applications/food_sales_1000.jsonl");
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (int i = 0; i < 5; ++i) {
    int fd = Connect(server.port());
    std::string request =
        "POST /v1/batch?date=2026-09-10 HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n" + body;
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    char first[100];
    if (i % 2) ::recv(fd, first, sizeof first, 0);  // half of them read a little first
    ::close(fd);
  }
  EXPECT_TRUE(Healthy(server.port()));
  EXPECT_TRUE(server.Alive());
  EXPECT_EQ(server.Stop(), 0);
}

TEST(Serve, SigtermUnderLoadDropsNoAcceptedRequest) {
  Server server({testing::SourceDir() + "/samples/food_sales", "--threads", "2"});
  std::vector<std::string> apps = SampleApps(20);
  std::atomic<int> complete{0}, torn{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      while (!stop) {
        std::optional<Client> client;
        try {
          client.emplace(server.port());
        } catch (const std::exception&) {
          return;  // refused: the server stopped accepting
        }
        for (size_t i = 0; i < apps.size() && !stop; ++i) {
          try {
            client->Write(http::verb::post, "/v1/decide?date=2026-09-10", apps[i]);
          } catch (const std::exception&) {
            break;  // closed before the request went out: never accepted
          }
          try {
            Answer a = client->Read();
            if (a.status == 200 && a.body.find("\"decision\"") != std::string::npos) {
              ++complete;
            } else {
              ++torn;
            }
          } catch (const beast::system_error& e) {
            // The connection closed without a byte of this answer: the
            // request was not accepted (it arrived after the last one read).
            if (e.code() != http::error::end_of_stream && e.code() != net::error::connection_reset &&
                e.code() != net::error::eof) {
              ++torn;
            }
            break;
          }
        }
      }
    });
  }
  std::this_thread::sleep_for(1500ms);
  int at_stop = complete.load();
  int exit_code = server.Stop();
  stop = true;
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(exit_code, 0);
  EXPECT_GT(at_stop, 100);
  EXPECT_EQ(torn.load(), 0);
}

}  // namespace
}  // namespace miaopi
