// miaopi notice PACK APP.json — the one-time notice (一次性告知) for one
// application, as Chinese text for the applicant (docs/remedies.md).
#include <iostream>

#include "apps/cli/cli.h"
#include "dsl/file_read.h"
#include "engine/compile/pack.h"

namespace miaopi::cli {

namespace {

struct NoticeOptions {
  std::string app;
  std::string date;
  std::string item;
};

int Run(const Common& common, const NoticeOptions& options) {
  DecideOptions decide;
  if (!ResolveDate(options.date, &decide.date)) return kUsage;
  decide.item = options.item;
  decide.notice = true;
  if (!ContextJson(common, &decide.context)) return kUsage;
  std::shared_ptr<LicenceStore> licences;
  if (!OpenLicences(common, &licences)) return kIoError;
  int exit_code = kOk;
  std::shared_ptr<const Pack> pack = LoadOrReport(common, &exit_code);
  if (!pack) return exit_code;
  size_t limit = pack->impl().limits.max_application_bytes;
  dsl::BoundedRead input = dsl::ReadFileBounded(options.app, limit, dsl::FileKinds::kAnyReadable);
  if (!input.ok) {
    std::cerr << "miaopi: cannot read " << options.app << ": " << input.error << "\n";
    return kIoError;
  }
  if (input.too_large) {
    std::cerr << "miaopi: " << options.app << " is larger than the application limit (" << limit << " bytes)\n";
    return kFindings;
  }
  Evaluator evaluator(pack, licences);
  Record record = evaluator.Decide(input.text, decide);
  if (!record.ok) {
    std::cerr << "miaopi: no decision, so no notice: " << record.error.code << ": " << record.error.message << "\n";
    return kFindings;
  }
  if (record.decision.decision == Outcome::kApprove) {
    std::cout << "申请已即时批准，无需补正。（" << record.decision.item_title << "，" << record.decision.date << "）\n";
    return kOk;
  }
  std::cout << record.decision.notice;
  return kOk;
}

}  // namespace

void AddNotice(CLI::App& app, Common& common, int* exit_code) {
  auto options = std::make_shared<NoticeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "notice", "The one-time notice for an application that is not approved: what to correct or supply, rule by rule");
  cmd->add_option("PACK", common.pack_dir, "pack folder")->required();
  cmd->add_option("APP", options->app, "application JSON file, or - for stdin")->required();
  cmd->add_option("--date", options->date, "evaluation date YYYY-MM-DD (default: today, UTC)");
  cmd->add_option("--item", options->item, "decide as this item (default: the application's \"item\")");
  AddContextOptions(cmd, common);
  cmd->callback([&common, options, exit_code] { *exit_code = Run(common, *options); });
}

}  // namespace miaopi::cli
