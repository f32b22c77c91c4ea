#include "server/service/calendar_feeds.h"

#include <algorithm>
#include <cstdio>

#include "api/ics/hearings_calendar.h"
#include "server/base/convert.h"
#include "server/base/names.h"
#include "server/domain/paging.h"
#include "server/domain/tokens.h"

namespace lotsen::server {
namespace {

using grpc::Status;
using grpc::StatusCode;

constexpr std::string_view kFeedSuffix = "/calendarFeed";

void Describe(const User& worker, const StoredFeed& f, v1::CalendarFeed* out) {
  out->set_name("users/" + worker.username + std::string(kFeedSuffix));
  *out->mutable_create_time() = ToTimestamp(f.create_time);
  if (f.revoke_time) *out->mutable_revoke_time() = ToTimestamp(*f.revoke_time);
}

}  // namespace

Status CalendarFeeds::Target(ReadTx& tx, const User& caller,
                             const std::string& name, User* worker) {
  const std::string_view n(name);
  if (!n.ends_with(kFeedSuffix)) {
    return Invalid("name", "must be users/{user}/calendarFeed");
  }
  const std::string_view user = n.substr(0, n.size() - kFeedSuffix.size());
  // `users/-` is the caller (no username starts with "-").
  auto username =
      user == "users/-" ? std::optional(caller.username) : ParseUserName(user);
  if (!username) return Invalid("name", "must be users/{user}/calendarFeed");
  // A worker makes her own feed; the coordinator anyone's (a lost phone).
  if (caller.role != v1::COORDINATOR && *username != caller.username) {
    return Status(StatusCode::PERMISSION_DENIED,
                  "name: a SOCIAL_WORKER manages only her own calendar feed, "
                  "users/" +
                      caller.username + "/calendarFeed");
  }
  auto u = tx.FindUser(*username);
  if (!u) return Status(StatusCode::NOT_FOUND, "name: no user " + *username);
  if (u->role != v1::SOCIAL_WORKER) {
    return Status(StatusCode::FAILED_PRECONDITION,
                  "name: a calendar feed shows the hearings a SOCIAL_WORKER "
                  "goes to; " +
                      *username + " is " + v1::Role_Name(u->role));
  }
  *worker = *u;
  return Status::OK;
}

Status CalendarFeeds::Reset(const User& caller,
                            const v1::ResetCalendarFeedRequest& req,
                            v1::CalendarFeed* out) {
  const std::string token = NewToken(kFeedTokenPrefix);
  const auto now = clock_.Now();
  return store_.Write([&](Tx& tx) {
    User worker;
    RETURN_IF_ERROR(Target(tx, caller, req.name(), &worker));
    tx.RevokeFeeds(worker.id, now);
    StoredFeed f;
    f.id = tx.InsertFeed(worker.id, Sha256Hex(token), now);
    f.user_id = worker.id;
    f.create_time = now;
    Describe(worker, f, out);
    out->set_token(token);
    out->set_path("/calendar/" + token + ".ics");
    return Status::OK;
  });
}

Status CalendarFeeds::Revoke(const User& caller,
                             const v1::RevokeCalendarFeedRequest& req,
                             v1::CalendarFeed* out) {
  const auto now = clock_.Now();
  return store_.Write([&](Tx& tx) {
    User worker;
    RETURN_IF_ERROR(Target(tx, caller, req.name(), &worker));
    tx.RevokeFeeds(worker.id, now);
    auto f = tx.LatestFeed(worker.id);
    if (!f) {
      return Status(StatusCode::NOT_FOUND, "name: " + req.name() +
                                               " was never made; make one with "
                                               "ResetCalendarFeed");
    }
    Describe(worker, *f, out);
    return Status::OK;
  });
}

Status CalendarFeeds::Open(const std::string& token, User* owner) {
  const Status none(StatusCode::NOT_FOUND, "no such calendar feed");
  // Only the shape of a feed token is looked up: an API token is not a
  // feed token even by accident.
  if (!token.starts_with(kFeedTokenPrefix) || token.size() > 64) return none;
  std::optional<User> u;
  RETURN_IF_ERROR(store_.Read([&](ReadTx& tx) {
    u = tx.FindUserByFeedHash(Sha256Hex(token));
    return Status::OK;
  }));
  if (!u || u->role != v1::SOCIAL_WORKER) return none;
  *owner = *u;
  return Status::OK;
}

Status CalendarFeeds::Validate(const User& owner, CalendarFeedBody* out) {
  const auto now = clock_.Now();
  HearingQuery q;
  q.worker_id = owner.id;
  q.from = now - kBack;
  q.to = now + kAhead;
  q.include_cancelled = true;
  HearingsDigest d;
  std::optional<StoredFeed> feed;
  RETURN_IF_ERROR(store_.Read([&](ReadTx& tx) {
    d = tx.DigestUpcoming(q);
    if (d.count == 0) feed = tx.LatestFeed(owner.id);
    return Status::OK;
  }));
  // kFormat changes when the rendering does, so an upgrade is refetched.
  constexpr std::string_view kFormat = "ics-1";
  char digest[160];
  std::snprintf(digest, sizeof digest, "%.*s|%lld|%lld|%lld|%.17g|%.17g",
                static_cast<int>(kFormat.size()), kFormat.data(),
                static_cast<long long>(owner.id),
                static_cast<long long>(d.count),
                static_cast<long long>(d.newest_update_micros), d.hearing_sum,
                d.case_sum);
  out->etag = "\"" + Sha256Hex(digest).substr(0, 32) + "\"";
  out->last_modified = d.count ? scheduler::Instant(std::chrono::microseconds(
                                     d.newest_update_micros))
                               : (feed ? feed->create_time : now);
  return Status::OK;
}

Status CalendarFeeds::Render(const User& owner, CalendarFeedBody* out) {
  RETURN_IF_ERROR(Validate(owner, out));
  const auto now = clock_.Now();
  v1::ListUpcomingHearingsRequest req;
  *req.mutable_from() = ToTimestamp(now - kBack);
  *req.mutable_to() = ToTimestamp(now + kAhead);
  req.set_include_cancelled(true);
  req.set_page_size(kMaxPageSize);
  std::vector<v1::UpcomingHearing> all;
  for (;;) {
    v1::ListUpcomingHearingsResponse page;
    RETURN_IF_ERROR(hearings_.ListUpcoming(owner, req, &page));
    for (auto& h : *page.mutable_hearings()) all.push_back(std::move(h));
    if (page.next_page_token().empty()) break;
    req.set_page_token(page.next_page_token());
  }
  for (const auto& h : all) *out->shown.add_hearings() = h;
  out->ics = ics::HearingsCalendar(all, now);
  return Status::OK;
}

}  // namespace lotsen::server
