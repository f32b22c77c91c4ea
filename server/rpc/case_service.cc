#include "server/rpc/case_service.h"

#include "server/rpc/adaptor.h"

namespace lotsen::server {

LOTSEN_RPC(CaseServiceImpl, CreateCase, cases_, Create, v1::CreateCaseRequest,
           v1::Case)
LOTSEN_INLINE_RPC(CaseServiceImpl, GetCase, cases_, Get, v1::GetCaseRequest,
                  v1::Case)
LOTSEN_INLINE_RPC(CaseServiceImpl, ListCases, cases_, List,
                  v1::ListCasesRequest, v1::ListCasesResponse)
LOTSEN_RPC(CaseServiceImpl, AdvanceCase, cases_, Advance,
           v1::AdvanceCaseRequest, v1::Case)
LOTSEN_RPC(CaseServiceImpl, RecordCaseEvent, cases_, RecordEvent,
           v1::RecordCaseEventRequest, v1::Case)
LOTSEN_RPC(CaseServiceImpl, AssignCase, cases_, Assign, v1::AssignCaseRequest,
           v1::Case)
LOTSEN_RPC(CaseServiceImpl, CorrectHistoryEntry, cases_, CorrectEntry,
           v1::CorrectHistoryEntryRequest, v1::Case)
LOTSEN_INLINE_RPC(CaseServiceImpl, ListCaseHistory, cases_, ListHistory,
                  v1::ListCaseHistoryRequest, v1::ListCaseHistoryResponse)

}  // namespace lotsen::server
