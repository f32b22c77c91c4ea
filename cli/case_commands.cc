// lotsen case create|show|list|history|assign|advance|event
#include <iostream>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/paging.h"
#include "lotsen/v1/case_service.pb.h"
#include "scheduler/calendar.h"

namespace lotsen::cli {
namespace {

using google::protobuf::EnumDescriptor;

std::string UserName(const std::string& user) {
  return user.empty() || user.starts_with("users/") ? user : "users/" + user;
}

int Enum(const EnumDescriptor* e, const std::string& text,
         const std::string& option) {
  auto v = ParseEnum(e, text);
  if (!v) {
    throw UsageError(option + ": unknown value \"" + text +
                     "\"; one of: " + EnumChoices(e));
  }
  return *v;
}

}  // namespace

std::string WithCases(const std::string& id) {
  if (id.empty() || id.starts_with("cases/")) return id;
  return "cases/" + id;
}

v1::Date DateArg(const std::string& text, const std::string& option) {
  scheduler::Day day;
  if (text.empty()) {
    day = scheduler::StockholmDate(scheduler::SystemClock().Now());
  } else if (auto d = scheduler::ParseDay(text)) {
    day = *d;
  } else {
    throw UsageError(option + ": \"" + text + "\" is not a date as YYYY-MM-DD");
  }
  date::year_month_day ymd{day};
  v1::Date out;
  out.set_year(static_cast<int>(ymd.year()));
  out.set_month(static_cast<int>(static_cast<unsigned>(ymd.month())));
  out.set_day(static_cast<int>(static_cast<unsigned>(ymd.day())));
  return out;
}

namespace {

void PrintCase(const Context& ctx, const v1::Case& c) {
  if (ctx.json) {
    std::cout << Json(c) << "\n";
    return;
  }
  auto row = [](const char* k, const std::string& v) {
    std::cout << k << std::string(18 - std::string_view(k).size(), ' ') << v
              << "\n";
  };
  row("name", c.name());
  row("report number", c.police_report_number());
  row("report date", DateText(c.report_date()));
  row("district", EnumName(v1::District_descriptor(), c.district()));
  row("offence",
      EnumName(v1::OffenceCategory_descriptor(), c.offence_category()));
  if (!c.offence_text().empty()) row("offence text", c.offence_text());
  std::string victim = c.victim().display_name();
  if (!c.victim().personal_number().empty()) {
    victim += " (" + c.victim().personal_number() + ")";
  }
  if (c.victim().protected_identity()) victim += " [protected identity]";
  row("victim", victim);
  if (!c.suspect_reference().empty()) row("suspect", c.suspect_reference());
  std::string stage = EnumName(v1::Stage_descriptor(), c.stage());
  if (c.outcome()) {
    stage += " (" + EnumName(v1::Outcome_descriptor(), c.outcome()) + ")";
  }
  row("stage", stage + " since " + DateText(c.stage_date()));
  if (c.court_level()) {
    row("court", EnumName(v1::CourtLevel_descriptor(), c.court_level()));
  }
  row("assigned worker",
      c.assigned_worker().empty() ? "-" : c.assigned_worker());
  row("etag", c.etag());
  row("updated", LocalTimeText(c.update_time()));
}

void AddCreate(CLI::App& group, Context& ctx) {
  auto* cmd =
      group.add_subcommand("create", "register a police report as a case");
  struct Args {
    std::string number, report_date, district, offence, offence_text,
        victim_name, victim_pnr, suspect, request_id;
    bool protected_identity = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--report-number", args->number,
                  "police report number, e.g. 5000-K123456-26")
      ->required();
  cmd->add_option("--report-date", args->report_date,
                  "date of the report, YYYY-MM-DD (default: today)");
  cmd->add_option("--district", args->district,
                  EnumChoices(v1::District_descriptor()))
      ->required();
  cmd->add_option("--offence", args->offence,
                  EnumChoices(v1::OffenceCategory_descriptor()))
      ->required();
  cmd->add_option("--offence-text", args->offence_text, "what happened");
  cmd->add_option("--victim-name", args->victim_name,
                  "how the unit refers to the victim")
      ->required();
  cmd->add_option("--victim-pnr", args->victim_pnr,
                  "personnummer or samordningsnummer, YYYYMMDD-NNNN");
  cmd->add_flag("--protected", args->protected_identity,
                "the victim has a protected identity");
  cmd->add_option("--suspect", args->suspect, "how the suspect is referred to");
  cmd->add_option("--request-id", args->request_id,
                  "id for a safe retry (default: a new one)");
  cmd->callback([&ctx, args] {
    v1::CreateCaseRequest req;
    v1::Case& c = *req.mutable_case_();
    c.set_police_report_number(args->number);
    *c.mutable_report_date() = DateArg(args->report_date, "--report-date");
    c.set_district(static_cast<v1::District>(
        Enum(v1::District_descriptor(), args->district, "--district")));
    c.set_offence_category(static_cast<v1::OffenceCategory>(
        Enum(v1::OffenceCategory_descriptor(), args->offence, "--offence")));
    c.set_offence_text(args->offence_text);
    c.mutable_victim()->set_display_name(args->victim_name);
    c.mutable_victim()->set_personal_number(args->victim_pnr);
    c.mutable_victim()->set_protected_identity(args->protected_identity);
    c.set_suspect_reference(args->suspect);
    req.set_request_id(args->request_id.empty() ? NewRequestId()
                                                : args->request_id);
    Client client(ctx.client);
    v1::Case out;
    auto s = client.Call(true, [&](grpc::ClientContext& cc) {
      return client.cases().CreateCase(&cc, req, &out);
    });
    if (Failed(ctx, s)) return;
    PrintCase(ctx, out);
  });
}

void AddShow(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("show", "show a case");
  auto id = std::make_shared<std::string>();
  cmd->add_option("case", *id, "case id or cases/{id}")->required();
  cmd->callback([&ctx, id] {
    v1::GetCaseRequest req;
    req.set_name(WithCases(*id));
    Client client(ctx.client);
    v1::Case out;
    auto s = client.Call(true, [&](grpc::ClientContext& cc) {
      return client.cases().GetCase(&cc, req, &out);
    });
    if (Failed(ctx, s)) return;
    PrintCase(ctx, out);
  });
}

void AddList(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("list", "list cases, oldest first");
  struct Args {
    std::string stage, district, worker, page_token;
    int page_size = 0;
    bool all = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--stage", args->stage, EnumChoices(v1::Stage_descriptor()));
  cmd->add_option("--district", args->district,
                  EnumChoices(v1::District_descriptor()));
  cmd->add_option("--worker", args->worker,
                  "assigned worker (user name), or - for unassigned");
  cmd->add_option("--page-size", args->page_size, "cases per page (max 1000)");
  cmd->add_option("--page-token", args->page_token, "continue a listing");
  cmd->add_flag("--all", args->all, "fetch every page");
  cmd->callback([&ctx, args] {
    v1::ListCasesRequest req;
    if (!args->stage.empty()) {
      req.set_stage(static_cast<v1::Stage>(
          Enum(v1::Stage_descriptor(), args->stage, "--stage")));
    }
    if (!args->district.empty()) {
      req.set_district(static_cast<v1::District>(
          Enum(v1::District_descriptor(), args->district, "--district")));
    }
    req.set_assigned_worker(args->worker == "-" ? "-" : UserName(args->worker));
    req.set_page_size(args->page_size);
    req.set_page_token(args->page_token);
    Client client(ctx.client);
    std::vector<std::vector<std::string>> rows;
    std::string next;
    auto s = ForEachPage(
        client, client.cases(), &v1::CaseService::Stub::ListCases, req,
        [&](const v1::ListCasesResponse& out) {
          for (const auto& c : out.cases()) {
            if (ctx.json) {
              std::cout << Json(c) << "\n";
              continue;
            }
            std::string stage = EnumName(v1::Stage_descriptor(), c.stage());
            if (c.outcome()) {
              stage += "/" + EnumName(v1::Outcome_descriptor(), c.outcome());
            }
            rows.push_back(
                {c.name(), c.police_report_number(), stage,
                 DateText(c.stage_date()),
                 EnumName(v1::District_descriptor(), c.district()),
                 c.victim().display_name(),
                 c.assigned_worker().empty() ? "-" : c.assigned_worker()});
          }
          // One page unless --all: `more:` below tells where the next starts.
          next = out.next_page_token();
          return args->all;
        });
    if (Failed(ctx, s)) return;
    if (!ctx.json) {
      PrintTable(std::cout,
                 {"CASE", "REPORT NO", "STAGE", "SINCE", "DISTRICT", "VICTIM",
                  "WORKER"},
                 rows);
      if (!next.empty()) std::cout << "more: --page-token " << next << "\n";
    }
  });
}

void AddHistory(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("history", "how a case got where it is");
  auto id = std::make_shared<std::string>();
  cmd->add_option("case", *id, "case id or cases/{id}")->required();
  cmd->callback([&ctx, id] {
    v1::ListCaseHistoryRequest req;
    req.set_name(WithCases(*id));
    req.set_page_size(1000);
    Client client(ctx.client);
    std::vector<std::vector<std::string>> rows;
    auto s = ForEachPage(
        client, client.cases(), &v1::CaseService::Stub::ListCaseHistory, req,
        [&](const v1::ListCaseHistoryResponse& out) {
          for (const auto& e : out.entries()) {
            if (ctx.json) {
              std::cout << Json(e) << "\n";
              continue;
            }
            std::string what;
            switch (e.kind()) {
              case v1::CREATED:
                what = "created in REPORTED";
                break;
              case v1::STAGE_CHANGED:
                what = EnumName(v1::Transition_descriptor(), e.transition()) +
                       ": " + EnumName(v1::Stage_descriptor(), e.from_stage()) +
                       " -> " + EnumName(v1::Stage_descriptor(), e.to_stage());
                if (e.outcome()) {
                  what += " (" +
                          EnumName(v1::Outcome_descriptor(), e.outcome()) + ")";
                }
                break;
              case v1::EVENT_RECORDED:
                what = EnumName(v1::CaseEventType_descriptor(), e.event());
                if (e.court_date().year()) {
                  what += " (charges due " + DateText(e.court_date()) + ")";
                }
                if (e.end_date().year()) {
                  what += " (until " + DateText(e.end_date()) + ")";
                }
                if (e.withdrawal_reason()) {
                  what += " (" +
                          EnumName(v1::WithdrawalReason_descriptor(),
                                   e.withdrawal_reason()) +
                          ")";
                }
                if (!e.linked_report().empty()) {
                  what += " (report " + e.linked_report() + ")";
                }
                break;
              case v1::CORRECTED:
                what = "corrected #" +
                       e.corrects().substr(e.corrects().rfind('/') + 1) + ":";
                if (e.legal_date().year())
                  what += " date " + DateText(e.legal_date());
                if (e.court_date().year()) {
                  what += " court date " + DateText(e.court_date());
                }
                if (e.end_date().year())
                  what += " end date " + DateText(e.end_date());
                break;
              case v1::ASSIGNED:
                what = "assigned to " + (e.assigned_worker().empty()
                                             ? std::string("nobody")
                                             : e.assigned_worker());
                break;
              default:
                what = "?";
            }
            const std::string seq = e.name().substr(e.name().rfind('/') + 1);
            rows.push_back(
                {seq, DateText(e.legal_date()), LocalTimeText(e.record_time()),
                 e.actor() + " (" +
                     EnumName(v1::Role_descriptor(), e.actor_role()) + ")",
                 what, e.reason()});
          }
        });
    if (Failed(ctx, s)) return;
    if (!ctx.json) {
      PrintTable(std::cout,
                 {"#", "LEGAL DATE", "RECORDED", "BY", "WHAT", "REASON"}, rows);
    }
  });
}

// The common shape of a change: case, etag, request id, reason.
struct ChangeArgs {
  std::string id, etag, request_id, reason;
};

void AddChangeOptions(CLI::App* cmd, ChangeArgs& a, bool reason_required) {
  cmd->add_option("case", a.id, "case id or cases/{id}")->required();
  auto* reason = cmd->add_option("--reason", a.reason, "why");
  if (reason_required) reason->required();
  cmd->add_option("--etag", a.etag,
                  "fail with ABORTED if the case changed since this etag");
  cmd->add_option("--request-id", a.request_id,
                  "id for a safe retry (default: a new one)");
}

template <class Req, class Method>
void RunChange(Context& ctx, Req& req, const ChangeArgs& a, Method method) {
  req.set_name(WithCases(a.id));
  req.set_etag(a.etag);
  req.set_reason(a.reason);
  req.set_request_id(a.request_id.empty() ? NewRequestId() : a.request_id);
  Client client(ctx.client);
  v1::Case out;
  auto s = client.Call(true, [&](grpc::ClientContext& cc) {
    return (client.cases().*method)(&cc, req, &out);
  });
  if (Failed(ctx, s)) return;
  PrintCase(ctx, out);
}

void AddAssign(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("assign", "give a case to a social worker");
  auto a = std::make_shared<ChangeArgs>();
  auto worker = std::make_shared<std::string>();
  AddChangeOptions(cmd, *a, false);
  cmd->add_option("worker", *worker,
                  "user name of the social worker, or - to unassign")
      ->required();
  cmd->callback([&ctx, a, worker] {
    v1::AssignCaseRequest req;
    req.set_worker(*worker == "-" ? "" : UserName(*worker));
    RunChange(ctx, req, *a, &v1::CaseService::Stub::AssignCase);
  });
}

void AddAdvance(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand(
      "advance", "move a case to its next stage by a named transition");
  auto a = std::make_shared<ChangeArgs>();
  auto transition = std::make_shared<std::string>();
  auto when = std::make_shared<std::string>();
  auto waived = std::make_shared<bool>(false);
  AddChangeOptions(cmd, *a, true);
  cmd->add_flag("--appeal-waived", *waived,
                "conviction-final/acquittal-final before the appeal period "
                "ends: every party declared itself satisfied (nöjdförklaring)");
  cmd->add_option("transition", *transition,
                  EnumChoices(v1::Transition_descriptor()))
      ->required();
  cmd->add_option("--date", *when,
                  "legal date of the decision, YYYY-MM-DD (default: today)");
  cmd->callback([&ctx, a, transition, when, waived] {
    v1::AdvanceCaseRequest req;
    req.set_appeal_waived(*waived);
    req.set_transition(static_cast<v1::Transition>(
        Enum(v1::Transition_descriptor(), *transition, "transition")));
    *req.mutable_decision_date() = DateArg(*when, "--date");
    RunChange(ctx, req, *a, &v1::CaseService::Stub::AdvanceCase);
  });
}

void AddEvent(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("event", "record an event inside a stage");
  auto a = std::make_shared<ChangeArgs>();
  struct Args {
    std::string event, when, court_date, end_date, withdrawal_reason,
        linked_report;
  };
  auto e = std::make_shared<Args>();
  AddChangeOptions(cmd, *a, false);
  cmd->add_option("event", e->event,
                  EnumChoices(v1::CaseEventType_descriptor()))
      ->required();
  cmd->add_option("--date", e->when, "when it happened (default: today)");
  cmd->add_option("--court-date", e->court_date,
                  "suspect-remanded: the date the court set for charges");
  cmd->add_option("--end-date", e->end_date,
                  "contact-ban-granted/extended: the ban's last day");
  cmd->add_option("--withdrawal-reason", e->withdrawal_reason,
                  "victim-withdrew: why, one of " +
                      EnumChoices(v1::WithdrawalReason_descriptor()));
  cmd->add_option("--linked-report", e->linked_report,
                  "contact-ban-violated: the violation's police report number");
  cmd->callback([&ctx, a, e] {
    v1::RecordCaseEventRequest req;
    req.set_event(static_cast<v1::CaseEventType>(
        Enum(v1::CaseEventType_descriptor(), e->event, "event")));
    *req.mutable_event_date() = DateArg(e->when, "--date");
    if (!e->court_date.empty()) {
      *req.mutable_court_date() = DateArg(e->court_date, "--court-date");
    }
    if (!e->end_date.empty()) {
      *req.mutable_end_date() = DateArg(e->end_date, "--end-date");
    }
    if (!e->withdrawal_reason.empty()) {
      req.set_withdrawal_reason(static_cast<v1::WithdrawalReason>(
          Enum(v1::WithdrawalReason_descriptor(), e->withdrawal_reason,
               "--withdrawal-reason")));
    }
    req.set_linked_report(e->linked_report);
    RunChange(ctx, req, *a, &v1::CaseService::Stub::RecordCaseEvent);
  });
}

void AddCorrect(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand(
      "correct",
      "correct the date of the report (entry 1), a stage change or an "
      "event in the history; the deadlines that hang on it move");
  struct Args {
    std::string id, entry, when, court_date, end_date, reason, etag, request_id;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("case", a->id, "case id or cases/{id}")->required();
  cmd->add_option("entry", a->entry, "the history entry's number (#)")
      ->required();
  cmd->add_option("--date", a->when, "the right legal date");
  cmd->add_option("--court-date", a->court_date, "the right court date");
  cmd->add_option("--end-date", a->end_date, "the right end date");
  cmd->add_option("--reason", a->reason, "why")->required();
  cmd->add_option("--etag", a->etag, "the case's etag");
  cmd->add_option("--request-id", a->request_id, "id for a safe retry");
  cmd->callback([&ctx, a] {
    v1::CorrectHistoryEntryRequest req;
    req.set_name(WithCases(a->id) + "/history/" + a->entry);
    if (a->when.empty() && a->court_date.empty() && a->end_date.empty()) {
      throw UsageError("give --date, --court-date or --end-date");
    }
    if (!a->when.empty())
      *req.mutable_legal_date() = DateArg(a->when, "--date");
    if (!a->court_date.empty()) {
      *req.mutable_court_date() = DateArg(a->court_date, "--court-date");
    }
    if (!a->end_date.empty()) {
      *req.mutable_end_date() = DateArg(a->end_date, "--end-date");
    }
    req.set_reason(a->reason);
    req.set_etag(a->etag);
    req.set_request_id(a->request_id.empty() ? NewRequestId() : a->request_id);
    Client client(ctx.client);
    v1::Case out;
    auto s = client.Call(true, [&](grpc::ClientContext& cc) {
      return client.cases().CorrectHistoryEntry(&cc, req, &out);
    });
    if (Failed(ctx, s)) return;
    PrintCase(ctx, out);
  });
}

}  // namespace

void AddCaseCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("case", "cases and their legal track");
  group->require_subcommand(1);
  AddCreate(*group, ctx);
  AddShow(*group, ctx);
  AddList(*group, ctx);
  AddHistory(*group, ctx);
  AddAssign(*group, ctx);
  AddAdvance(*group, ctx);
  AddEvent(*group, ctx);
  AddCorrect(*group, ctx);
}

}  // namespace lotsen::cli
