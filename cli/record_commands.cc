// lotsen support add|list and lotsen household show|set: the support track
// as data (support, referrals, safety plans; the children living with the
// victim), social services' alone (OSL 26:1).
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/paging.h"

namespace lotsen::cli {
namespace {

int Choice(const google::protobuf::EnumDescriptor* e, const std::string& text,
           const std::string& option) {
  auto v = ParseEnum(e, text);
  if (!v) {
    throw UsageError(option + ": \"" + text + "\" is none of " +
                     EnumChoices(e));
  }
  return *v;
}

void PrintHousehold(const Context& ctx, const v1::Household& h) {
  if (ctx.json) {
    std::cout << Json(h) << "\n";
    return;
  }
  std::string ages;
  for (int a : h.child_ages()) {
    ages += (ages.empty() ? "" : ",") + std::to_string(a);
  }
  std::cout << "children: " << h.child_ages_size()
            << (ages.empty() ? "" : " (ages " + ages + ")") << "\n"
            << "witnessed: " << (h.children_witnessed() ? "yes" : "no")
            << "\nreport of concern: "
            << (h.concern_report_date().year()
                    ? DateText(h.concern_report_date())
                    : std::string("none"))
            << "\n";
}

void AddRecordCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand(
      "support",
      "support records: support offered and how it went, referrals, safety "
      "plans (social services only)");
  group->require_subcommand(1);
  struct Args {
    std::string id, kind, date, agency, referral, note;
  };
  auto a = std::make_shared<Args>();
  auto* add = group->add_subcommand("add", "record what happened");
  add->add_option("case", a->id, "case id or cases/{id}")->required();
  add->add_option("--kind", a->kind,
                  EnumChoices(v1::SupportRecordKind_descriptor()))
      ->required();
  add->add_option("--date", a->date,
                  "when it happened, YYYY-MM-DD (default today)");
  add->add_option("--agency", a->agency,
                  "referral-made: " + EnumChoices(v1::Agency_descriptor()));
  add->add_option("--referral", a->referral,
                  "referral-accepted/declined/completed: the referral, e.g. "
                  "8/supportRecords/2");
  add->add_option("--note", a->note, "at most 2000 characters");
  add->callback([&ctx, a] {
    v1::CreateSupportRecordRequest req;
    req.set_parent(WithCases(a->id));
    auto& r = *req.mutable_record();
    r.set_kind(static_cast<v1::SupportRecordKind>(
        Choice(v1::SupportRecordKind_descriptor(), a->kind, "--kind")));
    *r.mutable_date() = DateArg(a->date, "--date");
    if (!a->agency.empty()) {
      r.set_agency(static_cast<v1::Agency>(
          Choice(v1::Agency_descriptor(), a->agency, "--agency")));
    }
    r.set_referral(WithCases(a->referral));
    r.set_note(a->note);
    req.set_request_id(NewRequestId());
    Client client(ctx.client);
    v1::SupportRecord out;
    auto s = client.Call(true, [&](grpc::ClientContext& cc) {
      return client.support().CreateSupportRecord(&cc, req, &out);
    });
    if (Failed(ctx, s)) return;
    std::cout << (ctx.json ? Json(out) : out.name()) << "\n";
  });
  auto l = std::make_shared<std::string>();
  auto* list = group->add_subcommand("list", "a case's support records");
  list->add_option("case", *l, "case id or cases/{id}")->required();
  list->callback([&ctx, l] {
    v1::ListSupportRecordsRequest req;
    req.set_parent(WithCases(*l));
    req.set_page_size(1000);
    Client client(ctx.client);
    std::vector<std::vector<std::string>> rows;
    auto s = ForEachPage(
        client, client.support(), &v1::SupportService::Stub::ListSupportRecords,
        req, [&](const v1::ListSupportRecordsResponse& out) {
          for (const auto& r : out.records()) {
            if (ctx.json) {
              std::cout << Json(r) << "\n";
              continue;
            }
            rows.push_back(
                {r.name().substr(r.name().rfind('/') + 1), DateText(r.date()),
                 EnumName(v1::SupportRecordKind_descriptor(), r.kind()),
                 EnumName(v1::Agency_descriptor(), r.agency()),
                 r.referral().empty()
                     ? "-"
                     : r.referral().substr(r.referral().rfind('/') + 1),
                 r.author(), r.note()});
          }
        });
    if (Failed(ctx, s)) return;
    if (!ctx.json) {
      PrintTable(std::cout,
                 {"#", "DATE", "KIND", "AGENCY", "REFERRAL", "BY", "NOTE"},
                 rows);
    }
  });
}

void AddHouseholdCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand(
      "household",
      "the children living with the victim: ages only, never names "
      "(social services only)");
  group->require_subcommand(1);
  auto id = std::make_shared<std::string>();
  auto* show = group->add_subcommand("show", "what is recorded");
  show->add_option("case", *id, "case id or cases/{id}")->required();
  show->callback([&ctx, id] {
    v1::GetHouseholdRequest req;
    req.set_name(WithCases(*id) + "/household");
    Client client(ctx.client);
    v1::Household out;
    auto s = client.Call(true, [&](grpc::ClientContext& cc) {
      return client.support().GetHousehold(&cc, req, &out);
    });
    if (Failed(ctx, s)) return;
    PrintHousehold(ctx, out);
  });
  struct Args {
    std::string id, ages, concern, etag;
    bool witnessed = false;
  };
  auto a = std::make_shared<Args>();
  auto* set = group->add_subcommand(
      "set", "record the household as it is now (replaces what was there)");
  set->add_option("case", a->id, "case id or cases/{id}")->required();
  set->add_option("--child-ages", a->ages,
                  "the children's ages, comma-separated, e.g. 4,9; empty: "
                  "none");
  set->add_flag("--witnessed", a->witnessed,
                "the children saw or heard the violence (BrB 4:4 c)");
  set->add_option("--concern-report-date", a->concern,
                  "the date a report of concern was made (SoL 14:1)");
  set->add_option("--etag", a->etag, "fail if it changed since (ABORTED)");
  set->callback([&ctx, a] {
    v1::UpdateHouseholdRequest req;
    auto& h = *req.mutable_household();
    h.set_name(WithCases(a->id) + "/household");
    std::stringstream ages(a->ages);
    for (std::string age; std::getline(ages, age, ',');) {
      if (age.empty() ||
          age.find_first_not_of("0123456789") != std::string::npos ||
          age.size() > 3) {
        throw UsageError("--child-ages: \"" + age +
                         "\" is not an age in whole years");
      }
      h.add_child_ages(std::stoi(age));
    }
    h.set_children_witnessed(a->witnessed);
    if (!a->concern.empty()) {
      *h.mutable_concern_report_date() =
          DateArg(a->concern, "--concern-report-date");
    }
    req.set_etag(a->etag);
    req.set_request_id(NewRequestId());
    Client client(ctx.client);
    v1::Household out;
    auto s = client.Call(true, [&](grpc::ClientContext& cc) {
      return client.support().UpdateHousehold(&cc, req, &out);
    });
    if (Failed(ctx, s)) return;
    PrintHousehold(ctx, out);
  });
}

}  // namespace

void AddRecordAndHouseholdCommands(CLI::App& app, Context& ctx) {
  AddRecordCommands(app, ctx);
  AddHouseholdCommands(app, ctx);
}

}  // namespace lotsen::cli
