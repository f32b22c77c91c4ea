#include "server/domain/certificates.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace lotsen::server {

std::optional<std::string> NormalizeSerial(std::string_view text) {
  if (text.starts_with("serial=")) text.remove_prefix(7);
  std::string hex;
  for (char c : text) {
    if (c == ':') continue;
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return std::nullopt;
    }
    if (hex.empty() && c == '0') continue;
    hex += c;
  }
  if (text.empty() || text.find_first_not_of(':') == std::string_view::npos) {
    return std::nullopt;
  }
  if (hex.size() > 40) return std::nullopt;
  return hex.empty() ? "0" : hex;
}

std::optional<std::string> SerialOfPem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) return std::nullopt;
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  if (!cert) return std::nullopt;
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(
      ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr), BN_free);
  if (!bn) return std::nullopt;
  char* hex = BN_bn2hex(bn.get());
  if (hex == nullptr) return std::nullopt;
  std::optional<std::string> out = NormalizeSerial(hex);
  OPENSSL_free(hex);
  return out;
}

}  // namespace lotsen::server
