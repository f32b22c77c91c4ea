#include "tests/reliability/workload.h"

#include <date/date.h>

#include <algorithm>

#include "server/domain/lifecycle.h"
#include "tests/reliability/reliability_util.h"

namespace lotsen::reliability {
namespace {

constexpr auto kCallTimeout = std::chrono::seconds(15);

// The events a writer records; each is allowed or not by server::CheckEvent.
constexpr v1::CaseEventType kEvents[] = {
    v1::CONTACT_BAN_REQUESTED, v1::CONTACT_BAN_GRANTED, v1::SUSPECT_INFORMED,
    v1::SUSPECT_ARRESTED,      v1::SUSPECT_REMANDED,    v1::SUSPECT_RELEASED,
    v1::COUNSEL_REQUESTED,     v1::COUNSEL_APPOINTED,   v1::CONTACT_BAN_ENDED,
};

v1::Date DaysAfter(const v1::Date& d, int days) {
  const date::sys_days day = date::year{d.year()} /
                             static_cast<unsigned>(d.month()) /
                             static_cast<unsigned>(d.day());
  const date::year_month_day ymd{day + date::days(days)};
  v1::Date out;
  out.set_year(static_cast<int>(ymd.year()));
  out.set_month(static_cast<int>(static_cast<unsigned>(ymd.month())));
  out.set_day(static_cast<int>(static_cast<unsigned>(ymd.day())));
  return out;
}

}  // namespace

Writer::Writer(int index, std::string username, v1::Role role,
               std::string token, uint32_t seed, v1::Date legal_date)
    : index_(index),
      username_(std::move(username)),
      role_(role),
      token_(std::move(token)),
      rng_(seed),
      legal_date_(std::move(legal_date)) {}

Change Writer::Next() {
  Change c;
  c.request_id = username_ + "-" + std::to_string(next_request_++);
  if (cases_.empty() || rng_() % 4 == 0) {
    c.kind = Change::kCreate;
    auto& k = *c.create.mutable_case_();
    k.set_police_report_number(
        ReportNumber((index_ + 1) * 1000000LL + next_serial_++, legal_date_));
    *k.mutable_report_date() = legal_date_;
    k.set_district(kClerkDistrict);
    k.set_offence_category(v1::ASSAULT);
    k.mutable_victim()->set_display_name("Amina K.");
    c.create.set_request_id(c.request_id);
    return c;
  }
  c.case_index = rng_() % cases_.size();
  const v1::Case& k = cases_[c.case_index].last;
  std::vector<v1::Transition> transitions;
  for (v1::Transition t : server::AllowedTransitions(k)) {
    const auto& roles = server::FindTransition(t)->roles;
    if (std::find(roles.begin(), roles.end(), role_) != roles.end()) {
      transitions.push_back(t);
    }
  }
  std::vector<v1::CaseEventType> events;
  for (v1::CaseEventType e : kEvents) {
    if (server::CheckEvent(k, e, role_).ok()) events.push_back(e);
  }
  if (!transitions.empty() && (events.empty() || rng_() % 2 == 0)) {
    c.kind = Change::kAdvance;
    const v1::Transition t = transitions[rng_() % transitions.size()];
    c.advance.set_name(k.name());
    c.advance.set_transition(t);
    *c.advance.mutable_decision_date() = legal_date_;
    c.advance.set_reason(c.request_id);
    c.advance.set_etag(k.etag());
    c.advance.set_request_id(c.request_id);
    // Every party declared itself satisfied (nöjdförklaring), so the
    // judgment may become final on the day it was given.
    if (t == v1::CONVICTION_FINAL || t == v1::ACQUITTAL_FINAL) {
      c.advance.set_appeal_waived(true);
    }
    return c;
  }
  c.kind = Change::kEvent;
  const v1::CaseEventType e = events[rng_() % events.size()];
  c.event.set_name(k.name());
  c.event.set_event(e);
  *c.event.mutable_event_date() = legal_date_;
  if (e == v1::CONTACT_BAN_GRANTED) {
    *c.event.mutable_end_date() = DaysAfter(legal_date_, 90);
  }
  if (e == v1::SUSPECT_REMANDED && (k.stage() == v1::INVESTIGATION ||
                                    k.stage() == v1::PROSECUTION_DECISION)) {
    *c.event.mutable_court_date() = DaysAfter(legal_date_, 14);
  }
  c.event.set_reason(c.request_id);
  c.event.set_etag(k.etag());
  c.event.set_request_id(c.request_id);
  return c;
}

grpc::Status Writer::Send(v1::CaseService::Stub& stub, const Change& c,
                          v1::Case* out, bool wait_for_ready) {
  grpc::ClientContext ctx;
  Prepare(ctx, token_, kCallTimeout);
  ctx.set_wait_for_ready(wait_for_ready);
  switch (c.kind) {
    case Change::kCreate:
      return stub.CreateCase(&ctx, c.create, out);
    case Change::kAdvance:
      return stub.AdvanceCase(&ctx, c.advance, out);
    case Change::kEvent:
      return stub.RecordCaseEvent(&ctx, c.event, out);
  }
  return grpc::Status(grpc::StatusCode::INTERNAL, "unreachable");
}

void Writer::Acknowledge(const Change& c, const v1::Case& out) {
  if (c.kind == Change::kCreate) {
    if (out.etag() != "1") {
      problems_.push_back(c.request_id + ": a new case has etag " + out.etag());
    }
    cases_.push_back(
        {out.name(), c.create.case_().police_report_number(), out, {}});
  } else {
    KnownCase& k = cases_[c.case_index];
    const std::string want = std::to_string(std::stoll(k.last.etag()) + 1);
    if (out.etag() != want || out.name() != k.name) {
      problems_.push_back(c.request_id + ": answered " + out.name() + " etag " +
                          out.etag() + ", expected " + k.name + " etag " +
                          want);
    }
    k.last = out;
    k.changes.push_back(c.request_id);
  }
  acked_ids_.insert(c.request_id);
  acked_.fetch_add(1);
}

void Writer::Run(const std::string& address, const std::atomic<bool>& stop,
                 const std::atomic<bool>& expect_failure) {
  if (unknown_) {
    problems_.push_back("Run with an unknown change not yet retried");
    return;
  }
  auto stub = v1::CaseService::NewStub(Connect(address));
  while (!stop.load()) {
    Change c = Next();
    sent_ids_.insert(c.request_id);
    v1::Case out;
    const grpc::Status s = Send(*stub, c, &out, false);
    if (s.ok()) {
      Acknowledge(c, out);
      continue;
    }
    failure_expected_ = expect_failure.load();
    failure_ = s;
    unknown_ = std::move(c);
    return;
  }
}

grpc::Status Writer::RetryUnknown(const std::string& address) {
  if (!unknown_) return grpc::Status::OK;
  auto stub = v1::CaseService::NewStub(Connect(address));
  v1::Case out;
  const grpc::Status s = Send(*stub, *unknown_, &out, true);
  if (s.ok()) {
    Acknowledge(*unknown_, out);
    unknown_.reset();
  }
  return s;
}

void Writer::ClearFailure() {
  failure_ = grpc::Status::OK;
  failure_expected_ = false;
}

std::vector<std::pair<std::string, v1::Role>> UserList(int writers) {
  std::vector<std::pair<std::string, v1::Role>> out;
  for (int i = 0; i < writers; ++i) {
    out.emplace_back(i % 2 == 0 ? "polis" + std::to_string(i)
                                : "aklagare" + std::to_string(i),
                     i % 2 == 0 ? v1::POLICE : v1::PROSECUTOR);
  }
  return out;
}

std::vector<std::unique_ptr<Writer>> MakeWriters(
    int count, const std::map<std::string, std::string>& tokens,
    uint32_t seed) {
  std::vector<std::unique_ptr<Writer>> out;
  const v1::Date legal = PastDate();
  int i = 0;
  for (const auto& [name, role] : UserList(count)) {
    out.push_back(std::make_unique<Writer>(i, name, role, tokens.at(name),
                                           seed + 7919u * i, legal));
    ++i;
  }
  return out;
}

int64_t TotalAcked(const std::vector<std::unique_ptr<Writer>>& writers) {
  int64_t n = 0;
  for (const auto& w : writers) n += w->acked();
  return n;
}

std::vector<std::string> CompareWithWriters(
    const std::string& path,
    const std::vector<std::unique_ptr<Writer>>& writers, Expect expect) {
  const bool exact = expect == Expect::kExact;
  const bool older = expect == Expect::kOlderCopy;
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  db.setBusyTimeout(5000);
  SQLite::Transaction snapshot(db);  // one consistent view

  struct DiskCase {
    int64_t id = 0;
    int64_t version = 0;
    int stage = 0;
    std::vector<std::string> reasons;  // history, oldest first
  };
  std::map<std::string, DiskCase> disk;  // by report number
  std::map<int64_t, std::string> number_of;
  {
    SQLite::Statement q(db,
                        "SELECT id, report_number, version, stage FROM cases");
    while (q.executeStep()) {
      DiskCase d;
      d.id = q.getColumn(0).getInt64();
      d.version = q.getColumn(2).getInt64();
      d.stage = q.getColumn(3).getInt();
      number_of[d.id] = q.getColumn(1).getString();
      disk[number_of[d.id]] = std::move(d);
    }
    SQLite::Statement h(
        db, "SELECT case_id, reason FROM case_history ORDER BY case_id, seq");
    while (h.executeStep()) {
      disk[number_of[h.getColumn(0).getInt64()]].reasons.push_back(
          h.getColumn(1).getString());
    }
  }
  std::set<std::pair<std::string, std::string>> stored;  // user, request_id
  {
    SQLite::Statement q(db,
                        "SELECT u.username, r.request_id FROM requests r "
                        "JOIN users u ON u.id = r.caller_id");
    while (q.executeStep()) {
      stored.emplace(q.getColumn(0).getString(), q.getColumn(1).getString());
    }
  }

  std::vector<std::string> problems;
  std::set<std::string> sent_numbers;
  for (const auto& w : writers) {
    const auto& unknown = w->unknown();
    if (exact && unknown) {
      problems.push_back(w->username() + ": unknown change " +
                         unknown->request_id + " was not retried");
    }
    for (size_t i = 0; i < w->cases().size(); ++i) {
      const KnownCase& k = w->cases()[i];
      sent_numbers.insert(k.number);
      auto it = disk.find(k.number);
      if (it == disk.end()) {
        if (older) continue;  // made after the copy
        problems.push_back("acknowledged case " + k.name + " (" + k.number +
                           ") is missing");
        continue;
      }
      const DiskCase& d = it->second;
      const std::string name = "cases/" + std::to_string(d.id);
      if (name != k.name) {
        problems.push_back(k.number + " is " + name + ", acknowledged as " +
                           k.name);
      }
      const std::vector<std::string> after(
          d.reasons.empty() ? d.reasons.end() : d.reasons.begin() + 1,
          d.reasons.end());
      if (older) {
        // The copy's history must begin the acknowledged one.
        if (after.size() > k.changes.size() ||
            !std::equal(after.begin(), after.end(), k.changes.begin())) {
          problems.push_back(name +
                             ": the copy's history is not the start "
                             "of the acknowledged one");
        }
        continue;
      }
      const bool prefix =
          after.size() >= k.changes.size() &&
          std::equal(k.changes.begin(), k.changes.end(), after.begin());
      if (!prefix) {
        problems.push_back(
            name + ": history has " + std::to_string(after.size()) +
            " changes that do not begin with the " +
            std::to_string(k.changes.size()) + " acknowledged ones");
        continue;
      }
      const size_t extra = after.size() - k.changes.size();
      const bool may_have_unknown = unknown &&
                                    unknown->kind != Change::kCreate &&
                                    unknown->case_index == i;
      if (extra > (may_have_unknown ? 1u : 0u)) {
        problems.push_back(name + ": " + std::to_string(extra) +
                           " changes stored that were never acknowledged");
      } else if (extra == 1 && after.back() != unknown->request_id) {
        problems.push_back(name + ": stored change " + after.back() +
                           " was never sent");
      }
      const int64_t want_version = std::stoll(k.last.etag()) + extra;
      if (d.version != want_version) {
        problems.push_back(name + ": version " + std::to_string(d.version) +
                           ", expected " + std::to_string(want_version));
      }
      if (extra == 0 && d.stage != k.last.stage()) {
        problems.push_back(name + ": stage " + std::to_string(d.stage) +
                           ", acknowledged " + v1::Stage_Name(k.last.stage()));
      }
    }
    if (unknown && unknown->kind == Change::kCreate) {
      const std::string& number =
          unknown->create.case_().police_report_number();
      sent_numbers.insert(number);
      auto it = disk.find(number);
      if (it != disk.end() && it->second.reasons.size() != 1) {
        problems.push_back(number + ": an unacknowledged new case has " +
                           std::to_string(it->second.reasons.size()) +
                           " history entries");
      }
    }
    for (const auto& id : w->acked_ids()) {
      if (older) break;
      if (!stored.count({w->username(), id})) {
        problems.push_back(w->username() + " " + id +
                           ": acknowledged but its answer is not stored, so "
                           "a retry would apply it again");
      }
    }
  }
  for (const auto& [number, d] : disk) {
    if (!sent_numbers.count(number)) {
      problems.push_back("cases/" + std::to_string(d.id) + " (" + number +
                         ") is stored but was never sent");
    }
  }
  for (const auto& [user, id] : stored) {
    auto w = std::find_if(writers.begin(), writers.end(),
                          [&](const auto& w) { return w->username() == user; });
    if (w == writers.end() || !(*w)->sent_ids().count(id)) {
      problems.push_back("request " + user + " " + id +
                         " is stored but was never sent");
    }
  }
  return problems;
}

WriterThreads::WriterThreads(std::vector<std::unique_ptr<Writer>>& writers,
                             const std::string& address) {
  for (auto& w : writers) {
    Writer* writer = w.get();
    threads_.emplace_back([this, writer, address] {
      writer->Run(address, stop_, expect_failure_);
    });
  }
}

WriterThreads::~WriterThreads() { StopAndJoin(); }

void WriterThreads::StopAndJoin() {
  stop_.store(true);
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

}  // namespace lotsen::reliability
