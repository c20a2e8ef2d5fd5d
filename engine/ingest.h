// Ingest: the application's JSON → record slots, following the graph's plan
// (only the fields the rules read). Absent or null fields, and values not of
// their declared type, become unknown values whose cause names the path
// ("staff[1].health_cert_expires"). This file's external interface is Ingest.
#pragma once

#include <rapidjson/document.h>
#include <simdjson.h>

#include <string>

#include "engine/eval_state.h"
#include "engine/graph.h"

namespace miaopi::engine {

struct IngestError {
  std::string code;     // "list_too_long"
  std::string message;
};

// Reads `root` (a JSON object) into `state`; returns the root record's slots,
// or nullptr with `error` set when a limit is exceeded.
const Value* Ingest(const Graph& g, const rapidjson::Value& root, size_t max_list_length, EvalState& state,
                    IngestError* error);

// The same from a simdjson DOM element: the fast path for text input.
const Value* Ingest(const Graph& g, simdjson::dom::element root, size_t max_list_length, EvalState& state,
                    IngestError* error);

// Reads `object` with plan record `plan` (the request context, a licence).
const Value* IngestRecord(const Graph& g, const rapidjson::Value& object, int32_t plan, size_t max_list_length,
                          EvalState& state, IngestError* error);
const Value* IngestRecord(const Graph& g, simdjson::dom::element object, int32_t plan, size_t max_list_length,
                          EvalState& state, IngestError* error);

}  // namespace miaopi::engine
