// Parsing JSON text a user gave — an application, a request context, a
// licence record, a test case, a REPL paste — the way every decision does:
// size and depth limits (iterative: no recursion on deep text), no NUL byte,
// valid UTF-8, exact numbers, and no member given twice. This file's
// external interface is ParseApplication.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

#include "engine/include/miaopi/miaopi.h"

namespace miaopi::engine {

// The text of a number under "id" (at the top, and in an envelope's
// application), kept so that a record echoes the id exactly as written.
struct RawIds {
  std::string root, envelope;
};

// Parses JSON text the way every decision does: size and depth limits, no
// NUL byte, UTF-8 validation, exact numbers, no duplicate member anywhere.
// False with `error` set (and `*error_offset` where the text broke, when
// known). Everything that reads JSON a user gave (applications, contexts,
// licence records, pack cases, REPL input) goes through it.
bool ParseApplication(std::string_view json, const Limits& limits, rapidjson::Document* doc, ErrorRecord* error,
                      RawIds* raw_ids = nullptr, size_t* error_offset = nullptr);
// The same without the duplicate member check (the decision flow makes it
// itself, to echo the id in the error record).
bool ParseJson(std::string_view json, const Limits& limits, rapidjson::Document* doc, ErrorRecord* error,
               RawIds* raw_ids = nullptr, size_t* error_offset = nullptr);

// A `duplicate_key` error naming the path of the first repeated member
// anywhere in the document; true when there is none.
template <typename Json>
bool RefuseDuplicateMembers(const Json& root, ErrorRecord* error);

}  // namespace miaopi::engine
