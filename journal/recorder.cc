#include "journal/recorder.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "journal/json_text.h"
#include "journal/licence_capture.h"

namespace miaopi::journal {

std::string OptionsJson(const DecideOptions& options, uint64_t line, size_t max_bytes) {
  if (!options.explain && !options.remedies && !options.notice && options.item.empty() && line == 0 && max_bytes == 0) {
    return "{}";
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  if (options.explain) {
    w.Key("explain");
    w.Bool(true);
  }
  if (options.remedies) {
    w.Key("remedies");
    w.Bool(true);
  }
  if (options.notice) {
    w.Key("notice");
    w.Bool(true);
  }
  if (!options.item.empty()) {
    w.Key("item");
    WriteString(w, options.item);
  }
  if (line > 0) {
    w.Key("line");
    w.Uint64(line);
  }
  if (max_bytes > 0) {
    w.Key("max_bytes");
    w.Uint64(max_bytes);
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Entry DecisionEntry(const std::string& caller, const std::string& pack_hash, const DecideOptions& options,
                    uint64_t line, std::string input, std::string licences, std::string record, size_t max_bytes) {
  Entry e;
  e.kind = "decision";
  e.caller = caller;
  e.pack = pack_hash;
  e.date = options.date;
  e.options = OptionsJson(options, line, max_bytes);
  e.input = std::move(input);
  e.context = options.context;
  e.licences = std::move(licences);
  e.record = std::move(record);
  return e;
}

std::optional<Entry> ReviewEntry(Journal& journal, const Review& review, const std::string& caller,
                                 std::string* error) {
  if (review.outcome != "approve" && review.outcome != "reject") {
    *error = "the outcome of a review is approve or reject";
    return std::nullopt;
  }
  if (review.reviewer.empty()) {
    *error = "a review names its reviewer";
    return std::nullopt;
  }
  std::optional<Entry> decision = journal.Get(review.decision);
  if (!decision || decision->kind != "decision") {
    *error = "the journal has no decision " + std::to_string(review.decision);
    return std::nullopt;
  }
  rapidjson::Document record;
  record.Parse<rapidjson::kParseIterativeFlag>(decision->record.data(), decision->record.size());
  std::string machine = "error";
  if (!record.HasParseError() && record.IsObject() && record.HasMember("decision") && record["decision"].IsString()) {
    machine = record["decision"].GetString();
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("decision");
  w.Uint64(review.decision);
  w.Key("machine");
  WriteString(w, machine);
  w.Key("outcome");
  WriteString(w, review.outcome);
  w.Key("reviewer");
  WriteString(w, review.reviewer);
  w.Key("note");
  WriteString(w, review.note);
  w.EndObject();
  Entry e;
  e.kind = "review";
  e.caller = caller;
  e.pack = decision->pack;
  e.date = TodayUtc();
  e.options = "{\"decision\":" + std::to_string(review.decision) + "}";
  e.record = std::string(buffer.GetString(), buffer.GetSize());
  return e;
}

void BatchRecorder::BeforeLine() { BeginCapture(); }

std::string BatchRecorder::AfterLine() { return EndCapture(); }

bool BatchRecorder::Chunk(uint64_t first_line, const std::vector<std::string_view>& lines,
                          const std::vector<std::string>& kept, std::string_view records, std::string* error) {
  std::vector<Entry> entries;
  entries.reserve(lines.size());
  size_t at = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    size_t nl = records.find('\n', at);
    if (nl == std::string_view::npos) {
      *error = "internal error: a batch chunk has fewer records than lines";
      return false;
    }
    entries.push_back(DecisionEntry(caller_, pack_, options_, first_line + i, std::string(lines[i]),
                                    i < kept.size() ? kept[i] : std::string(), std::string(records.substr(at, nl - at)),
                                    max_bytes_));
    at = nl + 1;
  }
  if (!journal_.Append(&entries, error)) return false;
  written_ += entries.size();
  return true;
}

}  // namespace miaopi::journal
