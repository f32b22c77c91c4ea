// lotsen audit list|verify: the access log, for the auditor.
#include <iostream>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/paging.h"

namespace lotsen::cli {

void AddAuditCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("audit", "the access log (auditor)");
  group->require_subcommand(1);
  auto* list = group->add_subcommand("list", "who read or changed what, when");
  struct Args {
    std::string case_id, actor;
  };
  auto a = std::make_shared<Args>();
  list->add_option("--case", a->case_id, "only this case");
  list->add_option("--actor", a->actor, "only this user's calls");
  list->callback([&ctx, a] {
    v1::ListAuditEntriesRequest req;
    if (!a->case_id.empty()) {
      req.set_case_(WithCases(a->case_id));
    }
    if (!a->actor.empty()) {
      req.set_actor(a->actor.starts_with("users/") ? a->actor
                                                   : "users/" + a->actor);
    }
    req.set_page_size(1000);
    Client client(ctx.client);
    std::vector<std::vector<std::string>> rows;
    auto s = ForEachPage(
        client, client.audit(), &v1::AuditService::Stub::ListAuditEntries, req,
        [&](const v1::ListAuditEntriesResponse& out) {
          for (const auto& e : out.entries()) {
            if (ctx.json) {
              std::cout << Json(e) << "\n";
              continue;
            }
            std::string cases;
            for (const auto& c : e.cases()) {
              cases += (cases.empty() ? "" : " ") + c;
            }
            rows.push_back(
                {std::to_string(e.seq()), LocalTimeText(e.time()), e.actor(),
                 EnumName(v1::Role_descriptor(), e.role()), e.method(),
                 cases.empty() ? "-" : cases, e.outcome()});
          }
        });
    if (Failed(ctx, s)) return;
    if (!ctx.json) {
      PrintTable(std::cout,
                 {"#", "TIME", "WHO", "ROLE", "METHOD", "CASES", "OUTCOME"},
                 rows);
    }
  });
  auto* verify = group->add_subcommand(
      "verify",
      "check the hash chain, the index by case and the signed checkpoints; "
      "exit 1 and name the first broken or missing line, and the checkpoint "
      "it contradicts, if any line was edited, added or deleted");
  verify->callback([&ctx] {
    Client client(ctx.client);
    v1::VerifyAuditLogResponse out;
    auto s = client.Call(true, [&](grpc::ClientContext& cc) {
      return client.audit().VerifyAuditLog(&cc, v1::VerifyAuditLogRequest(),
                                           &out);
    });
    if (Failed(ctx, s)) return;
    if (out.intact()) {
      std::cout << "intact: " << out.checked() << " lines, "
                << out.checkpoints() << " checkpoints";
      if (out.checkpoints() > 0) {
        std::cout << " (the newest of line " << out.last_checkpoint_line()
                  << ", signed " << LocalTimeText(out.last_checkpoint_time())
                  << ")";
      }
      std::cout << "\n";
    } else {
      std::cout << "BROKEN at line " << out.first_broken() << ": "
                << out.problem() << " (" << out.checked()
                << " lines before it hold)\n";
      ctx.exit_code = kExitServer;
    }
  });
}

}  // namespace lotsen::cli
