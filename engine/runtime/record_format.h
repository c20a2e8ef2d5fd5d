// The decision record's JSON (LANGUAGE.md "Decision records"), piece by
// piece in its one order, for both writers: ToJson(Record) (engine/api) and
// the batch fast path, which precomputes the constant pieces per item
// (engine/compile/record_parts.cc) and writes the rest from the evaluation
// (record_writer.cc). So the two write the same bytes by construction; a
// differential test holds them to it still. Strings are escaped as
// RapidJSON's writer escapes them; UTF-8 is written as is.
//
//   {"id":…,"item":…,"decision":…,"date":…,"reasons":[{"rule":…,"outcome":…,
//    "status":…,"message":…,"basis":…,"missing":[…],"notes":[…]},…],
//    "obligation":{…},"outputs":{…},"item_version":{…},"trace":[…],
//    "remedies":[…],"notice":…,"pack":{…}}
//   {"id":…,"line":…,"error":{"code":…,"message":…}}
#pragma once

#include <rapidjson/stringbuffer.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/include/miaopi/miaopi.h"

namespace miaopi::engine::record {

// `s` as a JSON string, escaped through `scratch` (reused: no allocation).
void Quoted(std::string_view s, rapidjson::StringBuffer& scratch, std::string* out);
std::string Quoted(std::string_view s);

// {  then "id":ID, when there is an id (`id_json` is JSON already).
void Open(std::string_view id_json, std::string* out);
// "item":"CODE","decision":"   (the decision's word follows)
std::string ItemKey(std::string_view item);
// WORD","date":"DATE","reasons":[
void DecisionAndDate(std::string_view decision, std::string_view date, std::string* out);
// {"rule":…,"outcome":…,"status":…,"message":…[,"basis":…]   (not closed)
std::string ReasonOpen(std::string_view rule, Outcome outcome, RuleStatus status, std::string_view message,
                       std::string_view basis);
// ,"KEY":[…] of the first `count` strings (nothing when there are none).
void List(std::string_view key, const std::vector<std::string>& items, size_t count, rapidjson::StringBuffer& scratch,
          std::string* out);
// ,"obligation":{"code":"original_check","message":…}
std::string Obligation();
// ,"outputs":{  then per output "NAME": and its JSON, then }
inline constexpr std::string_view kOutputsOpen = ",\"outputs\":{";
std::string OutputKey(std::string_view name);
// ,"item_version":{"title":…,"effective":…,"mode":…}
std::string ItemVersion(std::string_view title, std::string_view effective, std::string_view mode);
// ,"trace":[{"rule":…,"status":…,"outcome":…,"facts":[…]},…]
void Trace(const std::vector<TraceRule>& trace, std::string* out);
// ,"remedies":[{"rule":…,"fixable":…,"changes":[{…}],"why":…},…]  (nothing when there are none)
void Remedies(const std::vector<Remedy>& remedies, std::string* out);
// ,"notice":"…"  (nothing when empty)
void NoticeMember(std::string_view notice, std::string* out);
// ,"pack":{"name":…,"version":…,"hash":…}}   (closes the record)
std::string PackAndClose(const PackIdentity& pack);
// The whole error record.
void Error(const ErrorRecord& e, std::string* out);

}  // namespace miaopi::engine::record
