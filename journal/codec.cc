#include "journal/codec.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>

namespace miaopi::journal {

namespace {

const EVP_MD* Sha256Digest() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

EVP_MD_CTX* ThreadContext() {
  struct Context {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Context() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Context c;
  return c.ctx;
}

}  // namespace

Sha256Stream::Sha256Stream() { EVP_DigestInit_ex2(ThreadContext(), Sha256Digest(), nullptr); }

void Sha256Stream::Update(std::string_view bytes) { EVP_DigestUpdate(ThreadContext(), bytes.data(), bytes.size()); }

Hash Sha256Stream::Final() {
  Hash h;
  EVP_DigestFinal_ex(ThreadContext(), h.data(), nullptr);
  return h;
}

Hash Sha256(std::string_view bytes) {
  Sha256Stream s;
  s.Update(bytes);
  return s.Final();
}

std::string_view AsBytes(const Hash& h) { return {reinterpret_cast<const char*>(h.data()), h.size()}; }

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string Hex(const Hash& h) { return Hex(AsBytes(h)); }

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexDigit(hex[i]), lo = HexDigit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::optional<Hash> HashFromHex(std::string_view hex) {
  std::optional<std::string> bytes = FromHex(hex);
  if (!bytes || bytes->size() != 32) return std::nullopt;
  Hash h;
  std::memcpy(h.data(), bytes->data(), 32);
  return h;
}

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> FromBase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
              (c == '=' && i + 2 >= text.size());
    if (!ok) return std::nullopt;
  }
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') {
    if (text.back() != '=') return std::nullopt;
    ++padding;
  }
  std::string out(3 * (text.size() / 4), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<size_t>(n) - padding);
  // Canonical: re-encoding gives the same text (no stray bits after the data).
  if (Base64(out) != text) return std::nullopt;
  return out;
}

std::optional<Hash> HashFromBase64(std::string_view text) {
  std::optional<std::string> bytes = FromBase64(text);
  if (!bytes || bytes->size() != 32) return std::nullopt;
  Hash h;
  std::memcpy(h.data(), bytes->data(), 32);
  return h;
}

}  // namespace miaopi::journal
