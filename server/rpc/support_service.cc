#include "server/rpc/support_service.h"

#include "server/rpc/adaptor.h"

namespace lotsen::server {

LOTSEN_RPC(SupportServiceImpl, CreateSupportNote, support_, CreateNote,
           v1::CreateSupportNoteRequest, v1::SupportNote)
LOTSEN_INLINE_RPC(SupportServiceImpl, ListSupportNotes, support_, ListNotes,
                  v1::ListSupportNotesRequest, v1::ListSupportNotesResponse)
LOTSEN_RPC(SupportServiceImpl, CreateConsent, support_, CreateConsent,
           v1::CreateConsentRequest, v1::Consent)
LOTSEN_RPC(SupportServiceImpl, WithdrawConsent, support_, WithdrawConsent,
           v1::WithdrawConsentRequest, v1::Consent)
LOTSEN_INLINE_RPC(SupportServiceImpl, ListConsents, support_, ListConsents,
                  v1::ListConsentsRequest, v1::ListConsentsResponse)
LOTSEN_RPC(SupportServiceImpl, CreateSupportRecord, support_, CreateRecord,
           v1::CreateSupportRecordRequest, v1::SupportRecord)
LOTSEN_INLINE_RPC(SupportServiceImpl, ListSupportRecords, support_, ListRecords,
                  v1::ListSupportRecordsRequest, v1::ListSupportRecordsResponse)
LOTSEN_INLINE_RPC(SupportServiceImpl, GetHousehold, support_, GetHousehold,
                  v1::GetHouseholdRequest, v1::Household)
LOTSEN_RPC(SupportServiceImpl, UpdateHousehold, support_, UpdateHousehold,
           v1::UpdateHouseholdRequest, v1::Household)

}  // namespace lotsen::server
