// An in-memory licence store: records checked and indexed once, looked up
// by (type, holder id) and (type, number) without locks.
#include <rapidjson/document.h>

#include <unordered_map>

#include "engine/include/miaopi/licences.h"

namespace miaopi {

namespace {

class MemoryStore : public LicenceStore {
 public:
  void Add(std::string type, std::string number, std::string holder, std::string json) {
    records_.push_back({std::move(json), "memory record " + std::to_string(records_.size() + 1)});
    size_t index = records_.size() - 1;
    by_key_[type + '\n' + holder].push_back(index);
    if (number != holder) by_key_[type + '\n' + number].push_back(index);
  }

  bool Find(std::string_view type, std::string_view key, std::vector<LicenceRecord>* out) override {
    std::string k;
    k.reserve(type.size() + key.size() + 1);
    k.append(type).append(1, '\n').append(key);
    auto it = by_key_.find(k);
    if (it == by_key_.end()) return true;
    for (size_t i : it->second) out->push_back(records_[i]);
    return true;
  }

  uint64_t Generation() override { return 1; }  // never changes once built

 private:
  std::vector<LicenceRecord> records_;
  std::unordered_map<std::string, std::vector<size_t>> by_key_;
};

}  // namespace

std::shared_ptr<LicenceStore> MemoryLicences(const std::vector<std::string>& records, std::string* error) {
  auto store = std::make_shared<MemoryStore>();
  for (size_t i = 0; i < records.size(); ++i) {
    std::string problem = CheckLicenceJson(records[i]);
    if (!problem.empty()) {
      *error = "record " + std::to_string(i + 1) + ": " + problem;
      return nullptr;
    }
    rapidjson::Document doc;
    doc.Parse(records[i].c_str(), records[i].size());
    store->Add(doc["type"].GetString(), doc["number"].GetString(), doc["holder"]["id"].GetString(), records[i]);
  }
  return store;
}

}  // namespace miaopi
