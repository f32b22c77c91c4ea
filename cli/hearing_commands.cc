// lotsen hearings, hearing schedule|move|postpone|cancel|held, absence
// add|list, workload.
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/format.h"
#include "api/ics/hearings_calendar.h"
#include "cli/paging.h"
#include "cli/private_file.h"
#include "scheduler/calendar.h"

namespace lotsen::cli {
namespace {

std::string User(const std::string& name) {
  if (name.empty() || name == "-" || name.starts_with("users/")) return name;
  return "users/" + name;
}

template <class Req, class Resp, class Method>
bool Call(Context& ctx, const Req& req, Resp* out, Method method,
          bool retry_safe = true) {
  Client client(ctx.client);
  auto s = client.Call(retry_safe, [&](grpc::ClientContext& cc) {
    return (client.hearings().*method)(&cc, req, out);
  });
  return !Failed(ctx, s);
}

void PrintHearing(const Context& ctx, const v1::Hearing& h) {
  if (ctx.json) {
    std::cout << Json(h) << "\n";
    return;
  }
  std::cout << h.name() << "  " << h.start_local() << "  "
            << h.duration_minutes() << " min  " << h.court()
            << (h.room().empty() ? "" : ", sal " + h.room()) << "  "
            << EnumName(v1::HearingKind_descriptor(), h.kind()) << "  "
            << EnumName(v1::HearingStatus_descriptor(), h.status())
            << "  sequence " << h.sequence() << "  etag " << h.etag() << "\n";
  if (!h.worker().empty()) std::cout << "worker: " << h.worker() << "\n";
  if (!h.conflict_reason().empty()) {
    std::cout << "conflict: " << h.conflict_reason() << "\n";
  }
}

std::string Needs(const v1::HearingNeeds& n) {
  std::string out;
  auto add = [&](const std::string& s) {
    out += (out.empty() ? "" : ", ") + s;
  };
  if (!n.interpreter_language().empty())
    add("tolk " + n.interpreter_language());
  if (n.separate_waiting_room()) add("separat väntrum");
  if (n.video_testimony()) add("video");
  return out.empty() ? "-" : out;
}

void AddList(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "hearings", "upcoming hearings, by start: yours by default");
  struct Args {
    std::string worker, district, court, from, ics;
    int days = 14;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--worker", a->worker, "a social worker's (user name)");
  cmd->add_option("--district", a->district,
                  EnumChoices(v1::District_descriptor()));
  cmd->add_option("--court", a->court, "a court, e.g. \"Solna tingsrätt\"");
  cmd->add_option("--from", a->from, "from this date (default: now)");
  cmd->add_option("--days", a->days, "how many days ahead (default 14)")
      ->check(CLI::Range(1, 366));
  cmd->add_option("--ics", a->ics,
                  "write an iCalendar file (RFC 5545) for Outlook or Google "
                  "Calendar to this path, - for standard output");
  cmd->callback([&ctx, a] {
    v1::ListUpcomingHearingsRequest req;
    req.set_worker(User(a->worker));
    if (!a->district.empty()) {
      auto d = ParseEnum(v1::District_descriptor(), a->district);
      if (!d)
        throw UsageError("--district: one of " +
                         EnumChoices(v1::District_descriptor()));
      req.set_district(static_cast<v1::District>(*d));
    }
    req.set_court(a->court);
    const auto now = scheduler::SystemClock().Now();
    scheduler::Instant from = now;
    if (!a->from.empty()) {
      auto day = scheduler::ParseDay(a->from);
      if (!day)
        throw UsageError("--from: \"" + a->from + "\" is not YYYY-MM-DD");
      from = scheduler::StartOfStockholmDay(*day);
    }
    const scheduler::Instant to = from + std::chrono::hours(24 * a->days);
    auto stamp = [](scheduler::Instant t) {
      google::protobuf::Timestamp ts;
      ts.set_seconds(
          std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch())
              .count());
      return ts;
    };
    *req.mutable_from() = stamp(from);
    *req.mutable_to() = stamp(to);
    req.set_include_cancelled(!a->ics.empty());
    req.set_page_size(1000);
    std::vector<v1::UpcomingHearing> all;
    Client client(ctx.client);
    auto s = ForEachPage(client, client.hearings(),
                         &v1::HearingService::Stub::ListUpcomingHearings, req,
                         [&](const v1::ListUpcomingHearingsResponse& out) {
                           all.insert(all.end(), out.hearings().begin(),
                                      out.hearings().end());
                         });
    if (Failed(ctx, s)) return;
    if (!a->ics.empty()) {
      const std::string feed = ics::HearingsCalendar(all, now);
      if (a->ics == "-") {
        std::cout << feed;
      } else {
        if (auto error = WritePrivateFile(a->ics, feed, false);
            !error.empty()) {
          std::cerr << "lotsen: cannot write " << error << "\n";
          ctx.exit_code = kExitServer;
          return;
        }
        std::cerr << "wrote " << all.size() << " hearings to " << a->ics
                  << "\n";
      }
      return;
    }
    if (ctx.json) {
      for (const auto& u : all) std::cout << Json(u) << "\n";
      return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& u : all) {
      const auto& h = u.hearing();
      rows.push_back({h.start_local(), std::to_string(h.duration_minutes()),
                      h.court() + (h.room().empty() ? "" : ", sal " + h.room()),
                      EnumName(v1::HearingKind_descriptor(), h.kind()),
                      u.police_report_number(),
                      EnumName(v1::Stage_descriptor(), u.stage()),
                      u.victim_display_name(),
                      h.worker().empty() ? "-" : h.worker(), Needs(h.needs()),
                      h.name().substr(6)});
    }
    PrintTable(std::cout,
               {"START", "MIN", "COURT", "KIND", "REPORT NO", "STAGE", "VICTIM",
                "WORKER", "NEEDS", "ID"},
               rows);
  });
}

void AddHearing(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("hearing", "book and change hearings");
  group->require_subcommand(1);

  auto* schedule =
      group->add_subcommand("schedule", "book a hearing for a case");
  struct Args {
    std::string id, court, level = "district-court", room, kind, start, worker,
                           interpreter, notes, conflict, reason, etag,
                           request_id;
    int minutes = 0;
    bool waiting_room = false, video = false;
  };
  auto a = std::make_shared<Args>();
  schedule->add_option("case", a->id, "case id or cases/{id}")->required();
  schedule->add_option("--court", a->court, "e.g. \"Solna tingsrätt\"")
      ->required();
  schedule->add_option("--level", a->level,
                       "district-court or court-of-appeal");
  schedule->add_option("--room", a->room, "courtroom");
  schedule
      ->add_option("--kind", a->kind, EnumChoices(v1::HearingKind_descriptor()))
      ->required();
  schedule
      ->add_option("--start", a->start,
                   "Stockholm local time, YYYY-MM-DDTHH:MM")
      ->required();
  schedule->add_option("--minutes", a->minutes, "expected duration")
      ->required()
      ->check(CLI::Range(1, 1440));
  schedule->add_option("--worker", a->worker, "social worker going along");
  schedule->add_option("--interpreter", a->interpreter, "interpreter language");
  schedule->add_flag("--separate-waiting-room", a->waiting_room);
  schedule->add_flag("--video", a->video, "testimony by video");
  schedule->add_option("--notes", a->notes);
  schedule->add_option("--allow-conflict", a->conflict,
                       "book despite a conflict, for this reason");
  schedule->add_option("--request-id", a->request_id);
  schedule->callback([&ctx, a] {
    v1::ScheduleHearingRequest req;
    req.set_parent(WithCases(a->id));
    v1::Hearing& h = *req.mutable_hearing();
    h.set_court(a->court);
    auto level = ParseEnum(v1::CourtLevel_descriptor(), a->level);
    if (!level) throw UsageError("--level: district-court or court-of-appeal");
    h.set_court_level(static_cast<v1::CourtLevel>(*level));
    h.set_room(a->room);
    auto kind = ParseEnum(v1::HearingKind_descriptor(), a->kind);
    if (!kind) {
      throw UsageError("--kind: one of " +
                       EnumChoices(v1::HearingKind_descriptor()));
    }
    h.set_kind(static_cast<v1::HearingKind>(*kind));
    h.set_start_local(a->start);
    h.set_duration_minutes(a->minutes);
    h.set_worker(User(a->worker));
    h.mutable_needs()->set_interpreter_language(a->interpreter);
    h.mutable_needs()->set_separate_waiting_room(a->waiting_room);
    h.mutable_needs()->set_video_testimony(a->video);
    h.set_notes(a->notes);
    req.set_allow_conflict(!a->conflict.empty());
    req.set_conflict_reason(a->conflict);
    req.set_request_id(a->request_id.empty() ? NewRequestId() : a->request_id);
    v1::Hearing out;
    if (Call(ctx, req, &out, &v1::HearingService::Stub::ScheduleHearing)) {
      PrintHearing(ctx, out);
    }
  });

  auto* move = group->add_subcommand("move", "a new time, room or worker");
  auto m = std::make_shared<Args>();
  move->add_option("hearing", m->id, "CASE/hearings/N")->required();
  move->add_option("--start", m->start, "new start, YYYY-MM-DDTHH:MM local");
  move->add_option("--minutes", m->minutes, "new duration")
      ->check(CLI::Range(1, 1440));
  move->add_option("--room", m->room, "new room");
  move->add_option("--worker", m->worker, "new worker, or - for none");
  move->add_option("--reason", m->reason, "why")->required();
  move->add_option("--allow-conflict", m->conflict, "move despite a conflict");
  move->add_option("--etag", m->etag);
  move->callback([&ctx, m] {
    v1::RescheduleHearingRequest req;
    req.set_name(WithCases(m->id));
    req.set_start_local(m->start);
    req.set_duration_minutes(m->minutes);
    req.set_room(m->room);
    req.set_worker(User(m->worker));
    req.set_reason(m->reason);
    req.set_allow_conflict(!m->conflict.empty());
    req.set_conflict_reason(m->conflict);
    req.set_etag(m->etag);
    req.set_request_id(NewRequestId());
    v1::Hearing out;
    if (Call(ctx, req, &out, &v1::HearingService::Stub::RescheduleHearing)) {
      PrintHearing(ctx, out);
    }
  });

  using Method = grpc::Status (v1::HearingService::Stub::*)(
      grpc::ClientContext*, const v1::ChangeHearingRequest&, v1::Hearing*);
  const std::tuple<const char*, const char*, Method, bool> changes[] = {
      {"postpone", "put off with no new time",
       &v1::HearingService::Stub::PostponeHearing, true},
      {"cancel", "cancel the hearing", &v1::HearingService::Stub::CancelHearing,
       true},
      {"held", "the hearing took place",
       &v1::HearingService::Stub::MarkHearingHeld, false}};
  for (const auto& [verb, help, method, reason_required] : changes) {
    auto* cmd = group->add_subcommand(verb, help);
    auto c = std::make_shared<Args>();
    cmd->add_option("hearing", c->id, "CASE/hearings/N")->required();
    auto* reason = cmd->add_option("--reason", c->reason, "why, or a note");
    if (reason_required) reason->required();
    cmd->add_option("--etag", c->etag);
    cmd->callback([&ctx, c, method = method] {
      v1::ChangeHearingRequest req;
      req.set_name(WithCases(c->id));
      req.set_reason(c->reason);
      req.set_etag(c->etag);
      req.set_request_id(NewRequestId());
      v1::Hearing out;
      if (Call(ctx, req, &out, method)) PrintHearing(ctx, out);
    });
  }
}

void AddAbsence(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("absence", "social workers' leave");
  group->require_subcommand(1);
  auto* add = group->add_subcommand("add", "record a leave period");
  struct Args {
    std::string worker, from, to, reason;
  };
  auto a = std::make_shared<Args>();
  add->add_option("--worker", a->worker, "user name")->required();
  add->add_option("--from", a->from, "first day, YYYY-MM-DD")->required();
  add->add_option("--to", a->to, "last day, YYYY-MM-DD")->required();
  add->add_option("--reason", a->reason);
  add->callback([&ctx, a] {
    v1::AddAbsenceRequest req;
    req.set_parent(User(a->worker));
    *req.mutable_absence()->mutable_first_day() = DateArg(a->from, "--from");
    *req.mutable_absence()->mutable_last_day() = DateArg(a->to, "--to");
    req.mutable_absence()->set_reason(a->reason);
    req.set_request_id(NewRequestId());
    v1::Absence out;
    if (!Call(ctx, req, &out, &v1::HearingService::Stub::AddAbsence)) return;
    if (ctx.json) {
      std::cout << Json(out) << "\n";
    } else {
      std::cout << out.name() << "  " << DateText(out.first_day()) << ".."
                << DateText(out.last_day()) << "  " << out.reason() << "\n";
    }
  });
  auto* list = group->add_subcommand("list", "current and coming leave");
  auto w = std::make_shared<std::string>();
  list->add_option("--worker", *w, "user name (default: everyone)");
  list->callback([&ctx, w] {
    v1::ListAbsencesRequest req;
    req.set_parent(w->empty() ? "users/-" : User(*w));
    v1::ListAbsencesResponse out;
    if (!Call(ctx, req, &out, &v1::HearingService::Stub::ListAbsences)) return;
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : out.absences()) {
      if (ctx.json) {
        std::cout << Json(a) << "\n";
        continue;
      }
      rows.push_back({a.name().substr(0, a.name().find("/absences/")),
                      DateText(a.first_day()), DateText(a.last_day()),
                      a.reason()});
    }
    if (!ctx.json)
      PrintTable(std::cout, {"WORKER", "FROM", "TO", "REASON"}, rows);
  });
}

void AddWorkload(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "workload",
      "each social worker's open cases, tasks due within 7 days "
      "and hearings within 14 days");
  auto suggest = std::make_shared<bool>(false);
  cmd->add_flag("--suggest", *suggest,
                "only the worker to give the next case (lowest weighted load, "
                "not absent)");
  cmd->callback([&ctx, suggest] {
    std::vector<v1::WorkerLoad> loads;
    if (*suggest) {
      v1::WorkerLoad out;
      if (!Call(ctx, v1::SuggestAssigneeRequest(), &out,
                &v1::HearingService::Stub::SuggestAssignee)) {
        return;
      }
      loads.push_back(out);
    } else {
      v1::GetWorkloadResponse out;
      if (!Call(ctx, v1::GetWorkloadRequest(), &out,
                &v1::HearingService::Stub::GetWorkload)) {
        return;
      }
      loads.assign(out.workers().begin(), out.workers().end());
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& w : loads) {
      if (ctx.json) {
        std::cout << Json(w) << "\n";
        continue;
      }
      rows.push_back({w.worker(), w.display_name(),
                      std::to_string(w.open_cases()),
                      std::to_string(w.weighted_load()),
                      std::to_string(w.tasks_due_7_days()),
                      std::to_string(w.hearings_14_days()),
                      w.absent_today() ? "absent" : ""});
    }
    if (!ctx.json) {
      PrintTable(std::cout,
                 {"WORKER", "NAME", "OPEN CASES", "LOAD", "TASKS 7D",
                  "HEARINGS 14D", "TODAY"},
                 rows);
    }
  });
}

}  // namespace

void AddHearingCommands(CLI::App& app, Context& ctx) {
  AddList(app, ctx);
  AddHearing(app, ctx);
  AddAbsence(app, ctx);
  AddWorkload(app, ctx);
}

}  // namespace lotsen::cli
