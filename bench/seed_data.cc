#include "bench/seed_data.h"

#include <array>
#include <string_view>

#include "server/base/convert.h"

namespace lotsen::bench {
namespace {

using scheduler::Day;
using scheduler::Instant;
using server::ToProto;
using server::ToTimestamp;

template <typename T, size_t N>
const T& PickFrom(Rng& rng, const std::array<T, N>& items) {
  return items[rng.Below(N)];
}

// Index drawn with the given weights.
template <size_t N>
int Weighted(Rng& rng, const std::array<int, N>& weights) {
  int total = 0;
  for (int w : weights) total += w;
  int64_t r = rng.Below(total);
  for (size_t i = 0; i < N; ++i) {
    if (r < weights[i]) return static_cast<int>(i);
    r -= weights[i];
  }
  return N - 1;
}

Instant At(Day d, std::chrono::minutes since_midnight_utc) {
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      date::sys_days{d.time_since_epoch()} + since_midnight_utc);
}

const std::array<std::string_view, 12> kUnits = {
    "5000", "5010", "5400", "1300", "1400", "1450",
    "2000", "2200", "3000", "3500", "4000", "4500"};
const std::array<std::string_view, 36> kFirstNames = {
    "Amina", "Sara",  "Maria",   "Fatima", "Anna",    "Elin",
    "Leila", "Hanna", "Johanna", "Emma",   "Nour",    "Sofia",
    "Zahra", "Lina",  "Karin",   "Eva",    "Aisha",   "Jenny",
    "Malin", "Ida",   "Hodan",   "Maja",   "Nadia",   "Therese",
    "Olga",  "Ebba",  "Yasmin",  "Lejla",  "Kristin", "Sanna",
    "Ahmed", "Erik",  "Mikael",  "Johan",  "Ali",     "Daniel"};
const std::array<std::string_view, 24> kSurnames = {
    "Andersson",  "Johansson", "Karlsson", "Nilsson",  "Eriksson",
    "Larsson",    "Olsson",    "Persson",  "Svensson", "Gustafsson",
    "Pettersson", "Jonsson",   "Jansson",  "Hansson",  "Bengtsson",
    "Lindberg",   "Lindqvist", "Berg",     "Ali",      "Mohammed",
    "Hassan",     "Yilmaz",    "Nowak",    "Ek"};
const std::array<std::string_view, 20> kDistrictCourts = {
    "Solna tingsrätt",        "Attunda tingsrätt",      "Stockholms tingsrätt",
    "Södertörns tingsrätt",   "Södertälje tingsrätt",   "Nacka tingsrätt",
    "Uppsala tingsrätt",      "Göteborgs tingsrätt",    "Malmö tingsrätt",
    "Helsingborgs tingsrätt", "Örebro tingsrätt",       "Linköpings tingsrätt",
    "Norrköpings tingsrätt",  "Västmanlands tingsrätt", "Umeå tingsrätt",
    "Gävle tingsrätt",        "Jönköpings tingsrätt",   "Borås tingsrätt",
    "Lunds tingsrätt",        "Falu tingsrätt"};
const std::array<std::string_view, 6> kAppealCourts = {
    "Svea hovrätt",
    "Göta hovrätt",
    "Hovrätten för Västra Sverige",
    "Hovrätten över Skåne och Blekinge",
    "Hovrätten för Nedre Norrland",
    "Hovrätten för Övre Norrland"};
const std::array<std::string_view, 6> kLanguages = {
    "arabiska", "somaliska", "persiska", "tigrinja", "polska", "turkiska"};
const std::array<std::string_view, 11> kOffenceTexts = {
    "misshandel i bostaden",
    "grov misshandel, slag mot huvudet",
    "upprepade kränkningar under lång tid",
    "hot om våld via sms",
    "ofredande per telefon nattetid",
    "förföljelse efter separationen",
    "våldtäkt i hemmet",
    "sexuellt ofredande",
    "kontakt trots kontaktförbud",
    "spridning av bilder på sociala medier",
    "skadegörelse och hot"};

struct Template {
  const char* rule;
  const char* title;
  v1::TaskKind kind;
  v1::Concerns concerns;
  bool statutory;
  const char* source;
  const char* fact;
};

constexpr auto W = v1::CONCERNS_ASSIGNED_WORKER;
constexpr auto P = v1::CONCERNS_PROSECUTOR;
const std::array<Template, 14> kTemplates = {{
    {"first-contact", "First contact with the victim", v1::TASK, W, false,
     "VWAP early contact: within 24 hours (unit routine)", "h1"},
    {"risk-assessment", "Risk assessment and safety plan", v1::TASK, W, false,
     "unit routine: risk assessment within a week", "h1"},
    {"counsel-check", "Check that a målsägandebiträde has been requested",
     v1::TASK, W, false,
     "unit routine; lag (1988:609) om målsägandebiträde sets no days", "h2"},
    {"contact-ban-decision", "Decision on the requested contact ban expected",
     v1::DEADLINE, P, false, "prosecutors' target, not statute (lag 1988:688)",
     "h3"},
    {"charge-deadline", "Charges must be filed (åtalsfrist)", v1::DEADLINE, P,
     true, "RB 24:18 1 st", "h4"},
    {"remand-review", "New remand hearing (omhäktningsförhandling)",
     v1::DEADLINE, P, true, "RB 24:18 2 st", "h4"},
    {"hearing-notify", "Tell the victim the time and place of the hearing",
     v1::TASK, W, false, "unit routine; the victim's right to know, RB 20:15 a",
     "hearing1s"},
    {"court-preparation", "Court preparation with the victim", v1::TASK, W,
     false, "unit routine: preparation a week before", "hearing1s"},
    {"court-company", "Go with the victim to court", v1::TASK, W, false,
     "unit routine (VWAP court accompaniment)", "hearing1s"},
    {"hearing-follow-up", "Follow-up call after the hearing", v1::TASK, W,
     false, "unit routine", "hearing1h"},
    {"judgment-notify",
     "Tell the victim of the judgment and the right to appeal", v1::TASK, W,
     false, "unit routine", "h5"},
    {"appeal-period", "Appeal period ends (tingsrätt judgment)", v1::DEADLINE,
     P, true, "RB 51:1", "h5"},
    {"closing-conversation", "Closing conversation with the victim", v1::TASK,
     W, false, "unit routine: after the appeal period, no appeal", "h6"},
    {"contact-ban-extension",
     "Consider asking for the contact ban to be extended", v1::TASK, W, false,
     "unit routine; lag (1988:688) § 4", "h7"},
}};

int AssignedWorker(Rng& rng, int workers) {
  return rng.Chance(0.9) ? static_cast<int>(rng.Below(workers)) : -1;
}

v1::Outcome ClosedOutcome(Rng& rng, v1::CourtLevel* level) {
  // Most cases end before trial: the investigation is closed or the
  // prosecutor does not prosecute.
  static const std::array<int, 8> kWeights = {12, 38, 16, 3, 6, 2, 17, 6};
  const auto outcome = static_cast<v1::Outcome>(Weighted(rng, kWeights) + 1);
  *level = outcome >= v1::CHARGES_WITHDRAWN
               ? (rng.Chance(0.15) ? v1::COURT_OF_APPEAL : v1::DISTRICT_COURT)
               : v1::COURT_LEVEL_UNSPECIFIED;
  return outcome;
}

}  // namespace

std::string PersonalNumber(Day birth, int serial) {
  const date::year_month_day ymd{birth};
  char digits[16];
  std::snprintf(digits, sizeof digits, "%02d%02u%02u%03d",
                static_cast<int>(ymd.year()) % 100,
                static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), serial % 1000);
  int sum = 0;
  for (int i = 0; i < 9; ++i) {
    int d = (digits[i] - '0') * (i % 2 == 0 ? 2 : 1);
    sum += d / 10 + d % 10;
  }
  char out[20];
  std::snprintf(
      out, sizeof out, "%04d%02u%02u-%03d%d", static_cast<int>(ymd.year()),
      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
      serial % 1000, (10 - sum % 10) % 10);
  return out;
}

std::string PersonName(Rng& rng) {
  return std::string(PickFrom(rng, kFirstNames)) + " " +
         std::string(PickFrom(rng, kSurnames));
}

CaseSpec CurrentCase(Rng& rng, Day today, int age, int workers) {
  CaseSpec s;
  s.report = today - date::days(age);
  s.worker = AssignedWorker(rng, workers);
  // Where a case stands, by how long ago it was reported.
  static const std::array<int, 8> kFresh = {45, 45, 0, 0, 0, 0, 0, 10};
  static const std::array<int, 8> kWeeks = {3, 55, 10, 0, 0, 0, 0, 32};
  static const std::array<int, 8> kYear = {0, 20, 10, 10, 10, 5, 3, 42};
  static const std::array<int, 8> kOld = {0, 5, 2, 3, 4, 2, 6, 78};
  const auto& w = age < 14    ? kFresh
                  : age < 90  ? kWeeks
                  : age < 365 ? kYear
                              : kOld;
  s.stage = static_cast<v1::Stage>(Weighted(rng, w) + 1);
  s.stage_date = s.stage == v1::REPORTED
                     ? s.report
                     : s.report + date::days(rng.Below(age + 1));
  if (s.stage == v1::CLOSED) {
    s.outcome =
        age < 14 ? v1::FU_NOT_OPENED : ClosedOutcome(rng, &s.court_level);
  } else if (s.stage >= v1::CHARGED) {
    s.court_level =
        s.stage == v1::APPEAL ? v1::COURT_OF_APPEAL : v1::DISTRICT_COURT;
  }
  return s;
}

CaseSpec ClosedCase(Rng& rng, Day today, int age, int workers) {
  CaseSpec s;
  s.report = today - date::days(age);
  s.worker = AssignedWorker(rng, workers);
  s.stage = v1::CLOSED;
  s.outcome = ClosedOutcome(rng, &s.court_level);
  const int64_t took =
      std::min<int64_t>(std::max(age - 1, 0), 14 + rng.Below(386));
  s.stage_date = s.report + date::days(took);
  return s;
}

CaseSpec PoolCase(Rng& rng, Day today, int age, int workers) {
  CaseSpec s;
  s.report = today - date::days(age);
  s.stage_date = s.report;
  s.worker = AssignedWorker(rng, workers);
  s.pool = true;
  return s;
}

v1::Case MakeCase(Rng& rng, const CaseSpec& spec, int64_t serial, Instant now) {
  static const std::array<int, 7> kDistricts = {16, 22, 12, 15, 17, 12, 6};
  static const std::array<int, 11> kOffences = {35, 5, 8, 15, 12, 5,
                                                5,  3, 7, 2,  3};
  v1::Case c;
  const int year = static_cast<int>(date::year_month_day{spec.report}.year());
  char number[40];
  std::snprintf(number, sizeof number, "%s-K%lld-%02d",
                std::string(PickFrom(rng, kUnits)).c_str(),
                static_cast<long long>(serial), year % 100);
  c.set_police_report_number(number);
  *c.mutable_report_date() = ToProto(spec.report);
  c.set_district(static_cast<v1::District>(Weighted(rng, kDistricts) + 1));
  const int offence = Weighted(rng, kOffences);
  c.set_offence_category(static_cast<v1::OffenceCategory>(offence + 1));
  c.set_offence_text(std::string(kOffenceTexts[offence]));
  auto& victim = *c.mutable_victim();
  victim.set_display_name(std::string(PickFrom(rng, kFirstNames)) + " " +
                          std::string(1, "ABDEFHKLMNOPRSTY"[rng.Below(16)]) +
                          ".");
  const Day birth = spec.report - date::days(18 * 365 + rng.Below(50 * 365));
  victim.set_personal_number(
      PersonalNumber(birth, static_cast<int>(rng.Below(1000))));
  victim.set_protected_identity(rng.Chance(0.04));
  char suspect[16];
  std::snprintf(suspect, sizeof suspect, "M%lld",
                static_cast<long long>(100000 + rng.Below(900000)));
  c.set_suspect_reference(suspect);
  c.set_stage(spec.stage);
  c.set_outcome(spec.outcome);
  c.set_court_level(spec.court_level);
  *c.mutable_stage_date() = ToProto(spec.stage_date);
  const Instant created =
      At(spec.report, std::chrono::minutes(7 * 60 + rng.Below(10 * 60)));
  *c.mutable_create_time() = ToTimestamp(created);
  *c.mutable_update_time() = ToTimestamp(std::min(
      now, std::max(created, At(spec.stage_date, std::chrono::hours(13)))));
  return c;
}

v1::HistoryEntry CreatedEntry(const CaseSpec& spec, const std::string& actor) {
  v1::HistoryEntry e;
  e.set_kind(v1::CREATED);
  e.set_actor("users/" + actor);
  e.set_actor_role(v1::POLICE);
  *e.mutable_record_time() =
      ToTimestamp(At(spec.report, std::chrono::hours(10)));
  *e.mutable_legal_date() = ToProto(spec.report);
  e.set_to_stage(v1::REPORTED);
  e.set_reason("police report registered");
  e.set_case_version(1);
  return e;
}

void MakeTasks(Rng& rng, const CaseSpec& spec, int64_t case_index, int n,
               int64_t worker_id, Day today, Instant now,
               std::vector<TaskRow>* out) {
  if (n <= 0) return;
  const bool open_case = spec.stage != v1::CLOSED;
  // Items spread over the case's life so far; an open case's last ones are
  // due in the coming weeks.
  const Day end = spec.pool   ? spec.report + date::days(7)
                  : open_case ? std::max(spec.stage_date, today) +
                                    date::days(5 + rng.Below(60))
                              : spec.stage_date;
  const int64_t span = std::max<int64_t>((end - spec.report).count(), 1);
  for (int j = 0; j < n; ++j) {
    const Template& t = kTemplates[j < 14 ? j : 5];
    const int occurrence = j < 14 ? 1 : j - 12;
    TaskRow row;
    row.case_index = case_index;
    row.key =
        std::string(t.rule) + "@" + t.fact + "#" + std::to_string(occurrence);
    row.assignee_id = t.concerns == W ? worker_id : 0;
    Day due;
    if (spec.pool) {
      // Exactly what the planner makes, so moving the case changes nothing
      // here; both are done.
      due = scheduler::AddPeriod(
                spec.report, {j == 0 ? 1 : 5, scheduler::Unit::kWorkingDays},
                true)
                .date;
    } else {
      const int64_t offset = 1 + (span - 1) * j / std::max(n - 1, 1);
      due = spec.report + date::days(offset);
      if (!open_case) due = std::min(due, today - date::days(1));
    }
    const Day trigger =
        std::max(spec.report, due - date::days(1 + rng.Below(14)));
    v1::Task& task = row.task;
    task.set_kind(t.kind);
    task.set_rule_id(t.rule);
    task.set_title(t.title);
    task.set_concerns(t.concerns);
    task.set_statutory(t.statutory);
    task.set_source(t.source);
    *task.mutable_trigger_date() = ToProto(trigger);
    *task.mutable_due_date() = ToProto(due);
    v1::TaskState state = v1::DONE;
    if (!spec.pool && open_case) {
      if (due >= today || rng.Chance(0.02)) {
        state = v1::OPEN;
      } else if (rng.Chance(0.08)) {
        state = v1::CANCELLED;
      }
    } else if (!spec.pool && rng.Chance(0.12)) {
      state = v1::CANCELLED;
    }
    task.set_state(state);
    task.set_explanation(std::string(t.rule) + ": triggered on " +
                         scheduler::FormatDay(trigger) + " (cases history " +
                         t.fact + "); due " + scheduler::FormatDay(due));
    if (state == v1::DONE) task.set_state_reason("done");
    if (state == v1::CANCELLED) {
      task.set_state_reason("no longer applies: the case moved on");
    }
    const Instant made = At(trigger, std::chrono::hours(11));
    *task.mutable_create_time() = ToTimestamp(made);
    *task.mutable_update_time() = ToTimestamp(
        state == v1::OPEN ? made
                          : std::min(now, At(due, std::chrono::hours(12))));
    out->push_back(std::move(row));
  }
}

HearingRow MakeHearing(Rng& rng, const CaseSpec& spec, int64_t case_index,
                       Day day, int64_t worker_id, Day today) {
  // Courts sit on weekdays.
  const date::weekday wd{day};
  if (wd == date::Saturday) day -= date::days(1);
  if (wd == date::Sunday) day += date::days(1);
  static const std::array<int, 5> kKinds = {65, 15, 8, 7, 5};
  const auto kind = static_cast<v1::HearingKind>(Weighted(rng, kKinds) + 1);
  HearingRow row;
  row.case_index = case_index;
  server::StoredHearing& s = row.hearing;
  v1::Hearing& h = s.value;
  const bool appeal = kind == v1::APPEAL_HEARING;
  h.set_court(std::string(appeal ? PickFrom(rng, kAppealCourts)
                                 : PickFrom(rng, kDistrictCourts)));
  h.set_court_level(appeal ? v1::COURT_OF_APPEAL : v1::DISTRICT_COURT);
  h.set_room("Sal " + std::to_string(1 + rng.Below(12)));
  h.set_kind(kind);
  const int minutes = kind == v1::REMAND_HEARING
                          ? 30 + 15 * static_cast<int>(rng.Below(3))
                          : 60 + 30 * static_cast<int>(rng.Below(8));
  s.start = At(day, std::chrono::minutes(8 * 60 + 30 * rng.Below(14)));
  s.end = s.start + std::chrono::minutes(minutes);
  const bool past = day < today;
  v1::HearingStatus status = v1::HEARING_SCHEDULED;
  if (past) {
    status = rng.Chance(0.88)  ? v1::HEARING_HELD
             : rng.Chance(0.7) ? v1::HEARING_CANCELLED
                               : v1::HEARING_POSTPONED;
  } else if (rng.Chance(0.05)) {
    status = rng.Chance(0.6) ? v1::HEARING_CANCELLED : v1::HEARING_POSTPONED;
  }
  h.set_status(status);
  s.worker_id = worker_id;
  if (rng.Chance(0.1)) {
    h.mutable_needs()->set_interpreter_language(
        std::string(PickFrom(rng, kLanguages)));
  }
  h.mutable_needs()->set_separate_waiting_room(rng.Chance(0.35));
  h.mutable_needs()->set_video_testimony(rng.Chance(0.05));
  if (rng.Chance(0.2)) {
    h.set_notes("Målsäganden vill inte möta den tilltalade i väntrummet.");
  }
  s.version = 1;
  const Day booked = std::max(
      spec.report, std::min(today, day - date::days(10 + rng.Below(50))));
  s.scheduled_on = scheduler::FormatDay(booked);
  if (status == v1::HEARING_HELD) s.held_time = s.end;
  return row;
}

}  // namespace lotsen::bench
