#include "journal/export.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "engine/include/miaopi/miaopi.h"
#include "journal/audit.h"

namespace miaopi::journal {

namespace {

bool IsIdNumber(std::string_view s) {
  auto digits = [](std::string_view d) {
    return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (s.size() == 15) return digits(s);
  return s.size() == 18 && digits(s.substr(0, 17)) && ((s[17] >= '0' && s[17] <= '9') || s[17] == 'X' || s[17] == 'x');
}

size_t Utf8Length(unsigned char lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

// Private paths per pack hash and item, from the archived packs.
class PrivatePaths {
 public:
  explicit PrivatePaths(std::string dir) : dir_(std::move(dir)) {}
  // The item's private paths in `pack`; null when the pack cannot be
  // loaded or has no such item (then nothing is known to be safe to show).
  const std::vector<std::vector<std::string>>* Of(const std::string& pack, const std::string& item) {
    auto it = packs_.find(pack);
    if (it == packs_.end()) {
      std::map<std::string, std::vector<std::vector<std::string>>> items;
      std::string folder = (std::filesystem::path(dir_) / "packs" / pack.substr(pack.find(':') + 1)).string();
      LoadResult loaded = LoadPack(folder);
      if (loaded.ok()) {
        for (const ItemVersionInfo& v : loaded.pack->item_versions()) {
          std::set<std::vector<std::string>> seen(items[v.item].begin(), items[v.item].end());
          for (const std::string& path : v.private_paths) {
            std::vector<std::string> segments;
            size_t start = 0;
            for (size_t dot; (dot = path.find('.', start)) != std::string::npos; start = dot + 1) {
              segments.push_back(path.substr(start, dot - start));
            }
            segments.push_back(path.substr(start));
            if (seen.insert(segments).second) items[v.item].push_back(segments);
          }
        }
      }
      it = packs_.emplace(pack, std::move(items)).first;
    }
    auto found = it->second.find(item);
    return found == it->second.end() ? nullptr : &found->second;
  }

 private:
  std::string dir_;
  std::map<std::string, std::map<std::string, std::vector<std::vector<std::string>>>> packs_;
};

// Nesting depth of a JSON value, without recursion (inputs are untrusted).
size_t Depth(const rapidjson::Value& root) {
  size_t deepest = 0;
  std::vector<std::pair<const rapidjson::Value*, size_t>> stack{{&root, 1}};
  while (!stack.empty()) {
    auto [v, depth] = stack.back();
    stack.pop_back();
    deepest = std::max(deepest, depth);
    if (v->IsArray()) {
      for (const rapidjson::Value& e : v->GetArray()) stack.emplace_back(&e, depth + 1);
    } else if (v->IsObject()) {
      for (const auto& m : v->GetObject()) stack.emplace_back(&m.value, depth + 1);
    }
  }
  return deepest;
}

constexpr size_t kMaxDepth = 64;  // the engine's own limit (Limits::max_json_depth)

struct Masker {
  rapidjson::Document::AllocatorType& alloc;
  std::vector<std::pair<std::string, std::string>> replaced;  // original → masked

  void Value(rapidjson::Value& v) {
    if (v.IsString()) {
      std::string original(v.GetString(), v.GetStringLength());
      std::string masked = MaskText(original);
      if (original != masked) replaced.emplace_back(original, masked);
      v.SetString(masked.data(), static_cast<rapidjson::SizeType>(masked.size()), alloc);
    } else if (v.IsArray()) {
      for (rapidjson::Value& e : v.GetArray()) Value(e);
    } else if (!v.IsNull() && !v.IsObject()) {
      v.SetNull();  // a number or a bool where personal data is declared
    } else if (v.IsObject()) {
      for (auto& m : v.GetObject()) Value(m.value);
    }
  }

  // Masks what `segments` names under `v`, through lists.
  void Path(rapidjson::Value& v, const std::vector<std::string>& segments, size_t at) {
    if (v.IsArray()) {
      for (rapidjson::Value& e : v.GetArray()) Path(e, segments, at);
      return;
    }
    if (at == segments.size()) return Value(v);
    if (!v.IsObject()) return;
    auto it = v.FindMember(segments[at].c_str());
    if (it != v.MemberEnd()) Path(it->value, segments, at + 1);
  }
};

std::string Serialize(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  v.Accept(w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// The JSON text of `s` inside a string literal, as the record writer escapes it.
std::string Escaped(const std::string& s) {
  std::string json = Serialize(rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size())));
  return json.substr(1, json.size() - 2);
}

void ReplaceAll(std::string* text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t at = 0; (at = text->find(from, at)) != std::string::npos; at += to.size())
    text->replace(at, from.size(), to);
}

}  // namespace

std::string MaskText(std::string_view text) {
  if (text.empty()) return {};
  if (IsIdNumber(text)) return std::string(text.substr(0, 6)) + std::string(text.size() - 7, '*') + text.back();
  size_t first = std::min(text.size(), Utf8Length(static_cast<unsigned char>(text[0])));
  std::string out(text.substr(0, first));
  for (size_t i = first; i < text.size(); i += Utf8Length(static_cast<unsigned char>(text[i]))) out += '*';
  return out;
}

ExportReport ExportJournal(const std::string& dir, const ExportOptions& options, std::ostream& out) {
  ExportReport report;
  std::unique_ptr<JournalReader> reader = JournalReader::Open(dir, &report.error);
  if (!reader) return report;
  PrivatePaths private_paths(dir);
  reader->ForEach(
      options.from, options.to,
      [&](const Entry& original, const std::string& leaf) {
        Entry e = original;
        std::vector<std::string> masked_paths;
        if (options.mask && e.kind == "decision") {
          rapidjson::Document input, record;
          Masker masker{input.GetAllocator(), {}};
          input.Parse<rapidjson::kParseIterativeFlag>(e.input.data(), e.input.size());
          record.Parse<rapidjson::kParseIterativeFlag>(e.record.data(), e.record.size());
          bool usable = !input.HasParseError() && input.IsObject() && Depth(input) <= kMaxDepth;
          rapidjson::Value* application = &input;
          if (usable && input.HasMember("application") && input["application"].IsObject()) {
            application = &input["application"];
          }
          // The item: the record's, else the one the application names (an
          // error record has none).
          std::string item;
          if (!record.HasParseError() && record.IsObject() && record.HasMember("item") && record["item"].IsString()) {
            item = record["item"].GetString();
          } else if (usable && application->HasMember("item") && (*application)["item"].IsString()) {
            item = (*application)["item"].GetString();
          }
          const std::vector<std::vector<std::string>>* paths = usable ? private_paths.Of(e.pack, item) : nullptr;
          if (paths == nullptr) {
            // Without the item's private fields nothing is known to be safe to show.
            e.input = usable ? "(left out: the item's private fields are not known)" : "(left out: not a JSON object)";
            ++report.left_out;
          } else {
            if (application != &input && input.HasMember("context")) {
              for (const char* field : {"id", "name"}) masker.Path(input["context"], {"subject", field}, 0);
            }
            for (const std::vector<std::string>& path : *paths) {
              masker.Path(*application, path, 0);
              std::string name;
              for (const std::string& segment : path) name += (name.empty() ? "" : ".") + segment;
              masked_paths.push_back(name);
            }
            e.input = Serialize(input);
          }
          rapidjson::Document context;
          context.Parse<rapidjson::kParseIterativeFlag>(e.context.data(), e.context.size());
          if (!e.context.empty()) {
            if (!context.HasParseError() && context.IsObject() && Depth(context) <= kMaxDepth) {
              Masker context_masker{context.GetAllocator(), {}};
              for (const char* field : {"id", "name"}) context_masker.Path(context, {"subject", field}, 0);
              e.context = Serialize(context);
              masker.replaced.insert(masker.replaced.end(), context_masker.replaced.begin(),
                                     context_masker.replaced.end());
            } else {
              e.context = "(not JSON: left out)";
            }
          }
          masked_paths.push_back("context.subject.id");
          masked_paths.push_back("context.subject.name");
          // Longest first, so a value that contains another is masked whole.
          std::sort(masker.replaced.begin(), masker.replaced.end(),
                    [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
          for (const auto& [from, to] : masker.replaced) ReplaceAll(&e.record, Escaped(from), Escaped(to));
          report.masked_values += masker.replaced.size();
          if (!e.licences.empty()) e.licences = "(left out)";
        }
        rapidjson::Document line;
        line.Parse(EntryToJson(e).c_str());
        auto& alloc = line.GetAllocator();
        line.AddMember("leaf_hash", rapidjson::Value(leaf.c_str(), alloc), alloc);
        if (options.mask) {
          rapidjson::Value paths(rapidjson::kArrayType);
          for (const std::string& p : masked_paths) paths.PushBack(rapidjson::Value(p.c_str(), alloc), alloc);
          rapidjson::Value mask(rapidjson::kObjectType);
          mask.AddMember("paths", paths, alloc);
          mask.AddMember("method",
                         "ID numbers keep their first six and last characters, other text its first character", alloc);
          line.AddMember("masked", mask, alloc);
        }
        out << Serialize(line) << '\n';
        ++report.entries;
        return static_cast<bool>(out);
      },
      &report.error);
  if (!out) report.error = "cannot write the export";
  return report;
}

}  // namespace miaopi::journal
