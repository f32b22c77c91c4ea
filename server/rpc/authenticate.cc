#include "server/rpc/authenticate.h"

#include <grpcpp/security/auth_context.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "server/store/revocations.h"

namespace lotsen::server {

grpc::Status Authenticate(Store& store, const scheduler::Clock& clock,
                          const grpc::ServerContextBase& ctx, User* user,
                          TokenCache* cache) {
  const auto& md = ctx.client_metadata();
  auto it = md.find("authorization");
  // With mutual TLS, a client certificate the server's CA signed names the
  // user in its common name; a bearer token, if sent too, is not needed.
  if (it == md.end() && ctx.auth_context()) {
    const auto names =
        ctx.auth_context()->FindPropertyValues("x509_common_name");
    if (!names.empty()) {
      const std::string cn(names.front().data(), names.front().size());
      return store.Read([&](ReadTx& tx) {
        auto u = tx.FindUser(cn);
        if (!u) {
          return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                              "the client certificate names no user");
        }
        *user = std::move(*u);
        return grpc::Status::OK;
      });
    }
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
                             "revoked or expired); ask for a new one");
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
