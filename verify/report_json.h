// The JSON of `miaopi verify --json`, written once for the CLI and the
// studio. This file's external interface is WritePropertyResult and
// WriteWitness.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "verify/verify.h"

namespace miaopi::verify {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// {"item", "version", "property", "description", "result", "why"?,
//  "list_bound"?, "approximated"?, "counterexample"?: {witness members,
//  "record"?, "property_value"}, "encoding_bug"?, "seconds"}
void WritePropertyResult(JsonWriter& w, const PropertyResult& r);

// The witness's members, into the object being written: "application",
// "context", "date", "licences", "library_fails_for"?.
void WriteWitness(JsonWriter& w, const Witness& x);

}  // namespace miaopi::verify
