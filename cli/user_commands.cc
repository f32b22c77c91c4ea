// lotsen user show [NAME]: who you are to Lotsen (role, district, the
// address your alert digest goes to); the coordinator may name anyone.
#include <iostream>

#include "cli/commands.h"
#include "cli/format.h"

namespace lotsen::cli {

void AddUserCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("user", "users as Lotsen knows them");
  group->require_subcommand(1);
  auto* show = group->add_subcommand(
      "show",
      "your own user, or another's (coordinator): role, district, "
      "e-mail address");
  auto name = std::make_shared<std::string>();
  show->add_option("user", *name, "a username; default you");
  show->callback([&ctx, name] {
    v1::GetUserRequest req;
    req.set_name(name->empty()                 ? "users/-"
                 : name->starts_with("users/") ? *name
                                               : "users/" + *name);
    v1::User out;
    Client client(ctx.client);
    auto s = client.Call(true, [&](grpc::ClientContext& cc) {
      return client.users().GetUser(&cc, req, &out);
    });
    if (Failed(ctx, s)) return;
    if (ctx.json) {
      std::cout << Json(out) << "\n";
      return;
    }
    std::cout << "name\t" << out.name() << "\ndisplay name\t"
              << out.display_name() << "\nrole\t" << v1::Role_Name(out.role())
              << "\n";
    if (out.district() != v1::DISTRICT_UNSPECIFIED) {
      std::cout << "district\t" << v1::District_Name(out.district()) << "\n";
    }
    std::cout << "e-mail\t"
              << (out.email().empty() ? "(none: alerts go to a file)"
                                      : out.email())
              << "\n";
  });
}

}  // namespace lotsen::cli
