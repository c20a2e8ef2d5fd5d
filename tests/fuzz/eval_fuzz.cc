// Fuzz target: any bytes as an application to the sample pack must give a
// record — the same one on the simdjson fast path (as a Record and as the
// batch's JSON line) as on the RapidJSON path — and when it is a decision,
// the reference evaluator must agree.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/runtime/decider.h"
#include "engine/testing/reference.h"

namespace {

std::shared_ptr<const miaopi::Pack> SamplePack() {
  static std::shared_ptr<const miaopi::Pack> pack = [] {
    miaopi::LoadResult r = miaopi::LoadPack(std::string(MIAOPI_SOURCE_DIR) + "/samples/food_sales");
    if (!r.ok()) {
      std::fprintf(stderr, "sample pack does not load:\n%s\n", r.rendered.c_str());
      std::abort();
    }
    return r.pack;
  }();
  return pack;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace miaopi;
  static engine::Decider decider(SamplePack()->impl());
  static engine::Decider general = [] {
    engine::Decider d(SamplePack()->impl());
    d.DisableFastText();
    return d;
  }();
  static engine::ReferenceEvaluator reference(SamplePack()->impl());
  std::string_view text(reinterpret_cast<const char*>(data), size);
  engine::Request request;
  engine::ParseDate("2026-09-10", &request.date);
  Record record, slow;
  decider.Decide(text, request, &record);
  general.Decide(text, request, &slow);
  if (!slow.ok) slow.error.line = 9;
  std::string json;
  decider.DecideToJson(text, request, 9, &json);
  // RapidJSON rejects a number whose exponent passes 308 even when its value
  // is zero (0e400); simdjson reads it as the zero it is, and text is read
  // with simdjson first. Only there may the paths differ.
  bool rapidjson_limit = !slow.ok && slow.error.message.rfind("Number too big to be stored in double", 0) == 0;
  if (!rapidjson_limit &&
      (json != ToJson(slow) || (record.ok && ToJson(record) != ToJson(slow)) || record.ok != slow.ok)) {
    std::fprintf(stderr, "fast and general paths disagree on:\n%.*s\nfast:    %s\ngeneral: %s\n",
                 static_cast<int>(size), text.data(), json.c_str(), ToJson(slow).c_str());
    std::abort();
  }
  if (!record.ok || rapidjson_limit) return 0;
  rapidjson::Document doc;
  ErrorRecord parse_error;
  if (!engine::ParseApplication(text, SamplePack()->impl().limits, &doc, &parse_error)) std::abort();
  Record expected = reference.Decide(doc, request);
  bool same = expected.ok && expected.decision.decision == record.decision.decision &&
              expected.decision.reasons.size() == record.decision.reasons.size();
  for (size_t i = 0; same && i < expected.decision.reasons.size(); ++i) {
    same = expected.decision.reasons[i].rule == record.decision.reasons[i].rule &&
           expected.decision.reasons[i].missing == record.decision.reasons[i].missing;
  }
  if (!same) {
    std::fprintf(stderr, "graph and reference disagree on:\n%.*s\n", static_cast<int>(size), text.data());
    std::abort();
  }
  // Remedies on whatever the input is: nothing else in the record changes,
  // one per reason, and the examples applied break no rule that passed.
  static engine::Decider remedying(SamplePack()->impl());
  engine::Request asking = request;
  asking.remedies = asking.notice = true;
  Record with;
  remedying.Decide(text, asking, &with);
  Record stripped = with;
  stripped.decision.remedies.clear();
  stripped.decision.notice.clear();
  if (ToJson(stripped) != ToJson(record) || with.decision.remedies.size() != record.decision.reasons.size() ||
      (record.decision.decision != Outcome::kApprove) == with.decision.notice.empty()) {
    std::fprintf(stderr, "remedies changed the record of:\n%.*s\n%s\n", static_cast<int>(size), text.data(),
                 ToJson(with).c_str());
    std::abort();
  }
  std::string error;
  std::optional<std::string> fixed = ApplyRemedyExamples(text, with.decision.remedies, &error);
  if (!fixed) return 0;  // a path the text cannot take (an envelope whose application is not an object, …)
  Record after;
  remedying.Decide(*fixed, request, &after);
  for (const Reason& r : after.ok ? after.decision.reasons : std::vector<Reason>{}) {
    bool before = false;
    for (const Reason& b : record.decision.reasons) before = before || b.rule == r.rule;
    if (!before) {
      std::fprintf(stderr, "applying the remedies of:\n%.*s\nbroke rule %s\n", static_cast<int>(size), text.data(),
                   r.rule.c_str());
      std::abort();
    }
  }
  return 0;
}
