// The SQLite store's insides, shared by its source files: the schema, the
// mapping between rows and API messages, and the transaction view. Not an
// interface for anything outside server/sqlite_*.cc.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/store/store.h"

namespace lotsen::server::sqlite {

// Each step brings the schema from version i to i + 1 (PRAGMA user_version).
std::span<const char* const> Migrations();

long long Micros(scheduler::Instant t);
scheduler::Instant InstantAt(long long micros);
// A stored date: "YYYY-MM-DD", or "" for an unset one.
std::string DateText(const v1::Date& d);
v1::Date DateFrom(const std::string& text);
// Binds a user id, or NULL for 0.
void BindWorker(SQLite::Statement& q, int index, int64_t worker_id);

// The columns each row mapper reads, from the FROM clause on.
extern const char* const kCaseColumns;
extern const char* const kTaskColumns;
extern const char* const kHearingColumns;
extern const char* const kHearingFrom;
extern const char* const kAlertColumns;
extern const char* const kAuditColumns;
extern const char* const kNoteColumns;
extern const char* const kConsentColumns;
inline constexpr long long kDayMicros = 24LL * 3600 * 1000000;
// The access log's index by case is grouped by seq >> kAuditBucketBits
// (schema step 8, which says why; the step's SQL has the number too).
inline constexpr int kAuditBucketBits = 14;

std::optional<User> UserFromRow(SQLite::Statement& q);
StoredCase CaseFromRow(SQLite::Statement& q);
StoredTask TaskFromRow(SQLite::Statement& q);
StoredHearing HearingFromRow(SQLite::Statement& q);
StoredAbsence AbsenceFromRow(SQLite::Statement& q);
StoredAlert AlertFromRow(SQLite::Statement& q);
AuditEntry AuditFromRow(SQLite::Statement& q);
StoredNote NoteFromRow(SQLite::Statement& q);
StoredConsent ConsentFromRow(SQLite::Statement& q);
// Binds a hearing's stored fields from index 1, in the column order of the
// INSERT and UPDATE statements.
void BindHearing(SQLite::Statement& q, const StoredHearing& s);

// A prepared statement lent out by a StatementCache for one use. It reads
// like a SQLite::Statement (bind, executeStep, exec, getColumn) and converts
// to one for the row mappers. When the lease ends the statement is reset and
// its bindings cleared, so it holds no read snapshot and blocks no COMMIT,
// backup or checkpoint once the method that used it has returned.
class Statement {
 public:
  Statement(Statement&& o) noexcept
      : q_(o.q_), leased_(o.leased_), owned_(std::move(o.owned_)) {
    o.q_ = nullptr;
    o.leased_ = nullptr;
  }
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  template <typename... Args>
  void bind(Args&&... args) {
    q_->bind(std::forward<Args>(args)...);
  }
  bool executeStep() { return q_->executeStep(); }
  int exec() { return q_->exec(); }
  SQLite::Column getColumn(int index) { return q_->getColumn(index); }
  void reset() { q_->reset(); }
  operator SQLite::Statement&() { return *q_; }

 private:
  friend class StatementCache;
  Statement(SQLite::Statement* q, bool* leased,
            std::unique_ptr<SQLite::Statement> owned)
      : q_(q), leased_(leased), owned_(std::move(owned)) {}

  SQLite::Statement* q_;
  bool* leased_;  // the cache's flag, or null for a one-off statement
  std::unique_ptr<SQLite::Statement> owned_;
};

// The prepared statements of one connection, by their full SQL text
// (preparing costs more than running most of the store's queries). Used by
// one thread at a time, as its connection is: no locking.
//
// A statement still leased when its text is asked for again (a method that
// runs a query while iterating over the same one) gets a one-off copy, so
// neither resets the other.
class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& db) : db_(db) {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  Statement Prepare(std::string_view sql);
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::unique_ptr<SQLite::Statement> q;
    bool leased = false;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>()(s);
    }
  };
  // Dynamic filters make a few variants per query; a bound keeps a mistake
  // (values spliced into SQL) from growing the cache without end.
  static constexpr size_t kMaxStatements = 256;

  SQLite::Database& db_;
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;
};

// A connection and its statements. The statements are declared second so
// they are finalized before the connection closes.
struct Connection {
  Connection(const std::string& path, int flags, const std::string& vfs)
      : db(path, flags, 0, vfs) {}
  SQLite::Database db;
  StatementCache statements{db};
};

// The transaction view over one connection; the store owns the transaction.
class SqliteTx final : public Tx {
 public:
  explicit SqliteTx(Connection& c) : db_(c.db), statements_(c.statements) {}
  std::optional<StoredCase> GetCase(int64_t id) override;
  std::optional<int64_t> FindCaseByReportNumber(
      const std::string& number) override;
  std::vector<StoredCase> ListCases(const CaseFilter& f, int64_t after_id,
                                    int limit) override;
  std::vector<v1::HistoryEntry> ListHistory(int64_t case_id, int64_t after_seq,
                                            int limit) override;
  std::vector<StoredTask> ListTasksForCase(int64_t case_id) override;
  std::vector<StoredTask> ListTasks(const TaskFilter& f,
                                    const std::string& after_due,
                                    int64_t after_id, int limit) override;
  std::optional<StoredTask> GetTask(int64_t case_id, int64_t task_id) override;
  int64_t InsertTask(int64_t case_id, const std::string& key,
                     int64_t assignee_id, const v1::Task& t) override;
  void UpdateTask(const StoredTask& s) override;
  std::optional<StoredHearing> GetHearing(int64_t case_id, int64_t id) override;
  std::vector<StoredHearing> ListHearingsForCase(int64_t case_id) override;
  std::optional<StoredHearing> FindWorkerOverlap(int64_t worker_id,
                                                 scheduler::Instant start,
                                                 scheduler::Instant end,
                                                 int64_t except) override;
  std::optional<StoredHearing> FindRoomOverlap(const std::string& court,
                                               const std::string& room,
                                               scheduler::Instant start,
                                               scheduler::Instant end,
                                               int64_t except) override;
  std::vector<HearingRow> ListUpcoming(const HearingQuery& hq,
                                       scheduler::Instant after_start,
                                       int64_t after_id, int limit) override;
  std::optional<StoredAbsence> FindAbsence(
      int64_t user_id, const std::string& first_day,
      const std::string& last_day) override;
  std::vector<StoredAbsence> ListAbsences(int64_t user_id,
                                          const std::string& from) override;
  std::vector<StoredTask> ListDueTasks(const std::string& due_to) override;
  std::vector<ReportCase> ListReportCases(const ReportQuery& rq) override;
  std::vector<StoredAlert> ListAlerts(int64_t recipient_id,
                                      v1::AlertState state, int64_t after_id,
                                      int limit,
                                      int64_t assigned_worker_id) override;
  std::optional<std::string> LastSweep() override;
  std::vector<AuditEntry> ListAudit(int64_t after_seq, int limit,
                                    int64_t case_id,
                                    const std::string& actor) override;
  std::vector<std::pair<int64_t, int64_t>> ListAuditIndex(
      int64_t from_seq, int64_t to_seq) override;
  std::optional<std::pair<int64_t, int64_t>> MisfiledAuditIndex() override;
  void AppendAudit(const AuditEntry& e) override;
  std::optional<AuditEntry> LastAudit() override;
  bool InsertAlert(const NewAlert& a, scheduler::Instant now) override;
  std::vector<StoredAlert> ClaimAlerts(int max, scheduler::Instant) override;
  void FollowAssignment(scheduler::Instant now);
  bool AcknowledgeAlert(int64_t id, int64_t recipient_id,
                        scheduler::Instant now) override;
  void RecordSweep(const std::string& as_of, int created,
                   scheduler::Instant started,
                   scheduler::Instant finished) override;
  std::vector<User> ListUsersWithRole(v1::Role role) override;
  std::vector<StoredNote> ListNotes(int64_t case_id,
                                    const std::vector<v1::SupportKind>& kinds,
                                    int64_t after_id, int limit) override;
  std::vector<StoredConsent> ListConsents(int64_t case_id) override;
  std::vector<StoredRecord> ListRecords(int64_t case_id, int64_t after_id,
                                        int limit) override;
  std::optional<StoredHousehold> GetHousehold(int64_t case_id) override;
  int64_t InsertRecord(int64_t case_id, int64_t author_id,
                       const StoredRecord& r) override;
  void PutHousehold(int64_t case_id, int64_t user_id,
                    const StoredHousehold& h) override;
  std::optional<StoredConsent> GetConsent(int64_t case_id, int64_t id) override;
  int64_t InsertNote(int64_t case_id, int64_t author_id,
                     const v1::SupportNote& n) override;
  int64_t InsertConsent(int64_t case_id, int64_t recorder_id,
                        const v1::Consent& c) override;
  void WithdrawConsent(const StoredConsent& c) override;
  WorkerCounts CountsFor(int64_t worker_id, const std::string& due_to,
                         scheduler::Instant from,
                         scheduler::Instant to) override;
  int64_t InsertHearing(const StoredHearing& h,
                        scheduler::Instant now) override;
  void UpdateHearing(const StoredHearing& h, scheduler::Instant now) override;
  int64_t InsertAbsence(int64_t user_id, const v1::Absence& a,
                        scheduler::Instant now) override;
  std::optional<User> FindUser(const std::string& username) override;
  std::optional<User> FindUserByTokenHash(const std::string& hash,
                                          scheduler::Instant now) override;
  int64_t InsertCase(const v1::Case& c, int64_t worker_id) override;
  void SetReportDate(int64_t id, const v1::Date& report_date) override;
  void UpdateCase(int64_t id, const v1::Case& c, int64_t worker_id,
                  int64_t version) override;
  int64_t AppendHistory(int64_t case_id, int64_t actor_id,
                        const v1::HistoryEntry& e) override;
  std::optional<StoredRequest> FindRequest(
      int64_t caller_id, const std::string& request_id) override;
  void SaveRequest(int64_t caller_id, const std::string& request_id,
                   const std::string& method, const StoredRequest& r,
                   scheduler::Instant now) override;
  int64_t InsertUser(const User& u, scheduler::Instant now) override;
  void SetEmail(int64_t user_id, const std::string& email) override;
  std::optional<User> FindUserByFeedHash(const std::string& hash) override;
  std::optional<StoredFeed> LatestFeed(int64_t user_id) override;
  int RevokeFeeds(int64_t user_id, scheduler::Instant now) override;
  int64_t InsertFeed(int64_t user_id, const std::string& hash,
                     scheduler::Instant now) override;
  OpsCounts CountOps(const std::string& today) override;
  HearingsDigest DigestUpcoming(const HearingQuery& q) override;
  void SetDisabled(int64_t user_id,
                   std::optional<scheduler::Instant> since) override;
  bool DenyCertificate(const std::string& serial,
                       scheduler::Instant now) override;
  bool AllowCertificate(const std::string& serial) override;
  bool IsCertificateDenied(const std::string& serial) override;
  int RevokeTokens(int64_t user_id, scheduler::Instant now) override;
  void InsertToken(int64_t user_id, const std::string& hash,
                   scheduler::Instant now,
                   std::optional<scheduler::Instant> expires) override;

 private:
  // Every query goes through here: `auto q = Prepare("SELECT ...");`.
  Statement Prepare(std::string_view sql) { return statements_.Prepare(sql); }

  SQLite::Database& db_;
  StatementCache& statements_;
};

}  // namespace lotsen::server::sqlite
