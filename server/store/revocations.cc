#include "server/store/revocations.h"

#include <atomic>

namespace lotsen::server {
namespace {
std::atomic<uint64_t> token_revocations{0};
}  // namespace

void NoteTokensRevoked() { token_revocations.fetch_add(1); }
uint64_t TokenRevocations() { return token_revocations.load(); }

}  // namespace lotsen::server
