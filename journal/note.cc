#include "journal/note.h"

#include <openssl/evp.h>

#include <charconv>
#include <cstring>
#include <memory>
#include <vector>

namespace miaopi::journal {

namespace {

constexpr char kAlgEd25519 = 0x01;
constexpr std::string_view kSignerPrefix = "PRIVATE+KEY+";
constexpr std::string_view kDash = "\xE2\x80\x94 ";  // U+2014 EM DASH, a space

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

bool ValidName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (c <= ' ' || c == '+' || c == 0x7f) return false;
  }
  // Go's note also refuses any Unicode space; names here are ASCII-only.
  for (unsigned char c : name) {
    if (c >= 0x80) return false;
  }
  return true;
}

uint32_t KeyHash(std::string_view name, std::string_view public_key) {
  std::string input(name);
  input += '\n';
  input += kAlgEd25519;
  input += public_key;
  Hash h = Sha256(input);
  return (uint32_t{h[0]} << 24) | (uint32_t{h[1]} << 16) | (uint32_t{h[2]} << 8) | uint32_t{h[3]};
}

std::string Hex8(uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

std::optional<uint32_t> ParseHex8(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  std::optional<std::string> bytes = FromHex(s);
  if (!bytes) return std::nullopt;
  uint32_t v = 0;
  for (unsigned char c : *bytes) v = (v << 8) | c;
  return v;
}

// NAME+HASH+BASE64, split at the first two '+' (base64 may hold more).
std::vector<std::string_view> SplitKey(std::string_view s) {
  size_t first = s.find('+');
  size_t second = first == std::string_view::npos ? first : s.find('+', first + 1);
  if (second == std::string_view::npos) return {s};
  return {s.substr(0, first), s.substr(first + 1, second - first - 1), s.substr(second + 1)};
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n')) s.remove_prefix(1);
  return s;
}

// name, hash and the key bytes after the algorithm byte.
bool ParseKeyParts(std::string_view text, std::string* name, uint32_t* hash, std::string* key, std::string* error) {
  std::vector<std::string_view> parts = SplitKey(text);
  if (parts.size() != 3) {
    *error = "a key is NAME+HASH+BASE64";
    return false;
  }
  if (!ValidName(parts[0])) {
    *error = "the key's name is empty or holds a space, '+' or a non-ASCII character";
    return false;
  }
  std::optional<uint32_t> h = ParseHex8(parts[1]);
  std::optional<std::string> bytes = FromBase64(parts[2]);
  if (!h || !bytes) {
    *error = "the key's hash or base64 part is malformed";
    return false;
  }
  if (bytes->size() != 33 || (*bytes)[0] != kAlgEd25519) {
    *error = "not an Ed25519 key (algorithm 1, 32 bytes)";
    return false;
  }
  *name = std::string(parts[0]);
  *hash = *h;
  *key = bytes->substr(1);
  return true;
}

Pkey PublicKey(std::string_view raw) {
  return Pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw.data()),
                                          raw.size()));
}

}  // namespace

bool GenerateKey(std::string_view name, std::string* signer_text, std::string* verifier_text, std::string* error) {
  if (!ValidName(name)) {
    *error = "a key name must be non-empty ASCII without spaces or '+'";
    return false;
  }
  EVP_PKEY* raw = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  bool ok = ctx != nullptr && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &raw) == 1;
  EVP_PKEY_CTX_free(ctx);
  Pkey key(raw);
  unsigned char seed[32], pub[32];
  size_t seed_len = sizeof seed, pub_len = sizeof pub;
  if (!ok || EVP_PKEY_get_raw_private_key(key.get(), seed, &seed_len) != 1 ||
      EVP_PKEY_get_raw_public_key(key.get(), pub, &pub_len) != 1) {
    *error = "OpenSSL could not generate an Ed25519 key";
    return false;
  }
  std::string seed_bytes(reinterpret_cast<char*>(seed), seed_len), pub_bytes(reinterpret_cast<char*>(pub), pub_len);
  uint32_t hash = KeyHash(name, pub_bytes);
  *signer_text = std::string(kSignerPrefix) + std::string(name) + "+" + Hex8(hash) + "+" +
                 Base64(std::string(1, kAlgEd25519) + seed_bytes);
  *verifier_text = std::string(name) + "+" + Hex8(hash) + "+" + Base64(std::string(1, kAlgEd25519) + pub_bytes);
  return true;
}

std::optional<SignerKey> ParseSignerKey(std::string_view text, std::string* error) {
  text = Trim(text);
  if (!text.starts_with(kSignerPrefix)) {
    *error = "not a signer key (PRIVATE+KEY+NAME+HASH+BASE64)";
    return std::nullopt;
  }
  SignerKey key;
  if (!ParseKeyParts(text.substr(kSignerPrefix.size()), &key.name, &key.hash, &key.seed, error)) return std::nullopt;
  Pkey pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                         reinterpret_cast<const unsigned char*>(key.seed.data()), key.seed.size()));
  unsigned char pub[32];
  size_t pub_len = sizeof pub;
  if (!pkey || EVP_PKEY_get_raw_public_key(pkey.get(), pub, &pub_len) != 1) {
    *error = "the signer key's seed is not a usable Ed25519 key";
    return std::nullopt;
  }
  key.public_key.assign(reinterpret_cast<char*>(pub), pub_len);
  if (KeyHash(key.name, key.public_key) != key.hash) {
    *error = "the signer key's hash does not match its name and key";
    return std::nullopt;
  }
  return key;
}

std::optional<VerifierKey> ParseVerifierKey(std::string_view text, std::string* error) {
  text = Trim(text);
  VerifierKey key;
  if (!ParseKeyParts(text, &key.name, &key.hash, &key.public_key, error)) return std::nullopt;
  if (KeyHash(key.name, key.public_key) != key.hash) {
    *error = "the verifier key's hash does not match its name and key";
    return std::nullopt;
  }
  if (!PublicKey(key.public_key)) {
    *error = "not a usable Ed25519 public key";
    return std::nullopt;
  }
  return key;
}

std::string VerifierKeyText(const VerifierKey& key) {
  return key.name + "+" + Hex8(key.hash) + "+" + Base64(std::string(1, kAlgEd25519) + key.public_key);
}

VerifierKey VerifierOf(const SignerKey& key) { return {key.name, key.hash, key.public_key}; }

std::string SignNote(std::string_view text, const SignerKey& key) {
  Pkey pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                         reinterpret_cast<const unsigned char*>(key.seed.data()), key.seed.size()));
  MdCtx ctx(EVP_MD_CTX_new());
  unsigned char sig[64];
  size_t sig_len = sizeof sig;
  if (!pkey || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig, &sig_len, reinterpret_cast<const unsigned char*>(text.data()), text.size()) != 1) {
    return {};
  }
  std::string blob;
  for (int shift = 24; shift >= 0; shift -= 8) blob += static_cast<char>((key.hash >> shift) & 0xff);
  blob.append(reinterpret_cast<char*>(sig), sig_len);
  std::string note(text);
  note += "\n";
  note += kDash;
  note += key.name + " " + Base64(blob) + "\n";
  return note;
}

OpenedNote OpenNote(std::string_view note, const VerifierKey* key) {
  OpenedNote out;
  if (note.empty() || note.back() != '\n') {
    out.error = "a note ends with a newline";
    return out;
  }
  size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    out.text = std::string(note);  // unsigned
    return out;
  }
  out.text = std::string(note.substr(0, split + 1));
  std::string_view sigs = note.substr(split + 2);
  while (!sigs.empty()) {
    size_t nl = sigs.find('\n');
    std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    if (!line.starts_with(kDash)) {
      out.error = "a signature line starts with '— '";
      return out;
    }
    line.remove_prefix(kDash.size());
    size_t space = line.find(' ');
    if (space == std::string_view::npos) {
      out.error = "a signature line is '— NAME BASE64'";
      return out;
    }
    std::string_view name = line.substr(0, space);
    std::optional<std::string> blob = FromBase64(line.substr(space + 1));
    if (!ValidName(name) || !blob || blob->size() < 5) {
      out.error = "a signature line is malformed";
      return out;
    }
    ++out.signatures;
    uint32_t hash = 0;
    for (int i = 0; i < 4; ++i) hash = (hash << 8) | static_cast<unsigned char>((*blob)[i]);
    if (key == nullptr || name != key->name || hash != key->hash) continue;
    Pkey pkey = PublicKey(key->public_key);
    MdCtx ctx(EVP_MD_CTX_new());
    std::string_view sig = std::string_view(*blob).substr(4);
    bool ok = pkey && ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
              EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                               reinterpret_cast<const unsigned char*>(out.text.data()), out.text.size()) == 1;
    if (!ok) {
      out.error = "the signature by " + key->name + " does not verify";
      return out;
    }
    out.signed_by = true;
  }
  return out;
}

std::string CheckpointText(const Checkpoint& c) {
  return c.origin + "\n" + std::to_string(c.size) + "\n" + Base64(AsBytes(c.root)) + "\n";
}

std::optional<Checkpoint> ParseCheckpoint(std::string_view text, std::string* error) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) {
      *error = "a checkpoint's lines end in newlines";
      return std::nullopt;
    }
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  if (lines.size() < 3 || lines[0].empty()) {
    *error = "a checkpoint is an origin, a tree size and a root hash, one a line";
    return std::nullopt;
  }
  Checkpoint c;
  c.origin = std::string(lines[0]);
  std::string_view size = lines[1];
  auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), c.size);
  if (ec != std::errc() || end != size.data() + size.size() || size.empty() || (size.size() > 1 && size[0] == '0')) {
    *error = "the checkpoint's tree size is not a decimal number";
    return std::nullopt;
  }
  std::optional<Hash> root = HashFromBase64(lines[2]);
  if (!root) {
    *error = "the checkpoint's root hash is not 32 bytes of base64";
    return std::nullopt;
  }
  c.root = *root;
  return c;
}

}  // namespace miaopi::journal
