// Fuzz target: any bytes as what an auditor is handed — a proof, a signed
// note, a checkpoint, a key, an entry — must give an answer, never a crash;
// and no mutation of a proof signed by the seed key may check out unless it
// still proves the seed's own entry (signatures and hashes are not forged by
// flipping bytes). Seeds: tests/fuzz/corpus/journal (a real journal's
// proofs, signed with the key of Go's note tests).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "journal/audit.h"
#include "journal/codec.h"
#include "journal/entry.h"
#include "journal/merkle.h"
#include "journal/note.h"

namespace {

const miaopi::journal::VerifierKey& SeedKey() {
  static miaopi::journal::VerifierKey key = [] {
    std::string error;
    auto k =
        miaopi::journal::ParseVerifierKey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", &error);
    if (!k) std::abort();
    return *k;
  }();
  return key;
}

void Fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "journal fuzz: %s\ninput (%zu bytes): %.*s\n", what, input.size(),
               static_cast<int>(std::min<size_t>(input.size(), 2000)), input.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace miaopi::journal;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;

  ProofCheck check = CheckProof(text, SeedKey());
  if (check.ok) {
    // It checked out: then it proves entry 3 of the seed journal (tree size
    // 5) or the seed consistency 2 → 5, with only bytes that do not matter
    // changed (JSON spacing, member order).
    bool seed_inclusion = check.message == "entry 3 is in PeterNeumann at tree size 5, signed by PeterNeumann";
    bool seed_consistency =
        check.message == "the log PeterNeumann only grew from 2 to 5 entries, signed by PeterNeumann";
    if (!seed_inclusion && !seed_consistency) Fail("a mutated proof checked out for something else", text);
  }

  OpenedNote note = OpenNote(text, &SeedKey());
  if (note.signed_by) {
    std::optional<Checkpoint> cp = ParseCheckpoint(note.text, &error);
    if (!cp || cp->origin != "PeterNeumann" || (cp->size != 5 && cp->size != 2)) {
      Fail("a mutated note verified with other text", text);
    }
  }
  (void)ParseCheckpoint(text, &error);
  (void)ParseVerifierKey(text, &error);
  (void)ParseSignerKey(text, &error);
  (void)EntryFromJson(text, &error);
  if (std::optional<std::string> bytes = FromBase64(text)) {
    if (Base64(*bytes) != text) Fail("base64 that does not round-trip was accepted", text);
  }
  if (std::optional<std::string> bytes = FromHex(text)) {
    if (bytes->size() * 2 != text.size()) Fail("hex of the wrong length was accepted", text);
  }
  return 0;
}
