// The name of every RPC Lotsen serves, written once: the authorization
// table (authz.cc), the services that ask the case gate, the call log and
// the access log all use these. Constants only; safe from any thread.
#pragma once

#include <string_view>

namespace lotsen::server::methods {

inline constexpr std::string_view kCreateCase = "CreateCase";
inline constexpr std::string_view kGetCase = "GetCase";
inline constexpr std::string_view kListCases = "ListCases";
inline constexpr std::string_view kListCaseHistory = "ListCaseHistory";
inline constexpr std::string_view kAdvanceCase = "AdvanceCase";
inline constexpr std::string_view kRecordCaseEvent = "RecordCaseEvent";
inline constexpr std::string_view kCorrectHistoryEntry = "CorrectHistoryEntry";
inline constexpr std::string_view kAssignCase = "AssignCase";
inline constexpr std::string_view kListTasks = "ListTasks";
inline constexpr std::string_view kCompleteTask = "CompleteTask";
inline constexpr std::string_view kListDeadlines = "ListDeadlines";
inline constexpr std::string_view kScheduleHearing = "ScheduleHearing";
inline constexpr std::string_view kRescheduleHearing = "RescheduleHearing";
inline constexpr std::string_view kPostponeHearing = "PostponeHearing";
inline constexpr std::string_view kCancelHearing = "CancelHearing";
inline constexpr std::string_view kMarkHearingHeld = "MarkHearingHeld";
inline constexpr std::string_view kGetHearing = "GetHearing";
inline constexpr std::string_view kListUpcomingHearings =
    "ListUpcomingHearings";
inline constexpr std::string_view kAddAbsence = "AddAbsence";
inline constexpr std::string_view kGetPilotReport = "GetPilotReport";
inline constexpr std::string_view kListAbsences = "ListAbsences";
inline constexpr std::string_view kGetWorkload = "GetWorkload";
inline constexpr std::string_view kSuggestAssignee = "SuggestAssignee";
inline constexpr std::string_view kListAuditEntries = "ListAuditEntries";
inline constexpr std::string_view kVerifyAuditLog = "VerifyAuditLog";
inline constexpr std::string_view kRunDeadlineSweep = "RunDeadlineSweep";
inline constexpr std::string_view kClaimAlerts = "ClaimAlerts";
inline constexpr std::string_view kAcknowledgeAlerts = "AcknowledgeAlerts";
inline constexpr std::string_view kListAlerts = "ListAlerts";
inline constexpr std::string_view kCreateSupportNote = "CreateSupportNote";
inline constexpr std::string_view kListSupportNotes = "ListSupportNotes";
inline constexpr std::string_view kCreateConsent = "CreateConsent";
inline constexpr std::string_view kWithdrawConsent = "WithdrawConsent";
inline constexpr std::string_view kListConsents = "ListConsents";
inline constexpr std::string_view kCreateSupportRecord = "CreateSupportRecord";
inline constexpr std::string_view kListSupportRecords = "ListSupportRecords";
inline constexpr std::string_view kGetHousehold = "GetHousehold";
inline constexpr std::string_view kUpdateHousehold = "UpdateHousehold";
inline constexpr std::string_view kGetUser = "GetUser";
inline constexpr std::string_view kResetCalendarFeed = "ResetCalendarFeed";
inline constexpr std::string_view kRevokeCalendarFeed = "RevokeCalendarFeed";
// Not an RPC: GET /calendar/{token}.ics on the HTTP listener, logged and
// gated like one.
inline constexpr std::string_view kGetCalendarFeed = "GetCalendarFeed";

}  // namespace lotsen::server::methods
