// The authorization table walked over real gRPC (issue 6, item 2): every RPC
// of every lotsen.v1 service, as every role, on the caller's own case and on
// another's. The expected matrix is written here by hand from DOMAIN.md
// ("People, roles and secrecy") and the issue, not read from
// server::AuthorizationTable(): social workers reach their assigned cases,
// the coordinator every case, police and prosecutors the legal track of their
// district, the alert job the sweep and the outbox, the auditor the log.
#include "server/domain/authz.h"

#include <google/protobuf/descriptor.h>

#include <functional>
#include <set>

#include "lotsen/v1/alert_service.grpc.pb.h"
#include "lotsen/v1/audit_service.grpc.pb.h"
#include "lotsen/v1/support_service.grpc.pb.h"
#include "server/rpc/status_names.h"
#include "tests/integration/server_fixture.h"

namespace lotsen {
namespace {

using v1::Role;

constexpr Role kWorker = v1::SOCIAL_WORKER;
constexpr Role kLead = v1::COORDINATOR;
constexpr Role kPolice = v1::POLICE;
constexpr Role kProsecutor = v1::PROSECUTOR;
constexpr Role kJob = v1::ALERT_JOB;
constexpr Role kAuditor = v1::AUDITOR;
constexpr Role kRoles[] = {kWorker,     kLead, kPolice,
                           kProsecutor, kJob,  kAuditor};

const char* const kServices[] = {
    "lotsen.v1.CaseService",    "lotsen.v1.TaskService",
    "lotsen.v1.HearingService", "lotsen.v1.AlertService",
    "lotsen.v1.AuditService",   "lotsen.v1.SupportService",
    "lotsen.v1.ReportService",  "lotsen.v1.UserService"};

// One case a call is about, with the child resources the set-up made on it.
struct Target {
  bool own = false;
  std::string name;    // cases/N
  std::string worker;  // users/x, the assigned social worker
  v1::District district = v1::DISTRICT_UNSPECIFIED;
  std::string hearing;   // cases/N/hearings/M, the worker booked to go
  std::string task;      // a TASK for the assigned worker
  std::string deadline;  // a DEADLINE (the åtalsfrist)
  std::string entry;     // cases/N/history/S: a CONTACT_BAN_REQUESTED event
  std::string consent;   // a live consent, for WithdrawConsent
};

using Roles = std::set<Role>;
using Call =
    std::function<grpc::Status(grpc::ClientContext*, const Target&, Role)>;

// A row of the matrix: who may call `method` on their own case, and who on
// another's. For methods about no case, "own" and "other" are the own and
// another worker's (AddAbsence, ListAbsences, ListAlerts), or the same.
struct Row {
  std::string_view service;  // short name, e.g. "CaseService"
  std::string_view method;
  Roles own;
  Roles other;
  Call call;
};

class AuthzTest : public AllRolesTest {
 protected:
  void SetUp() override {
    AllRolesTest::SetUp();
    // Own: a case of the fixture's police district, assigned to sara. Other:
    // a case of another district, made by the coordinator, assigned to omar.
    own_.own = true;
    own_.name = Create("5000-K1-26").name();
    own_.worker = "users/sara";
    own_.district = v1::RINKEBY_KISTA;
    auto req = NewCase("5000-K2-26");
    req.mutable_case_()->set_district(v1::BROMMA);
    v1::Case c;
    ASSERT_TRUE(stub_->CreateCase(As("lead").get(), req, &c).ok());
    other_.name = c.name();
    other_.worker = "users/omar";
    other_.district = v1::BROMMA;
    ASSERT_NO_FATAL_FAILURE(Prepare(own_, "polis", "1"));
    ASSERT_NO_FATAL_FAILURE(Prepare(other_, "polis_b", "2"));
  }

  // Assigns the case and gives it a hearing, a task, a deadline, an event
  // to correct, consents and a note: the things the walk's calls name.
  void Prepare(Target& t, const std::string& police, const std::string& room) {
    v1::AssignCaseRequest a;
    a.set_name(t.name);
    a.set_worker(t.worker);
    v1::Case c;
    ASSERT_TRUE(stub_->AssignCase(As("lead").get(), a, &c).ok());
    ASSERT_TRUE(
        Advance(police, t.name, v1::OPEN_INVESTIGATION, D(2026, 3, 2), &c)
            .ok());
    v1::RecordCaseEventRequest ev;
    ev.set_name(t.name);
    ev.set_event(v1::SUSPECT_REMANDED);
    *ev.mutable_event_date() = D(2026, 3, 2);
    *ev.mutable_court_date() = D(2026, 3, 20);
    auto s = stub_->RecordCaseEvent(As(police).get(), ev, &c);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ev.Clear();
    ev.set_name(t.name);
    ev.set_event(v1::CONTACT_BAN_REQUESTED);
    *ev.mutable_event_date() = D(2026, 3, 2);
    ASSERT_TRUE(stub_->RecordCaseEvent(As("lead").get(), ev, &c).ok());
    for (const auto& e : History(t.name)) {
      if (e.event() == v1::CONTACT_BAN_REQUESTED) t.entry = e.name();
    }
    ASSERT_FALSE(t.entry.empty());

    v1::ScheduleHearingRequest h = Booking(t.name, room);
    h.mutable_hearing()->set_worker(t.worker);
    v1::Hearing booked;
    s = hearings_->ScheduleHearing(As("lead").get(), h, &booked);
    ASSERT_TRUE(s.ok()) << s.error_message();
    t.hearing = booked.name();

    v1::ListTasksRequest lt;
    lt.set_case_(t.name);
    lt.set_assignee("-");
    v1::ListTasksResponse tasks;
    ASSERT_TRUE(tasks_->ListTasks(As("lead").get(), lt, &tasks).ok());
    for (const auto& task : tasks.tasks()) {
      if (task.concerns() == v1::CONCERNS_ASSIGNED_WORKER &&
          task.assignee() == t.worker) {
        t.task = task.name();
      }
    }
    ASSERT_FALSE(t.task.empty());
    v1::ListDeadlinesRequest ld;
    ld.set_case_(t.name);
    v1::ListDeadlinesResponse deadlines;
    ASSERT_TRUE(tasks_->ListDeadlines(As("lead").get(), ld, &deadlines).ok());
    ASSERT_GT(deadlines.deadlines_size(), 0);
    t.deadline = deadlines.deadlines(0).name();

    // Police and prosecutor may read SUPPORT notes by the victim's consent;
    // a third consent is there to be withdrawn.
    v1::Consent k;
    for (Role to : {kPolice, kProsecutor, kPolice}) {
      ASSERT_TRUE(support_
                      ->CreateConsent(As("lead").get(),
                                      ConsentTo(t.name, to, v1::SUPPORT), &k)
                      .ok());
    }
    t.consent = k.name();
    v1::SupportNote n;
    ASSERT_TRUE(
        support_->CreateSupportNote(As("lead").get(), Note(t.name), &n).ok());
  }

  v1::ScheduleHearingRequest Booking(const std::string& parent,
                                     const std::string& room) {
    v1::ScheduleHearingRequest req;
    req.set_parent(parent);
    auto& h = *req.mutable_hearing();
    h.set_court("Solna tingsrätt");
    h.set_court_level(v1::DISTRICT_COURT);
    h.set_room(room);
    h.set_kind(v1::OTHER_HEARING);
    h.set_start_local("2026-03-10T09:00");
    h.set_duration_minutes(60);
    return req;
  }

  static v1::CreateConsentRequest ConsentTo(const std::string& parent, Role to,
                                            v1::SupportKind kind) {
    v1::CreateConsentRequest req;
    req.set_parent(parent);
    req.mutable_consent()->set_recipient(to);
    req.mutable_consent()->add_kinds(kind);
    *req.mutable_consent()->mutable_given_date() = D(2026, 3, 2);
    return req;
  }

  static v1::CreateSupportNoteRequest Note(const std::string& parent) {
    v1::CreateSupportNoteRequest req;
    req.set_parent(parent);
    req.mutable_note()->set_kind(v1::SUPPORT);
    *req.mutable_note()->mutable_date() = D(2026, 3, 2);
    req.mutable_note()->set_text("erbjudet stödsamtal");
    return req;
  }

  static std::string UserOf(Role role) {
    static const std::map<Role, std::string> kUsers = {
        {kWorker, "sara"},         {kLead, "lead"}, {kPolice, "polis"},
        {kProsecutor, "aklagare"}, {kJob, "job"},   {kAuditor, "revisor"}};
    return kUsers.at(role);
  }

  std::string Unique(const std::string& prefix) {
    return prefix + std::to_string(++serial_);
  }

  // The matrix, by hand. W social worker, L coordinator, P police, Pr
  // prosecutor, J alert job, A auditor.
  std::vector<Row> Matrix();

  void Walk(std::string_view service);

  Target own_, other_;
  int serial_ = 100;
};

std::vector<Row> AuthzTest::Matrix() {
  const Roles kAllCaseRoles = {kWorker, kLead, kPolice, kProsecutor};
  const Roles kLeadOnly = {kLead};
  const Roles kSocial = {kWorker, kLead};
  const Roles kLegal = {kPolice, kProsecutor};
  const Roles kPeople = {kWorker, kLead, kPolice, kProsecutor, kJob};
  std::vector<Row> rows;
  auto add = [&](std::string_view service, std::string_view method, Roles own,
                 Roles other, Call call) {
    rows.push_back(
        {service, method, std::move(own), std::move(other), std::move(call)});
  };

  // CaseService. Police register reports of their district; the coordinator
  // any; social workers none.
  add("CaseService", "CreateCase", {kLead, kPolice, kProsecutor}, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        auto req = NewCase(Unique("5000-K") + "-26");
        req.mutable_case_()->set_district(t.district);
        v1::Case out;
        return stub_->CreateCase(ctx, req, &out);
      });
  add("CaseService", "GetCase", kAllCaseRoles, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::GetCaseRequest req;
        req.set_name(t.name);
        v1::Case out;
        return stub_->GetCase(ctx, req, &out);
      });
  add("CaseService", "ListCases", kAllCaseRoles, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::ListCasesRequest req;
        req.set_district(t.district);
        req.set_assigned_worker(t.worker);
        v1::ListCasesResponse out;
        return stub_->ListCases(ctx, req, &out);
      });
  // Stage changes are the police's and the prosecutor's decisions.
  add("CaseService", "AdvanceCase", kLegal, {},
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::AdvanceCaseRequest req;
        req.set_name(t.name);
        req.set_transition(v1::COMPLETE_INVESTIGATION);
        *req.mutable_decision_date() = D(2026, 3, 2);
        req.set_reason("förundersökningen slutförd");
        v1::Case out;
        return stub_->AdvanceCase(ctx, req, &out);
      });
  // Social workers help the victim request a contact ban.
  add("CaseService", "RecordCaseEvent", kAllCaseRoles, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::RecordCaseEventRequest req;
        req.set_name(t.name);
        req.set_event(v1::CONTACT_BAN_REQUESTED);
        *req.mutable_event_date() = D(2026, 3, 2);
        v1::Case out;
        return stub_->RecordCaseEvent(ctx, req, &out);
      });
  add("CaseService", "AssignCase", kLeadOnly, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::AssignCaseRequest req;
        req.set_name(t.name);
        req.set_worker(t.worker);  // as it is: the walk keeps its targets
        v1::Case out;
        return stub_->AssignCase(ctx, req, &out);
      });
  add("CaseService", "CorrectHistoryEntry", kAllCaseRoles, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::CorrectHistoryEntryRequest req;
        req.set_name(t.entry);
        *req.mutable_legal_date() = D(2026, 3, 1);
        req.set_reason("fel datum");
        v1::Case out;
        return stub_->CorrectHistoryEntry(ctx, req, &out);
      });
  add("CaseService", "ListCaseHistory", kAllCaseRoles, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::ListCaseHistoryRequest req;
        req.set_name(t.name);
        v1::ListCaseHistoryResponse out;
        return stub_->ListCaseHistory(ctx, req, &out);
      });

  // TaskService. Tasks are support work; deadlines are the legal track.
  add("TaskService", "ListTasks", kSocial, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::ListTasksRequest req;
        req.set_case_(t.name);
        v1::ListTasksResponse out;
        return tasks_->ListTasks(ctx, req, &out);
      });
  add("TaskService", "CompleteTask", kAllCaseRoles, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role role) {
        v1::CompleteTaskRequest req;
        // A task by its worker, a deadline by police or prosecutor.
        req.set_name(role == kPolice || role == kProsecutor ? t.deadline
                                                            : t.task);
        v1::Task out;
        return tasks_->CompleteTask(ctx, req, &out);
      });
  add("TaskService", "ListDeadlines", kAllCaseRoles, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::ListDeadlinesRequest req;
        req.set_case_(t.name);
        v1::ListDeadlinesResponse out;
        return tasks_->ListDeadlines(ctx, req, &out);
      });

  // HearingService. Prosecutors set hearings, the coordinator books the
  // workers who go along; a worker marks held a hearing they went to.
  const Roles kBooking = {kLead, kProsecutor};
  add("HearingService", "ScheduleHearing", kBooking, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::Hearing out;
        return hearings_->ScheduleHearing(ctx, Booking(t.name, Unique("S")),
                                          &out);
      });
  add("HearingService", "GetHearing", kAllCaseRoles, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::GetHearingRequest req;
        req.set_name(t.hearing);
        v1::Hearing out;
        return hearings_->GetHearing(ctx, req, &out);
      });
  add("HearingService", "RescheduleHearing", kBooking, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::RescheduleHearingRequest req;
        req.set_name(t.hearing);
        req.set_room(Unique("R"));
        req.set_reason("större sal");
        v1::Hearing out;
        return hearings_->RescheduleHearing(ctx, req, &out);
      });
  for (std::string_view method :
       {"PostponeHearing", "CancelHearing", "MarkHearingHeld"}) {
    const bool held = method == "MarkHearingHeld";
    add("HearingService", method,
        held ? Roles{kWorker, kLead, kProsecutor} : kBooking, kLeadOnly,
        [this, method](grpc::ClientContext* ctx, const Target& t, Role) {
          v1::ChangeHearingRequest req;
          req.set_name(t.hearing);
          req.set_reason("tolk saknas");
          v1::Hearing out;
          if (method == "PostponeHearing") {
            return hearings_->PostponeHearing(ctx, req, &out);
          }
          if (method == "CancelHearing") {
            return hearings_->CancelHearing(ctx, req, &out);
          }
          return hearings_->MarkHearingHeld(ctx, req, &out);
        });
  }
  add("HearingService", "ListUpcomingHearings", kAllCaseRoles, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role role) {
        v1::ListUpcomingHearingsRequest req;
        // A worker asks for a worker's hearings, the others for a district's.
        if (role == kWorker) {
          req.set_worker(t.worker);
        } else {
          req.set_district(t.district);
        }
        v1::ListUpcomingHearingsResponse out;
        return hearings_->ListUpcomingHearings(ctx, req, &out);
      });
  add("HearingService", "AddAbsence", kSocial, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::AddAbsenceRequest req;
        req.set_parent(t.worker);
        *req.mutable_absence()->mutable_first_day() = D(2026, 5, 4);
        *req.mutable_absence()->mutable_last_day() = D(2026, 5, 8);
        v1::Absence out;
        return hearings_->AddAbsence(ctx, req, &out);
      });
  add("HearingService", "ListAbsences", kSocial, kSocial,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::ListAbsencesRequest req;
        req.set_parent(t.worker);
        v1::ListAbsencesResponse out;
        return hearings_->ListAbsences(ctx, req, &out);
      });
  add("HearingService", "GetWorkload", kLeadOnly, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target&, Role) {
        v1::GetWorkloadResponse out;
        return hearings_->GetWorkload(ctx, {}, &out);
      });
  add("HearingService", "SuggestAssignee", kLeadOnly, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target&, Role) {
        v1::WorkerLoad out;
        return hearings_->SuggestAssignee(ctx, {}, &out);
      });
  // A worker's own calendar feed; the coordinator anyone's.
  add("HearingService", "ResetCalendarFeed", kSocial, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::ResetCalendarFeedRequest req;
        req.set_name(t.worker + "/calendarFeed");
        v1::CalendarFeed out;
        return hearings_->ResetCalendarFeed(ctx, req, &out);
      });
  add("HearingService", "RevokeCalendarFeed", kSocial, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::RevokeCalendarFeedRequest req;
        req.set_name(t.worker + "/calendarFeed");
        v1::CalendarFeed out;
        return hearings_->RevokeCalendarFeed(ctx, req, &out);
      });

  // AlertService: the job's, and the coordinator's; each person their own.
  const Roles kJobAndLead = {kJob, kLead};
  add("AlertService", "RunDeadlineSweep", kJobAndLead, kJobAndLead,
      [this](grpc::ClientContext* ctx, const Target&, Role) {
        v1::RunDeadlineSweepResponse out;
        return alerts_->RunDeadlineSweep(ctx, {}, &out);
      });
  add("AlertService", "ClaimAlerts", kJobAndLead, kJobAndLead,
      [this](grpc::ClientContext* ctx, const Target&, Role) {
        v1::ClaimAlertsResponse out;
        return alerts_->ClaimAlerts(ctx, {}, &out);
      });
  add("AlertService", "AcknowledgeAlerts", kPeople, kPeople,
      [this](grpc::ClientContext* ctx, const Target&, Role) {
        v1::AcknowledgeAlertsRequest req;
        req.add_names("alerts/999999");
        v1::AcknowledgeAlertsResponse out;
        return alerts_->AcknowledgeAlerts(ctx, req, &out);
      });
  // Own: the caller's alerts; other: the other case's worker's.
  add("AlertService", "ListAlerts", kPeople, kJobAndLead,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::ListAlertsRequest req;
        if (!t.own) req.set_recipient(t.worker);
        v1::ListAlertsResponse out;
        return alerts_->ListAlerts(ctx, req, &out);
      });

  // AuditService: the auditor's alone.
  add("AuditService", "ListAuditEntries", {kAuditor}, {kAuditor},
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::ListAuditEntriesRequest req;
        req.set_case_(t.name);
        v1::ListAuditEntriesResponse out;
        return audit_->ListAuditEntries(ctx, req, &out);
      });
  add("AuditService", "VerifyAuditLog", {kAuditor}, {kAuditor},
      [this](grpc::ClientContext* ctx, const Target&, Role) {
        v1::VerifyAuditLogResponse out;
        return audit_->VerifyAuditLog(ctx, {}, &out);
      });

  // UserService: every role its own record ("own" is the caller's, via
  // users/-), the coordinator anyone's (another: omar).
  add("UserService", "GetUser", Roles(std::begin(kRoles), std::end(kRoles)),
      kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::GetUserRequest req;
        req.set_name(t.own ? "users/-" : "users/omar");
        v1::User out;
        return users_->GetUser(ctx, req, &out);
      });
  // ReportService: the pilot's figures cover every case; the project lead's.
  add("ReportService", "GetPilotReport", kLeadOnly, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target&, Role) {
        v1::GetPilotReportRequest req;
        *req.mutable_from() = D(2026, 1, 1);
        *req.mutable_to() = D(2026, 3, 1);
        v1::PilotReport out;
        return reports_->GetPilotReport(ctx, req, &out);
      });

  // SupportService: social services' (OSL 26:1). Police and prosecutor read
  // notes only by consent, which the set-up gave on both cases: on another
  // district's case the consent does not help.
  add("SupportService", "CreateSupportNote", kSocial, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::SupportNote out;
        return support_->CreateSupportNote(ctx, Note(t.name), &out);
      });
  add("SupportService", "ListSupportNotes", kAllCaseRoles, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::ListSupportNotesRequest req;
        req.set_parent(t.name);
        v1::ListSupportNotesResponse out;
        return support_->ListSupportNotes(ctx, req, &out);
      });
  add("SupportService", "CreateConsent", kSocial, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::Consent out;
        return support_->CreateConsent(
            ctx, ConsentTo(t.name, kProsecutor, v1::REFERRAL), &out);
      });
  add("SupportService", "WithdrawConsent", kSocial, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::WithdrawConsentRequest req;
        req.set_name(t.consent);
        *req.mutable_withdrawn_date() = D(2026, 3, 2);
        v1::Consent out;
        return support_->WithdrawConsent(ctx, req, &out);
      });
  add("SupportService", "ListConsents", kSocial, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::ListConsentsRequest req;
        req.set_parent(t.name);
        v1::ListConsentsResponse out;
        return support_->ListConsents(ctx, req, &out);
      });
  // Structured support records and the household: no consent reaches them.
  add("SupportService", "CreateSupportRecord", kSocial, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::CreateSupportRecordRequest req;
        req.set_parent(t.name);
        req.mutable_record()->set_kind(v1::SAFETY_PLAN_MADE);
        *req.mutable_record()->mutable_date() = D(2026, 3, 2);
        v1::SupportRecord out;
        return support_->CreateSupportRecord(ctx, req, &out);
      });
  add("SupportService", "ListSupportRecords", kSocial, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::ListSupportRecordsRequest req;
        req.set_parent(t.name);
        v1::ListSupportRecordsResponse out;
        return support_->ListSupportRecords(ctx, req, &out);
      });
  add("SupportService", "GetHousehold", kSocial, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::GetHouseholdRequest req;
        req.set_name(t.name + "/household");
        v1::Household out;
        return support_->GetHousehold(ctx, req, &out);
      });
  add("SupportService", "UpdateHousehold", kSocial, kLeadOnly,
      [this](grpc::ClientContext* ctx, const Target& t, Role) {
        v1::UpdateHouseholdRequest req;
        req.mutable_household()->set_name(t.name + "/household");
        req.mutable_household()->add_child_ages(7);
        v1::Household out;
        return support_->UpdateHousehold(ctx, req, &out);
      });
  return rows;
}

void AuthzTest::Walk(std::string_view service) {
  int walked = 0;
  for (const Row& row : Matrix()) {
    if (row.service != service) continue;
    ++walked;
    for (const Target* t : {&own_, &other_}) {
      for (Role role : kRoles) {
        const grpc::Status s = row.call(As(UserOf(role)).get(), *t, role);
        const auto code = s.error_code();
        const bool allowed = (t->own ? row.own : row.other).contains(role);
        const std::string what =
            std::string(row.method) + " as " + v1::Role_Name(role) + " on " +
            (t->own ? "own " : "other ") + t->name + ": " +
            server::StatusCodeName(code) + " " + s.error_message();
        if (allowed) {
          // Past both gates: the answer is the method's own, and the request
          // was a valid one.
          EXPECT_TRUE(code == StatusCode::OK ||
                      code == StatusCode::FAILED_PRECONDITION ||
                      code == StatusCode::NOT_FOUND)
              << "expected allowed: " << what;
        } else {
          EXPECT_EQ(code, StatusCode::PERMISSION_DENIED)
              << "expected denied: " << what;
          const std::string& m = s.error_message();
          EXPECT_TRUE(m.find(row.method) != std::string::npos ||
                      m.find(" only") != std::string::npos)
              << "the refusal names neither the method nor the rule: " << what;
        }
      }
    }
  }
  EXPECT_GT(walked, 0) << service;
}

TEST_F(AuthzTest, CaseServiceTableWalk) { Walk("CaseService"); }
TEST_F(AuthzTest, TaskServiceTableWalk) { Walk("TaskService"); }
TEST_F(AuthzTest, HearingServiceTableWalk) { Walk("HearingService"); }
TEST_F(AuthzTest, AlertServiceTableWalk) { Walk("AlertService"); }
TEST_F(AuthzTest, AuditServiceTableWalk) { Walk("AuditService"); }
TEST_F(AuthzTest, SupportServiceTableWalk) { Walk("SupportService"); }
TEST_F(AuthzTest, ReportServiceTableWalk) { Walk("ReportService"); }
TEST_F(AuthzTest, UserServiceTableWalk) { Walk("UserService"); }

// The matrix has a row for every RPC the API declares, and the server's
// table names exactly the same methods.
TEST_F(AuthzTest, MatrixCoversEveryMethodAndTheServerTable) {
  std::set<std::string> declared, in_matrix, in_table;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const char* name : kServices) {
    const auto* svc = pool->FindServiceByName(name);
    ASSERT_NE(svc, nullptr) << name;
    EXPECT_EQ(svc->file()->service_count(), 1) << svc->file()->name();
    for (int i = 0; i < svc->method_count(); ++i) {
      EXPECT_TRUE(
          declared.insert(svc->name() + "." + svc->method(i)->name()).second);
    }
  }
  for (const Row& row : Matrix()) {
    EXPECT_TRUE(
        in_matrix
            .insert(std::string(row.service) + "." + std::string(row.method))
            .second)
        << "two rows for " << row.method;
  }
  EXPECT_EQ(in_matrix, declared);
  std::set<std::string> bare;
  for (const std::string& m : declared) bare.insert(m.substr(m.find('.') + 1));
  EXPECT_EQ(bare.size(), declared.size()) << "method names are unique";
  // Gated like an RPC, served over HTTP (the calendar feed).
  bare.insert("GetCalendarFeed");
  for (const auto& rule : server::AuthorizationTable()) {
    EXPECT_TRUE(in_table.insert(std::string(rule.method)).second)
        << "two rules for " << rule.method;
  }
  EXPECT_EQ(in_table, bare);
}

// No token, or one the server never gave: UNAUTHENTICATED, whatever the
// method, before any other check.
TEST_F(AuthzTest, NoTokenIsUnauthenticatedForEveryMethod) {
  for (const Row& row : Matrix()) {
    grpc::ClientContext anonymous;
    auto s = row.call(&anonymous, own_, kLead);
    EXPECT_EQ(s.error_code(), StatusCode::UNAUTHENTICATED)
        << row.method << ": " << s.error_message();
    grpc::ClientContext forged;
    forged.AddMetadata("authorization", "Bearer not-a-token");
    s = row.call(&forged, own_, kLead);
    EXPECT_EQ(s.error_code(), StatusCode::UNAUTHENTICATED)
        << row.method << ": " << s.error_message();
  }
}

}  // namespace
}  // namespace lotsen
