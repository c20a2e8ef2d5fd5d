// The licence library's answers, kept with each decision so a replay years
// later decides from the same data. RecordingLicences wraps the real store
// and keeps every answer given on a thread between BeginCapture and
// EndCapture; ReplayLicences gives back exactly the answers of one entry.
// A lookup the entry does not hold is "the store could not answer"
// (unknown): a replay that asks something new shows up as a difference.
// This file's external interface is RecordingLicences, BeginCapture,
// EndCapture and ReplayLicences.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/include/miaopi/licences.h"

namespace miaopi::journal {

class RecordingLicences : public LicenceStore {
 public:
  explicit RecordingLicences(std::shared_ptr<LicenceStore> inner) : inner_(std::move(inner)) {}
  bool Find(std::string_view type, std::string_view key, std::vector<LicenceRecord>* out) override;

 private:
  std::shared_ptr<LicenceStore> inner_;
};

// Starts keeping this thread's answers.
void BeginCapture();
// The answers since BeginCapture, as a JSON array
// [{"type":…,"key":…,"answered":true,"found":[{"licence":"<record JSON text>","row":…}]}],
// or "" when there were none; stops keeping them.
std::string EndCapture();

// Answers from the entry the current thread replays (SetReplayAnswers).
class ReplayLicences : public LicenceStore {
 public:
  bool Find(std::string_view type, std::string_view key, std::vector<LicenceRecord>* out) override;
};

// The answers ReplayLicences gives on this thread, from an entry's
// `licences` column; false with `error` when it is malformed.
bool SetReplayAnswers(std::string_view licences_json, std::string* error);

}  // namespace miaopi::journal
