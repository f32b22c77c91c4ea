// The store: what the services keep, behind an interface they talk to.
//
// A service does its work inside Store::Read or Store::Write, handing a
// function that gets a transaction view. Everything one call writes (the case,
// its history line, the stored answer to its request_id) happens in one
// transaction: the function's non-OK status, or an exception, rolls it all
// back. Store implementations are thread-safe; transaction views are not and
// must not escape the function.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lotsen/v1/alert.pb.h"
#include "lotsen/v1/case.pb.h"
#include "lotsen/v1/hearing.pb.h"
#include "lotsen/v1/support.pb.h"
#include "lotsen/v1/task.pb.h"
#include "scheduler/clock.h"
#include "server/base/status.h"

namespace lotsen::server {

struct User {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  v1::Role role = v1::ROLE_UNSPECIFIED;
  // Police and prosecutors work the cases of one district; others have none.
  v1::District district = v1::DISTRICT_UNSPECIFIED;
  std::string email;      // empty: none; for the alert digest only
  bool disabled = false;  // shut out by every route (admin disable-user)
};

// A user's calendar feed token, as stored (the hash only).
struct StoredFeed {
  int64_t id = 0;
  int64_t user_id = 0;
  scheduler::Instant create_time;
  std::optional<scheduler::Instant> revoke_time;
};

// A summary of the hearings one query would list that changes whenever
// the list would: which hearings, each one's sequence, and each one's
// case's version (a renamed victim, a reassignment). For a calendar feed's
// "not modified" answer without reading the hearings themselves.
struct HearingsDigest {
  int64_t count = 0;
  int64_t newest_update_micros = 0;  // 0 with none
  double hearing_sum = 0, case_sum = 0;
};

// What the operator watches (GET /metrics): counts only, never a case.
struct OpsCounts {
  int64_t open_items = 0;         // open tasks and deadlines
  int64_t overdue_statutory = 0;  // open statutory deadlines past due
  int64_t alerts_pending = 0;     // waiting for their first delivery
  int64_t alerts_claimed = 0;     // handed out, not acknowledged
  // The latest finished sweep, if any.
  std::string last_sweep_as_of;  // YYYY-MM-DD
  std::optional<scheduler::Instant> last_sweep_finished;
  int64_t last_sweep_created = 0;
};

// The store's own load, for GET /metrics. Counters since the store opened.
struct StoreStats {
  // Group commit: how many write jobs each committed batch held.
  std::vector<int64_t> batch_size_bounds;  // upper bounds, ascending
  std::vector<int64_t> batch_size_counts;  // batches <= each bound
  int64_t batches = 0;
  int64_t batch_jobs = 0;
  double writer_busy_seconds = 0;  // inside a batch
  double uptime_seconds = 0;       // since the writer started
  int64_t db_bytes = 0, wal_bytes = 0;
};

// A case as stored: the resource plus the keys the services need.
struct StoredCase {
  int64_t id = 0;
  int64_t version = 0;
  int64_t assigned_worker_id = 0;  // 0 when unassigned
  v1::Case value;                  // name, etag and assigned_worker filled in
};

struct CaseFilter {
  v1::Stage stage = v1::STAGE_UNSPECIFIED;
  v1::District district = v1::DISTRICT_UNSPECIFIED;
  // 0: any; -1: unassigned; else that user.
  int64_t assigned_worker_id = 0;
};

// A task or deadline as stored.
struct StoredTask {
  int64_t id = 0;
  int64_t case_id = 0;
  std::string key;  // the planner's key, unique within the case
  int64_t assignee_id = 0;
  int64_t completed_by_id = 0;
  v1::Task value;  // name, assignee, completed_by, overdue_time filled in
};

struct TaskFilter {
  v1::TaskKind kind = v1::TASK;
  v1::TaskState state = v1::OPEN;
  int64_t case_id = 0;      // 0: any
  int64_t assignee_id = 0;  // 0: any
  std::string due_from;     // YYYY-MM-DD, inclusive; empty: open-ended
  std::string due_to;
  // Only items of cases in this district, or assigned to this worker (the
  // caller's scope); unset or 0: any.
  v1::District case_district = v1::DISTRICT_UNSPECIFIED;
  int64_t case_worker_id = 0;
};

// A hearing as stored.
struct StoredHearing {
  int64_t id = 0;
  int64_t case_id = 0;
  int64_t worker_id = 0;  // 0: none
  int64_t version = 0;
  scheduler::Instant start, end;
  // The local date it was last (re)scheduled: when the victim must be told.
  std::string scheduled_on;
  std::optional<scheduler::Instant> held_time;
  v1::Hearing value;  // name, worker, start_local, etag filled in
};

// A hearing in a list, with its case.
struct HearingRow {
  StoredHearing hearing;           // its value moved into `value`
  int64_t assigned_worker_id = 0;  // the case's worker, for redaction
  v1::UpcomingHearing value;       // hearing and case fields filled in
};

struct HearingQuery {
  int64_t worker_id = 0;  // 0: any
  v1::District district = v1::DISTRICT_UNSPECIFIED;
  std::string court;            // empty: any
  scheduler::Instant from, to;  // start in [from, to)
  bool include_cancelled = false;
};

struct StoredAbsence {
  int64_t id = 0;
  int64_t user_id = 0;
  v1::Absence value;  // name filled in
};

// Counts for one worker's load.
struct WorkerCounts {
  std::map<v1::Stage, int> open_cases_by_stage;
  int tasks_due = 0;
  int hearings = 0;
};

// An alert as stored, with its task's fields for the message.
struct StoredAlert {
  int64_t id = 0;
  int64_t task_id = 0;
  int64_t recipient_id = 0;
  v1::Alert value;  // every field filled in
};

// A new alert: one per (task, due date, threshold, recipient).
struct NewAlert {
  int64_t task_id = 0;
  int64_t case_id = 0;
  int64_t recipient_id = 0;
  std::string threshold;
  std::string due_date;  // YYYY-MM-DD
  bool overdue = false;
};

// One line of the access log: who did what to which cases, when, and how it
// went; chained to the line before by a hash.
struct AuditEntry {
  int64_t seq = 0;
  scheduler::Instant time;
  std::string actor;  // user name, or "-" when the caller was not known
  v1::Role role = v1::ROLE_UNSPECIFIED;
  std::string method;
  std::string cases;    // "cases/1 cases/7": every case read or changed
  std::string outcome;  // the status code's name
  std::string prev_hash;
  std::string hash;
};

struct StoredNote {
  int64_t id = 0;
  int64_t case_id = 0;
  v1::SupportNote value;  // name and author filled in
};

struct StoredConsent {
  int64_t id = 0;
  int64_t case_id = 0;
  int64_t version = 0;
  v1::Consent value;  // name, recorded_by and etag filled in
};

// One line of a case's history as the pilot's report reads it: stage
// changes, events and corrections.
struct ReportLine {
  int64_t seq = 0;
  v1::HistoryKind kind = v1::HISTORY_KIND_UNSPECIFIED;
  v1::Stage from_stage = v1::STAGE_UNSPECIFIED;
  v1::Stage to_stage = v1::STAGE_UNSPECIFIED;
  v1::Outcome outcome = v1::OUTCOME_UNSPECIFIED;
  v1::CaseEventType event = v1::CASE_EVENT_TYPE_UNSPECIFIED;
  v1::WithdrawalReason withdrawal_reason = v1::WITHDRAWAL_REASON_UNSPECIFIED;
  std::string legal_date;  // YYYY-MM-DD; "" for a correction of other dates
  int64_t corrects = 0;    // for CORRECTED: the seq it corrects
};

// What the pilot's report counts of one case (server/domain/
// pilot_measures.h).
struct ReportCase {
  int64_t id = 0;
  std::string report_date;  // YYYY-MM-DD
  v1::District district = v1::DISTRICT_UNSPECIFIED;
  v1::OffenceCategory offence = v1::OFFENCE_CATEGORY_UNSPECIFIED;
  v1::Stage stage = v1::STAGE_UNSPECIFIED;
  v1::Outcome outcome = v1::OUTCOME_UNSPECIFIED;
  std::vector<ReportLine> history;  // oldest first
  // The date of the earliest CONTACT support note; "" when there is none.
  std::string first_contact;
  // The case's support records, oldest first: kind, agency, and for a
  // referral's follow-up the id of the referral.
  struct Record {
    int64_t id = 0;
    v1::SupportRecordKind kind = v1::SUPPORT_RECORD_KIND_UNSPECIFIED;
    v1::Agency agency = v1::AGENCY_UNSPECIFIED;
    int64_t referral_id = 0;
  };
  std::vector<Record> records;
  // The household, when one was recorded.
  int children = 0;
  bool children_witnessed = false;
  bool concern_reported = false;
  // A task of `ReportQuery::company_rule` (going to court with her) done.
  bool accompanied = false;
};

struct ReportQuery {
  std::string from, to;  // report dates in [from, to), YYYY-MM-DD
  v1::District district = v1::DISTRICT_UNSPECIFIED;  // UNSPECIFIED: all
  std::string company_rule;
};

struct StoredRecord {
  int64_t id = 0;
  int64_t case_id = 0;
  int64_t referral_id = 0;  // the REFERRAL_MADE record a follow-up answers
  v1::SupportRecord value;  // name, referral and author filled in
};

struct StoredHousehold {
  int64_t case_id = 0;
  int64_t version = 0;  // 0: never set
  v1::Household value;  // name, etag and updated_by filled in
};

// A stored answer to a request carrying a request_id (AIP-155).
struct StoredRequest {
  std::string request_hash;
  std::string response;  // serialized response message
};

class ReadTx {
 public:
  virtual ~ReadTx() = default;
  virtual std::optional<StoredCase> GetCase(int64_t id) = 0;
  virtual std::optional<int64_t> FindCaseByReportNumber(
      const std::string& number) = 0;
  // Cases with id > after_id matching `filter`, by id, at most `limit`.
  virtual std::vector<StoredCase> ListCases(const CaseFilter& filter,
                                            int64_t after_id, int limit) = 0;
  // History entries with seq > after_seq, oldest first, at most `limit`.
  virtual std::vector<v1::HistoryEntry> ListHistory(int64_t case_id,
                                                    int64_t after_seq,
                                                    int limit) = 0;
  // Tasks of one case, any kind and state, by id.
  virtual std::vector<StoredTask> ListTasksForCase(int64_t case_id) = 0;
  // Tasks matching `filter` ordered by (due date, id), after the given key,
  // at most `limit`.
  virtual std::vector<StoredTask> ListTasks(const TaskFilter& filter,
                                            const std::string& after_due,
                                            int64_t after_id, int limit) = 0;
  virtual std::optional<StoredTask> GetTask(int64_t case_id,
                                            int64_t task_id) = 0;

  virtual std::optional<StoredHearing> GetHearing(int64_t case_id,
                                                  int64_t id) = 0;
  virtual std::vector<StoredHearing> ListHearingsForCase(int64_t case_id) = 0;
  // A SCHEDULED hearing other than `except` overlapping [start, end) for the
  // worker, or in the room.
  virtual std::optional<StoredHearing> FindWorkerOverlap(
      int64_t worker_id, scheduler::Instant start, scheduler::Instant end,
      int64_t except) = 0;
  virtual std::optional<StoredHearing> FindRoomOverlap(const std::string& court,
                                                       const std::string& room,
                                                       scheduler::Instant start,
                                                       scheduler::Instant end,
                                                       int64_t except) = 0;
  // Hearings matching `q` by (start, id) after the given key; at most limit.
  virtual std::vector<HearingRow> ListUpcoming(const HearingQuery& q,
                                               scheduler::Instant after_start,
                                               int64_t after_id, int limit) = 0;

  // An absence of the user overlapping [first_day, last_day] (YYYY-MM-DD).
  virtual std::optional<StoredAbsence> FindAbsence(
      int64_t user_id, const std::string& first_day,
      const std::string& last_day) = 0;
  // Absences ending on or after `from` (YYYY-MM-DD); user 0: everyone's.
  virtual std::vector<StoredAbsence> ListAbsences(int64_t user_id,
                                                  const std::string& from) = 0;

  virtual std::vector<User> ListUsersWithRole(v1::Role role) = 0;

  // A case's support notes with id > after_id, oldest first; `kinds` (if
  // not empty) limits them to those kinds.
  virtual std::vector<StoredNote> ListNotes(
      int64_t case_id, const std::vector<v1::SupportKind>& kinds,
      int64_t after_id, int limit) = 0;
  virtual std::vector<StoredConsent> ListConsents(int64_t case_id) = 0;
  // A case's support records with id > after_id, oldest first.
  virtual std::vector<StoredRecord> ListRecords(int64_t case_id,
                                                int64_t after_id,
                                                int limit) = 0;
  virtual std::optional<StoredHousehold> GetHousehold(int64_t case_id) = 0;
  virtual std::optional<StoredConsent> GetConsent(int64_t case_id,
                                                  int64_t id) = 0;

  // Open tasks and deadlines due on or before `due_to`, by due date.
  virtual std::vector<StoredTask> ListDueTasks(const std::string& due_to) = 0;
  // A recipient's alerts (0: anyone's) in `state` (UNSPECIFIED: all not
  // acknowledged), by id after `after_id`; with `assigned_worker_id` not 0,
  // only those on cases now assigned to that worker.
  virtual std::vector<StoredAlert> ListAlerts(int64_t recipient_id,
                                              v1::AlertState state,
                                              int64_t after_id, int limit,
                                              int64_t assigned_worker_id) = 0;
  // Access log lines with seq > after_seq, oldest first; `case_id` filters
  // when not 0, `actor` when not empty.
  virtual std::vector<AuditEntry> ListAudit(int64_t after_seq, int limit,
                                            int64_t case_id,
                                            const std::string& actor) = 0;
  // The newest line of the access log, if any.
  virtual std::optional<AuditEntry> LastAudit() = 0;
  // The log's index by case, for lines from_seq..to_seq: (seq, case id)
  // pairs in that order.
  virtual std::vector<std::pair<int64_t, int64_t>> ListAuditIndex(
      int64_t from_seq, int64_t to_seq) = 0;
  // An index row filed where a look-up by its line does not find it (but
  // a look-up by its case may): (seq, case id), the lowest seq first.
  virtual std::optional<std::pair<int64_t, int64_t>> MisfiledAuditIndex() = 0;

  // The cases reported in the query's period, by id, with what the pilot's
  // report counts of each.
  virtual std::vector<ReportCase> ListReportCases(const ReportQuery& q) = 0;

  // The as_of date (YYYY-MM-DD) of the latest finished sweep, if any.
  virtual std::optional<std::string> LastSweep() = 0;
  // Open cases by stage, open tasks due by `due_to`, and scheduled
  // hearings starting in [from, to), for one worker.
  virtual WorkerCounts CountsFor(int64_t worker_id, const std::string& due_to,
                                 scheduler::Instant from,
                                 scheduler::Instant to) = 0;

  // Disabled users too (User::disabled says so).
  virtual std::optional<User> FindUser(const std::string& username) = 0;
  // Is a client certificate with this serial (lower-case hex) denied?
  virtual bool IsCertificateDenied(const std::string& serial) = 0;
  // The enabled user holding an unrevoked, unexpired token with this
  // SHA-256 hash.
  virtual std::optional<User> FindUserByTokenHash(const std::string& hash,
                                                  scheduler::Instant now) = 0;
  // The digest of what ListUpcoming(q) would give (worker, window and
  // include_cancelled only; no district or court).
  virtual HearingsDigest DigestUpcoming(const HearingQuery& q) = 0;
  // The enabled user whose live (unrevoked) calendar feed token has this
  // hash.
  virtual std::optional<User> FindUserByFeedHash(const std::string& hash) = 0;
  // The user's newest feed token, live or revoked.
  virtual std::optional<StoredFeed> LatestFeed(int64_t user_id) = 0;
  // Counts for the operator, `today` being Stockholm's date (YYYY-MM-DD).
  virtual OpsCounts CountOps(const std::string& today) = 0;
};

class Tx : public ReadTx {
 public:
  // Inserts a new case (its stage, outcome and times as given) with version 1
  // and returns its id.
  virtual int64_t InsertCase(const v1::Case& c, int64_t assigned_worker_id) = 0;
  // Overwrites the mutable fields of case `id` and sets its version.
  virtual void UpdateCase(int64_t id, const v1::Case& c,
                          int64_t assigned_worker_id, int64_t version) = 0;
  // Sets case `id`'s report date (a correction); apart from UpdateCase so
  // that the date's index is written only when the date changes.
  virtual void SetReportDate(int64_t id, const v1::Date& report_date) = 0;
  // Appends to the case's history with the next sequence number; returns it.
  virtual int64_t AppendHistory(int64_t case_id, int64_t actor_id,
                                const v1::HistoryEntry& e) = 0;

  // Inserts a task (value's stored fields) and returns its id.
  virtual int64_t InsertTask(int64_t case_id, const std::string& key,
                             int64_t assignee_id, const v1::Task& t) = 0;
  // Overwrites the task's mutable fields: assignee, due date, state,
  // explanation, state reason, completer, update time.
  virtual void UpdateTask(const StoredTask& t) = 0;

  virtual int64_t InsertHearing(const StoredHearing& h,
                                scheduler::Instant now) = 0;
  // Overwrites everything but the id, case and create time.
  virtual void UpdateHearing(const StoredHearing& h,
                             scheduler::Instant now) = 0;
  virtual int64_t InsertAbsence(int64_t user_id, const v1::Absence& a,
                                scheduler::Instant now) = 0;
  virtual int64_t InsertNote(int64_t case_id, int64_t author_id,
                             const v1::SupportNote& n) = 0;
  virtual int64_t InsertConsent(int64_t case_id, int64_t recorder_id,
                                const v1::Consent& c) = 0;
  virtual int64_t InsertRecord(int64_t case_id, int64_t author_id,
                               const StoredRecord& r) = 0;
  // Inserts or replaces the case's household with `h.version` and the
  // value's fields.
  virtual void PutHousehold(int64_t case_id, int64_t user_id,
                            const StoredHousehold& h) = 0;
  // Records the withdrawal: state, withdrawn date and time; next version.
  virtual void WithdrawConsent(const StoredConsent& c) = 0;

  // Appends access log lines as given (seq, hashes and all).
  virtual void AppendAudit(const AuditEntry& e) = 0;

  // Inserts the alert unless that (task, due date, threshold, recipient)
  // already has one; true if it was new.
  virtual bool InsertAlert(const NewAlert& a, scheduler::Instant now) = 0;
  // Marks up to `max` unacknowledged alerts CLAIMED (one more delivery) and
  // returns them, oldest first. First, alerts about an assigned worker's
  // item that are not that worker's (the case was reassigned) are REASSIGNED
  // and, while the item is open, copied to whoever it concerns now.
  virtual std::vector<StoredAlert> ClaimAlerts(int max,
                                               scheduler::Instant now) = 0;
  // Acknowledges alert `id` (if `recipient_id` is not 0, only theirs);
  // true if it was not acknowledged before.
  virtual bool AcknowledgeAlert(int64_t id, int64_t recipient_id,
                                scheduler::Instant now) = 0;
  virtual void RecordSweep(const std::string& as_of, int created,
                           scheduler::Instant started,
                           scheduler::Instant finished) = 0;

  virtual std::optional<StoredRequest> FindRequest(
      int64_t caller_id, const std::string& request_id) = 0;
  virtual void SaveRequest(int64_t caller_id, const std::string& request_id,
                           const std::string& method, const StoredRequest& r,
                           scheduler::Instant now) = 0;

  // Inserts the user (with its e-mail address, if any).
  virtual int64_t InsertUser(const User& u, scheduler::Instant now) = 0;
  virtual void SetEmail(int64_t user_id, const std::string& email) = 0;
  // Revokes the user's live feed tokens; returns how many.
  virtual int RevokeFeeds(int64_t user_id, scheduler::Instant now) = 0;
  virtual int64_t InsertFeed(int64_t user_id, const std::string& hash,
                             scheduler::Instant now) = 0;
  // Revokes every live token of the user; returns how many.
  virtual int RevokeTokens(int64_t user_id, scheduler::Instant now) = 0;
  // Disables the user from `since`, or enables her (nullopt).
  virtual void SetDisabled(int64_t user_id,
                           std::optional<scheduler::Instant> since) = 0;
  // true if the serial was not denied (allowed) before.
  virtual bool DenyCertificate(const std::string& serial,
                               scheduler::Instant now) = 0;
  virtual bool AllowCertificate(const std::string& serial) = 0;
  virtual void InsertToken(int64_t user_id, const std::string& hash,
                           scheduler::Instant now,
                           std::optional<scheduler::Instant> expires) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual grpc::Status Read(const std::function<grpc::Status(ReadTx&)>& fn) = 0;
  virtual grpc::Status Write(const std::function<grpc::Status(Tx&)>& fn) = 0;
  // Writes a consistent copy of the whole database to `path` (which must
  // not exist) while others go on reading and writing.
  virtual grpc::Status Backup(const std::string& path) = 0;
  // Counters of the store's own work, for the operator.
  virtual StoreStats Stats() { return {}; }
};

}  // namespace lotsen::server
