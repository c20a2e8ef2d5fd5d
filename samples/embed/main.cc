// A minimal embedding of miaopi: load a pack once, then decide applications
// from several threads through one Engine, and swap in a new pack version
// while they run.
//
//   embed PACK_DIR APPLICATION.json [YYYY-MM-DD]
#include <miaopi/miaopi.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: embed PACK_DIR APPLICATION.json [YYYY-MM-DD]\n";
    return 2;
  }
  miaopi::LoadResult loaded = miaopi::LoadPack(argv[1]);
  if (!loaded.ok()) {
    std::cerr << loaded.io_error << loaded.rendered;
    return 1;
  }
  std::ifstream in(argv[2]);
  std::stringstream application;
  application << in.rdbuf();

  miaopi::DecideOptions options;
  options.date = argc > 3 ? argv[3] : miaopi::TodayUtc();
  options.explain = true;

  // One Engine for all threads; each call is independent and thread-safe.
  miaopi::Engine engine(loaded.pack);
  std::vector<std::thread> workers;
  std::vector<std::string> results(4);
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&, t] { results[t] = miaopi::ToJson(engine.Decide(application.str(), options)); });
  }
  // Hot swap: reload the pack (a new version would be read the same way).
  engine.Swap(miaopi::LoadPack(argv[1]).pack);
  for (auto& w : workers) w.join();

  // The structured record, for a backend that stores it.
  miaopi::Record record = engine.Decide(application.str(), options);
  if (!record.ok) {
    std::cout << "cannot decide: " << record.error.code << ": " << record.error.message << "\n";
    return 1;
  }
  const miaopi::Decision& d = record.decision;
  std::cout << d.item << " " << miaopi::OutcomeName(d.decision) << " (pack " << d.pack.name << " " << d.pack.version
            << ", " << d.pack.hash.substr(0, 19) << "…)\n";
  for (const miaopi::Reason& r : d.reasons) {
    std::cout << "  " << r.rule << ": " << r.message << (r.basis.empty() ? "" : " [" + r.basis + "]") << "\n";
    for (const std::string& m : r.missing) std::cout << "    missing " << m << "\n";
  }
  bool same = true;
  for (const std::string& r : results) same &= r == miaopi::ToJson(record);
  std::cout << "4 threads agree: " << (same ? "yes" : "NO") << "\n";
  std::cout << miaopi::ToJson(record) << "\n";
  return same ? 0 : 1;
}
