#include "server/domain/audit_checkpoints.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <memory>
#include <sstream>

#include "server/base/hex.h"

namespace lotsen::server {
namespace {

constexpr size_t kKeyBytes = 32, kSignatureBytes = 64;

using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

PKey PrivateKey(const std::string& raw) {
  return PKey(
      EVP_PKEY_new_raw_private_key(
          EVP_PKEY_ED25519, nullptr,
          reinterpret_cast<const unsigned char*>(raw.data()), raw.size()),
      EVP_PKEY_free);
}

PKey PublicKey(const std::string& raw) {
  return PKey(
      EVP_PKEY_new_raw_public_key(
          EVP_PKEY_ED25519, nullptr,
          reinterpret_cast<const unsigned char*>(raw.data()), raw.size()),
      EVP_PKEY_free);
}

// What a checkpoint's signature covers: every field but the signature, in
// a form no two checkpoints share.
std::string SignedText(const Checkpoint& c) {
  return std::string(kCheckpointHeader) + "\n" + std::to_string(c.n) + "\n" +
         std::to_string(c.seq) + "\n" + c.hash + "\n" +
         std::to_string(c.time_us) + "\n" + c.next_public_hex;
}

bool IsHex(std::string_view text, size_t digits) {
  return text.size() == digits && HexDecode(text).has_value();
}

bool ParseInt(const std::string& text, int64_t* out) {
  if (text.empty() || text.size() > 18) return false;
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

std::optional<Checkpoint> ParseLine(const std::string& line) {
  std::istringstream in(line);
  std::string n, seq, time;
  Checkpoint c;
  if (!(in >> n >> seq >> c.hash >> time >> c.next_public_hex >>
        c.signature_hex)) {
    return std::nullopt;
  }
  std::string rest;
  if (in >> rest) return std::nullopt;
  if (!ParseInt(n, &c.n) || !ParseInt(seq, &c.seq) ||
      !ParseInt(time, &c.time_us) || !IsHex(c.hash, 64) ||
      !IsHex(c.next_public_hex, 2 * kKeyBytes) ||
      !IsHex(c.signature_hex, 2 * kSignatureBytes)) {
    return std::nullopt;
  }
  return c;
}

bool Verifies(const Checkpoint& c, const std::string& public_hex) {
  const auto raw = HexDecode(public_hex);
  const auto sig = HexDecode(c.signature_hex);
  if (!raw || raw->size() != kKeyBytes || !sig) return false;
  PKey key = PublicKey(*raw);
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!key || !ctx ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) !=
          1) {
    return false;
  }
  const std::string text = SignedText(c);
  return EVP_DigestVerify(
             ctx.get(), reinterpret_cast<const unsigned char*>(sig->data()),
             sig->size(), reinterpret_cast<const unsigned char*>(text.data()),
             text.size()) == 1;
}

}  // namespace

std::optional<CheckpointKey> KeyFromPrivate(int64_t n,
                                            std::string_view private_hex) {
  auto raw = HexDecode(private_hex);
  if (!raw || raw->size() != kKeyBytes) return std::nullopt;
  PKey key = PrivateKey(*raw);
  OPENSSL_cleanse(raw->data(), raw->size());
  if (!key) return std::nullopt;
  std::string pub(kKeyBytes, '\0');
  size_t len = pub.size();
  if (EVP_PKEY_get_raw_public_key(
          key.get(), reinterpret_cast<unsigned char*>(pub.data()), &len) != 1 ||
      len != kKeyBytes) {
    return std::nullopt;
  }
  return CheckpointKey{n, std::string(private_hex), HexEncode(pub)};
}

CheckpointKey NewCheckpointKey(int64_t n) {
  std::string raw(kKeyBytes, '\0');
  // A guessable key would let anyone sign checkpoints: better not to serve.
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()),
                 static_cast<int>(raw.size())) != 1) {
    std::abort();
  }
  std::string hex = HexEncode(raw);
  OPENSSL_cleanse(raw.data(), raw.size());
  auto key = KeyFromPrivate(n, hex);
  OPENSSL_cleanse(hex.data(), hex.size());
  if (!key) std::abort();  // OpenSSL without Ed25519: nothing to sign with
  return *key;
}

Checkpoint SignCheckpoint(const CheckpointKey& key, int64_t seq,
                          const std::string& hash, int64_t time_us,
                          const std::string& next_public_hex) {
  Checkpoint c{key.n, seq, hash, time_us, next_public_hex, ""};
  auto raw = HexDecode(key.private_hex);
  PKey pkey = raw ? PrivateKey(*raw) : PKey(nullptr, EVP_PKEY_free);
  if (raw) OPENSSL_cleanse(raw->data(), raw->size());
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  const std::string text = SignedText(c);
  std::string sig(kSignatureBytes, '\0');
  size_t len = sig.size();
  if (!pkey || !ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) !=
          1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()),
                     &len, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size()) != 1 ||
      len != kSignatureBytes) {
    std::abort();  // the key was checked when it was made or read
  }
  c.signature_hex = HexEncode(sig);
  return c;
}

std::string FormatCheckpoint(const Checkpoint& c) {
  return std::to_string(c.n) + " " + std::to_string(c.seq) + " " + c.hash +
         " " + std::to_string(c.time_us) + " " + c.next_public_hex + " " +
         c.signature_hex;
}

std::string FormatHeader(const std::string& first_public_hex) {
  return std::string(kCheckpointHeader) + " " + first_public_hex;
}

CheckpointFile ReadCheckpoints(std::string_view text,
                               const std::string& first_public_hex) {
  CheckpointFile out;
  std::istringstream in{std::string(text)};
  std::string line;
  if (!std::getline(in, line) || !line.starts_with(kCheckpointHeader) ||
      line.size() != kCheckpointHeader.size() + 1 + 2 * kKeyBytes ||
      line[kCheckpointHeader.size()] != ' ' ||
      !IsPublicKeyHex(line.substr(kCheckpointHeader.size() + 1))) {
    out.problem = "the checkpoint file does not start with its header \"" +
                  std::string(kCheckpointHeader) + " <public key>\"";
    return out;
  }
  out.first_public_hex = line.substr(kCheckpointHeader.size() + 1);
  std::string key =
      first_public_hex.empty() ? out.first_public_hex : first_public_hex;
  if (key != out.first_public_hex) {
    out.problem =
        "the checkpoint file was begun with another key than the public key "
        "given: it was replaced";
    return out;
  }
  int64_t last_seq = 0;
  while (std::getline(in, line)) {
    auto c = ParseLine(line);
    if (!c) {
      ++out.skipped;
      continue;
    }
    const int64_t want = static_cast<int64_t>(out.checkpoints.size()) + 1;
    if (c->n != want) {
      out.problem = "checkpoint " + std::to_string(want) +
                    " is missing (the next one is numbered " +
                    std::to_string(c->n) + ")";
      return out;
    }
    if (!Verifies(*c, key)) {
      out.problem = "checkpoint " + std::to_string(want) +
                    ": its signature does not hold under " +
                    (want == 1 ? std::string("the first public key")
                               : "the key checkpoint " +
                                     std::to_string(want - 1) + " named") +
                    " (the checkpoint was edited or forged)";
      return out;
    }
    if (c->seq < last_seq) {
      out.problem = "checkpoint " + std::to_string(want) +
                    " covers fewer lines than the one before";
      return out;
    }
    last_seq = c->seq;
    key = c->next_public_hex;
    out.checkpoints.push_back(std::move(*c));
  }
  return out;
}

bool IsPublicKeyHex(std::string_view text) {
  return IsHex(text, 2 * kKeyBytes);
}

}  // namespace lotsen::server
