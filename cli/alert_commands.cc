// lotsen alerts run|list|ack: the nightly alert job and people's outboxes.
//
// `alerts run` delivers each recipient one digest: by e-mail with --smtp to
// those who have an address, else to a file in --out-dir (or standard
// output). An alert is acknowledged only once its digest was written or the
// SMTP server accepted it; anything else is handed out again next run, so
// no alert is lost, and at worst one digest is repeated (same Message-ID).
// Exit status, the most serious that applies:
//   1 kExitServer            a server call failed, or a file could not be
//                            written (the rest is delivered next run)
//   4 kExitNotReached        some recipients were not reached by mail
//   3 kExitOverdueStatutory  statutory deadlines are overdue (so cron or
//                            systemd flag the night)
//   0                        all delivered, nothing statutory overdue
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/mail.h"
#include "cli/paging.h"
#include "cli/private_file.h"
#include "cli/smtp.h"

namespace lotsen::cli {
namespace {

// The most the server hands out, or takes back, in one call.
constexpr int kMaxAlerts = 10000;

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

// Only the fields mail::MailAlert has room for: the rest of the alert (the
// task's and case's names, the explanation) stays out of the mail.
mail::MailAlert ForMail(const v1::Alert& a) {
  return {a.name(),
          a.police_report_number(),
          a.title(),
          DateText(a.due_date()),
          a.threshold(),
          a.overdue(),
          a.statutory() ? a.source() : ""};
}

struct RunArgs {
  std::string as_of, out_dir;
  std::string smtp, from, credentials;
  bool insecure = false;
};

// The SMTP options from the flags and the environment; throws UsageError.
// Credentials never come from the command line, where `ps` shows them.
smtp::Options SmtpOptions(const RunArgs& a) {
  if (const std::string why = smtp::CheckUrl(a.smtp); !why.empty()) {
    throw UsageError("--smtp " + a.smtp + " " + why +
                     " (like smtp://relay.example.se:587)");
  }
  if (a.from.empty()) throw UsageError("--smtp needs --from ADDRESS");
  if (!mail::IsPlainAddress(a.from)) {
    throw UsageError("--from " + a.from +
                     " is not a plain address like lotsen@example.se");
  }
  smtp::Options o;
  o.url = a.smtp;
  o.require_tls = !a.insecure && !smtp::IsLoopback(a.smtp);
  if (!a.credentials.empty()) {
    std::ifstream in(a.credentials);
    if (!in)
      throw UsageError("--smtp-credentials: cannot read " + a.credentials);
    std::getline(in, o.user);
    std::getline(in, o.password);
    for (auto* s : {&o.user, &o.password}) {
      if (!s->empty() && s->back() == '\r') s->pop_back();
    }
    if (o.user.empty() || o.password.empty()) {
      throw UsageError("--smtp-credentials " + a.credentials +
                       ": the user on the first line, the password on the "
                       "second");
    }
  } else {
    const char* user = std::getenv("LOTSEN_SMTP_USER");
    const char* password = std::getenv("LOTSEN_SMTP_PASSWORD");
    if (user) o.user = user;
    if (password) o.password = password;
    if (o.user.empty() != o.password.empty()) {
      throw UsageError(
          "set both LOTSEN_SMTP_USER and LOTSEN_SMTP_PASSWORD, or neither");
    }
  }
  return o;
}

void AddRun(CLI::App& group, Context& ctx) {
  auto* cmd = group.add_subcommand(
      "run",
      "the nightly job: sweep, deliver each recipient one digest (by e-mail "
      "with --smtp, else to a file or standard output), acknowledge what "
      "was delivered. Exit 0 ok; 3 statutory deadlines overdue; 4 some "
      "recipients not reached by mail (retried next run); 1 failure");
  auto a = std::make_shared<RunArgs>();
  cmd->add_option("--as-of", a->as_of,
                  "the night to sweep for (default today)");
  cmd->add_option("--out-dir", a->out_dir,
                  "write one file per recipient here instead of standard "
                  "output (with --smtp: those without an e-mail address)");
  cmd->add_option("--smtp", a->smtp,
                  "mail digests through this relay: smtp://host:port "
                  "(STARTTLS required unless loopback) or smtps://host:port; "
                  "login from LOTSEN_SMTP_USER and LOTSEN_SMTP_PASSWORD");
  cmd->add_option("--from", a->from, "with --smtp: the sender address");
  cmd->add_flag("--smtp-insecure", a->insecure,
                "with --smtp: do without STARTTLS if the relay offers none "
                "(login and mail then travel in clear)");
  cmd->add_option("--smtp-credentials", a->credentials,
                  "with --smtp: a file with the login, the user on the first "
                  "line and the password on the second");
  cmd->callback([&ctx, a] {
    std::unique_ptr<smtp::Sender> sender;
    if (!a->smtp.empty()) {
      sender = std::make_unique<smtp::Sender>(SmtpOptions(*a));
    } else if (!a->from.empty() || a->insecure || !a->credentials.empty()) {
      throw UsageError(
          "--from, --smtp-insecure and --smtp-credentials "
          "need --smtp");
    }
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

    // Claim until a claim brings nothing new: the server hands out every
    // alert not yet acknowledged, including those of earlier runs that
    // were not delivered, so each recipient gets all of hers in one digest.
    std::vector<v1::Alert> alerts;
    std::set<std::string> seen;
    std::map<std::string, v1::AlertRecipient> recipients;
    for (int round = 0; round < 1000; ++round) {
      v1::ClaimAlertsRequest claim;
      claim.set_max_alerts(kMaxAlerts);
      v1::ClaimAlertsResponse claimed;
      s = client.Call(false, [&](grpc::ClientContext& cc) {
        return client.alerts().ClaimAlerts(&cc, claim, &claimed);
      });
      if (Failed(ctx, s)) return;
      bool fresh = false;
      for (auto& alert : *claimed.mutable_alerts()) {
        if (seen.insert(alert.name()).second) {
          alerts.push_back(std::move(alert));
          fresh = true;
        }
      }
      for (const auto& r : claimed.recipients()) recipients[r.user()] = r;
      if (!fresh) {
        // A full claim means older alerts hide the rest; they come first
        // next run, once these are acknowledged.
        if (claimed.alerts_size() == kMaxAlerts) {
          std::cerr << "lotsen: more than " << kMaxAlerts
                    << " alerts wait; the rest go out on the next run\n";
        }
        break;
      }
    }
    std::map<std::string, std::vector<const v1::Alert*>> by_recipient;
    for (const auto& alert : alerts) {
      by_recipient[alert.recipient()].push_back(&alert);
    }
    const auto email = [&](const std::string& user) -> std::string {
      if (!sender) return "";
      auto it = recipients.find(user);
      return it == recipients.end() ? "" : it->second.email();
    };
    // Whose alerts go to a file: the coordinators are told. Those users'
    // alert names make a notice's Message-ID, new each night it changes.
    std::vector<std::string> without_address, their_alerts;
    for (const auto& [user, list] : by_recipient) {
      if (!email(user).empty()) continue;
      without_address.push_back(user);
      for (const auto* alert : list) their_alerts.push_back(alert->name());
    }
    std::set<std::string> to_deliver;
    for (const auto& [user, list] : by_recipient) to_deliver.insert(user);
    if (sender && !alerts.empty() && !without_address.empty()) {
      for (const auto& [user, r] : recipients) {
        if (r.coordinator() && !r.email().empty()) to_deliver.insert(user);
      }
    }

    // Acknowledged per recipient, right after her digest is out: a later
    // failure must not send it again.
    const auto acknowledge = [&](const std::vector<const v1::Alert*>& list) {
      for (size_t at = 0; at < list.size(); at += kMaxAlerts) {
        v1::AcknowledgeAlertsRequest ack;
        for (size_t i = at; i < list.size() && i < at + kMaxAlerts; ++i) {
          ack.add_names(list[i]->name());
        }
        v1::AcknowledgeAlertsResponse acked;
        auto st = client.Call(true, [&](grpc::ClientContext& cc) {
          return client.alerts().AcknowledgeAlerts(&cc, ack, &acked);
        });
        if (Failed(ctx, st)) return false;
      }
      return true;
    };
    int delivered = 0, mailed = 0;
    std::vector<std::string> not_reached;
    for (const auto& user : to_deliver) {
      const auto it = by_recipient.find(user);
      const std::vector<const v1::Alert*> list =
          it == by_recipient.end() ? std::vector<const v1::Alert*>{}
                                   : it->second;
      const std::string address = email(user);
      if (!address.empty()) {
        mail::Digest digest;
        digest.recipient = user;
        digest.to = address;
        for (const auto* alert : list) digest.alerts.push_back(ForMail(*alert));
        if (recipients.at(user).coordinator()) {
          digest.without_address = without_address;
          if (list.empty()) digest.about = their_alerts;
        }
        const smtp::Result sent = sender->Send(
            a->from, address,
            mail::Compose(digest, a->from, std::chrono::system_clock::now()));
        if (sent.outcome != smtp::Result::kAccepted) {
          not_reached.push_back(user + " <" + address + ">: " +
                                (sent.outcome == smtp::Result::kRefused
                                     ? "refused: "
                                     : "not delivered: ") +
                                sent.text);
          continue;
        }
        ++mailed;
      } else {
        std::string text;
        if (ctx.json) {
          for (const auto* alert : list) text += Json(*alert) + "\n";
        } else {
          text = Digest(user, list);
        }
        if (a->out_dir.empty()) {
          std::cout << text << std::flush;
        } else {
          const std::string file = a->out_dir + "/" +
                                   user.substr(user.find('/') + 1) +
                                   (ctx.json ? ".jsonl" : ".txt");
          std::string error = MakePrivateDirectories(a->out_dir);
          if (error.empty()) error = WritePrivateFile(file, text, true);
          if (!error.empty()) {
            std::cerr << "lotsen: cannot write " << error
                      << "; it and those not yet delivered are not "
                         "acknowledged, the next run delivers them\n";
            ctx.exit_code = kExitServer;
            return;
          }
        }
      }
      if (!acknowledge(list)) return;
      delivered += static_cast<int>(list.size());
    }
    std::cerr << "delivered " << delivered << " alerts";
    if (sender) std::cerr << ", " << mailed << " e-mails accepted";
    std::cerr << "\n";
    if (!not_reached.empty()) {
      std::cerr << "not reached (their alerts wait for the next run):\n";
      for (const auto& line : not_reached) std::cerr << "  " << line << "\n";
      ctx.exit_code = kExitNotReached;
    } else if (swept.overdue_statutory() > 0) {
      ctx.exit_code = kExitOverdueStatutory;
    }
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
