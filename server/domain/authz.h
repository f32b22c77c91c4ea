// Who may call what, on which cases: one table of methods, the roles that
// may call each, and how far each role reaches (DOMAIN.md, "People, roles
// and secrecy"). Finer rules (which transition, which event) live in
// lifecycle.h; this is the gate every call passes.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "lotsen/v1/common.pb.h"
#include "server/base/status.h"
#include "server/store/store.h"

namespace lotsen::server {

// How far a role's grant on a method reaches.
enum class Reach {
  kAll,       // every case: the coordinator sees the whole unit
  kAssigned,  // the caller's assigned cases: social services secrecy,
              // OSL 26:1, keeps a worker to their own victims
  kDistrict,  // the cases of the caller's district: police and prosecutors
  kNoCase,    // the method is about no case (sweep, audit log, absences)
  kNone,      // no grant: the role may not call the method at all
};

struct Grant {
  v1::Role role;
  Reach reach;
};

struct MethodRule {
  std::string_view method;  // the RPC's name, e.g. "CreateCase"
  std::vector<Grant> grants;
};

std::span<const MethodRule> AuthorizationTable();

// The role gate: OK, or PERMISSION_DENIED naming the role and the roles
// that may. A method missing from the table is denied to everyone.
// CallContext::Handle (server/rpc/) asks it once for every call, before the
// service runs; services ask only the case gates below, which refuse a role
// without a grant too (Reach::kNone), so a service called directly does not
// open up what the role gate would have shut.
grpc::Status Authorize(std::string_view method, v1::Role role);

// How far the caller's grant on `method` reaches; kNone without a grant.
Reach ReachOf(std::string_view method, v1::Role role);

// The case gate, after the role gate: may `caller` do `method` on case `id`
// (`c`, or nullptr if there is no such case)? A caller who sees every case
// learns that a case does not exist (NOT_FOUND); anyone else gets
// PERMISSION_DENIED either way, so that existence does not leak (AIP-211).
grpc::Status AuthorizeCase(std::string_view method, const User& caller,
                           const StoredCase* c, int64_t id);

// Reads case `id` and passes it through the case gate; on OK puts it in
// `out` (if not null).
grpc::Status LoadAuthorizedCase(ReadTx& tx, const User& caller,
                                std::string_view method, int64_t id,
                                StoredCase* out);

// The district a list must keep to (kDistrict), or the worker whose cases
// it must keep to (kAssigned); PERMISSION_DENIED if the request's own
// filter asks for more. `district`/`worker_id` are the request's filters
// (UNSPECIFIED/0: none) and are narrowed in place.
grpc::Status ScopeList(std::string_view method, const User& caller,
                       v1::District* district, int64_t* worker_id);

}  // namespace lotsen::server
