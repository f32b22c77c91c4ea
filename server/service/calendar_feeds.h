// CalendarFeeds: a social worker's live calendar. Making and revoking the
// feed token (over the API), and answering a fetch of the feed (over HTTP,
// server/http/), which is her hearings from kBack ago to kAhead from now as
// RFC 5545, with what a caching client needs to ask "changed?" cheaply.
//
// A feed token is a secret of its own (domain/tokens.h, "feed_"), kept as a
// hash in its own table: it opens one worker's feed and nothing else, and
// an API token opens no feed. Thread-safe; holds references to the store,
// clock and hearings, which must outlive it.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "lotsen/v1/hearing_service.pb.h"
#include "scheduler/clock.h"
#include "server/base/status.h"
#include "server/service/hearings.h"
#include "server/store/store.h"

namespace lotsen::server {

// One answer to a fetch: the calendar, and its validators (RFC 9110 8.8).
struct CalendarFeedBody {
  std::string ics;
  std::string etag;  // a strong validator, quoted: "\"...\""
  // The newest change among the hearings shown (or when the feed token
  // was made, with none), for Last-Modified.
  scheduler::Instant last_modified;
  // What the feed shows, as the API would list it: the access log records
  // the cases in it.
  v1::ListUpcomingHearingsResponse shown;
};

class CalendarFeeds {
 public:
  static constexpr std::chrono::hours kBack{24 * 30};
  static constexpr std::chrono::hours kAhead{24 * 180};

  CalendarFeeds(Store& store, const scheduler::Clock& clock,
                Hearings& hearings)
      : store_(store), clock_(clock), hearings_(hearings) {}

  grpc::Status Reset(const User& caller, const v1::ResetCalendarFeedRequest& req,
                     v1::CalendarFeed* out);
  grpc::Status Revoke(const User& caller,
                      const v1::RevokeCalendarFeedRequest& req,
                      v1::CalendarFeed* out);

  // The user a feed token opens, or NOT_FOUND saying only that there is no
  // such feed (whether the user exists is not told).
  grpc::Status Open(const std::string& token, User* owner);
  // The feed's validators now, without rendering it: enough to answer
  // "not modified" (RFC 9110 15.4.5) at a fraction of the cost. Only
  // `etag` and `last_modified` of `out` are set.
  grpc::Status Validate(const User& owner, CalendarFeedBody* out);
  // The feed of `owner` (as Open found), as the worker herself would see
  // her hearings: protected names never in it. Its validators are taken
  // before the hearings are read, so a change between the two makes the
  // client fetch once more, never keep a stale copy under a new ETag.
  grpc::Status Render(const User& owner, CalendarFeedBody* out);

 private:
  // The worker a feed name `users/{user}/calendarFeed` is of, checked
  // against the caller: the worker herself, or the coordinator.
  grpc::Status Target(ReadTx& tx, const User& caller, const std::string& name,
                      User* worker);

  Store& store_;
  const scheduler::Clock& clock_;
  Hearings& hearings_;
};

}  // namespace lotsen::server
