// Signed notes and checkpoints, interoperable with Go's
// golang.org/x/mod/sumdb/note and C2SP tlog-checkpoint:
//   signer key   PRIVATE+KEY+<name>+<hash>+<base64(0x01 ‖ Ed25519 seed)>
//   verifier key <name>+<hash>+<base64(0x01 ‖ Ed25519 public key)>
//   key hash     first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key), 8 hex digits
//   note         text (ending in "\n"), a blank line, then one line per
//                signature: "— <name> <base64(key hash ‖ signature)>"
//   checkpoint   text "<origin>\n<tree size>\n<base64 root hash>\n"
// This file's external interface is GenerateKey, ParseSignerKey,
// ParseVerifierKey, SignNote, OpenNote, CheckpointText and ParseCheckpoint.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "journal/codec.h"

namespace miaopi::journal {

struct SignerKey {
  std::string name;
  uint32_t hash = 0;
  std::string seed;        // 32 bytes
  std::string public_key;  // 32 bytes
};

struct VerifierKey {
  std::string name;
  uint32_t hash = 0;
  std::string public_key;  // 32 bytes
};

// A new Ed25519 key named `name` (no spaces, no '+'): the two key texts.
bool GenerateKey(std::string_view name, std::string* signer_text, std::string* verifier_text, std::string* error);
std::optional<SignerKey> ParseSignerKey(std::string_view text, std::string* error);
std::optional<VerifierKey> ParseVerifierKey(std::string_view text, std::string* error);
std::string VerifierKeyText(const VerifierKey& key);
VerifierKey VerifierOf(const SignerKey& key);

// `text` must end in a newline and hold no blank line at its end.
std::string SignNote(std::string_view text, const SignerKey& key);

struct OpenedNote {
  std::string text;        // the signed text
  bool signed_by = false;  // a signature by the key given verified
  int signatures = 0;      // signature lines present
  std::string error;       // malformed, or a signature by the key that does not verify
};
// Splits a note into its text and signatures and checks the one by `key`
// (when given). A note with no signature block is its text, unsigned.
OpenedNote OpenNote(std::string_view note, const VerifierKey* key);

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
};
std::string CheckpointText(const Checkpoint& checkpoint);
std::optional<Checkpoint> ParseCheckpoint(std::string_view text, std::string* error);

}  // namespace miaopi::journal
