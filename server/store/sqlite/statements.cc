// The per-connection cache of prepared statements.
#include "server/store/sqlite/internal.h"

namespace lotsen::server::sqlite {

Statement::~Statement() {
  if (q_ == nullptr) return;
  // A failed step left its error in the statement; it was reported then.
  q_->tryReset();
  try {
    q_->clearBindings();  // sqlite3_clear_bindings cannot fail
  } catch (const std::exception&) {
  }
  if (leased_ != nullptr) *leased_ = false;
}

Statement StatementCache::Prepare(std::string_view sql) {
  auto it = entries_.find(sql);
  if (it == entries_.end() && entries_.size() < kMaxStatements) {
    it = entries_
             .emplace(std::string(sql),
                      Entry{std::make_unique<SQLite::Statement>(
                                db_, std::string(sql)),
                            false})
             .first;
  }
  if (it == entries_.end() || it->second.leased) {
    auto q = std::make_unique<SQLite::Statement>(db_, std::string(sql));
    SQLite::Statement* raw = q.get();
    return Statement(raw, nullptr, std::move(q));
  }
  it->second.leased = true;
  return Statement(it->second.q.get(), &it->second.leased, nullptr);
}

}  // namespace lotsen::server::sqlite
