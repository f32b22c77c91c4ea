// The support track: notes, the victim's consents, and (support_records.cc)
// structured support records and the household. Social services
// secrecy (OSL 26:1) keeps it to the assigned worker and the coordinator;
// police and prosecutors of the case's district see only the kinds of note
// a live consent to their role covers (OSL 12:2). Same shape as Cases: role
// and case gates, validation, one store transaction a call. Thread-safe.
#pragma once

#include "lotsen/v1/support_service.pb.h"
#include "scheduler/clock.h"
#include "server/base/status.h"
#include "server/domain/deadlines.h"
#include "server/store/store.h"

namespace lotsen::server {

class Support {
 public:
  // `engine` reconciles a case's deadlines when its household changes: the
  // children's deadlines hang on it.
  Support(Store& store, const scheduler::Clock& clock,
          const DeadlineEngine& engine)
      : store_(store), clock_(clock), engine_(engine) {}

  grpc::Status CreateNote(const User& caller,
                          const v1::CreateSupportNoteRequest& req,
                          v1::SupportNote* out);
  grpc::Status ListNotes(const User& caller,
                         const v1::ListSupportNotesRequest& req,
                         v1::ListSupportNotesResponse* out);
  grpc::Status CreateConsent(const User& caller,
                             const v1::CreateConsentRequest& req,
                             v1::Consent* out);
  grpc::Status WithdrawConsent(const User& caller,
                               const v1::WithdrawConsentRequest& req,
                               v1::Consent* out);
  grpc::Status ListConsents(const User& caller,
                            const v1::ListConsentsRequest& req,
                            v1::ListConsentsResponse* out);
  // Structured records and the household: no consent shares these; they
  // are for the case's worker and the coordinator.
  grpc::Status CreateRecord(const User& caller,
                            const v1::CreateSupportRecordRequest& req,
                            v1::SupportRecord* out);
  grpc::Status ListRecords(const User& caller,
                           const v1::ListSupportRecordsRequest& req,
                           v1::ListSupportRecordsResponse* out);
  grpc::Status GetHousehold(const User& caller,
                            const v1::GetHouseholdRequest& req,
                            v1::Household* out);
  grpc::Status UpdateHousehold(const User& caller,
                               const v1::UpdateHouseholdRequest& req,
                               v1::Household* out);

 private:
  Store& store_;
  const scheduler::Clock& clock_;
  const DeadlineEngine& engine_;
};

// The kinds of note `caller` may read on case `c` given its consents: all
// for social services, those live consents to the caller's role cover for
// police and prosecutors (never CONTACT for a protected identity), none for
// anyone else.
std::vector<v1::SupportKind> SharedKinds(
    const User& caller, const StoredCase& c,
    const std::vector<StoredConsent>& consents);

}  // namespace lotsen::server
