#include "server/service/demo.h"

#include <algorithm>

#include "scheduler/calendar.h"
#include "server/base/convert.h"
#include "server/domain/lifecycle.h"
#include "server/domain/tokens.h"
#include "server/domain/validation.h"
#include "server/service/admin.h"
#include "server/service/cases.h"
#include "server/service/demo_pilot.h"
#include "server/service/hearings.h"
#include "server/service/tasks.h"

namespace lotsen::server {

namespace {

struct DemoUser {
  const char* username;
  const char* display_name;
  v1::Role role;
  v1::District district;
};

// Police and prosecutors for two districts, so that the demo shows each
// seeing only their own district's cases.
const DemoUser kDemoUsers[] = {
    {"lead", "Karin Lind (projektledare)", v1::COORDINATOR,
     v1::DISTRICT_UNSPECIFIED},
    {"sara", "Sara Nilsson", v1::SOCIAL_WORKER, v1::DISTRICT_UNSPECIFIED},
    {"omar", "Omar Haddad", v1::SOCIAL_WORKER, v1::DISTRICT_UNSPECIFIED},
    {"lina", "Lina Berg", v1::SOCIAL_WORKER, v1::DISTRICT_UNSPECIFIED},
    {"polis", "Polisen Rinkeby-Kista", v1::POLICE, v1::RINKEBY_KISTA},
    {"aklagare", "Åklagare Rinkeby-Kista", v1::PROSECUTOR, v1::RINKEBY_KISTA},
    {"polis-vallingby", "Polisen Hässelby-Vällingby", v1::POLICE,
     v1::HASSELBY_VALLINGBY},
    {"aklagare-vallingby", "Åklagare Hässelby-Vällingby", v1::PROSECUTOR,
     v1::HASSELBY_VALLINGBY},
    // The other partner districts, for the pilot's demo cases
    // (demo_pilot.h), named as DemoLegalUser names them.
    {"polis-spanga-tensta", "Polisen Spånga-Tensta", v1::POLICE,
     v1::SPANGA_TENSTA},
    {"aklagare-spanga-tensta", "Åklagare Spånga-Tensta", v1::PROSECUTOR,
     v1::SPANGA_TENSTA},
    {"polis-bromma", "Polisen Bromma", v1::POLICE, v1::BROMMA},
    {"aklagare-bromma", "Åklagare Bromma", v1::PROSECUTOR, v1::BROMMA},
    {"polis-solna", "Polisen Solna", v1::POLICE, v1::SOLNA},
    {"aklagare-solna", "Åklagare Solna", v1::PROSECUTOR, v1::SOLNA},
    {"polis-sundbyberg", "Polisen Sundbyberg", v1::POLICE, v1::SUNDBYBERG},
    {"aklagare-sundbyberg", "Åklagare Sundbyberg", v1::PROSECUTOR,
     v1::SUNDBYBERG},
    {"polis-ekero", "Polisen Ekerö", v1::POLICE, v1::EKERO},
    {"aklagare-ekero", "Åklagare Ekerö", v1::PROSECUTOR, v1::EKERO},
};

// The demo user of `role` working `district`.
std::string DemoActor(v1::Role role, v1::District district) {
  for (const auto& d : kDemoUsers) {
    if (d.role == role && d.district == district) return d.username;
  }
  return "lead";
}

// One step of a demo case's life, `days` after its report date.
struct Step {
  int days;
  v1::Transition transition;  // or an event
  v1::CaseEventType event;
  int court_days;  // for remand: åtalsfrist, days after the report
  int end_days;    // for a contact ban: its last day, days after the report
  const char* reason;
};

struct DemoCase {
  int report_days_ago;
  v1::District district;
  v1::OffenceCategory offence;
  const char* victim;
  const char* personal_number;
  bool protected_identity;
  const char* worker;
  std::vector<Step> steps;
};

}  // namespace

namespace {

// Court dates for the cases at trial, so that `lotsen hearings` and a
// worker's calendar feed show something: Jenny P.'s main hearing in ten
// days with sara beside her (interpreter, a separate waiting room), and a
// continued day the week after.
grpc::Status BookDemoHearings(Store& store, const scheduler::Clock& clock,
                              const DeadlineEngine& engine,
                              std::map<std::string, User>& users) {
  Hearings hearings(store, clock, engine);
  Cases cases(store, clock, engine);
  v1::ListCasesRequest list;
  list.set_stage(v1::TRIAL);
  list.set_assigned_worker("users/sara");
  v1::ListCasesResponse at_trial;
  RETURN_IF_ERROR(cases.List(users["lead"], list, &at_trial));
  const scheduler::Day today = scheduler::StockholmDate(clock.Now());
  for (const auto& c : at_trial.cases()) {
    for (auto [days, kind, time, minutes] :
         {std::tuple{10, v1::MAIN_HEARING, "T09:30", 180},
          {17, v1::CONTINUED_MAIN_HEARING, "T13:00", 120}}) {
      v1::ScheduleHearingRequest req;
      req.set_parent(c.name());
      v1::Hearing& h = *req.mutable_hearing();
      h.set_court("Solna tingsrätt");
      h.set_court_level(v1::DISTRICT_COURT);
      h.set_room("3");
      h.set_kind(kind);
      // Courts sit on working days (Lag 1989:253): the next one from then.
      scheduler::Day day = today + date::days(days);
      while (!scheduler::IsWorkingDay(day)) day += date::days(1);
      h.set_start_local(scheduler::FormatDay(day) + time);
      h.set_duration_minutes(minutes);
      h.set_worker("users/sara");
      h.mutable_needs()->set_interpreter_language("arabiska");
      h.mutable_needs()->set_separate_waiting_room(true);
      v1::Hearing made;
      RETURN_IF_ERROR(hearings.Schedule(users["aklagare"], req, &made));
    }
  }
  return grpc::Status::OK;
}

}  // namespace

grpc::Status LoadDemo(Store& store, const scheduler::Clock& clock,
                      const DeadlineEngine& engine, std::ostream& out) {
  std::map<std::string, User> users;
  for (const auto& d : kDemoUsers) {
    std::string token;
    // Addresses in the reserved .example domain (RFC 2606) for the alert
    // digest; lina has none, so the coordinator's digest names her.
    const std::string email = std::string(d.username) == "lina"
                                  ? ""
                                  : std::string(d.username) + "@lotsen.example";
    grpc::Status s = AddUser(store, clock, d.username, d.display_name, d.role,
                             &token, kDefaultTokenDays, d.district, email);
    if (s.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
      s = IssueToken(store, clock, d.username, &token);
    }
    if (!s.ok()) return s;
    store.Read([&](ReadTx& tx) {
      users[d.username] = *tx.FindUser(d.username);
      return grpc::Status::OK;
    });
    out << d.username << "\t" << v1::Role_Name(d.role) << "\t" << token << "\n";
    if (d.role == v1::POLICE || d.role == v1::PROSECUTOR) {
      users[DemoLegalUser(d.role, d.district)] = users[d.username];
    }
  }
  using E = v1::CaseEventType;
  const E kNoEvent = v1::CASE_EVENT_TYPE_UNSPECIFIED;
  const v1::Transition kNoMove = v1::TRANSITION_UNSPECIFIED;
  const std::vector<DemoCase> demo = {
      {2,
       v1::RINKEBY_KISTA,
       v1::ASSAULT,
       "Amina K.",
       "19121212-1212",
       false,
       "sara",
       {}},
      {20,
       v1::RINKEBY_KISTA,
       v1::GROSS_VIOLATION_OF_INTEGRITY,
       "Maria L.",
       "",
       false,
       "omar",
       {{1, v1::OPEN_INVESTIGATION, kNoEvent, 0, 0,
         "anmälan prövad, FU inleds"},
        {3, kNoMove, v1::SUSPECT_ARRESTED, 0, 0, "anhållen i bostaden"},
        {5, kNoMove, v1::SUSPECT_REMANDED, 26, 0, "häktad av tingsrätten"},
        {6, kNoMove, v1::COUNSEL_REQUESTED, 0, 0, "målsägandebiträde begärt"}}},
      {45,
       v1::RINKEBY_KISTA,
       v1::UNLAWFUL_THREAT,
       "Elin S.",
       "",
       true,
       "lina",
       {{1, v1::OPEN_INVESTIGATION, kNoEvent, 0, 0, "FU inleds"},
        {2, kNoMove, v1::CONTACT_BAN_REQUESTED, 0, 0, "kontaktförbud begärt"},
        {6, kNoMove, v1::CONTACT_BAN_GRANTED, 0, 200, "beviljat"},
        {30, v1::COMPLETE_INVESTIGATION, kNoEvent, 0, 0, "FU slutförd"},
        {40, v1::FILE_CHARGES, kNoEvent, 0, 0,
         "åtal väckt vid Solna tingsrätt"}}},
      {70,
       v1::RINKEBY_KISTA,
       v1::AGGRAVATED_ASSAULT,
       "Jenny P.",
       "",
       false,
       "sara",
       {{1, v1::OPEN_INVESTIGATION, kNoEvent, 0, 0, "FU inleds"},
        {35, v1::COMPLETE_INVESTIGATION, kNoEvent, 0, 0, "FU slutförd"},
        {45, v1::FILE_CHARGES, kNoEvent, 0, 0, "åtal väckt"},
        {60, v1::SCHEDULE_TRIAL, kNoEvent, 0, 0, "huvudförhandling utsatt"}}},
      {120,
       v1::RINKEBY_KISTA,
       v1::STALKING,
       "Sofia R.",
       "",
       false,
       "omar",
       {{2, v1::OPEN_INVESTIGATION, kNoEvent, 0, 0, "FU inleds"},
        {50, v1::COMPLETE_INVESTIGATION, kNoEvent, 0, 0, "FU slutförd"},
        {60, v1::FILE_CHARGES, kNoEvent, 0, 0, "åtal väckt"},
        {80, v1::SCHEDULE_TRIAL, kNoEvent, 0, 0, "huvudförhandling utsatt"},
        {110, v1::ANNOUNCE_JUDGMENT, kNoEvent, 0, 0, "dom i tingsrätten"}}},
      {300,
       v1::RINKEBY_KISTA,
       v1::ASSAULT,
       "Hanna T.",
       "",
       false,
       "lina",
       {{1, v1::OPEN_INVESTIGATION, kNoEvent, 0, 0, "FU inleds"},
        {60, v1::COMPLETE_INVESTIGATION, kNoEvent, 0, 0, "FU slutförd"},
        {70, v1::FILE_CHARGES, kNoEvent, 0, 0, "åtal väckt"},
        {90, v1::SCHEDULE_TRIAL, kNoEvent, 0, 0, "huvudförhandling utsatt"},
        {120, v1::ANNOUNCE_JUDGMENT, kNoEvent, 0, 0, "fällande dom"},
        {135, v1::FILE_APPEAL, kNoEvent, 0, 0, "den tilltalade överklagar"},
        {220, v1::ANNOUNCE_JUDGMENT, kNoEvent, 0, 0, "hovrätten fastställer"},
        // Forty days on: past the four weeks to Högsta domstolen (RB 55:2)
        // however far a weekend or holiday rolls their last day.
        {260, v1::CONVICTION_FINAL, kNoEvent, 0, 0,
         "domen har vunnit laga kraft"}}},
      {40,
       v1::HASSELBY_VALLINGBY,
       v1::MOLESTATION,
       "Lejla M.",
       "",
       false,
       "",
       {{1, v1::OPEN_INVESTIGATION, kNoEvent, 0, 0, "FU inleds"},
        {25, v1::CLOSE_INVESTIGATION, kNoEvent, 0, 0,
         "brott kan inte styrkas"}}},
  };

  Cases cases(store, clock, engine);
  const scheduler::Day today = scheduler::StockholmDate(clock.Now());
  int serial = 100001;
  for (const auto& d : demo) {
    const scheduler::Day reported = today - date::days(d.report_days_ago);
    const int yy =
        static_cast<int>(date::year_month_day(reported).year()) % 100;
    char number[32];
    std::snprintf(number, sizeof number, "0201-K%d-%02d", serial++, yy);
    v1::CreateCaseRequest create;
    v1::Case& c = *create.mutable_case_();
    c.set_police_report_number(number);
    *c.mutable_report_date() = ToProto(reported);
    c.set_district(d.district);
    c.set_offence_category(d.offence);
    c.set_offence_text("Demo: brott i nära relation");
    c.mutable_victim()->set_display_name(d.victim);
    c.mutable_victim()->set_personal_number(d.personal_number);
    c.mutable_victim()->set_protected_identity(d.protected_identity);
    c.set_suspect_reference("före detta partner");
    v1::Case made;
    grpc::Status s =
        cases.Create(users[DemoActor(v1::POLICE, d.district)], create, &made);
    if (s.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
      return grpc::Status(
          grpc::StatusCode::ALREADY_EXISTS,
          "demo data is already loaded (" + std::string(number) + " exists)");
    }
    if (!s.ok()) return s;
    if (*d.worker) {
      v1::AssignCaseRequest a;
      a.set_name(made.name());
      a.set_worker(std::string("users/") + d.worker);
      a.set_reason("demo");
      s = cases.Assign(users["lead"], a, &made);
      if (!s.ok()) return s;
    }
    for (const auto& step : d.steps) {
      const v1::Date when = ToProto(reported + date::days(step.days));
      if (step.transition != kNoMove) {
        v1::AdvanceCaseRequest r;
        r.set_name(made.name());
        r.set_transition(step.transition);
        *r.mutable_decision_date() = when;
        r.set_reason(step.reason);
        const bool police = step.transition == v1::OPEN_INVESTIGATION;
        s = cases.Advance(
            users[DemoActor(police ? v1::POLICE : v1::PROSECUTOR, d.district)],
            r, &made);
      } else {
        v1::RecordCaseEventRequest r;
        r.set_name(made.name());
        r.set_event(step.event);
        *r.mutable_event_date() = when;
        if (step.court_days) {
          *r.mutable_court_date() =
              ToProto(reported + date::days(step.court_days));
        }
        if (step.end_days) {
          *r.mutable_end_date() = ToProto(reported + date::days(step.end_days));
        }
        r.set_reason(step.reason);
        s = cases.RecordEvent(users[DemoActor(v1::POLICE, d.district)], r,
                              &made);
      }
      if (!s.ok()) return s;
    }
  }
  RETURN_IF_ERROR(BookDemoHearings(store, clock, engine, users));
  RETURN_IF_ERROR(LoadPilotDemo(store, clock, engine, users, &serial));
  // The demo cases were lived through in the past: their tasks due before
  // yesterday were done, so what shows is what is due now.
  Tasks tasks(store, clock, engine);
  v1::ListTasksRequest list;
  list.set_assignee("-");
  *list.mutable_due_to() = ToProto(today - date::days(2));
  list.set_page_size(1000);
  // Completing a task takes it off the list, so the first page is asked
  // for again until it comes back empty.
  for (;;) {
    v1::ListTasksResponse open;
    RETURN_IF_ERROR(tasks.List(users["lead"], list, &open));
    if (open.tasks().empty()) break;
    for (const auto& t : open.tasks()) {
      v1::CompleteTaskRequest done;
      done.set_name(t.name());
      done.set_note("demo: done in time");
      v1::Task ignored;
      RETURN_IF_ERROR(tasks.Complete(users["lead"], done, &ignored));
    }
  }
  return grpc::Status::OK;
}

}  // namespace lotsen::server
