// Who may call the service: a tokens file of lines `SHA256_OF_TOKEN NAME
// ROLE` (role `decide` or `admin`; `#` starts a comment). Only the hashes are
// stored; a caller's `Authorization: Bearer TOKEN` is hashed and compared
// with every entry in constant time. This file's external interface is
// LoadTokens and Tokens::Check.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace miaopi::service {

enum class Role {
  kDecide,  // /v1/decide, /v1/batch, /v1/pack
  kAdmin,   // everything, /v1/admin/* too
};

struct Caller {
  std::string name;
  Role role = Role::kDecide;
};

class Tokens {
 public:
  struct Entry {
    std::array<unsigned char, 32> hash;
    Caller caller;
  };
  explicit Tokens(std::vector<Entry> entries) : entries_(std::move(entries)) {}

  // The caller an `Authorization` header names, or nothing (missing, not
  // Bearer, or no such token).
  std::optional<Caller> Check(std::string_view authorization) const;
  size_t size() const { return entries_.size(); }

 private:
  std::vector<Entry> entries_;
};

// Reads a tokens file; nothing with `error` saying which line is wrong.
std::optional<Tokens> LoadTokens(const std::string& path, std::string* error);

// SHA-256 of `text` as 64 lowercase hex digits (what a tokens file holds).
std::string Sha256Hex(std::string_view text);

}  // namespace miaopi::service
