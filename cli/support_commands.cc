// lotsen notes add|list and lotsen consent add|withdraw|list: the support
// track, social services' own (OSL 26:1), and the victim's consents to
// share parts of it (OSL 12:2).
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/paging.h"

namespace lotsen::cli {
namespace {

std::string KindList(const v1::Consent& c) {
  std::string out;
  for (int k : c.kinds()) {
    if (!out.empty()) out += ",";
    out += EnumName(v1::SupportKind_descriptor(), k);
  }
  return out;
}

void PrintConsents(const Context& ctx,
                   const google::protobuf::RepeatedPtrField<v1::Consent>& cs) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : cs) {
    if (ctx.json) {
      std::cout << Json(c) << "\n";
      continue;
    }
    rows.push_back(
        {c.name().substr(std::string_view("cases/").size()),
         EnumName(v1::Role_descriptor(), c.recipient()), KindList(c),
         DateText(c.given_date()),
         EnumName(v1::ConsentState_descriptor(), c.state()) +
             (c.state() == v1::WITHDRAWN ? " " + DateText(c.withdrawn_date())
                                         : ""),
         c.scope_note()});
  }
  if (!ctx.json) {
    PrintTable(std::cout, {"ID", "TO", "KINDS", "GIVEN", "STATE", "SCOPE"},
               rows);
  }
}

int Kind(const std::string& text, const std::string& option) {
  auto k = ParseEnum(v1::SupportKind_descriptor(), text);
  if (!k) {
    throw UsageError(option + ": \"" + text + "\" is none of " +
                     EnumChoices(v1::SupportKind_descriptor()));
  }
  return *k;
}

void AddNoteCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand(
      "notes", "support notes: social services' own, shared only by consent");
  group->require_subcommand(1);
  struct Args {
    std::string id, kind, text, date;
  };
  auto a = std::make_shared<Args>();
  auto* add = group->add_subcommand("add", "write a support note on a case");
  add->add_option("case", a->id, "case id or cases/{id}")->required();
  add->add_option("--kind", a->kind, EnumChoices(v1::SupportKind_descriptor()))
      ->required();
  add->add_option("--text", a->text, "the note (at most 4000 characters)")
      ->required();
  add->add_option("--date", a->date,
                  "when it happened, YYYY-MM-DD (default today)");
  add->callback([&ctx, a] {
    v1::CreateSupportNoteRequest req;
    req.set_parent(WithCases(a->id));
    req.mutable_note()->set_kind(
        static_cast<v1::SupportKind>(Kind(a->kind, "--kind")));
    req.mutable_note()->set_text(a->text);
    *req.mutable_note()->mutable_date() = DateArg(a->date, "--date");
    req.set_request_id(NewRequestId());
    Client client(ctx.client);
    v1::SupportNote out;
    auto s = client.Call(true, [&](grpc::ClientContext& cc) {
      return client.support().CreateSupportNote(&cc, req, &out);
    });
    if (Failed(ctx, s)) return;
    std::cout << (ctx.json ? Json(out) : out.name()) << "\n";
  });
  auto l = std::make_shared<std::string>();
  auto* list = group->add_subcommand(
      "list",
      "a case's support notes (police and prosecutors: what a consent "
      "shares)");
  list->add_option("case", *l, "case id or cases/{id}")->required();
  list->callback([&ctx, l] {
    v1::ListSupportNotesRequest req;
    req.set_parent(WithCases(*l));
    req.set_page_size(1000);
    Client client(ctx.client);
    std::vector<std::vector<std::string>> rows;
    auto s = ForEachPage(
        client, client.support(), &v1::SupportService::Stub::ListSupportNotes,
        req, [&](const v1::ListSupportNotesResponse& out) {
          for (const auto& n : out.notes()) {
            if (ctx.json) {
              std::cout << Json(n) << "\n";
              continue;
            }
            rows.push_back({DateText(n.date()),
                            EnumName(v1::SupportKind_descriptor(), n.kind()),
                            n.author(), n.text()});
          }
        });
    if (Failed(ctx, s)) return;
    if (!ctx.json) PrintTable(std::cout, {"DATE", "KIND", "BY", "NOTE"}, rows);
  });
}

void AddConsentCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand(
      "consent", "the victim's consents to share support notes (OSL 12:2)");
  group->require_subcommand(1);
  struct Args {
    std::string id, to, kinds, given, scope;
  };
  auto a = std::make_shared<Args>();
  auto* add = group->add_subcommand("add", "record a consent");
  add->add_option("case", a->id, "case id or cases/{id}")->required();
  add->add_option("--to", a->to, "police or prosecutor")->required();
  add->add_option(
         "--kinds", a->kinds,
         "comma-separated: " + EnumChoices(v1::SupportKind_descriptor()))
      ->required();
  add->add_option("--given", a->given,
                  "the date the victim gave it, YYYY-MM-DD (default today)");
  add->add_option("--scope", a->scope, "what the victim said, in your words");
  add->callback([&ctx, a] {
    v1::CreateConsentRequest req;
    req.set_parent(WithCases(a->id));
    v1::Consent& c = *req.mutable_consent();
    auto role = ParseEnum(v1::Role_descriptor(), a->to);
    if (!role) throw UsageError("--to: police or prosecutor");
    c.set_recipient(static_cast<v1::Role>(*role));
    std::stringstream kinds(a->kinds);
    for (std::string k; std::getline(kinds, k, ',');) {
      c.add_kinds(static_cast<v1::SupportKind>(Kind(k, "--kinds")));
    }
    *c.mutable_given_date() = DateArg(a->given, "--given");
    c.set_scope_note(a->scope);
    req.set_request_id(NewRequestId());
    Client client(ctx.client);
    v1::Consent out;
    auto s = client.Call(true, [&](grpc::ClientContext& cc) {
      return client.support().CreateConsent(&cc, req, &out);
    });
    if (Failed(ctx, s)) return;
    std::cout << (ctx.json ? Json(out) : out.name()) << "\n";
  });
  struct Withdraw {
    std::string name, date;
  };
  auto w = std::make_shared<Withdraw>();
  auto* withdraw = group->add_subcommand(
      "withdraw", "the victim withdraws a consent: it shares nothing more");
  withdraw->add_option("consent", w->name, "8/consents/1")->required();
  withdraw->add_option("--date", w->date,
                       "the date the victim withdrew it (default today)");
  withdraw->callback([&ctx, w] {
    v1::WithdrawConsentRequest req;
    req.set_name(WithCases(w->name));
    *req.mutable_withdrawn_date() = DateArg(w->date, "--date");
    req.set_request_id(NewRequestId());
    Client client(ctx.client);
    v1::Consent out;
    auto s = client.Call(true, [&](grpc::ClientContext& cc) {
      return client.support().WithdrawConsent(&cc, req, &out);
    });
    if (Failed(ctx, s)) return;
    google::protobuf::RepeatedPtrField<v1::Consent> one;
    *one.Add() = out;
    PrintConsents(ctx, one);
  });
  auto l = std::make_shared<std::string>();
  auto* list = group->add_subcommand("list", "a case's consents");
  list->add_option("case", *l, "case id or cases/{id}")->required();
  list->callback([&ctx, l] {
    v1::ListConsentsRequest req;
    req.set_parent(WithCases(*l));
    Client client(ctx.client);
    v1::ListConsentsResponse out;
    auto s = client.Call(true, [&](grpc::ClientContext& cc) {
      return client.support().ListConsents(&cc, req, &out);
    });
    if (Failed(ctx, s)) return;
    PrintConsents(ctx, out.consents());
  });
}

}  // namespace

void AddSupportCommands(CLI::App& app, Context& ctx) {
  AddNoteCommands(app, ctx);
  AddConsentCommands(app, ctx);
}

}  // namespace lotsen::cli
