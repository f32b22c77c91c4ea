// The pilot's demo cases (demo_pilot.h). The pilot year is meant to look
// better than the year before it (earlier contact, more interviews and
// appearances, fewer withdrawals) by a margin a reader can see, not to
// predict anything.
#include "server/service/demo_pilot.h"

#include <cstdio>
#include <vector>

#include "server/base/convert.h"
#include "server/service/cases.h"
#include "server/service/support.h"

namespace lotsen::server {
namespace {

// A small deterministic generator (64-bit LCG): the demo is the same on
// every machine and every run.
class Dice {
 public:
  explicit Dice(uint64_t seed) : state_(seed) {}
  // Uniform in [0, n).
  int Roll(int n) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>((state_ >> 33) % static_cast<uint64_t>(n));
  }
  bool Chance(int percent) { return Roll(100) < percent; }

 private:
  uint64_t state_;
};

constexpr v1::OffenceCategory kOffences[] = {v1::ASSAULT,
                                             v1::ASSAULT,
                                             v1::ASSAULT,
                                             v1::UNLAWFUL_THREAT,
                                             v1::UNLAWFUL_THREAT,
                                             v1::GROSS_VIOLATION_OF_INTEGRITY,
                                             v1::MOLESTATION,
                                             v1::AGGRAVATED_ASSAULT,
                                             v1::STALKING,
                                             v1::RESTRAINING_ORDER_VIOLATION,
                                             v1::RAPE,
                                             v1::SEXUAL_MOLESTATION};
constexpr const char* kWorkers[] = {"sara", "omar", "lina"};
constexpr const char* kNames[] = {"Amira", "Berit",  "Cecilia", "Dalia",
                                  "Elsa",  "Fatima", "Greta",   "Hiba",
                                  "Ida",   "Jasmin", "Karin",   "Layla"};

// What the unit did beside the case from the first contact on, `start`
// days after the report: support offered and answered, a referral, a safety
// plan, the children in the household.
grpc::Status SupportTrack(Support& support, const User& lead,
                          const std::string& name, int start, int days_ago,
                          bool pilot, scheduler::Day reported, Dice& dice) {
  auto record = [&](v1::SupportRecordKind kind, int day, v1::Agency agency,
                    const std::string& referral, std::string* made) {
    if (start + day > days_ago) return grpc::Status::OK;
    v1::CreateSupportRecordRequest r;
    r.set_parent(name);
    r.mutable_record()->set_kind(kind);
    *r.mutable_record()->mutable_date() =
        ToProto(reported + date::days(start + day));
    r.mutable_record()->set_agency(agency);
    r.mutable_record()->set_referral(referral);
    v1::SupportRecord out;
    grpc::Status s = support.CreateRecord(lead, r, &out);
    if (made) *made = out.name();
    return s;
  };
  const v1::Agency none = v1::AGENCY_UNSPECIFIED;
  RETURN_IF_ERROR(record(v1::SUPPORT_OFFERED, 0, none, "", nullptr));
  RETURN_IF_ERROR(record(dice.Chance(pilot ? 80 : 55) ? v1::SUPPORT_ACCEPTED
                                                      : v1::SUPPORT_DECLINED,
                         1, none, "", nullptr));
  if (dice.Chance(pilot ? 55 : 30)) {
    std::string made;
    RETURN_IF_ERROR(record(v1::REFERRAL_MADE, 3,
                           static_cast<v1::Agency>(1 + dice.Roll(9)), "",
                           &made));
    if (!made.empty() && dice.Chance(80)) {
      RETURN_IF_ERROR(record(v1::REFERRAL_ACCEPTED, 6, none, made, nullptr));
      if (dice.Chance(60)) {
        RETURN_IF_ERROR(
            record(v1::REFERRAL_COMPLETED, 20, none, made, nullptr));
      }
    }
  }
  if (dice.Chance(pilot ? 70 : 35)) {
    RETURN_IF_ERROR(record(v1::SAFETY_PLAN_MADE, 5, none, "", nullptr));
    if (dice.Chance(40)) {
      RETURN_IF_ERROR(record(v1::SAFETY_PLAN_REVIEWED, 40, none, "", nullptr));
    }
  }
  if (dice.Chance(55)) {
    v1::UpdateHouseholdRequest h;
    h.mutable_household()->set_name(name + "/household");
    for (int i = 1 + dice.Roll(3); i > 0; --i) {
      h.mutable_household()->add_child_ages(dice.Roll(18));
    }
    const bool witnessed = dice.Chance(50);
    h.mutable_household()->set_children_witnessed(witnessed);
    if (witnessed && dice.Chance(70) && start + 2 <= days_ago) {
      *h.mutable_household()->mutable_concern_report_date() =
          ToProto(reported + date::days(start + 2));
    }
    v1::Household out;
    RETURN_IF_ERROR(support.UpdateHousehold(lead, h, &out));
  }
  return grpc::Status::OK;
}

}  // namespace

std::string DemoLegalUser(v1::Role role, v1::District district) {
  std::string d = v1::District_Name(district);
  for (char& c : d) {
    c = c == '_' ? '-' : static_cast<char>(c - 'A' + 'a');
  }
  return std::string(role == v1::POLICE ? "polis-" : "aklagare-") + d;
}

grpc::Status LoadPilotDemo(Store& store, const scheduler::Clock& clock,
                           const DeadlineEngine& engine,
                           std::map<std::string, User>& users, int* serial) {
  Cases cases(store, clock, engine);
  Support support(store, clock, engine);
  Dice dice(14);
  const scheduler::Day today = scheduler::StockholmDate(clock.Now());
  for (int i = 0; i < kPilotDemoCases; ++i) {
    // Spread evenly over the two years before today, the newest ten days
    // ago.
    const int days_ago = 10 + i * 720 / kPilotDemoCases;
    const bool pilot = days_ago < 365;
    const scheduler::Day reported = today - date::days(days_ago);
    const auto district = static_cast<v1::District>(1 + dice.Roll(7));
    const User& police = users[DemoLegalUser(v1::POLICE, district)];
    const User& prosecutor = users[DemoLegalUser(v1::PROSECUTOR, district)];
    const User& lead = users["lead"];
    char number[32];
    std::snprintf(
        number, sizeof number, "0201-K%d-%02d", (*serial)++,
        static_cast<int>(date::year_month_day(reported).year()) % 100);
    v1::CreateCaseRequest create;
    v1::Case& c = *create.mutable_case_();
    c.set_police_report_number(number);
    *c.mutable_report_date() = ToProto(reported);
    c.set_district(district);
    c.set_offence_category(kOffences[dice.Roll(std::size(kOffences))]);
    c.set_offence_text("Demo: brott i nära relation");
    c.mutable_victim()->set_display_name(
        std::string(kNames[dice.Roll(std::size(kNames))]) + " " +
        static_cast<char>('A' + dice.Roll(26)) + ".");
    c.set_suspect_reference("partner");
    v1::Case made;
    RETURN_IF_ERROR(cases.Create(police, create, &made));
    if (dice.Chance(pilot ? 95 : 60)) {
      v1::AssignCaseRequest a;
      a.set_name(made.name());
      a.set_worker(std::string("users/") + kWorkers[dice.Roll(3)]);
      a.set_reason("demo");
      RETURN_IF_ERROR(cases.Assign(lead, a, &made));
    }
    // Each step at `day` days after the report, if that is not after today.
    auto when = [&](int day) { return ToProto(reported + date::days(day)); };
    auto due = [&](int day) { return day <= days_ago; };
    auto advance = [&](const User& who, v1::Transition t, int day) {
      v1::AdvanceCaseRequest r;
      r.set_name(made.name());
      r.set_transition(t);
      *r.mutable_decision_date() = when(day);
      r.set_reason("demo");
      return cases.Advance(who, r, &made);
    };
    auto event = [&](const User& who, v1::CaseEventType e, int day,
                     v1::WithdrawalReason why =
                         v1::WITHDRAWAL_REASON_UNSPECIFIED) {
      v1::RecordCaseEventRequest r;
      r.set_name(made.name());
      r.set_event(e);
      *r.mutable_event_date() = when(day);
      r.set_withdrawal_reason(why);
      return cases.RecordEvent(who, r, &made);
    };
    // First contact: in the pilot mostly the same or the next day.
    if (dice.Chance(pilot ? 92 : 65)) {
      static constexpr int kPilotDelay[] = {0, 0, 0, 1, 1, 1, 2, 3, 4, 6};
      static constexpr int kBaseDelay[] = {1, 2, 3, 4, 6, 8, 10, 14, 20, 30};
      const int delay =
          pilot ? kPilotDelay[dice.Roll(10)] : kBaseDelay[dice.Roll(10)];
      if (due(delay)) {
        v1::CreateSupportNoteRequest n;
        n.set_parent(made.name());
        n.mutable_note()->set_kind(v1::CONTACT);
        *n.mutable_note()->mutable_date() = when(delay);
        n.mutable_note()->set_text("Demo: första kontakt per telefon");
        v1::SupportNote note;
        RETURN_IF_ERROR(support.CreateNote(lead, n, &note));
        RETURN_IF_ERROR(SupportTrack(support, lead, made.name(), delay,
                                     days_ago, pilot, reported, dice));
      }
    }
    if (!due(2)) continue;
    if (dice.Chance(15)) {
      RETURN_IF_ERROR(advance(police, v1::DECLINE_INVESTIGATION, 2));
      continue;
    }
    RETURN_IF_ERROR(advance(police, v1::OPEN_INVESTIGATION, 2));
    if (!due(8)) continue;
    if (dice.Chance(pilot ? 85 : 60)) {
      RETURN_IF_ERROR(event(police, v1::VICTIM_INTERVIEWED, 8));
    } else {
      RETURN_IF_ERROR(event(lead, v1::VICTIM_DECLINED, 8));
    }
    if (!due(20)) continue;
    if (dice.Chance(pilot ? 12 : 28)) {
      const auto why = static_cast<v1::WithdrawalReason>(1 + dice.Roll(5));
      RETURN_IF_ERROR(event(lead, v1::VICTIM_WITHDREW, 20, why));
      if (!due(40)) continue;
      if (dice.Chance(pilot ? 45 : 15)) {
        RETURN_IF_ERROR(event(lead, v1::VICTIM_RESUMED, 30));
      } else {
        RETURN_IF_ERROR(advance(police, v1::CLOSE_INVESTIGATION, 40));
        continue;
      }
    }
    if (!due(45)) continue;
    RETURN_IF_ERROR(advance(police, v1::COMPLETE_INVESTIGATION, 45));
    if (!due(55)) continue;
    if (!dice.Chance(60)) {
      RETURN_IF_ERROR(advance(prosecutor, v1::DECLINE_PROSECUTION, 55));
      continue;
    }
    RETURN_IF_ERROR(advance(prosecutor, v1::FILE_CHARGES, 55));
    if (!due(70)) continue;
    RETURN_IF_ERROR(advance(prosecutor, v1::SCHEDULE_TRIAL, 70));
    if (!due(90)) continue;
    if (dice.Chance(pilot ? 88 : 62)) {
      RETURN_IF_ERROR(event(lead, v1::VICTIM_APPEARED, 90));
      RETURN_IF_ERROR(event(
          lead, dice.Chance(90) ? v1::VICTIM_TESTIFIED : v1::VICTIM_NOT_HEARD,
          90));
    } else {
      RETURN_IF_ERROR(event(lead, v1::VICTIM_ABSENT, 90));
    }
    if (!due(95)) continue;
    RETURN_IF_ERROR(advance(prosecutor, v1::ANNOUNCE_JUDGMENT, 95));
    if (!due(125)) continue;
    RETURN_IF_ERROR(advance(
        prosecutor,
        dice.Chance(70) ? v1::CONVICTION_FINAL : v1::ACQUITTAL_FINAL, 125));
  }
  return grpc::Status::OK;
}

}  // namespace lotsen::server
