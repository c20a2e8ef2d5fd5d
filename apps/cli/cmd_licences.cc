// miaopi licences import FILE.jsonl --db FILE.db — fill the licence library;
// miaopi licences find --db FILE.db TYPE KEY — look licences up.
#include <fstream>
#include <iostream>

#include "apps/cli/cli.h"

namespace miaopi::cli {

namespace {

struct LicencesOptions {
  std::string input, db, type, key;
};

int Import(const LicencesOptions& options) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (options.input != "-") {
    file.open(options.input, std::ios::binary);
    if (!file) {
      std::cerr << "miaopi: cannot read " << options.input << "\n";
      return kIoError;
    }
    in = &file;
  }
  LicenceImportReport report = ImportLicences(*in, options.db);
  for (const std::string& e : report.errors) std::cerr << options.input << ": " << e << "\n";
  if (!report.fatal.empty()) {
    std::cerr << "miaopi: " << report.fatal << "\n";
    return kIoError;
  }
  std::cerr << "imported " << report.imported << " licences into " << options.db << " (" << report.replaced
            << " replaced), " << report.errors.size() << " lines rejected\n";
  return report.errors.empty() ? kOk : kFindings;
}

int Find(const LicencesOptions& options) {
  std::string error;
  std::shared_ptr<LicenceStore> store = OpenSqliteLicences(options.db, &error);
  if (!store) {
    std::cerr << "miaopi: " << error << "\n";
    return kIoError;
  }
  std::vector<LicenceRecord> found;
  if (!store->Find(options.type, options.key, &found)) {
    std::cerr << "miaopi: the licence library did not answer\n";
    return kIoError;
  }
  for (const LicenceRecord& r : found) std::cout << r.json << "\n";
  std::cerr << found.size() << " licence" << (found.size() == 1 ? "" : "s") << " of type " << options.type
            << " with holder or number " << options.key << "\n";
  return kOk;
}

}  // namespace

void AddLicences(CLI::App& app, Common& common, int* exit_code) {
  auto options = std::make_shared<LicencesOptions>();
  CLI::App* cmd = app.add_subcommand("licences", "The electronic licence library (免证办)");
  cmd->require_subcommand(1);
  CLI::App* import = cmd->add_subcommand("import", "Load licence records (JSONL) into an SQLite library");
  import->add_option("FILE", options->input, "JSONL licence records, or - for stdin")->required();
  import->add_option("--db", options->db, "the SQLite file (created when missing)")->required();
  import->callback([options, exit_code] { *exit_code = Import(*options);
});
CLI::App* find = cmd->add_subcommand("find", "Print the licences of a type whose holder id or number is KEY");
find->add_option("TYPE", options->type, "licence type")->required();
find->add_option("KEY", options->key, "holder id or licence number")->required();
find->add_option("--db", options->db, "the SQLite file")->required();
find->callback([options, exit_code] { *exit_code = Find(*options); });
}  // namespace miaopi::cli

}  // namespace miaopi::cli
