#include "server/service/alerts.h"

#include <set>
#include <unordered_map>

#include "scheduler/alerts.h"
#include "server/base/convert.h"
#include "server/base/status.h"
#include "server/domain/authz.h"
#include "server/domain/lifecycle.h"
#include "server/domain/methods.h"
#include "server/domain/paging.h"
#include "server/domain/validation.h"

namespace lotsen::server {
namespace {

using grpc::Status;
using grpc::StatusCode;

// Who an item's alerts go to: its worker (the coordinator while the case
// has none), the coordinators, or the prosecutors of the case's district
// (the coordinators while that district has none, so nothing goes unseen).
// A disabled user (admin disable-user) is as if she were not there.
std::vector<int64_t> Recipients(const StoredTask& t, v1::District district,
                                const std::vector<User>& coordinators,
                                const std::vector<User>& prosecutors,
                                const std::set<int64_t>& disabled) {
  std::vector<int64_t> ids;
  if (t.value.concerns() == v1::CONCERNS_ASSIGNED_WORKER && t.assignee_id &&
      !disabled.contains(t.assignee_id)) {
    ids.push_back(t.assignee_id);
    return ids;
  }
  if (t.value.concerns() == v1::CONCERNS_PROSECUTOR) {
    for (const auto& u : prosecutors) {
      if (u.district == district) ids.push_back(u.id);
    }
    if (!ids.empty()) return ids;
  }
  for (const auto& u : coordinators) ids.push_back(u.id);
  return ids;
}

}  // namespace

Status Alerts::RunSweep(scheduler::Day as_of,
                        v1::RunDeadlineSweepResponse* out) {
  const rules::AlertPolicy& policy = engine_.rules().alerts();
  const scheduler::Instant started = clock_.Now();
  const std::string due_to =
      scheduler::FormatDay(scheduler::LatestDueAlerted(as_of, policy));
  return store_.Write([&](Tx& tx) {
    std::set<int64_t> disabled;
    auto enabled = [&](std::vector<User> users) {
      std::erase_if(users, [&](const User& u) {
        if (u.disabled) disabled.insert(u.id);
        return u.disabled;
      });
      return users;
    };
    const auto coordinators = enabled(tx.ListUsersWithRole(v1::COORDINATOR));
    const auto prosecutors = enabled(tx.ListUsersWithRole(v1::PROSECUTOR));
    enabled(tx.ListUsersWithRole(v1::SOCIAL_WORKER));  // who is disabled
    int created = 0, checked = 0, overdue_statutory = 0;
    std::unordered_map<int64_t, v1::District> districts;
    for (const StoredTask& t : tx.ListDueTasks(due_to)) {
      ++checked;
      const scheduler::Day due = *ToDay(t.value.due_date());
      const bool statutory = t.value.statutory();
      if (statutory && t.value.kind() == v1::DEADLINE && as_of > due) {
        ++overdue_statutory;
      }
      const auto index = scheduler::CurrentThreshold(due, as_of, policy);
      if (!index) continue;
      const rules::Threshold& threshold = policy.threshold(*index);
      NewAlert a;
      a.task_id = t.id;
      a.case_id = t.case_id;
      a.due_date = scheduler::FormatDay(due);
      a.threshold = threshold.name();
      a.overdue = threshold.overdue();
      v1::District district = v1::DISTRICT_UNSPECIFIED;
      if (t.value.concerns() == v1::CONCERNS_PROSECUTOR) {
        auto [it, fresh] = districts.try_emplace(t.case_id);
        if (fresh) {
          if (auto c = tx.GetCase(t.case_id)) it->second = c->value.district();
        }
        district = it->second;
      }
      for (int64_t r :
           Recipients(t, district, coordinators, prosecutors, disabled)) {
        a.recipient_id = r;
        created += tx.InsertAlert(a, started);
      }
      if (scheduler::Escalates(due, as_of, statutory, policy)) {
        a.threshold = "escalated";
        a.overdue = true;
        for (const auto& c : coordinators) {
          a.recipient_id = c.id;
          created += tx.InsertAlert(a, started);
        }
      }
    }
    tx.RecordSweep(scheduler::FormatDay(as_of), created, started, clock_.Now());
    *out->mutable_as_of() = ToProto(as_of);
    out->set_items_checked(checked);
    out->set_alerts_created(created);
    out->set_overdue_statutory(overdue_statutory);
    return Status::OK;
  });
}

std::optional<scheduler::Day> Alerts::LastSweep() {
  std::optional<scheduler::Day> last;
  store_.Read([&](ReadTx& tx) {
    if (auto s = tx.LastSweep()) last = scheduler::ParseDay(*s);
    return Status::OK;
  });
  return last;
}

Status Alerts::Sweep(const User& /*caller*/,
                     const v1::RunDeadlineSweepRequest& req,
                     v1::RunDeadlineSweepResponse* out) {
  const scheduler::Day today = scheduler::StockholmDate(clock_.Now());
  scheduler::Day as_of = today;
  if (IsSet(req.as_of())) {
    auto d = ToDay(req.as_of());
    if (!d) return Invalid("as_of", "is not a valid date");
    // Sweeping a night that has not come would alert people too early.
    if (*d > today) {
      return Invalid("as_of", "must not be after today (" +
                                  scheduler::FormatDay(today) +
                                  " in Stockholm)");
    }
    as_of = *d;
  }
  return RunSweep(as_of, out);
}

Status Alerts::Claim(const User& /*caller*/, const v1::ClaimAlertsRequest& req,
                     v1::ClaimAlertsResponse* out) {
  if (req.max_alerts() < 0 || req.max_alerts() > 10000) {
    return Invalid("max_alerts", "must be 1..10000, or 0 for 1000");
  }
  const int max = req.max_alerts() ? req.max_alerts() : 1000;
  const auto now = clock_.Now();
  return store_.Write([&](Tx& tx) {
    std::set<std::string> named;
    for (auto& a : tx.ClaimAlerts(max, now)) {
      named.insert(a.value.recipient());
      *out->add_alerts() = std::move(a.value);
    }
    // Where each goes, and the coordinators, who are told who has no
    // address (their alerts go to a file on the job's machine instead).
    auto add = [&](const User& u) {
      auto* r = out->add_recipients();
      r->set_user("users/" + u.username);
      r->set_email(u.email);
      r->set_coordinator(u.role == v1::COORDINATOR);
    };
    for (const auto& lead : tx.ListUsersWithRole(v1::COORDINATOR)) {
      named.erase("users/" + lead.username);
      if (!lead.disabled) add(lead);
    }
    for (const auto& name : named) {
      if (auto u = tx.FindUser(name.substr(name.find('/') + 1))) add(*u);
    }
    return Status::OK;
  });
}

Status Alerts::Acknowledge(const User& caller,
                           const v1::AcknowledgeAlertsRequest& req,
                           v1::AcknowledgeAlertsResponse* out) {
  if (req.names_size() == 0 || req.names_size() > 10000) {
    return Invalid("names", "give 1..10000 alert names");
  }
  std::vector<int64_t> ids;
  for (const auto& name : req.names()) {
    long long id = 0;
    const std::string_view rest =
        std::string_view(name).substr(std::min<size_t>(name.size(), 7));
    if (!name.starts_with("alerts/") || rest.empty() || rest.size() > 18 ||
        rest.find_first_not_of("0123456789") != std::string_view::npos ||
        (id = std::stoll(std::string(rest))) <= 0) {
      return Invalid("names", "\"" + Echo(name) + "\" is not alerts/{id}");
    }
    ids.push_back(id);
  }
  // The delivery job acknowledges what it delivered; people their own.
  const bool any =
      caller.role == v1::ALERT_JOB || caller.role == v1::COORDINATOR;
  const auto now = clock_.Now();
  return store_.Write([&](Tx& tx) {
    int n = 0;
    for (int64_t id : ids)
      n += tx.AcknowledgeAlert(id, any ? 0 : caller.id, now);
    out->set_acknowledged(n);
    return Status::OK;
  });
}

Status Alerts::List(const User& caller, const v1::ListAlertsRequest& req,
                    v1::ListAlertsResponse* out) {
  int size = 0;
  RETURN_IF_ERROR(PageSize(req.page_size(), &size));
  if (!v1::AlertState_IsValid(req.state())) {
    return Invalid("state", "has no value " + std::to_string(req.state()));
  }
  std::string recipient =
      req.recipient().empty() ? "users/" + caller.username : req.recipient();
  if (recipient != "users/" + caller.username &&
      caller.role != v1::COORDINATOR && caller.role != v1::ALERT_JOB) {
    return Status(StatusCode::PERMISSION_DENIED,
                  "recipient: only the coordinator and the alert job may list "
                  "another's alerts");
  }
  const PageScope fp = Scope(
      caller.id, "alerts|" + recipient + "|" + std::to_string(req.state()));
  int64_t after = 0;
  RETURN_IF_ERROR(DecodePageToken(req.page_token(), fp, &after));
  return store_.Read([&](ReadTx& tx) {
    auto username = ParseUserName(recipient);
    auto u = username ? tx.FindUser(*username) : std::nullopt;
    if (!u) return Invalid("recipient", Echo(recipient) + " is not a user");
    // A social worker's alerts are about their victims' cases; once a case
    // goes to another worker, so do its alerts (the next sweep makes the new
    // worker's own), and the old ones, even acknowledged, are no longer
    // theirs to read (OSL 26:1).
    const int64_t assigned = caller.role == v1::SOCIAL_WORKER ? caller.id : 0;
    auto rows = tx.ListAlerts(u->id, req.state(), after, size + 1, assigned);
    const bool more = static_cast<int>(rows.size()) > size;
    if (more) rows.pop_back();
    for (auto& a : rows) *out->add_alerts() = std::move(a.value);
    if (more) out->set_next_page_token(EncodePageToken(rows.back().id, fp));
    return Status::OK;
  });
}

}  // namespace lotsen::server
