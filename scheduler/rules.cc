#include "scheduler/rules.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <regex>
#include <set>

#include "scheduler/alerts.h"

namespace lotsen::scheduler {
namespace {

class Collector final : public google::protobuf::io::ErrorCollector {
 public:
  explicit Collector(std::string* out) : out_(out) {}
  void AddError(int line, int column, const std::string& message) override {
    *out_ += "line " + std::to_string(line + 1) + ":" +
             std::to_string(column + 1) + ": " + message + "\n";
  }

 private:
  std::string* out_;
};

void CheckTrigger(const rules::Trigger& t, const std::string& where,
                  const NameCheck& names, std::string* errors) {
  auto bad = [&](const std::string& what) {
    *errors += where + ": " + what + "\n";
  };
  switch (t.what_case()) {
    case rules::Trigger::kStageEntered:
      if (!names(NameKind::kStage, t.stage_entered())) {
        bad("stage_entered \"" + t.stage_entered() + "\" is not a stage");
      }
      break;
    case rules::Trigger::kEvent:
      if (!names(NameKind::kEvent, t.event())) {
        bad("event \"" + t.event() + "\" is not a case event");
      }
      break;
    case rules::Trigger::kHearing:
      if (t.hearing() == rules::HEARING_CHANGE_UNSPECIFIED) {
        bad("hearing must be HEARING_SCHEDULED or HEARING_HELD");
      }
      break;
    case rules::Trigger::kHousehold:
      if (t.household() == rules::HOUSEHOLD_CHANGE_UNSPECIFIED) {
        bad("household must be CHILDREN_RECORDED or CONCERN_REPORTED");
      }
      break;
    default:
      bad("needs one of stage_entered, event, hearing or household");
  }
  if (t.children_witnessed() && t.what_case() != rules::Trigger::kHousehold) {
    bad("children_witnessed is only for household triggers");
  }
  if (!t.court_level().empty() &&
      !names(NameKind::kCourtLevel, t.court_level())) {
    bad("court_level \"" + t.court_level() + "\" is not a court level");
  }
  if (!t.outcome().empty() && !names(NameKind::kOutcome, t.outcome())) {
    bad("outcome \"" + t.outcome() + "\" is not an outcome");
  }
  if (!t.hearing_kind().empty()) {
    if (t.what_case() != rules::Trigger::kHearing) {
      bad("hearing_kind is only for hearing triggers");
    } else if (!names(NameKind::kHearingKind, t.hearing_kind())) {
      bad("hearing_kind \"" + t.hearing_kind() + "\" is not a hearing kind");
    }
  }
  for (const auto& s : t.in_stage()) {
    if (!names(NameKind::kStage, s))
      bad("in_stage \"" + s + "\" is not a stage");
  }
}

void CheckRule(const rules::Rule& r, int index, std::set<std::string>& ids,
               const NameCheck& names, std::string* errors) {
  static const std::regex kId("^[a-z0-9]+(-[a-z0-9]+)*$");
  const std::string where =
      "rule " + std::to_string(index + 1) +
      (r.id().empty() ? std::string() : " (" + r.id() + ")");
  auto bad = [&](const std::string& what) {
    *errors += where + ": " + what + "\n";
  };
  if (!std::regex_match(r.id(), kId)) {
    bad("id must be lower-case words joined by '-', e.g. first-contact");
  } else if (!ids.insert(r.id()).second) {
    bad("id is used by an earlier rule; ids must be unique");
  }
  if (r.title().empty()) bad("title is required");
  if (r.source().empty()) bad("source is required: the statute or routine");
  if (r.creates() == rules::ITEM_KIND_UNSPECIFIED) {
    bad("creates must be TASK or DEADLINE");
  }
  if (r.concerns() == rules::CONCERNS_UNSPECIFIED) {
    bad("concerns must be ASSIGNED_WORKER, COORDINATOR or PROSECUTOR");
  }
  if (r.authority() == rules::AUTHORITY_UNSPECIFIED) {
    bad("authority must be STATUTORY or POLICY");
  }
  auto offset = ParsePeriod(r.offset());
  if (!offset) {
    bad("offset \"" + r.offset() +
        "\" must be a whole number and a unit d, w, m, y or wd (e.g. 1wd)");
  }
  if (!r.repeat_every().empty()) {
    auto repeat = ParsePeriod(r.repeat_every());
    if (!repeat || repeat->count <= 0) {
      bad("repeat_every \"" + r.repeat_every() +
          "\" must be a positive period");
    } else if (offset && repeat->unit != offset->unit) {
      bad("repeat_every must use the same unit as offset");
    }
  }
  if (r.trigger().empty()) bad("needs at least one trigger");
  for (int i = 0; i < r.trigger_size(); ++i) {
    const auto& t = r.trigger(i);
    CheckTrigger(t, where + " trigger " + std::to_string(i + 1), names, errors);
    const bool hearing = t.what_case() == rules::Trigger::kHearing;
    const bool event = t.what_case() == rules::Trigger::kEvent;
    if (r.anchor() == rules::HEARING_START && !hearing) {
      bad("anchor HEARING_START needs hearing triggers");
    }
    if (r.again_when_rescheduled() && !hearing) {
      bad("again_when_rescheduled needs hearing triggers");
    }
    if ((r.anchor() == rules::COURT_DATE || r.anchor() == rules::END_DATE) &&
        !event) {
      bad("anchor COURT_DATE and END_DATE need event triggers");
    }
  }
  if (r.not_once_met() && r.met_by().empty()) {
    bad("not_once_met needs met_by: what would already have met the rule");
  }
  if (r.refuse_later_booking() &&
      std::none_of(r.met_by().begin(), r.met_by().end(), [](const auto& t) {
        return t.what_case() == rules::Trigger::kHearing &&
               t.hearing() == rules::HEARING_HELD && !t.hearing_kind().empty();
      })) {
    bad("refuse_later_booking needs a met_by hearing: HEARING_HELD trigger "
        "with a hearing_kind: the hearing whose booking is checked");
  }
  for (int i = 0; i < r.met_by_size(); ++i) {
    CheckTrigger(r.met_by(i), where + " met_by " + std::to_string(i + 1), names,
                 errors);
  }
  for (int i = 0; i < r.cancelled_by_size(); ++i) {
    CheckTrigger(r.cancelled_by(i),
                 where + " cancelled_by " + std::to_string(i + 1), names,
                 errors);
  }
}

}  // namespace

std::optional<rules::RuleSet> ParseRuleSet(std::string_view text,
                                           const NameCheck& names,
                                           std::string* errors) {
  errors->clear();
  rules::RuleSet set;
  google::protobuf::TextFormat::Parser parser;
  Collector collector(errors);
  parser.RecordErrorsTo(&collector);
  if (!parser.ParseFromString(std::string(text), &set)) {
    if (errors->empty()) *errors = "not a rule set in protobuf text format\n";
    return std::nullopt;
  }
  if (set.rule().empty()) *errors += "the rule set has no rules\n";
  std::set<std::string> ids;
  for (int i = 0; i < set.rule_size(); ++i) {
    CheckRule(set.rule(i), i, ids, names, errors);
  }
  *errors += CheckAlertPolicy(set.alerts());
  if (!errors->empty()) return std::nullopt;
  return set;
}

Period OffsetOf(const rules::Rule& rule) { return *ParsePeriod(rule.offset()); }

std::optional<Period> RepeatOf(const rules::Rule& rule) {
  if (rule.repeat_every().empty()) return std::nullopt;
  return ParsePeriod(rule.repeat_every());
}

}  // namespace lotsen::scheduler
