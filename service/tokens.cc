#include "service/tokens.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <fstream>
#include <sstream>

namespace miaopi::service {

namespace {

std::array<unsigned char, 32> Sha256(std::string_view text) {
  std::array<unsigned char, 32> out{};
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), out.data(), &size, EVP_sha256(), nullptr);
  return out;
}

bool ParseHex(std::string_view hex, std::array<unsigned char, 32>* out) {
  if (hex.size() != 64) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < 32; ++i) {
    int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    (*out)[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return true;
}

}  // namespace

std::string Sha256Hex(std::string_view text) {
  static const char* kDigits = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : Sha256(text)) {
    hex += kDigits[b >> 4];
    hex += kDigits[b & 15];
  }
  return hex;
}

std::optional<Caller> Tokens::Check(std::string_view authorization) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() || authorization.substr(0, kBearer.size()) != kBearer) return {};
  std::array<unsigned char, 32> given = Sha256(authorization.substr(kBearer.size()));
  // Every entry is compared, whatever matched, so the time says nothing.
  const Caller* found = nullptr;
  for (const Entry& e : entries_) {
    if (CRYPTO_memcmp(e.hash.data(), given.data(), given.size()) == 0) found = &e.caller;
  }
  if (found == nullptr) return {};
  return *found;
}

std::optional<Tokens> LoadTokens(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read " + path;
    return {};
  }
  std::vector<Tokens::Entry> entries;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string digest, name, role, extra;
    if (!(words >> digest)) continue;  // blank or comment
    auto where = [&] { return path + ":" + std::to_string(number) + ": "; };
    if (!(words >> name >> role) || (words >> extra)) {
      *error = where() + "expected `SHA256_OF_TOKEN NAME ROLE`";
      return {};
    }
    Tokens::Entry entry;
    if (!ParseHex(digest, &entry.hash)) {
      *error = where() + "the first word is not a SHA-256 in hex (64 digits)";
      return {};
    }
    if (role != "decide" && role != "admin") {
      *error = where() + "role '" + role + "' is neither decide nor admin";
      return {};
    }
    entry.caller = {name, role == "admin" ? Role::kAdmin : Role::kDecide};
    entries.push_back(std::move(entry));
  }
  if (entries.empty()) {
    *error = path + ": no tokens";
    return {};
  }
  return Tokens(std::move(entries));
}

}  // namespace miaopi::service
