// What a rule or item declares it leads to, in the language's own terms;
// small so the run time can name them without the AST.
#pragma once

#include <cstdint>

namespace miaopi::dsl {

enum class Outcome : uint8_t {
  kApprove,  // `approve`
  kReview,   // `review`: a person decides
  kReject,   // `reject`
};
enum class Mode : uint8_t {
  kOnline,         // `online`: decided and handled online
  kOriginalCheck,  // `original_check`: approved, originals shown at a window
  kInPerson,       // `in_person`: handled at a window
};

const char* OutcomeText(Outcome o);  // defined in ast.cc
const char* ModeText(Mode m);

}  // namespace miaopi::dsl
