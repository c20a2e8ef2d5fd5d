// Check algorithms for Chinese identifiers (see ../shared/domain/checksums.md):
// GB 11643-1999 resident ID numbers and GB 32100-2015 unified social credit codes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace miaopi::engine {

// 17 digits and a check character 0-9 or X (x accepted), a real embedded
// birth date, and the ISO 7064 MOD 11-2 check.
bool IdNumberValid(std::string_view s);
// The birth date inside an 18-character ID number (structure and date only,
// not the check character); nullopt when there is none.
std::optional<int32_t> IdNumberBirth(std::string_view s);
// 18 characters of 0-9A-HJ-NPQRTUWXY, positions 3-8 digits, and the mod-31 check.
bool UsccValid(std::string_view s);

}  // namespace miaopi::engine
