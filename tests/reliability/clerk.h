// In-process writers for the power-loss and disk-full tests: a Clerk makes
// changes through server::Cases (the code the gRPC service calls) and
// remembers which were acknowledged, so the database can be checked against
// them after a simulated power cut or a full disk.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <date/date.h>

#include <random>
#include <string>
#include <vector>

#include "server/base/convert.h"
#include "server/service/cases.h"
#include "server/store/store.h"
#include "tests/reliability/reliability_util.h"

namespace lotsen::reliability {

// Report and event date for the tests on a FakeClock at 2026-03-02.
inline v1::Date ClerkDate() {
  v1::Date d;
  d.set_year(2026);
  d.set_month(3);
  d.set_day(1);
  return d;
}

inline scheduler::Instant ClerkNow() {
  return scheduler::Instant(date::sys_days(date::year{2026} / 3 / 2) +
                            std::chrono::hours(9));
}

inline server::User FindUser(server::Store& store, const std::string& name) {
  server::User user;
  store.Read([&](server::ReadTx& tx) {
    user = *tx.FindUser(name);
    return grpc::Status::OK;
  });
  return user;
}

class Clerk {
 public:
  // A case as acknowledged: its number, version and the reasons of its
  // history after CREATED.
  struct Known {
    std::string name;
    std::string number;
    int64_t version = 0;
    std::vector<std::string> reasons;
  };

  Clerk(int index, server::User user) : index_(index), user_(std::move(user)) {}

  // One change: a new case, or a contact ban requested on one of its own
  // cases (allowed in every stage). Non-OK: not acknowledged.
  grpc::Status Step(server::Cases& cases, std::mt19937& rng) {
    const std::string id = user_.username + "-" + std::to_string(next_++);
    v1::Case out;
    if (known_.empty() || rng() % 3 == 0) {
      v1::CreateCaseRequest req;
      auto& c = *req.mutable_case_();
      c.set_police_report_number(
          ReportNumber((index_ + 1) * 1000000LL + next_, ClerkDate()));
      *c.mutable_report_date() = ClerkDate();
      c.set_district(kClerkDistrict);
      c.set_offence_category(v1::UNLAWFUL_THREAT);
      c.mutable_victim()->set_display_name("Lena B.");
      req.set_request_id(id);
      grpc::Status s = cases.Create(user_, req, &out);
      if (s.ok())
        known_.push_back({out.name(), c.police_report_number(), 1, {}});
      return s;
    }
    Known& k = known_[rng() % known_.size()];
    v1::RecordCaseEventRequest req;
    req.set_name(k.name);
    req.set_event(v1::CONTACT_BAN_REQUESTED);
    *req.mutable_event_date() = ClerkDate();
    req.set_reason(id);
    req.set_etag(std::to_string(k.version));
    req.set_request_id(id);
    grpc::Status s = cases.RecordEvent(user_, req, &out);
    if (s.ok()) {
      k.version = std::stoll(out.etag());
      k.reasons.push_back(id);
    }
    return s;
  }

  // Takes its cases as the database `db` now has them: a change cut off by
  // a crash may or may not have been stored.
  void Resync(SQLite::Database& db) {
    for (auto& k : known_) {
      SQLite::Statement q(db,
                          "SELECT c.version, h.reason FROM cases c JOIN "
                          "case_history h ON h.case_id = c.id WHERE "
                          "c.report_number = ? AND h.seq > 1 ORDER BY h.seq");
      q.bind(1, k.number);
      k.reasons.clear();
      while (q.executeStep()) {
        k.version = q.getColumn(0).getInt64();
        k.reasons.push_back(q.getColumn(1).getString());
      }
    }
  }

  const std::vector<Known>& known() const { return known_; }
  int64_t acknowledged() const {
    int64_t n = 0;
    for (const auto& k : known_) n += 1 + k.reasons.size();
    return n;
  }

 private:
  int index_;
  server::User user_;
  int64_t next_ = 1;
  std::vector<Known> known_;
};

// What of the clerks' acknowledged changes the database at `path` lacks
// (opened read-only with the plain VFS). One more change per case than
// acknowledged is allowed when `allow_in_flight` (the call cut off).
inline std::vector<std::string> MissingAcknowledged(
    const std::string& path, const std::vector<Clerk>& clerks,
    bool allow_in_flight) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Transaction snapshot(db);
  std::vector<std::string> problems;
  for (const Clerk& clerk : clerks) {
    for (const auto& k : clerk.known()) {
      SQLite::Statement q(
          db, "SELECT id, version FROM cases WHERE report_number = ?");
      q.bind(1, k.number);
      if (!q.executeStep()) {
        problems.push_back(k.name + " (" + k.number + ") is missing");
        continue;
      }
      const int64_t version = q.getColumn(1).getInt64();
      if (version < k.version ||
          version > k.version + (allow_in_flight ? 1 : 0)) {
        problems.push_back(k.name + ": version " + std::to_string(version) +
                           ", acknowledged " + std::to_string(k.version));
      }
      SQLite::Statement h(db,
                          "SELECT reason FROM case_history WHERE case_id = ? "
                          "ORDER BY seq LIMIT -1 OFFSET 1");
      h.bind(1, q.getColumn(0).getInt64());
      size_t i = 0;
      while (h.executeStep() && i < k.reasons.size()) {
        if (h.getColumn(0).getString() != k.reasons[i]) break;
        ++i;
      }
      if (i != k.reasons.size()) {
        problems.push_back(k.name + ": acknowledged change " + k.reasons[i] +
                           " is missing");
      }
    }
  }
  return problems;
}

}  // namespace lotsen::reliability
