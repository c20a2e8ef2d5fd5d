// Signed notes against Go's golang.org/x/mod/sumdb/note vectors and the
// C2SP signed-note example, keys made here, and checkpoints.
#include "journal/note.h"

#include <gtest/gtest.h>

namespace miaopi::journal {
namespace {

const std::string kText =
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const std::string kPeterSig =
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const std::string kEnochSig =
    "\xE2\x80\x94 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

TEST(Note, SignsExactlyAsGoDoes) {
  std::string error;
  auto signer =
      ParseSignerKey("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", &error);
  ASSERT_TRUE(signer) << error;
  EXPECT_EQ(VerifierKeyText(VerifierOf(*signer)), "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
  EXPECT_EQ(SignNote(kText, *signer), kText + "\n" + kPeterSig);
}

TEST(Note, OpensGoAndC2spNotes) {
  std::string error;
  auto peter = ParseVerifierKey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", &error);
  auto enoch = ParseVerifierKey("EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop", &error);
  ASSERT_TRUE(peter && enoch) << error;
  OpenedNote both = OpenNote(kText + "\n" + kPeterSig + kEnochSig, &*enoch);
  EXPECT_TRUE(both.signed_by) << both.error;
  EXPECT_EQ(both.signatures, 2);
  EXPECT_EQ(both.text, kText);
  OpenedNote by_peter = OpenNote(kText + "\n" + kPeterSig + kEnochSig, &*peter);
  EXPECT_TRUE(by_peter.signed_by);
  // The text changed by one byte: the signature does not verify.
  std::string changed = kText;
  changed[3] = 'X';
  OpenedNote bad = OpenNote(changed + "\n" + kPeterSig, &*peter);
  EXPECT_FALSE(bad.signed_by);
  EXPECT_FALSE(bad.error.empty());
  auto foo = ParseVerifierKey("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", &error);
  ASSERT_TRUE(foo) << error;
  OpenedNote c2sp = OpenNote(
      "This is an example message.\n\n\xE2\x80\x94 example.com/foo "
      "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n",
      &*foo);
  EXPECT_TRUE(c2sp.signed_by) << c2sp.error;
}

TEST(Note, RefusesMalformedKeysAndNotes) {
  std::string error;
  EXPECT_FALSE(ParseVerifierKey("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==", &error));
  EXPECT_FALSE(ParseVerifierKey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", &error));
  EXPECT_FALSE(ParseVerifierKey("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", &error));
  EXPECT_FALSE(ParseSignerKey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", &error));
  auto peter = ParseVerifierKey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", &error);
  EXPECT_FALSE(OpenNote(kText + "\n" + kPeterSig.substr(0, kPeterSig.size() - 1), &*peter).error.empty());
  EXPECT_FALSE(OpenNote(kText + "\n\xE2\x80\x94 Bad Name x08go/ZJk=\n", &*peter).error.empty());
  EXPECT_FALSE(OpenNote(kText + "\n" + kPeterSig + "Unexpected line.\n", &*peter).error.empty());
}

TEST(Note, GeneratedKeysSignCheckpoints) {
  std::string signer_text, verifier_text, error;
  ASSERT_TRUE(GenerateKey("example.org/journal", &signer_text, &verifier_text, &error)) << error;
  auto signer = ParseSignerKey(signer_text, &error);
  auto verifier = ParseVerifierKey(verifier_text, &error);
  ASSERT_TRUE(signer && verifier) << error;
  Checkpoint cp{"example.org/journal", 20852163, Sha256("root")};
  std::string note = SignNote(CheckpointText(cp), *signer);
  OpenedNote opened = OpenNote(note, &*verifier);
  ASSERT_TRUE(opened.signed_by) << opened.error;
  auto parsed = ParseCheckpoint(opened.text, &error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_EQ(parsed->origin, cp.origin);
  EXPECT_EQ(parsed->size, cp.size);
  EXPECT_EQ(parsed->root, cp.root);
  EXPECT_FALSE(GenerateKey("has space", &signer_text, &verifier_text, &error));
  EXPECT_FALSE(ParseCheckpoint("origin\n012\nAAAA\n", &error));
  EXPECT_FALSE(ParseCheckpoint("origin\n12\nAAAA\n", &error));
  EXPECT_FALSE(ParseCheckpoint("origin\n12\n", &error));
}

}  // namespace
}  // namespace miaopi::journal
