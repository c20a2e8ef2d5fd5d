#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "apps/cli/cli.h"
#include "dsl/date.h"

namespace miaopi::cli {

bool StderrIsTerminal() { return isatty(STDERR_FILENO) != 0; }
bool StdoutIsTerminal() { return isatty(STDOUT_FILENO) != 0; }

bool ReadInput(const std::string& path, std::string* out) {
  std::stringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    ss << in.rdbuf();
  }
  *out = std::move(ss).str();
  return true;
}

bool ResolveDate(const std::string& flag, std::string* date) {
  if (flag.empty()) {
    *date = TodayUtc();
    return true;
  }
  if (!dsl::ParseIsoDate(flag)) {
    std::cerr << "miaopi: --date " << flag << " is not YYYY-MM-DD naming a real day\n";
    return false;
  }
  *date = flag;
  return true;
}

void AddContextOptions(CLI::App* cmd, Common& common) {
  cmd->add_option("--subject,--context", common.subject_file,
                  "the logged-in subject as JSON ({\"kind\", \"id\", \"auth_level\"}), or a whole context "
                  "({\"subject\": …, \"town\": …})");
  cmd->add_option("--town", common.town, "the handling town's code (context.town)");
  cmd->add_option("--licences", common.licences_db, "the electronic licence library (from `miaopi licences import`)");
}

bool ContextJson(const Common& common, std::string* json) {
  json->clear();
  if (common.subject_file.empty() && common.town.empty()) return true;
  rapidjson::Document context(rapidjson::kObjectType);
  auto& alloc = context.GetAllocator();
  if (!common.subject_file.empty()) {
    std::string text;
    if (!ReadInput(common.subject_file, &text)) {
      std::cerr << "miaopi: cannot read " << common.subject_file << "\n";
      return false;
    }
    rapidjson::Document doc;
    doc.Parse(text.c_str(), text.size());
    if (doc.HasParseError() || !doc.IsObject()) {
      std::cerr << "miaopi: " << common.subject_file << " is not a JSON object\n";
      return false;
    }
    if (doc.HasMember("subject")) {
      context.CopyFrom(doc, alloc);
    } else {
      rapidjson::Value subject;
      subject.CopyFrom(doc, alloc);
      context.AddMember("subject", subject, alloc);
    }
  }
  if (!common.town.empty()) {
    context.RemoveMember("town");
    context.AddMember("town", rapidjson::Value(common.town.c_str(), alloc), alloc);
  }
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  context.Accept(w);
  json->assign(buf.GetString(), buf.GetSize());
  return true;
}

bool OpenLicences(const Common& common, std::shared_ptr<LicenceStore>* store) {
  if (common.licences_db.empty()) return true;
  std::string error;
  *store = OpenSqliteLicences(common.licences_db, &error);
  if (!*store) {
    std::cerr << "miaopi: " << error << "\n";
    return false;
  }
  return true;
}

std::shared_ptr<const Pack> LoadOrReport(const Common& common, int* exit_code) {
  auto start = std::chrono::steady_clock::now();
  LoadOptions options;
  options.disabled_passes = common.disabled_passes;
  options.color_diagnostics = common.color;
  LoadResult result = LoadPack(common.pack_dir, options);
  if (!result.io_error.empty()) {
    std::cerr << "miaopi: " << result.io_error << "\n";
    *exit_code = kIoError;
    return nullptr;
  }
  if (!result.ok()) {
    std::cerr << result.rendered;
    size_t errors = 0;
    for (const Diagnostic& d : result.diagnostics) errors += d.severity == "error";
    std::cerr << "miaopi: pack " << common.pack_dir << " has " << errors << " error" << (errors == 1 ? "" : "s")
              << "; run `miaopi check " << common.pack_dir << "`\n";
    *exit_code = kPackErrors;
    return nullptr;
  }
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  spdlog::info("loaded pack {} {} ({}) in {:.1f} ms", result.pack->identity().name, result.pack->identity().version,
               result.pack->identity().hash, ms);
  return result.pack;
}

}  // namespace miaopi::cli
