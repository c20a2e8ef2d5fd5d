// gen_nanhai — writes N realistic applications for the ten Nanhai items
// (rules/nanhai) and the electronic-licence records they rely on.
//
//   gen_nanhai N --applications FILE --licences FILE [--labels FILE]
//              [--seed S] [--date YYYY-MM-DD] [--item CODE]
//
// Every application line is an envelope {"application": …, "context":
// {"subject": …, "town": …}}: the login and the handling town come from the
// caller, never from the form. People get valid ID numbers (GB 11643) and
// firms valid credit codes (GB 32100), each with its own licences in the
// licence file. About 62% of applications are clean and approvable; the rest
// carry one fault a real counter sees — a weak or wrong login, a licence of
// someone else or none on file, a field left out, a database that did not
// answer, a town without the delegation, or a fact that fails one of the
// item's own rules. Deterministic per seed and date.
//
// --labels writes, per application, the decision its fault must lead to and
// the rule that must be among the reasons; the nanhai_samples test decides the
// applications and holds the engine to them. The faults lean on the pack's
// reference tables (credit lists, sign zones, standard addresses, industry
// policy): keep this file in step with rules/nanhai/tables.
//
// --item CODE (NH-P02, …) draws every application from that one item, with
// the same mix of clean ones and faults: a workload of one shape for the
// benchmarks (bench/baseline_vs_batch.sh). Without it the output is as it
// always was.
#include "bench/gen_nanhai/world.h"

namespace gen_nanhai {
namespace {

std::vector<Item> Items() {
  std::vector<Item> items = PeopleItems();
  for (Item& item : BusinessItems()) items.push_back(std::move(item));
  return items;
}

int Usage(const char* why) {
  std::cerr
      << "gen_nanhai: " << why
      << "\nusage: gen_nanhai N --applications FILE --licences FILE [--labels FILE] [--seed S] [--date YYYY-MM-DD]"
         " [--item CODE]\n";
  return 2;
}

}  // namespace
}  // namespace gen_nanhai

using namespace gen_nanhai;

int main(int argc, char** argv) {
  long n = -1;
  uint64_t seed = 42;
  std::string date = "2026-09-10", apps_path, licences_path, labels_path, only_item;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--applications")
      apps_path = value();
    else if (arg == "--licences")
      licences_path = value();
    else if (arg == "--labels")
      labels_path = value();
    else if (arg == "--seed")
      seed = std::strtoull(value().c_str(), nullptr, 10);
    else if (arg == "--date")
      date = value();
    else if (arg == "--item")
      only_item = value();
    else if (n < 0 && !arg.empty() && std::all_of(arg.begin(), arg.end(), ::isdigit))
      n = std::atol(arg.c_str());
    else
      return Usage(("unexpected argument " + arg).c_str());
  }
  std::optional<int32_t> today = dsl::ParseIsoDate(date);
  if (n < 0 || apps_path.empty() || licences_path.empty())
    return Usage("N, --applications and --licences are required");
  if (!today) return Usage("--date is not a YYYY-MM-DD date");
  std::ofstream apps(apps_path), licences(licences_path), labels;
  if (!labels_path.empty()) labels.open(labels_path);
  if (!apps || !licences || (!labels_path.empty() && !labels)) return Usage("cannot write an output file");

  World w(seed, *today);
  std::vector<Item> items = Items();
  if (!only_item.empty()) {
    std::erase_if(items, [&](const Item& item) { return item.code != only_item; });
    if (items.empty()) return Usage(("no item " + only_item).c_str());
  }
  int total_weight = 0;
  for (const Item& item : items) total_weight += item.weight;
  std::set<std::string> written;  // licence type|number: one record each
  std::string line;
  for (long i = 0; i < n; ++i) {
    int roll = w.Pick(total_weight);
    const Item* item = &items[0];
    for (const Item& candidate : items) {
      if ((roll -= candidate.weight) < 0) {
        item = &candidate;
        break;
      }
    }
    Case c = item->clean(w);
    std::string number = std::to_string(i + 1);
    c.app.PutFirst("id", "NH-" + std::to_string(w.year()) + "-" +
                             std::string(number.size() < 6 ? 6 - number.size() : 0, '0') + number);
    if (!w.Chance(62)) {
      const Fault& fault = item->faults[w.Pick(static_cast<int>(item->faults.size()))];
      fault.apply(w, c);
      c.label = {fault.decision, fault.rule, fault.what};
    }
    line.clear();
    line += "{\"application\": ";
    c.app.Write(line);
    line += ", \"context\": ";
    O({{"subject", c.subject}, {"town", c.town}}).Write(line);
    line += "}\n";
    apps << line;
    for (Json& licence : c.licences) {
      std::string key = licence.At("type").Str() + "|" + licence.At("number").Str();
      if (!written.insert(key).second) continue;
      line.clear();
      licence.Write(line);
      licences << line << '\n';
    }
    if (labels.is_open()) {
      line.clear();
      O({{"id", c.app.At("id")},
         {"item", item->code},
         {"decision", c.label.decision},
         {"rule", c.label.rule},
         {"fault", c.label.fault}})
          .Write(line);
      labels << line << '\n';
    }
  }
  return apps && licences ? 0 : 1;
}
