// Bytes ↔ text for the journal: SHA-256, hex and base64 (OpenSSL's
// libcrypto underneath). This file's external interface is Sha256, Hex,
// FromHex, Base64 and FromBase64.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace miaopi::journal {

using Hash = std::array<uint8_t, 32>;

Hash Sha256(std::string_view bytes);

// SHA-256 over pieces, reusing one digest context per thread and the
// digest fetched once (OpenSSL 3 looks a digest up on every plain
// EVP_DigestInit, which costs more than hashing an entry).
class Sha256Stream {
 public:
  Sha256Stream();  // starts a new hash on this thread's context
  void Update(std::string_view bytes);
  Hash Final();
};
std::string_view AsBytes(const Hash& h);

std::string Hex(std::string_view bytes);
std::string Hex(const Hash& h);
// Lower- or upper-case hex of exactly the right length; nullopt otherwise.
std::optional<std::string> FromHex(std::string_view hex);
std::optional<Hash> HashFromHex(std::string_view hex);

// Standard base64 with padding (RFC 4648 §4), as signed notes use.
std::string Base64(std::string_view bytes);
// Strict: padding required, no whitespace, no trailing bits.
std::optional<std::string> FromBase64(std::string_view text);
std::optional<Hash> HashFromBase64(std::string_view text);

}  // namespace miaopi::journal
