// Signed checkpoints of the access log: what an auditor with the first
// public key can tell from the file alone, and how the file and its
// evolving key survive restarts and crashes.
#include "server/domain/audit_checkpoints.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "server/service/audit_checkpointer.h"
#include "tests/test_util.h"

namespace lotsen::server {
namespace {

const std::string kHashA(64, 'a'), kHashB(64, 'b'), kHashC(64, 'c');

// A file of three checkpoints, signed in turn by keys 1, 2 and 3.
struct Chain {
  std::vector<CheckpointKey> keys;
  std::vector<Checkpoint> checkpoints;

  Chain() {
    for (int n = 1; n <= 4; ++n) keys.push_back(NewCheckpointKey(n));
    const std::string hashes[] = {kHashA, kHashB, kHashC};
    for (int i = 0; i < 3; ++i) {
      checkpoints.push_back(SignCheckpoint(keys[i], 10 * (i + 1), hashes[i],
                                           1'800'000'000'000'000 + i,
                                           keys[i + 1].public_hex));
    }
  }
  std::string Text() const {
    std::string text = FormatHeader(keys[0].public_hex) + "\n";
    for (const auto& c : checkpoints) text += FormatCheckpoint(c) + "\n";
    return text;
  }
};

TEST(AuditCheckpointsTest, TheFirstPublicKeyVerifiesEveryCheckpointInTurn) {
  Chain chain;
  const CheckpointFile file =
      ReadCheckpoints(chain.Text(), chain.keys[0].public_hex);
  EXPECT_EQ(file.problem, "");
  ASSERT_EQ(file.checkpoints.size(), 3u);
  EXPECT_EQ(file.checkpoints[2].seq, 30);
  EXPECT_EQ(file.checkpoints[2].hash, kHashC);
  EXPECT_EQ(file.checkpoints[1].time_us, 1'800'000'000'000'001);
}

TEST(AuditCheckpointsTest, AFileBegunWithAnotherKeyIsRefused) {
  Chain chain, other;
  const CheckpointFile file =
      ReadCheckpoints(chain.Text(), other.keys[0].public_hex);
  EXPECT_TRUE(file.checkpoints.empty());
  EXPECT_NE(file.problem.find("another key"), std::string::npos)
      << file.problem;
}

TEST(AuditCheckpointsTest, AnEditedCheckpointDoesNotVerify) {
  Chain chain;
  chain.checkpoints[1].seq = 12;  // someone moves what checkpoint 2 covers
  CheckpointFile file = ReadCheckpoints(chain.Text(), chain.keys[0].public_hex);
  EXPECT_EQ(file.checkpoints.size(), 1u);
  EXPECT_NE(file.problem.find("checkpoint 2: its signature does not hold"),
            std::string::npos)
      << file.problem;

  Chain again;
  again.checkpoints[0].hash = kHashB;
  file = ReadCheckpoints(again.Text(), again.keys[0].public_hex);
  EXPECT_TRUE(file.checkpoints.empty());
  EXPECT_NE(file.problem.find("first public key"), std::string::npos);
}

TEST(AuditCheckpointsTest, TheNewestKeyCannotRewriteAnOlderCheckpoint) {
  // Whoever takes the server holds key 4 only: a checkpoint 2 re-signed
  // with it (to cover a rewritten log) fails under key 2, which
  // checkpoint 1 named.
  Chain chain;
  CheckpointKey stolen = chain.keys[3];
  stolen.n = 2;
  chain.checkpoints[1] = SignCheckpoint(
      stolen, 20, kHashA, 1'800'000'000'000'001, chain.keys[2].public_hex);
  const CheckpointFile file =
      ReadCheckpoints(chain.Text(), chain.keys[0].public_hex);
  EXPECT_EQ(file.checkpoints.size(), 1u);
  EXPECT_NE(file.problem.find("checkpoint 2"), std::string::npos);
}

TEST(AuditCheckpointsTest, ADroppedCheckpointBreaksTheChainOfKeys) {
  Chain chain;
  chain.checkpoints.erase(chain.checkpoints.begin() + 1);
  CheckpointFile file = ReadCheckpoints(chain.Text(), chain.keys[0].public_hex);
  EXPECT_EQ(file.checkpoints.size(), 1u);
  EXPECT_NE(file.problem.find("checkpoint 2 is missing"), std::string::npos)
      << file.problem;
  // Renumbered to hide the gap, it fails its signature instead.
  chain.checkpoints[1].n = 2;
  file = ReadCheckpoints(chain.Text(), chain.keys[0].public_hex);
  EXPECT_NE(file.problem.find("signature does not hold"), std::string::npos);
}

TEST(AuditCheckpointsTest, ATornLineIsSkippedAndCounted) {
  Chain chain;
  std::string text = chain.Text();
  // A crash cut a line short; the next start ended it and went on.
  const std::string torn = FormatCheckpoint(chain.checkpoints[2]).substr(0, 50);
  text.insert(text.rfind(FormatCheckpoint(chain.checkpoints[2])), torn + "\n");
  const CheckpointFile file = ReadCheckpoints(text, chain.keys[0].public_hex);
  EXPECT_EQ(file.problem, "");
  EXPECT_EQ(file.checkpoints.size(), 3u);
  EXPECT_EQ(file.skipped, 1);
}

TEST(AuditCheckpointsTest, APrivateKeyGivesItsPublicKey) {
  const CheckpointKey key = NewCheckpointKey(7);
  auto again = KeyFromPrivate(7, key.private_hex);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->public_hex, key.public_hex);
  EXPECT_FALSE(KeyFromPrivate(7, "abc").has_value());
  EXPECT_TRUE(IsPublicKeyHex(key.public_hex));
  EXPECT_FALSE(IsPublicKeyHex(key.public_hex.substr(2)));
}

class AuditCheckpointerTest : public ::testing::Test {
 protected:
  std::unique_ptr<AuditCheckpointer> Open(std::string* error) {
    return AuditCheckpointer::Open(path_, key_, error);
  }
  CheckpointFile Read(const std::string& first_public) {
    return ReadCheckpoints(testing::ReadFile(path_), first_public);
  }

  testing::TempDir dir_;
  const std::string path_ = dir_.file("audit.checkpoints");
  const std::string key_ = dir_.file("audit.key");
  const scheduler::Instant t_{std::chrono::seconds(1'800'000'000)};
};

TEST_F(AuditCheckpointerTest, BeginsThenContinuesAcrossRestarts) {
  std::string error, first;
  {
    auto c = Open(&error);
    ASSERT_NE(c, nullptr) << error;
    first = c->first_public_hex();
    ASSERT_TRUE(c->Write(5, kHashA, t_, &error)) << error;
    ASSERT_TRUE(c->Write(9, kHashB, t_, &error)) << error;
  }
  auto c = Open(&error);
  ASSERT_NE(c, nullptr) << error;
  EXPECT_EQ(c->last_seq(), 9);
  ASSERT_TRUE(c->Write(12, kHashC, t_, &error)) << error;
  const CheckpointFile file = Read(first);
  EXPECT_EQ(file.problem, "");
  ASSERT_EQ(file.checkpoints.size(), 3u);
  EXPECT_EQ(file.checkpoints[2].n, 3);
  EXPECT_EQ(file.checkpoints[2].seq, 12);
  EXPECT_FALSE(std::filesystem::exists(key_ + ".next"));
}

TEST_F(AuditCheckpointerTest, AnOldKeyIsGoneFromDisk) {
  std::string error;
  auto c = Open(&error);
  ASSERT_NE(c, nullptr) << error;
  const std::string key1 = testing::ReadFile(key_);
  ASSERT_TRUE(c->Write(5, kHashA, t_, &error)) << error;
  const std::string key2 = testing::ReadFile(key_);
  EXPECT_NE(key1, key2);
  EXPECT_NE(key2.find(" 2 "), std::string::npos) << "key 2 signs next";
  EXPECT_EQ(std::filesystem::status(key_).permissions() &
                std::filesystem::perms::group_all,
            std::filesystem::perms::none);
}

TEST_F(AuditCheckpointerTest, ACrashBetweenCheckpointAndKeyIsTakenUpAtStart) {
  std::string error, first;
  {
    auto c = Open(&error);
    ASSERT_NE(c, nullptr) << error;
    first = c->first_public_hex();
    ASSERT_TRUE(c->Write(5, kHashA, t_, &error)) << error;
    const std::string key2 = testing::ReadFile(key_);
    ASSERT_TRUE(c->Write(9, kHashB, t_, &error)) << error;
    // As if the server died after appending checkpoint 2 and before its
    // key 3 replaced key 2.
    std::filesystem::rename(key_, key_ + ".next");
    std::ofstream(key_) << key2;
  }
  auto c = Open(&error);
  ASSERT_NE(c, nullptr) << error;
  ASSERT_TRUE(c->Write(12, kHashC, t_, &error)) << error;
  const CheckpointFile file = Read(first);
  EXPECT_EQ(file.problem, "");
  EXPECT_EQ(file.checkpoints.size(), 3u);
}

TEST_F(AuditCheckpointerTest, ACrashBeforeTheCheckpointLeavesTheOldKey) {
  std::string error, first;
  {
    auto c = Open(&error);
    ASSERT_NE(c, nullptr) << error;
    first = c->first_public_hex();
    ASSERT_TRUE(c->Write(5, kHashA, t_, &error)) << error;
  }
  // A key written for a checkpoint that never made it to the file.
  std::ofstream(key_ + ".next")
      << "lotsen-audit-key v1 3 " << NewCheckpointKey(3).private_hex << "\n";
  // And a line the same crash cut short.
  std::ofstream(path_, std::ios::app) << "2 9 " << kHashB.substr(0, 20);
  auto c = Open(&error);
  ASSERT_NE(c, nullptr) << error;
  EXPECT_FALSE(std::filesystem::exists(key_ + ".next"));
  ASSERT_TRUE(c->Write(9, kHashB, t_, &error)) << error;
  const CheckpointFile file = Read(first);
  EXPECT_EQ(file.problem, "");
  EXPECT_EQ(file.checkpoints.size(), 2u);
  EXPECT_EQ(file.skipped, 1);
}

TEST_F(AuditCheckpointerTest, ACrashAtTheVeryFirstStartIsTakenUpToo) {
  std::string error, first;
  {
    auto c = Open(&error);
    ASSERT_NE(c, nullptr) << error;
    first = c->first_public_hex();
  }
  // As if the server died after beginning the file, before taking up key 1.
  std::filesystem::rename(key_, key_ + ".next");
  auto c = Open(&error);
  ASSERT_NE(c, nullptr) << error;
  ASSERT_TRUE(c->Write(5, kHashA, t_, &error)) << error;
  EXPECT_EQ(Read(first).checkpoints.size(), 1u);
  c.reset();
  // And before the file was begun: a key no file names, so begin anew.
  std::filesystem::remove(path_);
  std::filesystem::rename(key_, key_ + ".next");
  c = Open(&error);
  ASSERT_NE(c, nullptr) << error;
  EXPECT_NE(c->first_public_hex(), first);
}

TEST_F(AuditCheckpointerTest, RefusesWhatItCannotVouchFor) {
  std::string error;
  {
    auto c = Open(&error);
    ASSERT_NE(c, nullptr) << error;
    ASSERT_TRUE(c->Write(5, kHashA, t_, &error)) << error;
  }
  // A key that does not continue the file (another server's, say).
  const std::string key = testing::ReadFile(key_);
  std::ofstream(key_) << "lotsen-audit-key v1 2 "
                      << NewCheckpointKey(2).private_hex << "\n";
  EXPECT_EQ(Open(&error), nullptr);
  EXPECT_NE(error.find("does not continue"), std::string::npos) << error;
  std::ofstream(key_) << key;
  // A checkpoint file whose checkpoint was edited.
  std::string text = testing::ReadFile(path_);
  const size_t at = text.find(kHashA);
  text.replace(at, 64, kHashB);
  std::ofstream(path_) << text;
  EXPECT_EQ(Open(&error), nullptr);
  EXPECT_NE(error.find("signature does not hold"), std::string::npos) << error;
  // The checkpoints removed, the key left.
  std::filesystem::remove(path_);
  EXPECT_EQ(Open(&error), nullptr);
  EXPECT_NE(error.find("were removed"), std::string::npos) << error;
}

}  // namespace
}  // namespace lotsen::server
