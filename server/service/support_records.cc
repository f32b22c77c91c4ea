// The support track as data (issue 14): structured support records, whose
// order the rules below keep (an answer follows an offer, a referral's end
// follows its acceptance), and the household, one record a case. Social
// services' alone (OSL 26:1): no consent shares them.
#include <algorithm>
#include <limits>

#include "server/base/convert.h"
#include "server/base/names.h"
#include "server/base/status.h"
#include "server/domain/authz.h"
#include "server/domain/idempotency.h"
#include "server/domain/methods.h"
#include "server/domain/paging.h"
#include "server/domain/validation.h"
#include "server/service/support.h"

namespace lotsen::server {
namespace {

using grpc::Status;
using grpc::StatusCode;
using v1::SupportRecordKind;

// At most this many children in one household record.
constexpr int kMaxChildren = 20;

bool IsSupport(SupportRecordKind k) {
  return k >= v1::SUPPORT_OFFERED && k <= v1::SUPPORT_ENDED;
}
bool IsReferralAnswer(SupportRecordKind k) {
  return k >= v1::REFERRAL_ACCEPTED && k <= v1::REFERRAL_COMPLETED;
}

// `cases/{case}/household` -> the case's id.
Status ParseHouseholdName(std::string_view field, std::string_view name,
                          long long* id) {
  constexpr std::string_view kSuffix = "/household";
  if (!name.ends_with(kSuffix)) {
    // Not echoed: a name of any length may come in.
    return Invalid(field, "must be cases/{case}/household");
  }
  return ParseCaseName(field, name.substr(0, name.size() - kSuffix.size()), id);
}

Status Precondition(const std::string& message) {
  return Status(StatusCode::FAILED_PRECONDITION, message);
}

// The record `r` may follow `earlier` (the case's records, oldest first):
// OK or FAILED_PRECONDITION saying what must come first. `*after` is the
// record it follows, whose date it may not precede.
Status CheckOrder(const v1::SupportRecord& r, int64_t referral_id,
                  const std::vector<StoredRecord>& earlier,
                  const StoredRecord** after) {
  const std::string kind = v1::SupportRecordKind_Name(r.kind());
  *after = nullptr;
  if (IsSupport(r.kind())) {
    // The state of the support offer: the latest support record.
    for (const auto& e : earlier) {
      if (IsSupport(e.value.kind())) *after = &e;
    }
    const SupportRecordKind last =
        *after ? (*after)->value.kind() : v1::SUPPORT_RECORD_KIND_UNSPECIFIED;
    switch (r.kind()) {
      case v1::SUPPORT_OFFERED:
        if (last == v1::SUPPORT_OFFERED || last == v1::SUPPORT_ACCEPTED) {
          return Precondition(
              "record.kind: SUPPORT_OFFERED: support is already " +
              std::string(last == v1::SUPPORT_OFFERED ? "offered (answer it)"
                                                      : "under way (end it)") +
              " in " + (*after)->value.name());
        }
        return Status::OK;
      case v1::SUPPORT_ACCEPTED:
      case v1::SUPPORT_DECLINED:
        if (last != v1::SUPPORT_OFFERED) {
          return Precondition("record.kind: " + kind +
                              " answers an offer: record SUPPORT_OFFERED "
                              "first");
        }
        return Status::OK;
      default:  // SUPPORT_ENDED
        if (last != v1::SUPPORT_ACCEPTED) {
          return Precondition(
              "record.kind: SUPPORT_ENDED ends accepted support: there is "
              "none under way");
        }
        return Status::OK;
    }
  }
  if (IsReferralAnswer(r.kind())) {
    const StoredRecord* made = nullptr;
    for (const auto& e : earlier) {
      if (e.id == referral_id && e.value.kind() == v1::REFERRAL_MADE) made = &e;
      if (e.referral_id == referral_id) *after = &e;
    }
    if (made == nullptr) {
      return Status(StatusCode::NOT_FOUND,
                    "record.referral: " + r.referral() +
                        " is no REFERRAL_MADE record of this case");
    }
    const SupportRecordKind now =
        *after ? (*after)->value.kind() : v1::REFERRAL_MADE;
    if (*after == nullptr) *after = made;
    const bool ok = r.kind() == v1::REFERRAL_COMPLETED
                        ? now == v1::REFERRAL_ACCEPTED
                        : now == v1::REFERRAL_MADE;
    if (!ok) {
      return Precondition("record.kind: " + kind + " cannot follow " +
                          v1::SupportRecordKind_Name(now) + " of " +
                          r.referral() +
                          ": a referral is accepted or declined once made, "
                          "and completed once accepted");
    }
    return Status::OK;
  }
  if (r.kind() == v1::SAFETY_PLAN_REVIEWED) {
    for (const auto& e : earlier) {
      if (e.value.kind() == v1::SAFETY_PLAN_MADE) *after = &e;
    }
    if (*after == nullptr) {
      return Precondition(
          "record.kind: SAFETY_PLAN_REVIEWED needs a SAFETY_PLAN_MADE first");
    }
  }
  return Status::OK;
}

}  // namespace

Status Support::CreateRecord(const User& caller,
                             const v1::CreateSupportRecordRequest& req,
                             v1::SupportRecord* out) {
  long long id = 0;
  RETURN_IF_ERROR(ParseCaseName("parent", req.parent(), &id));
  const v1::SupportRecord& in = req.record();
  if (in.kind() == v1::SUPPORT_RECORD_KIND_UNSPECIFIED) {
    return Invalid("record.kind", "is required");
  }
  if (!v1::SupportRecordKind_IsValid(in.kind())) {
    return Invalid("record.kind", "has no value " + std::to_string(in.kind()));
  }
  const std::string kind = v1::SupportRecordKind_Name(in.kind());
  if (in.kind() == v1::REFERRAL_MADE) {
    if (in.agency() == v1::AGENCY_UNSPECIFIED) {
      return Invalid("record.agency",
                     "is required for REFERRAL_MADE: where she is referred");
    }
    if (!v1::Agency_IsValid(in.agency())) {
      return Invalid("record.agency",
                     "has no value " + std::to_string(in.agency()));
    }
  } else if (in.agency() != v1::AGENCY_UNSPECIFIED) {
    return Invalid("record.agency", "is only for REFERRAL_MADE");
  }
  long long referral_case = 0, referral_id = 0;
  if (IsReferralAnswer(in.kind())) {
    if (in.referral().empty()) {
      return Invalid(
          "record.referral",
          "is required for " + kind + ": the REFERRAL_MADE record it answers");
    }
    RETURN_IF_ERROR(ParseChildName("record.referral", in.referral(),
                                   "supportRecords", &referral_case,
                                   &referral_id));
    if (referral_case != id) {
      return Invalid("record.referral",
                     in.referral() + " is not a record of " + req.parent());
    }
  } else if (!in.referral().empty()) {
    return Invalid("record.referral",
                   "is only for REFERRAL_ACCEPTED, _DECLINED and _COMPLETED");
  }
  RETURN_IF_ERROR(CheckText("record.note", in.note(), kMaxReason, false));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  const scheduler::Day today = scheduler::StockholmDate(clock_.Now());
  RETURN_IF_ERROR(CheckPastDate("record.date", in.date(), std::nullopt, today));
  const scheduler::Instant now = clock_.Now();
  return store_.Write([&](Tx& tx) {
    StoredCase c;
    RETURN_IF_ERROR(
        LoadAuthorizedCase(tx, caller, methods::kCreateSupportRecord, id, &c));
    return RunOnce(
        tx, caller, methods::kCreateSupportRecord, req.request_id(), req, out,
        now, [&]() -> Status {
          const auto earlier =
              tx.ListRecords(id, 0, std::numeric_limits<int>::max());
          const StoredRecord* after = nullptr;
          RETURN_IF_ERROR(CheckOrder(in, referral_id, earlier, &after));
          const auto not_before =
              after ? ToDay(after->value.date()) : ToDay(c.value.report_date());
          RETURN_IF_ERROR(
              CheckPastDate("record.date", in.date(), not_before, today));
          StoredRecord r;
          r.referral_id = referral_id;
          r.value.set_kind(in.kind());
          *r.value.mutable_date() = in.date();
          // A referral's answer is about the same agency.
          r.value.set_agency(after && IsReferralAnswer(in.kind())
                                 ? after->value.agency()
                                 : in.agency());
          r.value.set_note(in.note());
          *r.value.mutable_create_time() = ToTimestamp(now);
          const int64_t rid = tx.InsertRecord(id, caller.id, r);
          for (auto& row : tx.ListRecords(id, rid - 1, 1)) {
            *out = std::move(row.value);
          }
          return Status::OK;
        });
  });
}

Status Support::ListRecords(const User& caller,
                            const v1::ListSupportRecordsRequest& req,
                            v1::ListSupportRecordsResponse* out) {
  long long id = 0;
  RETURN_IF_ERROR(ParseCaseName("parent", req.parent(), &id));
  int size = 0;
  RETURN_IF_ERROR(PageSize(req.page_size(), &size));
  const PageScope fp = Scope(caller.id, "records|" + req.parent());
  int64_t after = 0;
  RETURN_IF_ERROR(DecodePageToken(req.page_token(), fp, &after));
  return store_.Read([&](ReadTx& tx) {
    RETURN_IF_ERROR(LoadAuthorizedCase(tx, caller, methods::kListSupportRecords,
                                       id, nullptr));
    auto rows = tx.ListRecords(id, after, size + 1);
    const bool more = static_cast<int>(rows.size()) > size;
    if (more) rows.pop_back();
    for (auto& r : rows) *out->add_records() = std::move(r.value);
    if (more) out->set_next_page_token(EncodePageToken(rows.back().id, fp));
    return Status::OK;
  });
}

Status Support::GetHousehold(const User& caller,
                             const v1::GetHouseholdRequest& req,
                             v1::Household* out) {
  long long id = 0;
  RETURN_IF_ERROR(ParseHouseholdName("name", req.name(), &id));
  return store_.Read([&](ReadTx& tx) {
    RETURN_IF_ERROR(
        LoadAuthorizedCase(tx, caller, methods::kGetHousehold, id, nullptr));
    if (auto h = tx.GetHousehold(id)) {
      *out = std::move(h->value);
    } else {
      out->set_name(req.name());
      out->set_etag("0");
    }
    return Status::OK;
  });
}

Status Support::UpdateHousehold(const User& caller,
                                const v1::UpdateHouseholdRequest& req,
                                v1::Household* out) {
  const v1::Household& in = req.household();
  long long id = 0;
  RETURN_IF_ERROR(ParseHouseholdName("household.name", in.name(), &id));
  if (in.child_ages_size() > kMaxChildren) {
    return Invalid("household.child_ages",
                   "at most " + std::to_string(kMaxChildren) + " children");
  }
  for (int i = 0; i < in.child_ages_size(); ++i) {
    if (in.child_ages(i) < 0 || in.child_ages(i) > 17) {
      return Invalid("household.child_ages",
                     "an age is whole years from 0 to 17 (got " +
                         std::to_string(in.child_ages(i)) +
                         "); an adult "
                         "child is not a child in the household");
    }
  }
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  const scheduler::Day today = scheduler::StockholmDate(clock_.Now());
  if (IsSet(in.concern_report_date())) {
    RETURN_IF_ERROR(CheckPastDate("household.concern_report_date",
                                  in.concern_report_date(), std::nullopt,
                                  today));
  }
  const scheduler::Instant now = clock_.Now();
  return store_.Write([&](Tx& tx) {
    StoredCase c;
    RETURN_IF_ERROR(
        LoadAuthorizedCase(tx, caller, methods::kUpdateHousehold, id, &c));
    return RunOnce(
        tx, caller, methods::kUpdateHousehold, req.request_id(), req, out, now,
        [&]() -> Status {
          StoredHousehold h;
          if (auto old = tx.GetHousehold(id)) h = std::move(*old);
          RETURN_IF_ERROR(
              CheckEtag(req.etag(), std::to_string(h.version), in.name()));
          if (in.children_witnessed() && in.child_ages_size() == 0) {
            return Invalid("household.children_witnessed",
                           "needs the children in child_ages");
          }
          h.case_id = id;
          ++h.version;
          // The children's deadlines count from the day children
          // were first recorded; with none, there are none.
          if (in.child_ages_size() == 0) {
            h.value.clear_children_recorded_date();
          } else if (h.value.child_ages_size() == 0) {
            *h.value.mutable_children_recorded_date() = ToProto(today);
          }
          h.value.clear_child_ages();
          for (int a : in.child_ages()) h.value.add_child_ages(a);
          h.value.set_children_witnessed(in.children_witnessed());
          *h.value.mutable_concern_report_date() = in.concern_report_date();
          *h.value.mutable_update_time() = ToTimestamp(now);
          tx.PutHousehold(id, caller.id, h);
          engine_.Reconcile(tx, c, now);
          *out = std::move(tx.GetHousehold(id)->value);
          return Status::OK;
        });
  });
}

}  // namespace lotsen::server
