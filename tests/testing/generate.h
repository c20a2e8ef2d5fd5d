// Random, well-typed rule packs and random applications (with absent,
// null, wrongly typed and duplicated fields) over one fixed input schema,
// for the differential test and the fuzzers. Deterministic per seed.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace miaopi::testing {

struct GeneratedPack {
  std::map<std::string, std::string> files;  // relative path → text (rules and tables)
};

enum class RuleStyle {
  kAny,    // any expression the language has, nested deep (differential tests)
  kPlain,  // shaped like real approval rules: a field against a constant, a date
           // window, a quantifier over a list of records, membership, a fallback
           // with `or` — and `person.birth` declared fixed (remedies)
};

// A pack of `rules` random rules over the fixed schema.
GeneratedPack GeneratePack(uint64_t seed, int rules, RuleStyle style = RuleStyle::kAny);
// One application (JSON text) for that schema.
std::string GenerateApplication(uint64_t seed);
// A request context (JSON text; "" for none), fields sometimes missing.
std::string GenerateContext(uint64_t seed);
// Licence records (JSON) of the generated packs' `permit` type.
std::vector<std::string> GenerateLicences(uint64_t seed);
// Writes the files under `dir` (created fresh).
void WritePack(const GeneratedPack& pack, const std::string& dir);

}  // namespace miaopi::testing
