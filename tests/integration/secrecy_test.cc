// Secrecy over real gRPC (issue 6, item 8): support notes reach police and
// prosecutors only by a live consent of the victim (OSL 26:1, 12:2); a
// protected identity's name and personnummer go only to the assigned worker
// and the coordinator, on every output path, in the call log and the audit
// log; lists keep to the caller's cases and district.
#include <set>

#include "lotsen/v1/alert_service.grpc.pb.h"
#include "lotsen/v1/audit_service.grpc.pb.h"
#include "lotsen/v1/support_service.grpc.pb.h"
#include "tests/integration/server_fixture.h"

namespace lotsen {
namespace {

constexpr char kName[] = "Zlatana Hemligsson";
constexpr char kNumber[] = "19850709-4632";
// Every way the personnummer might be written.
const char* const kSecrets[] = {kName,        "Hemligsson",  "198507094632",
                                "8507094632", "850709-4632", kNumber};

// The first secret `text` carries, or empty.
std::string Leak(const std::string& text) {
  for (const char* s : kSecrets) {
    if (text.find(s) != std::string::npos) return s;
  }
  return "";
}

class SecrecyTest : public AllRolesTest {
 protected:
  // A case registered by `by` and assigned to `worker` (if any).
  std::string MakeCase(const std::string& number, v1::District district,
                       const std::string& by, const std::string& worker,
                       bool protected_identity = false) {
    auto req = NewCase(number);
    req.mutable_case_()->set_district(district);
    if (protected_identity) {
      *req.mutable_case_()->mutable_report_date() = D(2026, 3, 2);
      req.mutable_case_()->mutable_victim()->set_display_name(kName);
      req.mutable_case_()->mutable_victim()->set_personal_number(kNumber);
      req.mutable_case_()->mutable_victim()->set_protected_identity(true);
    }
    v1::Case c;
    auto s = stub_->CreateCase(As(by).get(), req, &c);
    EXPECT_TRUE(s.ok()) << s.error_message();
    if (!worker.empty()) Assign(c.name(), worker);
    return c.name();
  }

  void Assign(const std::string& name, const std::string& worker) {
    v1::AssignCaseRequest a;
    a.set_name(name);
    a.set_worker(worker);
    v1::Case out;
    auto s = stub_->AssignCase(As("lead").get(), a, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  void WriteNote(const std::string& parent, v1::SupportKind kind) {
    v1::CreateSupportNoteRequest req;
    req.set_parent(parent);
    req.mutable_note()->set_kind(kind);
    *req.mutable_note()->mutable_date() = D(2026, 3, 2);
    req.mutable_note()->set_text("anteckning " + v1::SupportKind_Name(kind));
    v1::SupportNote out;
    auto s = support_->CreateSupportNote(As("sara").get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  grpc::Status Consent(const std::string& parent, v1::Role to,
                       std::vector<v1::SupportKind> kinds, v1::Consent* out) {
    v1::CreateConsentRequest req;
    req.set_parent(parent);
    req.mutable_consent()->set_recipient(to);
    for (auto k : kinds) req.mutable_consent()->add_kinds(k);
    *req.mutable_consent()->mutable_given_date() = D(2026, 3, 2);
    req.mutable_consent()->set_scope_note("får delas med polisen");
    return support_->CreateConsent(As("sara").get(), req, out);
  }

  grpc::Status Withdraw(const std::string& consent, v1::Consent* out) {
    v1::WithdrawConsentRequest req;
    req.set_name(consent);
    *req.mutable_withdrawn_date() = D(2026, 3, 2);
    return support_->WithdrawConsent(As("sara").get(), req, out);
  }

  // The kinds of the notes `user` reads on `parent`, sorted; the status
  // code in `code`.
  std::vector<v1::SupportKind> NoteKinds(const std::string& user,
                                         const std::string& parent,
                                         StatusCode* code) {
    v1::ListSupportNotesRequest req;
    req.set_parent(parent);
    v1::ListSupportNotesResponse resp;
    *code = support_->ListSupportNotes(As(user).get(), req, &resp).error_code();
    std::vector<v1::SupportKind> out;
    for (const auto& n : resp.notes()) out.push_back(n.kind());
    std::sort(out.begin(), out.end());
    return out;
  }

  StatusCode NotesCode(const std::string& user, const std::string& parent) {
    StatusCode code;
    NoteKinds(user, parent, &code);
    return code;
  }

  // Every case `user` lists with `req`, a page of one at a time.
  std::set<std::string> CaseNames(const std::string& user,
                                  v1::ListCasesRequest req, StatusCode* code) {
    std::set<std::string> out;
    req.set_page_size(1);
    do {
      v1::ListCasesResponse resp;
      *code = stub_->ListCases(As(user).get(), req, &resp).error_code();
      if (*code != StatusCode::OK) break;
      for (const auto& c : resp.cases()) out.insert(c.name());
      req.set_page_token(resp.next_page_token());
    } while (!req.page_token().empty());
    return out;
  }

  std::set<std::string> CaseNames(const std::string& user) {
    StatusCode code;
    auto out = CaseNames(user, {}, &code);
    EXPECT_EQ(code, StatusCode::OK) << user;
    return out;
  }
};

using Kinds = std::vector<v1::SupportKind>;

TEST_F(SecrecyTest, PoliceReadNotesOnlyByALiveConsentToTheirRole) {
  const std::string c =
      MakeCase("5000-K1-26", v1::RINKEBY_KISTA, "polis", "users/sara");
  for (auto k : {v1::CONTACT, v1::SAFETY_PLAN, v1::REFERRAL, v1::SUPPORT}) {
    WriteNote(c, k);
  }
  const Kinds all = {v1::CONTACT, v1::SAFETY_PLAN, v1::REFERRAL, v1::SUPPORT};
  StatusCode code;
  // Without consent: social services only.
  EXPECT_EQ(NotesCode("polis", c), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(NotesCode("aklagare", c), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(NoteKinds("sara", c, &code), all);
  EXPECT_EQ(NoteKinds("lead", c, &code), all);
  // A worker the case is not assigned to sees nothing of it.
  EXPECT_EQ(NotesCode("omar", c), StatusCode::PERMISSION_DENIED);

  // The victim consents to share the safety plan and referrals with police.
  v1::Consent k;
  ASSERT_TRUE(Consent(c, v1::POLICE, {v1::SAFETY_PLAN, v1::REFERRAL}, &k).ok());
  EXPECT_EQ(k.state(), v1::ACTIVE);
  EXPECT_EQ(NoteKinds("polis", c, &code),
            (Kinds{v1::SAFETY_PLAN, v1::REFERRAL}));
  EXPECT_EQ(code, StatusCode::OK);
  // Not with the prosecutor, and not with police of another district.
  EXPECT_EQ(NotesCode("aklagare", c), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(NotesCode("polis_b", c), StatusCode::PERMISSION_DENIED);
  // Police may not see, let alone change, the consents themselves.
  v1::ListConsentsRequest lc;
  lc.set_parent(c);
  v1::ListConsentsResponse consents;
  EXPECT_EQ(
      support_->ListConsents(As("polis").get(), lc, &consents).error_code(),
      StatusCode::PERMISSION_DENIED);

  // Withdrawn: nothing more is shared, and it cannot be withdrawn twice.
  v1::Consent withdrawn;
  ASSERT_TRUE(Withdraw(k.name(), &withdrawn).ok());
  EXPECT_EQ(withdrawn.state(), v1::WITHDRAWN);
  EXPECT_EQ(NotesCode("polis", c), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Withdraw(k.name(), &withdrawn).error_code(),
            StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(NotesCode("polis", c), StatusCode::PERMISSION_DENIED);

  // A consent is for police or prosecutor: social services need none.
  for (v1::Role to : {v1::SOCIAL_WORKER, v1::COORDINATOR, v1::AUDITOR}) {
    EXPECT_EQ(Consent(c, to, {v1::SUPPORT}, &k).error_code(),
              StatusCode::INVALID_ARGUMENT)
        << v1::Role_Name(to);
  }
  // A new consent to the prosecutor shares what it names with them only.
  ASSERT_TRUE(Consent(c, v1::PROSECUTOR, {v1::SUPPORT}, &k).ok());
  EXPECT_EQ(NoteKinds("aklagare", c, &code), Kinds{v1::SUPPORT});
  EXPECT_EQ(NotesCode("polis", c), StatusCode::PERMISSION_DENIED);
}

TEST_F(SecrecyTest, AProtectedIdentitysContactsNeverReachPolice) {
  const std::string c = MakeCase("5000-K1-26", v1::RINKEBY_KISTA, "polis",
                                 "users/sara", /*protected_identity=*/true);
  WriteNote(c, v1::CONTACT);
  WriteNote(c, v1::SUPPORT);
  v1::Consent k;
  ASSERT_TRUE(Consent(c, v1::POLICE, {v1::CONTACT, v1::SUPPORT}, &k).ok());
  StatusCode code;
  EXPECT_EQ(NoteKinds("polis", c, &code), Kinds{v1::SUPPORT});
  EXPECT_EQ(code, StatusCode::OK);
  // A consent covering contacts only shares nothing at all.
  ASSERT_TRUE(Consent(c, v1::PROSECUTOR, {v1::CONTACT}, &k).ok());
  EXPECT_EQ(NotesCode("aklagare", c), StatusCode::PERMISSION_DENIED);
  // The assigned worker and the coordinator still see them.
  EXPECT_EQ(NoteKinds("sara", c, &code), (Kinds{v1::CONTACT, v1::SUPPORT}));
  EXPECT_EQ(NoteKinds("lead", c, &code), (Kinds{v1::CONTACT, v1::SUPPORT}));
}

TEST_F(SecrecyTest, AProtectedIdentityIsRedactedOnEveryOutputPath) {
  auto clean = [](const std::string& path, const std::string& text) {
    EXPECT_EQ(Leak(text), "") << path << " carries the protected identity:\n"
                              << text;
  };
  // Registered by police, who never see whom they registered.
  auto req = NewCase("5000-K1-26");
  *req.mutable_case_()->mutable_report_date() = D(2026, 3, 2);
  req.mutable_case_()->mutable_victim()->set_display_name(kName);
  req.mutable_case_()->mutable_victim()->set_personal_number(kNumber);
  req.mutable_case_()->mutable_victim()->set_protected_identity(true);
  v1::Case c;
  ASSERT_TRUE(stub_->CreateCase(As("polis").get(), req, &c).ok());
  clean("CreateCase as police", c.DebugString());
  EXPECT_TRUE(c.victim().protected_identity());
  const std::string name = c.name();
  Assign(name, "users/sara");

  // GetCase and ListCases: redacted for the legal track, whole for the
  // coordinator and the assigned worker.
  v1::GetCaseRequest get;
  get.set_name(name);
  for (const char* user : {"polis", "aklagare"}) {
    ASSERT_TRUE(stub_->GetCase(As(user).get(), get, &c).ok());
    clean(std::string("GetCase as ") + user, c.DebugString());
    EXPECT_FALSE(c.victim().display_name().empty()) << "a placeholder";
    v1::ListCasesResponse listed;
    ASSERT_TRUE(stub_->ListCases(As(user).get(), {}, &listed).ok());
    ASSERT_EQ(listed.cases_size(), 1);
    clean(std::string("ListCases as ") + user, listed.DebugString());
  }
  for (const char* user : {"lead", "sara"}) {
    ASSERT_TRUE(stub_->GetCase(As(user).get(), get, &c).ok());
    EXPECT_EQ(c.victim().display_name(), kName) << user;
    EXPECT_NE(Leak(c.victim().personal_number()), "") << user;
    v1::ListCasesResponse listed;
    ASSERT_TRUE(stub_->ListCases(As(user).get(), {}, &listed).ok());
    ASSERT_EQ(listed.cases_size(), 1);
    EXPECT_EQ(listed.cases(0).victim().display_name(), kName) << user;
  }

  // Changes answer with the case, redacted; a replayed request_id too (the
  // stored answer is whole).
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(Advance("polis", name, v1::OPEN_INVESTIGATION, D(2026, 3, 2),
                        &c, "", "adv-1")
                    .ok());
    clean("AdvanceCase as police, try " + std::to_string(i), c.DebugString());
    v1::RecordCaseEventRequest ev;
    ev.set_name(name);
    ev.set_event(v1::SUSPECT_REMANDED);
    *ev.mutable_event_date() = D(2026, 3, 2);
    *ev.mutable_court_date() = D(2026, 3, 6);
    ev.set_request_id("ev-1");
    auto s = stub_->RecordCaseEvent(As("polis").get(), ev, &c);
    ASSERT_TRUE(s.ok()) << s.error_message();
    clean("RecordCaseEvent as police, try " + std::to_string(i),
          c.DebugString());
  }
  v1::RecordCaseEventRequest ban;
  ban.set_name(name);
  ban.set_event(v1::CONTACT_BAN_REQUESTED);
  *ban.mutable_event_date() = D(2026, 3, 2);
  ban.set_request_id("ban-1");
  ASSERT_TRUE(stub_->RecordCaseEvent(As("aklagare").get(), ban, &c).ok());
  clean("RecordCaseEvent as prosecutor", c.DebugString());
  ASSERT_TRUE(stub_->RecordCaseEvent(As("sara").get(), ban, &c).ok());
  EXPECT_EQ(c.victim().display_name(), kName) << "the assigned worker";
  // The worker is taken off the case: her replay now shows her nothing.
  Assign(name, "users/omar");
  c.Clear();
  auto s = stub_->RecordCaseEvent(As("sara").get(), ban, &c);
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED);
  clean("a replay after reassignment", s.error_message() + c.DebugString());
  Assign(name, "users/sara");
  // An error that quotes the case does not quote the victim.
  s = stub_->CreateCase(As("polis").get(), req, &c);
  EXPECT_EQ(s.error_code(), StatusCode::ALREADY_EXISTS);
  clean("CreateCase ALREADY_EXISTS", s.error_message());

  v1::ListCaseHistoryRequest lh;
  lh.set_name(name);
  v1::ListCaseHistoryResponse history;
  ASSERT_TRUE(stub_->ListCaseHistory(As("polis").get(), lh, &history).ok());
  EXPECT_GE(history.entries_size(), 4);
  clean("ListCaseHistory as police", history.DebugString());
  v1::ListDeadlinesResponse deadlines;
  ASSERT_TRUE(tasks_->ListDeadlines(As("polis").get(), {}, &deadlines).ok());
  EXPECT_GT(deadlines.deadlines_size(), 0);
  clean("ListDeadlines as police", deadlines.DebugString());

  // The calendar of hearings: the victim's name only to those who may.
  v1::ScheduleHearingRequest book;
  book.set_parent(name);
  auto& h = *book.mutable_hearing();
  h.set_court("Solna tingsrätt");
  h.set_court_level(v1::DISTRICT_COURT);
  h.set_room("4");
  h.set_kind(v1::REMAND_HEARING);
  h.set_start_local("2026-03-04T09:00");
  h.set_duration_minutes(60);
  h.set_worker("users/sara");
  v1::Hearing booked;
  ASSERT_TRUE(
      hearings_->ScheduleHearing(As("aklagare").get(), book, &booked).ok());
  clean("ScheduleHearing as prosecutor", booked.DebugString());
  for (const char* user : {"polis", "aklagare", "lead", "sara"}) {
    v1::ListUpcomingHearingsResponse up;
    ASSERT_TRUE(hearings_->ListUpcomingHearings(As(user).get(), {}, &up).ok());
    ASSERT_EQ(up.hearings_size(), 1) << user;
    EXPECT_TRUE(up.hearings(0).victim_protected());
    if (std::string(user) == "lead" || std::string(user) == "sara") {
      EXPECT_EQ(up.hearings(0).victim_display_name(), kName) << user;
    } else {
      clean(std::string("ListUpcomingHearings as ") + user, up.DebugString());
    }
  }

  // Alerts: the nightly run, the outbox and each person's list.
  for (int day : {2, 3, 5}) {
    clock_.Set(At(2026, 3, day, 9));
    v1::RunDeadlineSweepRequest sweep;
    *sweep.mutable_as_of() = D(2026, 3, day);
    v1::RunDeadlineSweepResponse swept;
    ASSERT_TRUE(alerts_->RunDeadlineSweep(As("job").get(), sweep, &swept).ok());
  }
  v1::ClaimAlertsResponse claimed;
  ASSERT_TRUE(alerts_->ClaimAlerts(As("job").get(), {}, &claimed).ok());
  ASSERT_GT(claimed.alerts_size(), 0);
  std::set<std::string> recipients;
  for (const auto& a : claimed.alerts()) {
    EXPECT_EQ(a.case_(), name);
    recipients.insert(a.recipient());
    clean("ClaimAlerts", a.DebugString());
  }
  EXPECT_TRUE(recipients.contains("users/sara"));
  EXPECT_TRUE(recipients.contains("users/aklagare"));
  for (const char* user : {"sara", "aklagare", "lead", "polis"}) {
    v1::ListAlertsResponse mine;
    ASSERT_TRUE(alerts_->ListAlerts(As(user).get(), {}, &mine).ok());
    clean(std::string("ListAlerts as ") + user, mine.DebugString());
  }

  // The server's call log and the audit log carry neither.
  EXPECT_NE(log_.str().find("method=GetCase"), std::string::npos);
  clean("the call log", log_.str());
  server_->audit().Flush();
  v1::ListAuditEntriesRequest lae;
  lae.set_page_size(1000);
  v1::ListAuditEntriesResponse entries;
  ASSERT_TRUE(
      audit_->ListAuditEntries(As("revisor").get(), lae, &entries).ok());
  EXPECT_GT(entries.entries_size(), 20);
  clean("the audit log", entries.DebugString());
}

// A retry answers with what the caller was shown then, but only while they
// may still see the case: a case gone to another worker is gone (OSL 26:1).
TEST_F(SecrecyTest, ARetryAfterTheCaseWentToAnotherWorkerIsRefused) {
  const std::string a =
      MakeCase("5000-K1-26", v1::RINKEBY_KISTA, "polis", "users/sara");
  v1::ListTasksRequest list;
  list.set_case_(a);
  v1::ListTasksResponse tasks;
  ASSERT_TRUE(tasks_->ListTasks(As("sara").get(), list, &tasks).ok());
  ASSERT_GT(tasks.tasks_size(), 0);
  v1::CompleteTaskRequest done;
  done.set_name(tasks.tasks(0).name());
  done.set_note("ringde, nytt nummer 070-1234567");
  done.set_request_id("sara-1");
  v1::Task task;
  ASSERT_TRUE(tasks_->CompleteTask(As("sara").get(), done, &task).ok());
  v1::CreateSupportNoteRequest note;
  note.set_parent(a);
  note.mutable_note()->set_kind(v1::CONTACT);
  *note.mutable_note()->mutable_date() = D(2026, 3, 2);
  note.mutable_note()->set_text("nytt nummer 070-1234567");
  note.set_request_id("sara-2");
  v1::SupportNote n;
  ASSERT_TRUE(support_->CreateSupportNote(As("sara").get(), note, &n).ok());
  v1::Consent consent;
  v1::CreateConsentRequest give;
  give.set_parent(a);
  give.mutable_consent()->set_recipient(v1::POLICE);
  give.mutable_consent()->add_kinds(v1::CONTACT);
  *give.mutable_consent()->mutable_given_date() = D(2026, 3, 2);
  give.set_request_id("sara-3");
  ASSERT_TRUE(support_->CreateConsent(As("sara").get(), give, &consent).ok());
  // While the case is hers, a retry answers as the first call did.
  task.Clear();
  ASSERT_TRUE(tasks_->CompleteTask(As("sara").get(), done, &task).ok());
  EXPECT_EQ(task.state_reason(), done.note());

  Assign(a, "users/omar");
  task.Clear();
  n.Clear();
  consent.Clear();
  EXPECT_EQ(tasks_->CompleteTask(As("sara").get(), done, &task).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(task.state_reason(), "");
  EXPECT_EQ(
      support_->CreateSupportNote(As("sara").get(), note, &n).error_code(),
      StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(n.text(), "");
  EXPECT_EQ(
      support_->CreateConsent(As("sara").get(), give, &consent).error_code(),
      StatusCode::PERMISSION_DENIED);
  // omar, now the case's worker, sees them.
  StatusCode code;
  EXPECT_EQ(NoteKinds("omar", a, &code), Kinds{v1::CONTACT});
}

// A page token is its caller's, for her filters: passed to a colleague who
// sees the same cases, or kept while the filters change, it is refused, so
// no one pages through a list made for someone else (issue 17, finding 10).
TEST_F(SecrecyTest, APageTokenServesOnlyWhoItWasMadeFor) {
  MakeCase("5000-K1-26", v1::RINKEBY_KISTA, "polis", "");
  MakeCase("5000-K2-26", v1::RINKEBY_KISTA, "polis", "");
  v1::ListCasesRequest req;
  req.set_page_size(1);
  v1::ListCasesResponse first;
  ASSERT_TRUE(stub_->ListCases(As("polis").get(), req, &first).ok());
  ASSERT_FALSE(first.next_page_token().empty());
  req.set_page_token(first.next_page_token());
  for (const char* other : {"aklagare", "lead", "polis_b"}) {
    v1::ListCasesResponse out;
    grpc::Status s = stub_->ListCases(As(other).get(), req, &out);
    EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT) << other;
    EXPECT_TRUE(s.error_message().starts_with("page_token: "))
        << s.error_message();
    EXPECT_EQ(out.cases_size(), 0) << other;
  }
  v1::ListCasesRequest changed = req;
  changed.set_district(v1::RINKEBY_KISTA);
  v1::ListCasesResponse out;
  EXPECT_EQ(stub_->ListCases(As("polis").get(), changed, &out).error_code(),
            StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(stub_->ListCases(As("polis").get(), req, &out).ok());
  ASSERT_EQ(out.cases_size(), 1);
  EXPECT_NE(out.cases(0).name(), first.cases(0).name());
}

// A worker's open tasks come from an index that keeps the case's worker on
// each task (schema step 15): assigning and reassigning the case must move
// them, and completing one must take it off the list.
TEST_F(SecrecyTest, AWorkersTasksFollowTheCaseToItsWorker) {
  const std::string a = MakeCase("5000-K7-26", v1::RINKEBY_KISTA, "polis", "");
  auto task_cases = [&](const std::string& user) {
    std::multiset<std::string> out;
    v1::ListTasksResponse resp;
    auto s = tasks_->ListTasks(As(user).get(), {}, &resp);
    EXPECT_TRUE(s.ok()) << user << ": " << s.error_message();
    for (const auto& t : resp.tasks()) {
      out.insert(t.name().substr(0, t.name().find("/tasks/")));
    }
    return out;
  };
  ASSERT_TRUE(task_cases("sara").empty());
  Assign(a, "users/sara");
  const auto saras = task_cases("sara");
  ASSERT_FALSE(saras.empty()) << "a new case has tasks for its worker";
  EXPECT_EQ(saras.count(a), saras.size());
  EXPECT_TRUE(task_cases("omar").empty());

  Assign(a, "users/omar");
  EXPECT_TRUE(task_cases("sara").empty());
  EXPECT_EQ(task_cases("omar"), saras);

  v1::ListTasksResponse resp;
  ASSERT_TRUE(tasks_->ListTasks(As("omar").get(), {}, &resp).ok());
  v1::CompleteTaskRequest done;
  done.set_name(resp.tasks(0).name());
  done.set_note("gjort");
  v1::Task out;
  auto s = tasks_->CompleteTask(As("omar").get(), done, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(task_cases("omar").size(), saras.size() - 1);
}

TEST_F(SecrecyTest, ListsKeepToTheCallersCasesAndDistrict) {
  const std::string a =
      MakeCase("5000-K1-26", v1::RINKEBY_KISTA, "polis", "users/sara");
  const std::string b =
      MakeCase("5000-K2-26", v1::BROMMA, "polis_b", "users/omar");
  const std::string c = MakeCase("5000-K3-26", v1::RINKEBY_KISTA, "polis", "");
  const std::string d = MakeCase("5000-K4-26", v1::SOLNA, "lead", "");
  using Names = std::set<std::string>;
  EXPECT_EQ(CaseNames("lead"), (Names{a, b, c, d}));
  EXPECT_EQ(CaseNames("polis"), (Names{a, c}));
  EXPECT_EQ(CaseNames("aklagare"), (Names{a, c}));
  EXPECT_EQ(CaseNames("polis_b"), Names{b});
  EXPECT_EQ(CaseNames("sara"), Names{a});
  EXPECT_EQ(CaseNames("omar"), Names{b});

  StatusCode code;
  v1::ListCasesRequest req;
  req.set_district(v1::RINKEBY_KISTA);
  EXPECT_EQ(CaseNames("polis", req, &code), (Names{a, c}));
  req.set_district(v1::BROMMA);
  CaseNames("polis", req, &code);
  EXPECT_EQ(code, StatusCode::PERMISSION_DENIED);
  CaseNames("aklagare", req, &code);
  EXPECT_EQ(code, StatusCode::PERMISSION_DENIED);
  req.Clear();
  req.set_assigned_worker("users/omar");
  CaseNames("sara", req, &code);
  EXPECT_EQ(code, StatusCode::PERMISSION_DENIED);
  req.set_assigned_worker("users/sara");
  EXPECT_EQ(CaseNames("sara", req, &code), Names{a});
  // Police with no district, who would see no district's cases, cannot be.
  std::string token;
  EXPECT_EQ(server::AddUser(server_->store(), clock_, "polis_x", "", v1::POLICE,
                            &token)
                .error_code(),
            StatusCode::INVALID_ARGUMENT);

  // Deadlines: an åtalsfrist in each district.
  for (auto [name, police] : {std::pair{a, "polis"}, {b, "polis_b"}}) {
    v1::Case out;
    ASSERT_TRUE(
        Advance(police, name, v1::OPEN_INVESTIGATION, D(2026, 3, 2), &out)
            .ok());
    v1::RecordCaseEventRequest ev;
    ev.set_name(name);
    ev.set_event(v1::SUSPECT_REMANDED);
    *ev.mutable_event_date() = D(2026, 3, 2);
    *ev.mutable_court_date() = D(2026, 3, 20);
    ASSERT_TRUE(stub_->RecordCaseEvent(As(police).get(), ev, &out).ok());
  }
  auto deadline_cases = [&](const std::string& user) {
    Names out;
    v1::ListDeadlinesResponse resp;
    auto s = tasks_->ListDeadlines(As(user).get(), {}, &resp);
    EXPECT_TRUE(s.ok()) << user << ": " << s.error_message();
    for (const auto& t : resp.deadlines()) {
      out.insert(t.name().substr(0, t.name().find("/tasks/")));
    }
    return out;
  };
  EXPECT_EQ(deadline_cases("polis"), Names{a});
  EXPECT_EQ(deadline_cases("aklagare"), Names{a});
  EXPECT_EQ(deadline_cases("polis_b"), Names{b});
  EXPECT_EQ(deadline_cases("lead"), (Names{a, b}));
  v1::ListDeadlinesRequest other;
  other.set_case_(b);
  v1::ListDeadlinesResponse resp;
  EXPECT_EQ(tasks_->ListDeadlines(As("polis").get(), other, &resp).error_code(),
            StatusCode::PERMISSION_DENIED);

  // Hearings: the legal track's calendar keeps to the district too.
  for (const std::string& parent : {a, b}) {
    v1::ScheduleHearingRequest book;
    book.set_parent(parent);
    auto& h = *book.mutable_hearing();
    h.set_court("Solna tingsrätt");
    h.set_court_level(v1::DISTRICT_COURT);
    h.set_room("sal " + parent.substr(parent.find('/') + 1));
    h.set_kind(v1::REMAND_HEARING);
    h.set_start_local("2026-03-04T09:00");
    h.set_duration_minutes(60);
    v1::Hearing out;
    auto s = hearings_->ScheduleHearing(As("lead").get(), book, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  v1::ListUpcomingHearingsResponse up;
  ASSERT_TRUE(hearings_->ListUpcomingHearings(As("polis").get(), {}, &up).ok());
  ASSERT_EQ(up.hearings_size(), 1);
  EXPECT_EQ(up.hearings(0).case_(), a);
  v1::ListUpcomingHearingsRequest bromma;
  bromma.set_district(v1::BROMMA);
  EXPECT_EQ(hearings_->ListUpcomingHearings(As("polis").get(), bromma, &up)
                .error_code(),
            StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace lotsen
