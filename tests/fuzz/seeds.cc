#include "tests/fuzz/seeds.h"

namespace lotsen::fuzz {
namespace {

// Names and dates as the fuzz server has them (fuzz_server.h): today is
// 2026-03-02; cases/1 is REPORTED with sara, cases/2 under investigation
// with the suspect remanded (history/5 the remand), cases/3 CHARGED,
// cases/4 in TRIAL with hearings/1 and /2, cases/5 in JUDGMENT, cases/7 closed and
// unassigned; cases/2/hearings/3 a remand hearing; alerts exist.
const Seed kSeeds[] = {
    // CaseService
    {"CreateCase", "polis",
     R"(case { police_report_number: "5000-K123456-26"
               report_date { year: 2026 month: 2 day: 27 }
               district: RINKEBY_KISTA offence_category: ASSAULT
               offence_text: "slag i ansiktet"
               victim { display_name: "Amina K." personal_number: "19121212-1212" }
               suspect_reference: "f.d. sambo" }
        request_id: "seed-create-1")",
     true},
    {"CreateCase", "lead",
     R"(case { police_report_number: "0201-K7-26"
               report_date { year: 2026 month: 3 day: 1 }
               district: SOLNA offence_category: STALKING
               victim { display_name: "Eva" personal_number: "198001019804"
                        protected_identity: true } })",
     true},
    {"GetCase", "lead", R"(name: "cases/1")", true},
    {"GetCase", "polis", R"(name: "cases/3")", true},
    {"GetCase", "sara", R"(name: "cases/2")", true},
    {"GetCase", "", R"(name: "cases/1")", true},
    {"ListCases", "lead", R"(page_size: 2 stage: INVESTIGATION)", true},
    {"ListCases", "sara", R"(assigned_worker: "users/sara")", true},
    {"ListCases", "lead", R"(page_size: 2147483647 district: SOLNA)", true},
    {"ListCases", "lead", R"(page_size: -1)", false},
    {"ListCases", "lead",
     R"(page_token: "p1.ffffffffffffffff.0000000000000000")", false},
    {"AdvanceCase", "polis",
     R"(name: "cases/1" transition: OPEN_INVESTIGATION
        decision_date { year: 2026 month: 3 day: 2 } reason: "FU inleds"
        request_id: "seed-advance-1")",
     true},
    {"AdvanceCase", "aklagare",
     R"(name: "cases/5" transition: CONVICTION_FINAL reason: "nöjdförklaring"
        decision_date { year: 2026 month: 3 day: 2 } appeal_waived: true)",
     true},
    {"AdvanceCase", "polis",
     R"(name: "cases/1" transition: CLOSE_INVESTIGATION reason: "x"
        decision_date { year: 2026 month: 3 day: 2 }
        etag: "99999999999999999999")",
     false},
    {"RecordCaseEvent", "polis",
     R"(name: "cases/2" event: SUSPECT_RELEASED
        event_date { year: 2026 month: 3 day: 1 } reason: "frisläppt")",
     true},
    {"RecordCaseEvent", "polis",
     R"(name: "cases/3" event: CONTACT_BAN_EXTENDED
        event_date { year: 2026 month: 3 day: 2 }
        end_date { year: 2026 month: 9 day: 30 })",
     true},
    {"AssignCase", "lead",
     R"(name: "cases/7" worker: "users/omar" reason: "ledig kapacitet")", true},
    {"CorrectHistoryEntry", "polis",
     R"(name: "cases/2/history/5" court_date { year: 2026 month: 3 day: 20 }
        reason: "rätten förlängde åtalsfristen")",
     true},
    {"ListCaseHistory", "lead", R"(name: "cases/2" page_size: 3)", true},
    // TaskService
    {"ListTasks", "sara", "", true},
    {"ListTasks", "lead",
     R"(assignee: "-" state: OPEN due_to { year: 2026 month: 3 day: 31 })",
     true},
    {"CompleteTask", "sara", R"(name: "cases/1/tasks/1" note: "ringde")", true},
    {"ListDeadlines", "aklagare", R"(case: "cases/2" page_size: 5)", true},
    // HearingService
    {"ScheduleHearing", "aklagare",
     R"(parent: "cases/3"
        hearing { court: "Solna tingsrätt" court_level: DISTRICT_COURT
                  room: "4" kind: MAIN_HEARING
                  start_local: "2026-03-12T09:30" duration_minutes: 180
                  worker: "users/lina"
                  needs { interpreter_language: "arabiska"
                          separate_waiting_room: true } }
        request_id: "seed-hearing-1")",
     true},
    {"ScheduleHearing", "lead",
     R"(parent: "cases/4" allow_conflict: true conflict_reason: "måste"
        hearing { court: "Solna tingsrätt" court_level: DISTRICT_COURT
                  kind: CONTINUED_MAIN_HEARING
                  start_time { seconds: 1773135000 } duration_minutes: 60 })",
     true},
    {"GetHearing", "lead", R"(name: "cases/4/hearings/1")", true},
    {"RescheduleHearing", "aklagare",
     R"(name: "cases/4/hearings/1" start_local: "2026-03-11T10:00"
        reason: "rättens begäran")",
     true},
    {"PostponeHearing", "aklagare",
     R"(name: "cases/2/hearings/3" reason: "tolk saknas")", true},
    {"CancelHearing", "lead",
     R"(name: "cases/2/hearings/3" reason: "inställd")", true},
    {"MarkHearingHeld", "sara", R"(name: "cases/4/hearings/1")", true},
    {"ListUpcomingHearings", "sara", "", true},
    {"ListUpcomingHearings", "lead",
     R"(court: "Solna tingsrätt" include_cancelled: true page_size: 1
        from { seconds: 1772400000 } to { seconds: 1775000000 })",
     true},
    {"AddAbsence", "sara",
     R"(parent: "users/sara"
        absence { first_day { year: 2026 month: 4 day: 1 }
                  last_day { year: 2026 month: 4 day: 3 } reason: "kurs" })",
     true},
    {"ListAbsences", "lead", R"(parent: "users/-")", true},
    {"GetWorkload", "lead", "", true},
    {"SuggestAssignee", "lead", "", true},
    // AlertService
    {"RunDeadlineSweep", "alertjob", R"(as_of { year: 2026 month: 3 day: 2 })",
     true},
    {"ClaimAlerts", "alertjob", R"(max_alerts: 10)", true},
    {"AcknowledgeAlerts", "alertjob", R"(names: "alerts/1" names: "alerts/2")",
     true},
    {"ListAlerts", "sara", "", true},
    // HearingService: the calendar feed
    {"ResetCalendarFeed", "sara", R"(name: "users/-/calendarFeed")", true},
    {"RevokeCalendarFeed", "lead", R"(name: "users/sara/calendarFeed")", true},
    {"ListAlerts", "lead", R"(recipient: "users/sara" state: PENDING)", true},
    // AuditService
    {"ListAuditEntries", "revisor",
     R"(case: "cases/1" actor: "users/lead" page_size: 5)", true},
    {"VerifyAuditLog", "revisor", "", true},
    // SupportService: structured records and the household
    {"CreateSupportRecord", "sara",
     R"(parent: "cases/1"
        record { kind: SUPPORT_OFFERED date { year: 2026 month: 3 day: 2 }
                 note: "stöd erbjudet" }
        request_id: "seed-record-1")",
     true},
    {"ListSupportRecords", "lead", R"(parent: "cases/1" page_size: 10)", true},
    {"GetHousehold", "sara", R"(name: "cases/1/household")", true},
    {"UpdateHousehold", "sara",
     R"(household { name: "cases/1/household" child_ages: 4 child_ages: 9
                    children_witnessed: true })",
     true},
    // UserService
    {"GetUser", "sara", R"(name: "users/-")", true},
    {"GetUser", "lead", R"(name: "users/omar")", true},
    // ReportService
    {"GetPilotReport", "lead",
     R"(from { year: 2026 month: 1 day: 1 } to { year: 2026 month: 3 day: 3 }
        baseline_from { year: 2025 month: 1 day: 1 }
        baseline_to { year: 2025 month: 3 day: 3 })",
     true},
};

}  // namespace

std::span<const Seed> Seeds() { return kSeeds; }

}  // namespace lotsen::fuzz
