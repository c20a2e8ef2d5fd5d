// Ingest: the application's JSON → record slots, following the graph's plan
// (only the fields the rules read). Absent or null fields, and values not of
// their declared type, become unknown values whose cause names the path
// ("staff[1].health_cert_expires"). This file's external interface is Ingest.
#pragma once

#include <rapidjson/document.h>
#include <simdjson.h>

#include <string>

#include "engine/graph/graph.h"
#include "engine/runtime/eval_state.h"
#include "engine/runtime/json_view.h"

namespace miaopi::engine {

struct IngestError {
  std::string code;  // "list_too_long"
  std::string message;
};

// Reads `root` (a JSON object, through either view) into `state`; returns
// the root record's slots, or nullptr with `error` set when a limit is
// exceeded. With `scan` (simdjson's view only) it also checks the objects it
// reads for repeated members and keeps the containers it does not read.
template <JsonView Json>
const Value* Ingest(const Graph& g, const Json& root, size_t max_list_length, EvalState& state, IngestError* error,
                    MemberScan<Json>* scan = nullptr);

// Reads `object` with plan record `plan` (the request context, a licence).
template <JsonView Json>
const Value* IngestRecord(const Graph& g, const Json& object, int32_t plan, size_t max_list_length, EvalState& state,
                          IngestError* error, MemberScan<Json>* scan = nullptr);

// For callers holding the libraries' own types.
inline const Value* Ingest(const Graph& g, const rapidjson::Value& root, size_t max_list_length, EvalState& state,
                           IngestError* error) {
  return Ingest(g, RapidJsonView{&root}, max_list_length, state, error);
}
inline const Value* Ingest(const Graph& g, simdjson::dom::element root, size_t max_list_length, EvalState& state,
                           IngestError* error) {
  return Ingest(g, SimdjsonView{root}, max_list_length, state, error);
}
inline const Value* IngestRecord(const Graph& g, const rapidjson::Value& object, int32_t plan, size_t max_list_length,
                                 EvalState& state, IngestError* error) {
  return IngestRecord(g, RapidJsonView{&object}, plan, max_list_length, state, error);
}

}  // namespace miaopi::engine
