#include "server/rpc/hearing_service.h"

#include "server/rpc/adaptor.h"

namespace lotsen::server {

LOTSEN_RPC(HearingServiceImpl, ScheduleHearing, hearings_, Schedule,
           v1::ScheduleHearingRequest, v1::Hearing)
LOTSEN_INLINE_RPC(HearingServiceImpl, GetHearing, hearings_, Get,
                  v1::GetHearingRequest, v1::Hearing)
LOTSEN_RPC(HearingServiceImpl, RescheduleHearing, hearings_, Reschedule,
           v1::RescheduleHearingRequest, v1::Hearing)
LOTSEN_RPC(HearingServiceImpl, PostponeHearing, hearings_, Postpone,
           v1::ChangeHearingRequest, v1::Hearing)
LOTSEN_RPC(HearingServiceImpl, CancelHearing, hearings_, Cancel,
           v1::ChangeHearingRequest, v1::Hearing)
LOTSEN_RPC(HearingServiceImpl, MarkHearingHeld, hearings_, MarkHeld,
           v1::ChangeHearingRequest, v1::Hearing)
LOTSEN_INLINE_RPC(HearingServiceImpl, ListUpcomingHearings, hearings_,
                  ListUpcoming, v1::ListUpcomingHearingsRequest,
                  v1::ListUpcomingHearingsResponse)
LOTSEN_RPC(HearingServiceImpl, AddAbsence, hearings_, AddAbsence,
           v1::AddAbsenceRequest, v1::Absence)
LOTSEN_INLINE_RPC(HearingServiceImpl, ListAbsences, hearings_, ListAbsences,
                  v1::ListAbsencesRequest, v1::ListAbsencesResponse)

LOTSEN_RPC(HearingServiceImpl, GetWorkload, workload_, Get,
           v1::GetWorkloadRequest, v1::GetWorkloadResponse)
LOTSEN_RPC(HearingServiceImpl, SuggestAssignee, workload_, Suggest,
           v1::SuggestAssigneeRequest, v1::WorkerLoad)

LOTSEN_RPC(HearingServiceImpl, ResetCalendarFeed, feeds_, Reset,
           v1::ResetCalendarFeedRequest, v1::CalendarFeed)
LOTSEN_RPC(HearingServiceImpl, RevokeCalendarFeed, feeds_, Revoke,
           v1::RevokeCalendarFeedRequest, v1::CalendarFeed)

}  // namespace lotsen::server
