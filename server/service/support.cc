#include "server/service/support.h"

#include <algorithm>

#include "server/base/convert.h"
#include "server/base/status.h"
#include "server/domain/authz.h"
#include "server/domain/idempotency.h"
#include "server/domain/lifecycle.h"
#include "server/domain/methods.h"
#include "server/domain/paging.h"
#include "server/domain/validation.h"

namespace lotsen::server {
namespace {

using grpc::Status;
using grpc::StatusCode;

const std::vector<v1::SupportKind> kAllKinds = {v1::CONTACT, v1::SAFETY_PLAN,
                                                v1::REFERRAL, v1::SUPPORT};

Status CheckKind(std::string_view field, int kind) {
  if (kind == v1::SUPPORT_KIND_UNSPECIFIED) {
    return Invalid(field,
                   "is required: CONTACT, SAFETY_PLAN, REFERRAL or "
                   "SUPPORT");
  }
  if (!v1::SupportKind_IsValid(kind)) {
    return Invalid(field, "has no value " + std::to_string(kind));
  }
  return Status::OK;
}

scheduler::Day Today(const scheduler::Clock& clock) {
  return scheduler::StockholmDate(clock.Now());
}

}  // namespace

std::vector<v1::SupportKind> SharedKinds(
    const User& caller, const StoredCase& c,
    const std::vector<StoredConsent>& consents) {
  if (caller.role == v1::COORDINATOR || caller.role == v1::SOCIAL_WORKER) {
    return kAllKinds;
  }
  if (caller.role != v1::POLICE && caller.role != v1::PROSECUTOR) return {};
  std::vector<v1::SupportKind> kinds;
  for (const StoredConsent& k : consents) {
    if (k.value.state() != v1::ACTIVE || k.value.recipient() != caller.role) {
      continue;
    }
    for (int kind : k.value.kinds()) {
      // A protected identity's contacts go only to the assigned worker and
      // the coordinator (DOMAIN.md), whatever else is shared.
      if (kind == v1::CONTACT && c.value.victim().protected_identity()) {
        continue;
      }
      kinds.push_back(static_cast<v1::SupportKind>(kind));
    }
  }
  std::sort(kinds.begin(), kinds.end());
  kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
  return kinds;
}

Status Support::CreateNote(const User& caller,
                           const v1::CreateSupportNoteRequest& req,
                           v1::SupportNote* out) {
  long long id = 0;
  RETURN_IF_ERROR(ParseCaseName("parent", req.parent(), &id));
  const v1::SupportNote& in = req.note();
  RETURN_IF_ERROR(CheckKind("note.kind", in.kind()));
  RETURN_IF_ERROR(CheckText("note.text", in.text(), kMaxLongText, true));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  const scheduler::Day today = Today(clock_);
  RETURN_IF_ERROR(CheckPastDate("note.date", in.date(), std::nullopt, today));
  const scheduler::Instant now = clock_.Now();
  return store_.Write([&](Tx& tx) {
    // Checked before a replay too (see RunOnce).
    StoredCase c;
    RETURN_IF_ERROR(
        LoadAuthorizedCase(tx, caller, methods::kCreateSupportNote, id, &c));
    return RunOnce(
        tx, caller, methods::kCreateSupportNote, req.request_id(), req, out,
        now, [&]() -> Status {
          RETURN_IF_ERROR(CheckPastDate("note.date", in.date(),
                                        ToDay(c.value.report_date()), today));
          v1::SupportNote n;
          n.set_kind(in.kind());
          *n.mutable_date() = in.date();
          n.set_text(in.text());
          *n.mutable_create_time() = ToTimestamp(now);
          const int64_t note_id = tx.InsertNote(id, caller.id, n);
          for (auto& row : tx.ListNotes(id, {}, note_id - 1, 1)) {
            *out = std::move(row.value);
          }
          return Status::OK;
        });
  });
}

Status Support::ListNotes(const User& caller,
                          const v1::ListSupportNotesRequest& req,
                          v1::ListSupportNotesResponse* out) {
  long long id = 0;
  RETURN_IF_ERROR(ParseCaseName("parent", req.parent(), &id));
  int size = 0;
  RETURN_IF_ERROR(PageSize(req.page_size(), &size));
  const PageScope fp = Scope(caller.id, "notes|" + req.parent());
  int64_t after = 0;
  RETURN_IF_ERROR(DecodePageToken(req.page_token(), fp, &after));
  return store_.Read([&](ReadTx& tx) {
    StoredCase c;
    RETURN_IF_ERROR(
        LoadAuthorizedCase(tx, caller, methods::kListSupportNotes, id, &c));
    const auto kinds = SharedKinds(caller, c, tx.ListConsents(id));
    if (kinds.empty()) {
      return Status(StatusCode::PERMISSION_DENIED,
                    RoleName(caller.role) + " users/" + caller.username +
                        " may not read the support notes of " + req.parent() +
                        ": they are social services' (OSL 26:1) and no live "
                        "consent of the victim shares any with " +
                        RoleName(caller.role) + " (OSL 12:2)");
    }
    // Everything is all four kinds: no need to filter in SQL.
    const bool all = kinds.size() == kAllKinds.size();
    auto rows = tx.ListNotes(id, all ? std::vector<v1::SupportKind>{} : kinds,
                             after, size + 1);
    const bool more = static_cast<int>(rows.size()) > size;
    if (more) rows.pop_back();
    for (auto& r : rows) *out->add_notes() = std::move(r.value);
    if (more) out->set_next_page_token(EncodePageToken(rows.back().id, fp));
    return Status::OK;
  });
}

Status Support::CreateConsent(const User& caller,
                              const v1::CreateConsentRequest& req,
                              v1::Consent* out) {
  long long id = 0;
  RETURN_IF_ERROR(ParseCaseName("parent", req.parent(), &id));
  const v1::Consent& in = req.consent();
  if (in.recipient() != v1::POLICE && in.recipient() != v1::PROSECUTOR) {
    return Invalid("consent.recipient",
                   "must be POLICE or PROSECUTOR: a consent shares support "
                   "information outside social services (OSL 12:2)");
  }
  if (in.kinds().empty()) {
    return Invalid("consent.kinds",
                   "name at least one kind: CONTACT, SAFETY_PLAN, REFERRAL "
                   "or SUPPORT");
  }
  for (int i = 0; i < in.kinds_size(); ++i) {
    RETURN_IF_ERROR(CheckKind("consent.kinds", in.kinds(i)));
    for (int j = 0; j < i; ++j) {
      if (in.kinds(j) == in.kinds(i)) {
        return Invalid("consent.kinds",
                       "names " + v1::SupportKind_Name(in.kinds(i)) + " twice");
      }
    }
  }
  RETURN_IF_ERROR(
      CheckText("consent.scope_note", in.scope_note(), kMaxReason, false));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  const scheduler::Day today = Today(clock_);
  RETURN_IF_ERROR(CheckPastDate("consent.given_date", in.given_date(),
                                std::nullopt, today));
  const scheduler::Instant now = clock_.Now();
  return store_.Write([&](Tx& tx) {
    // Checked before a replay too (see RunOnce).
    StoredCase c;
    RETURN_IF_ERROR(
        LoadAuthorizedCase(tx, caller, methods::kCreateConsent, id, &c));
    return RunOnce(
        tx, caller, methods::kCreateConsent, req.request_id(), req, out, now,
        [&]() -> Status {
          RETURN_IF_ERROR(CheckPastDate("consent.given_date", in.given_date(),
                                        ToDay(c.value.report_date()), today));
          v1::Consent k;
          k.set_recipient(in.recipient());
          *k.mutable_kinds() = in.kinds();
          *k.mutable_given_date() = in.given_date();
          k.set_scope_note(in.scope_note());
          *k.mutable_create_time() = ToTimestamp(now);
          const int64_t consent_id = tx.InsertConsent(id, caller.id, k);
          *out = tx.GetConsent(id, consent_id)->value;
          return Status::OK;
        });
  });
}

Status Support::WithdrawConsent(const User& caller,
                                const v1::WithdrawConsentRequest& req,
                                v1::Consent* out) {
  long long case_id = 0, consent_id = 0;
  RETURN_IF_ERROR(
      ParseChildName("name", req.name(), "consents", &case_id, &consent_id));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  const scheduler::Day today = Today(clock_);
  RETURN_IF_ERROR(CheckPastDate("withdrawn_date", req.withdrawn_date(),
                                std::nullopt, today));
  const scheduler::Instant now = clock_.Now();
  return store_.Write([&](Tx& tx) {
    // Checked before a replay too (see RunOnce).
    StoredCase c;
    RETURN_IF_ERROR(
        LoadAuthorizedCase(tx, caller, methods::kWithdrawConsent, case_id, &c));
    return RunOnce(
        tx, caller, methods::kWithdrawConsent, req.request_id(), req, out, now,
        [&]() -> Status {
          auto k = tx.GetConsent(case_id, consent_id);
          if (!k) {
            return Status(StatusCode::NOT_FOUND,
                          "name: " + req.name() + " does not exist");
          }
          RETURN_IF_ERROR(CheckEtag(req.etag(), k->value.etag(), req.name()));
          if (k->value.state() != v1::ACTIVE) {
            return Status(StatusCode::FAILED_PRECONDITION,
                          "name: " + req.name() + " was withdrawn on " +
                              Format(k->value.withdrawn_date()));
          }
          RETURN_IF_ERROR(CheckPastDate("withdrawn_date", req.withdrawn_date(),
                                        ToDay(k->value.given_date()), today));
          *k->value.mutable_withdrawn_date() = req.withdrawn_date();
          *k->value.mutable_withdraw_time() = ToTimestamp(now);
          tx.WithdrawConsent(*k);
          *out = tx.GetConsent(case_id, consent_id)->value;
          return Status::OK;
        });
  });
}

Status Support::ListConsents(const User& caller,
                             const v1::ListConsentsRequest& req,
                             v1::ListConsentsResponse* out) {
  long long id = 0;
  RETURN_IF_ERROR(ParseCaseName("parent", req.parent(), &id));
  return store_.Read([&](ReadTx& tx) {
    StoredCase c;
    RETURN_IF_ERROR(
        LoadAuthorizedCase(tx, caller, methods::kListConsents, id, &c));
    for (auto& k : tx.ListConsents(id))
      *out->add_consents() = std::move(k.value);
    return Status::OK;
  });
}

}  // namespace lotsen::server
