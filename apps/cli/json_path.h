// Field paths into an application ("business.scope[0].code") for the REPL's
// :set and :unset: parsing a path, finding the type it names in an item's
// input, and editing a JSON document at it. This file's external interface
// is ParsePath, TypeAtPath, SetAtPath and RemoveAtPath.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "dsl/types.h"

namespace miaopi::cli {

struct PathStep {
  std::string name;  // empty for an index
  rapidjson::SizeType index = 0;
};

// "a.b[0].c" as steps; false when it does not read as a path.
bool ParsePath(std::string_view text, std::vector<PathStep>* steps);

// The declared type at `steps` below `input`, or null with `error` saying
// where the path leaves the declared fields (with a did-you-mean).
const dsl::Type* TypeAtPath(const dsl::Type* input, const std::vector<PathStep>& steps, const std::string& root_name,
                            std::string* error);

// Puts `value` at `steps` in `doc`, creating objects on the way; a list may
// grow by one element. False with `error` when the path cannot be made; the
// document is then as it was. `*written` points at the stored value.
bool SetAtPath(rapidjson::Document& doc, const std::vector<PathStep>& steps, const rapidjson::Value& value,
               const rapidjson::Value** written, std::string* error);

// Removes the member or element at `steps`; false when there is none.
bool RemoveAtPath(rapidjson::Value& root, const std::vector<PathStep>& steps);

// Depth of a JSON value (a scalar is 0), without recursion.
size_t JsonDepth(const rapidjson::Value& root);

// Whether JSON `v` reads as a value of type `t` (null always does: it is
// missing), and what kind of JSON it is ("a string", "a list", …).
bool Fits(const rapidjson::Value& v, const dsl::Type* t);
std::string JsonKind(const rapidjson::Value& v);

// Fields of `v` the type does not declare, as paths ("id" and "item" at
// the top are the envelope's own).
void UnknownFields(const rapidjson::Value& v, const dsl::Type* t, const std::string& path,
                   std::vector<std::string>* out);

}  // namespace miaopi::cli
