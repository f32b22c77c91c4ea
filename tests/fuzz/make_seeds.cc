// Writes the seed corpus of rpc_fuzz: `rpc_fuzz_seeds tests/fuzz/corpus`.
// Each seed is a request the fuzz target's database can answer (its names
// exist in the demo data and the target's extra seeding, its dates fit the
// target's fixed "today", 2026-03-02), plus a few hostile ones. Each is
// written twice: as wire bytes, and as text format (the second byte's top
// bit), which gives the fuzzer field names and values to recombine.
#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "tests/fuzz/rpc_methods.h"

namespace {

struct Seed {
  const char* method;  // the method's name; unique across lotsen.v1
  const char* caller;  // a username of Callers(); "" for no token
  const char* text;    // the request in text format
};

const Seed kSeeds[] = {
    // CaseService
    {"CreateCase", "polis",
     R"(case { police_report_number: "5000-K123456-26"
               report_date { year: 2026 month: 2 day: 27 }
               district: RINKEBY_KISTA offence_category: ASSAULT
               offence_text: "slag i ansiktet"
               victim { display_name: "Amina K." personal_number: "19121212-1212" }
               suspect_reference: "f.d. sambo" }
        request_id: "seed-create-1")"},
    {"CreateCase", "lead",
     R"(case { police_report_number: "0201-K7-26"
               report_date { year: 2026 month: 3 day: 1 }
               district: SOLNA offence_category: STALKING
               victim { display_name: "Eva" personal_number: "198001019804"
                        protected_identity: true } })"},
    {"GetCase", "lead", R"(name: "cases/1")"},
    {"GetCase", "polis", R"(name: "cases/3")"},
    {"GetCase", "sara", R"(name: "cases/2")"},
    {"GetCase", "", R"(name: "cases/1")"},
    {"ListCases", "lead", R"(page_size: 2 stage: INVESTIGATION)"},
    {"ListCases", "sara", R"(assigned_worker: "users/sara")"},
    {"ListCases", "lead", R"(page_size: 2147483647 district: SOLNA)"},
    {"ListCases", "lead", R"(page_size: -1)"},
    {"ListCases", "lead",
     R"(page_token: "p1.ffffffffffffffff.0000000000000000")"},
    {"AdvanceCase", "polis",
     R"(name: "cases/1" transition: OPEN_INVESTIGATION
        decision_date { year: 2026 month: 3 day: 2 } reason: "FU inleds"
        request_id: "seed-advance-1")"},
    {"AdvanceCase", "aklagare",
     R"(name: "cases/5" transition: CONVICTION_FINAL reason: "nöjdförklaring"
        decision_date { year: 2026 month: 3 day: 2 } appeal_waived: true)"},
    {"AdvanceCase", "polis",
     R"(name: "cases/1" transition: CLOSE_INVESTIGATION reason: "x"
        decision_date { year: 2026 month: 3 day: 2 }
        etag: "99999999999999999999")"},
    {"RecordCaseEvent", "polis",
     R"(name: "cases/2" event: SUSPECT_RELEASED
        event_date { year: 2026 month: 3 day: 1 } reason: "frisläppt")"},
    {"RecordCaseEvent", "polis",
     R"(name: "cases/3" event: CONTACT_BAN_EXTENDED
        event_date { year: 2026 month: 3 day: 2 }
        end_date { year: 2026 month: 9 day: 30 })"},
    {"AssignCase", "lead",
     R"(name: "cases/7" worker: "users/omar" reason: "ledig kapacitet")"},
    {"CorrectHistoryEntry", "polis",
     R"(name: "cases/2/history/5" court_date { year: 2026 month: 3 day: 20 }
        reason: "rätten förlängde åtalsfristen")"},
    {"ListCaseHistory", "lead", R"(name: "cases/2" page_size: 3)"},
    // TaskService
    {"ListTasks", "sara", ""},
    {"ListTasks", "lead",
     R"(assignee: "-" state: OPEN due_to { year: 2026 month: 3 day: 31 })"},
    {"CompleteTask", "sara", R"(name: "cases/1/tasks/1" note: "ringde")"},
    {"ListDeadlines", "aklagare", R"(case: "cases/2" page_size: 5)"},
    // HearingService
    {"ScheduleHearing", "aklagare",
     R"(parent: "cases/3"
        hearing { court: "Solna tingsrätt" court_level: DISTRICT_COURT
                  room: "4" kind: MAIN_HEARING
                  start_local: "2026-03-12T09:30" duration_minutes: 180
                  worker: "users/lina"
                  needs { interpreter_language: "arabiska"
                          separate_waiting_room: true } }
        request_id: "seed-hearing-1")"},
    {"ScheduleHearing", "lead",
     R"(parent: "cases/4" allow_conflict: true conflict_reason: "måste"
        hearing { court: "Solna tingsrätt" court_level: DISTRICT_COURT
                  kind: CONTINUED_MAIN_HEARING
                  start_time { seconds: 1773135000 } duration_minutes: 60 })"},
    {"GetHearing", "lead", R"(name: "cases/4/hearings/1")"},
    {"RescheduleHearing", "aklagare",
     R"(name: "cases/4/hearings/1" start_local: "2026-03-11T10:00"
        reason: "rättens begäran")"},
    {"PostponeHearing", "aklagare",
     R"(name: "cases/2/hearings/2" reason: "tolk saknas")"},
    {"CancelHearing", "lead",
     R"(name: "cases/2/hearings/2" reason: "inställd")"},
    {"MarkHearingHeld", "sara", R"(name: "cases/4/hearings/1")"},
    {"ListUpcomingHearings", "sara", ""},
    {"ListUpcomingHearings", "lead",
     R"(court: "Solna tingsrätt" include_cancelled: true page_size: 1
        from { seconds: 1772400000 } to { seconds: 1775000000 })"},
    {"AddAbsence", "sara",
     R"(parent: "users/sara"
        absence { first_day { year: 2026 month: 4 day: 1 }
                  last_day { year: 2026 month: 4 day: 3 } reason: "kurs" })"},
    {"ListAbsences", "lead", R"(parent: "users/-")"},
    {"GetWorkload", "lead", ""},
    {"SuggestAssignee", "lead", ""},
    // AlertService
    {"RunDeadlineSweep", "alertjob", R"(as_of { year: 2026 month: 3 day: 2 })"},
    {"ClaimAlerts", "alertjob", R"(max_alerts: 10)"},
    {"AcknowledgeAlerts", "alertjob", R"(names: "alerts/1" names: "alerts/2")"},
    {"ListAlerts", "sara", ""},
    {"ListAlerts", "lead", R"(recipient: "users/sara" state: PENDING)"},
    // AuditService
    {"ListAuditEntries", "revisor",
     R"(case: "cases/1" actor: "users/lead" page_size: 5)"},
    {"VerifyAuditLog", "revisor", ""},
};

const google::protobuf::MethodDescriptor* FindMethod(const std::string& name) {
  for (const auto* m : lotsen::fuzz::Methods()) {
    if (m->name() == name) return m;
  }
  return nullptr;
}

int CallerIndex(const std::string& username) {
  const auto& callers = lotsen::fuzz::Callers();
  for (size_t i = 0; i < callers.size(); ++i) {
    if (username == callers[i].username) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: rpc_fuzz_seeds OUTDIR\n");
    return 2;
  }
  std::map<std::string, int> count;
  for (const Seed& seed : kSeeds) {
    const auto* method = FindMethod(seed.method);
    const int caller = CallerIndex(seed.caller);
    if (method == nullptr || caller < 0) {
      std::fprintf(stderr, "no method %s or caller %s\n", seed.method,
                   seed.caller);
      return 1;
    }
    std::unique_ptr<google::protobuf::Message> request(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(method->input_type())
            ->New());
    if (!google::protobuf::TextFormat::ParseFromString(seed.text,
                                                       request.get())) {
      std::fprintf(stderr, "%s: the seed is not a %s\n", seed.method,
                   method->input_type()->full_name().c_str());
      return 1;
    }
    const std::string base = std::string(argv[1]) + "/" + seed.method + "-" +
                             std::to_string(++count[seed.method]);
    const char head[2] = {
        static_cast<char>(lotsen::fuzz::ByteForMethod(method)),
        static_cast<char>(caller)};
    std::ofstream(base + ".bin", std::ios::binary)
        << std::string(head, 2) << request->SerializeAsString();
    const char text_head[2] = {
        head[0], static_cast<char>(caller | lotsen::fuzz::kTextFormatBit)};
    std::ofstream(base + ".txt", std::ios::binary)
        << std::string(text_head, 2) << seed.text;
  }
  // Every method has a seed, so none is left for the fuzzer to find alone.
  for (const auto* m : lotsen::fuzz::Methods()) {
    if (count.count(m->name()) == 0) {
      std::fprintf(stderr, "warning: no seed for %s\n", m->full_name().c_str());
    }
  }
  return 0;
}
