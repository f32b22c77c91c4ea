#include "server/rpc/authenticate.h"

#include <grpcpp/security/auth_context.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "server/domain/certificates.h"
#include "server/store/revocations.h"

namespace lotsen::server {

grpc::Status Authenticate(Store& store, const scheduler::Clock& clock,
                          const grpc::ServerContextBase& ctx, User* user,
                          TokenCache* cache) {
  const auto& md = ctx.client_metadata();
  auto it = md.find("authorization");
  // With mutual TLS, a client certificate the server's CA signed names the
  // user in its common name; a bearer token, if sent too, is not needed.
  // A denied certificate is refused whichever route the call takes, so a
  // stolen token does not make it good again.
  const auto names =
      ctx.auth_context()
          ? ctx.auth_context()->FindPropertyValues("x509_common_name")
          : std::vector<grpc::string_ref>();
  if (!names.empty()) {
    const std::string cn(names.front().data(), names.front().size());
    const auto pems = ctx.auth_context()->FindPropertyValues("x509_pem_cert");
    const auto serial = pems.empty()
                            ? std::nullopt
                            : SerialOfPem(std::string_view(
                                  pems.front().data(), pems.front().size()));
    // One answer for a certificate that names no one, a denied one and a
    // disabled user's: the caller learns nothing of which it was.
    const grpc::Status refused(grpc::StatusCode::UNAUTHENTICATED,
                               "the client certificate is not accepted (it "
                               "names no user, is denied, or its user is "
                               "disabled)");
    grpc::Status s = store.Read([&](ReadTx& tx) {
      if (!serial || tx.IsCertificateDenied(*serial)) return refused;
      if (it != md.end()) return grpc::Status::OK;  // the token says who
      auto u = tx.FindUser(cn);
      if (!u || u->disabled) return refused;
      *user = std::move(*u);
      return grpc::Status::OK;
    });
    if (!s.ok() || it == md.end()) return s;
  }
  if (it == md.end()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "authorization: missing; send the metadata "
                        "'authorization: Bearer TOKEN' (the CLI reads "
                        "LOTSEN_TOKEN)");
  }
  auto token =
      BearerToken(std::string_view(it->second.data(), it->second.size()));
  const grpc::Status unknown(grpc::StatusCode::UNAUTHENTICATED,
                             "authorization: the token is not valid (unknown, "
                             "revoked, expired, or its user is disabled); ask "
                             "for a new one");
  if (!token) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "authorization: must be 'Bearer TOKEN'");
  }
  const std::string hash = Sha256Hex(*token);
  const scheduler::Instant now = clock.Now();
  if (cache != nullptr) {
    if (auto u = cache->Find(hash, now)) {
      *user = std::move(*u);
      return grpc::Status::OK;
    }
  }
  const uint64_t generation = TokenRevocations();
  grpc::Status s = store.Read([&](ReadTx& tx) {
    auto u = tx.FindUserByTokenHash(hash, now);
    if (!u) return unknown;
    *user = std::move(*u);
    return grpc::Status::OK;
  });
  if (s.ok() && cache != nullptr) cache->Remember(hash, *user, now, generation);
  return s;
}

}  // namespace lotsen::server
