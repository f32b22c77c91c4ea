// How a protected identity (sekretessmarkering, skyddad folkbokföring) is
// hidden from those who may not see it, in one place for cases and hearings:
// only the coordinator and the case's assigned worker see the victim's name
// and personal number (OSL 26:1; DOMAIN.md, "People, roles and secrecy").
// Pure functions on values; thread-safe.
#pragma once

#include <cstdint>

#include "lotsen/v1/case.pb.h"
#include "server/store/store.h"

namespace lotsen::server {

// What others see in place of a protected victim's name.
inline constexpr char kRedactedName[] = "[skyddad identitet]";

// May `caller` see the protected identity of a victim in a case assigned to
// `assigned_worker_id` (0: no one)?
bool MaySeeProtectedIdentity(const User& caller, int64_t assigned_worker_id);

// Replaces the name and removes the number of a protected victim in `c`
// unless `caller` may see them.
void Redact(const User& caller, int64_t assigned_worker_id, v1::Case* c);

// The case as `caller` may see it.
v1::Case ViewFor(const User& caller, const StoredCase& c);

}  // namespace lotsen::server
