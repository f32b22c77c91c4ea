// lotsen alerts run|list|ack: the nightly alert job and people's outboxes.
//
// `alerts run` exits 0 when all went well, kExitOverdueStatutory (3) when it
// delivered but statutory deadlines are overdue (so cron or systemd flag
// the night), 1 when it failed (nothing acknowledged: the next run delivers
// again).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/paging.h"

namespace lotsen::cli {
namespace {

std::string Line(const v1::Alert& a) {
  std::string what = a.threshold();
  if (a.overdue()) {
    for (char& c : what) c = static_cast<char>(std::toupper(c));
  }
  return what + "\t" + DateText(a.due_date()) + "\t" +
         a.police_report_number() + "\t" + a.title() +
         (a.statutory() ? " [" + a.source() + "]" : "") + "\t" + a.task() +
         "\n";
}

// A readable digest for one recipient, most severe first.
std::string Digest(const std::string& recipient,
                   std::vector<const v1::Alert*> alerts) {
  std::stable_sort(alerts.begin(), alerts.end(), [](auto* a, auto* b) {
    return a->overdue() > b->overdue();
  });
  std::string out = "== " + recipient + ": " + std::to_string(alerts.size()) +
                    (alerts.size() == 1 ? " alert" : " alerts") + " ==\n";
  for (const auto* a : alerts) out += Line(*a);
  return out;
}

void AddRun(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand(
      "run",
      "the nightly job: sweep, deliver each recipient's alerts, "
      "acknowledge them. Exit 0 ok, 3 overdue statutory deadlines, 1 "
      "failure");
  struct Args {
    std::string as_of, out_dir;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--as-of", a->as_of,
                  "the night to sweep for (default today)");
  cmd->add_option("--out-dir", a->out_dir,
                  "write one file per recipient here instead of standard "
                  "output");
  cmd->callback([&ctx, a] {
    Client client(ctx.client);
    v1::RunDeadlineSweepRequest sweep;
    if (!a->as_of.empty())
      *sweep.mutable_as_of() = DateArg(a->as_of, "--as-of");
    v1::RunDeadlineSweepResponse swept;
    auto s = client.Call(true, [&](grpc::ClientContext& cc) {
      return client.alerts().RunDeadlineSweep(&cc, sweep, &swept);
    });
    if (Failed(ctx, s)) return;
    std::cerr << "sweep " << DateText(swept.as_of()) << ": "
              << swept.items_checked() << " items, " << swept.alerts_created()
              << " new alerts, " << swept.overdue_statutory()
              << " overdue statutory deadlines\n";
    // Claim and deliver in batches until the outbox is empty. What fails to
    // be written is not acknowledged, and is handed out again next run.
    int delivered = 0;
    for (int batch = 0; batch < 1000; ++batch) {
      v1::ClaimAlertsRequest claim;
      v1::ClaimAlertsResponse claimed;
      s = client.Call(false, [&](grpc::ClientContext& cc) {
        return client.alerts().ClaimAlerts(&cc, claim, &claimed);
      });
      if (Failed(ctx, s)) return;
      if (claimed.alerts().empty()) break;
      std::map<std::string, std::vector<const v1::Alert*>> by_recipient;
      for (const auto& alert : claimed.alerts()) {
        by_recipient[alert.recipient()].push_back(&alert);
      }
      for (const auto& [recipient, alerts] : by_recipient) {
        std::string text;
        if (ctx.json) {
          for (const auto* alert : alerts) text += Json(*alert) + "\n";
        } else {
          text = Digest(recipient, alerts);
        }
        if (a->out_dir.empty()) {
          std::cout << text << std::flush;
          continue;
        }
        std::filesystem::create_directories(a->out_dir);
        const std::string file = a->out_dir + "/" +
                                 recipient.substr(recipient.find('/') + 1) +
                                 (ctx.json ? ".jsonl" : ".txt");
        std::ofstream out(file, std::ios::app);
        out << text;
        out.close();
        if (!out) {
          std::cerr << "lotsen: cannot write " << file
                    << "; nothing acknowledged, the next run delivers again\n";
          ctx.exit_code = kExitServer;
          return;
        }
      }
      v1::AcknowledgeAlertsRequest ack;
      for (const auto& alert : claimed.alerts()) ack.add_names(alert.name());
      v1::AcknowledgeAlertsResponse acked;
      s = client.Call(true, [&](grpc::ClientContext& cc) {
        return client.alerts().AcknowledgeAlerts(&cc, ack, &acked);
      });
      if (Failed(ctx, s)) return;
      delivered += claimed.alerts_size();
    }
    std::cerr << "delivered " << delivered << " alerts\n";
    if (swept.overdue_statutory() > 0) ctx.exit_code = kExitOverdueStatutory;
  });
}

void AddList(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("list", "your alerts not yet acknowledged");
  auto recipient = std::make_shared<std::string>();
  auto all = std::make_shared<bool>(false);
  cmd->add_option("--recipient", *recipient, "another's (coordinator)");
  cmd->add_flag("--acknowledged", *all, "the acknowledged ones instead");
  cmd->callback([&ctx, recipient, all] {
    v1::ListAlertsRequest req;
    if (!recipient->empty()) {
      req.set_recipient(recipient->starts_with("users/")
                            ? *recipient
                            : "users/" + *recipient);
    }
    if (*all) req.set_state(v1::ACKNOWLEDGED);
    req.set_page_size(1000);
    Client client(ctx.client);
    std::vector<std::vector<std::string>> rows;
    auto s = ForEachPage(
        client, client.alerts(), &v1::AlertService::Stub::ListAlerts, req,
        [&](const v1::ListAlertsResponse& out) {
          for (const auto& a : out.alerts()) {
            if (ctx.json) {
              std::cout << Json(a) << "\n";
              continue;
            }
            rows.push_back({a.name(), a.threshold(), DateText(a.due_date()),
                            a.police_report_number(), a.title(), a.task()});
          }
        });
    if (Failed(ctx, s)) return;
    if (!ctx.json) {
      PrintTable(std::cout,
                 {"ALERT", "THRESHOLD", "DUE", "REPORT NO", "WHAT", "TASK"},
                 rows);
    }
  });
}

void AddAck(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand("ack", "acknowledge alerts you have seen");
  auto names = std::make_shared<std::vector<std::string>>();
  cmd->add_option("alerts", *names, "alerts/N or N")->required();
  cmd->callback([&ctx, names] {
    v1::AcknowledgeAlertsRequest req;
    for (const auto& n : *names) {
      req.add_names(n.starts_with("alerts/") ? n : "alerts/" + n);
    }
    Client client(ctx.client);
    v1::AcknowledgeAlertsResponse out;
    auto s = client.Call(true, [&](grpc::ClientContext& cc) {
      return client.alerts().AcknowledgeAlerts(&cc, req, &out);
    });
    if (Failed(ctx, s)) return;
    std::cout << "acknowledged " << out.acknowledged() << "\n";
  });
}

}  // namespace

void AddAlertCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("alerts", "deadline alerts");
  group->require_subcommand(1);
  AddRun(*group, ctx);
  AddList(*group, ctx);
  AddAck(*group, ctx);
}

}  // namespace lotsen::cli
