// lotsen calendar feed new|revoke: a social worker's live calendar feed, the
// URL that Outlook or Google Calendar subscribes to (README, "Calendar
// feed"). The URL holds the feed's secret: whoever has it sees her hearings.
#include <iostream>

#include "cli/commands.h"
#include "cli/format.h"

namespace lotsen::cli {
namespace {

std::string FeedName(const std::string& user) {
  if (user.empty()) return "users/-/calendarFeed";
  return (user.starts_with("users/") ? user : "users/" + user) +
         "/calendarFeed";
}

}  // namespace

void AddFeedCommands(CLI::App& calendar, Context& ctx) {
  auto* feed = calendar.add_subcommand(
      "feed", "your live calendar of hearings, for Outlook or Google Calendar");
  feed->require_subcommand(1);
  struct Args {
    std::string user, http_base;
  };
  auto a = std::make_shared<Args>();

  auto* make = feed->add_subcommand(
      "new",
      "make a new feed URL (the old one stops working) and print it; "
      "subscribe to it in your calendar");
  auto* revoke = feed->add_subcommand(
      "revoke", "stop the feed: its URL answers 404 from now on");
  for (auto* cmd : {make, revoke}) {
    cmd->add_option("--user", a->user,
                    "another worker's feed (coordinator); default your own");
  }
  make->add_option("--http-base", a->http_base,
                   "the server's HTTP address as calendars reach it, e.g. "
                   "https://lotsen.example.se:8443")
      ->envname("LOTSEN_HTTP_BASE");

  make->callback([&ctx, a] {
    v1::ResetCalendarFeedRequest req;
    req.set_name(FeedName(a->user));
    v1::CalendarFeed out;
    Client client(ctx.client);
    auto s = client.Call(false, [&](grpc::ClientContext& cc) {
      return client.hearings().ResetCalendarFeed(&cc, req, &out);
    });
    if (Failed(ctx, s)) return;
    if (ctx.json) {
      std::cout << Json(out) << "\n";
      return;
    }
    std::string base = a->http_base;
    while (!base.empty() && base.back() == '/') base.pop_back();
    std::cout << (base.empty() ? out.path() : base + out.path()) << "\n";
    std::cerr << "Subscribe to this URL (Outlook: Add calendar > Subscribe "
                 "from web; Google Calendar: Other calendars > From URL). It "
                 "is a secret: anyone with it sees the hearings. The URL "
                 "before it no longer works.\n";
    if (base.empty()) {
      std::cerr << "(Give --http-base or LOTSEN_HTTP_BASE for the full URL.)\n";
    }
  });
  revoke->callback([&ctx, a] {
    v1::RevokeCalendarFeedRequest req;
    req.set_name(FeedName(a->user));
    v1::CalendarFeed out;
    Client client(ctx.client);
    auto s = client.Call(true, [&](grpc::ClientContext& cc) {
      return client.hearings().RevokeCalendarFeed(&cc, req, &out);
    });
    if (Failed(ctx, s)) return;
    if (ctx.json) {
      std::cout << Json(out) << "\n";
      return;
    }
    std::cout << "revoked " << out.name() << "\n";
  });
}

}  // namespace lotsen::cli
