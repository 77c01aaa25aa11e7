// SQLite store: WAL journal mode, one writer connection (batches arrive from one thread) behind a
// mutex, and a pool of reader connections. synchronous=NORMAL for what the server's own WAL
// journals (verdicts, usage events): a commit survives a process crash, and checkpoint() makes
// everything durable against power loss before the server's WAL drops the records behind it.
// Every other write is in no journal, so its transaction commits with synchronous=FULL: durable
// when acknowledged. An exclusive lock file keeps a second server off the same file.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "store/area.h"
#include "store/pool.h"
#include "store/store.h"

namespace flk::server {
namespace {

constexpr size_t kReaders = 4;

Error db_error(sqlite3* db, const std::string& what) {
  const int rc = db ? sqlite3_errcode(db) : SQLITE_NOMEM;
  // An unreadable or vanished file: the store is down, not the request wrong.
  const bool down = rc == SQLITE_IOERR || rc == SQLITE_CANTOPEN || rc == SQLITE_FULL || rc == SQLITE_BUSY ||
                    rc == SQLITE_READONLY || rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT;
  return make_error(down ? "store_unavailable" : "store_error", what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

class SqliteRow final : public Row {
 public:
  explicit SqliteRow(sqlite3_stmt* s) : s_(s) {}
  bool null(int col) const override { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::string text(int col) const override {
    const unsigned char* p = sqlite3_column_text(s_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s_, col))) : "";
  }
  int64_t integer(int col) const override { return sqlite3_column_int64(s_, col); }
  double real(int col) const override { return sqlite3_column_double(s_, col); }

 private:
  sqlite3_stmt* s_;
};

// One connection with its prepared statements, kept by SQL text.
class Conn final : public Tx {
 public:
  ~Conn() override {
    for (auto& s : cache_) sqlite3_finalize(s.second);
    sqlite3_close_v2(db_);
  }

  Status open(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK)
      return db_error(db_, "cannot open " + path);
    sqlite3_busy_timeout(db_, 10000);
    return run("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  }

  // SQL without parameters, possibly several statements.
  Status run(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : "unknown error";
      sqlite3_free(err);
      return db_error(db_, std::string("sqlite: ") + m);
    }
    return Ok{};
  }

  Dialect dialect() const override { return Dialect::sqlite; }

  Result<int64_t> exec(const char* sql, const std::vector<Param>& params, const RowFn& row) override {
    FLK_ASSIGN(sqlite3_stmt* s, prepared(sql));
    for (size_t i = 0; i < params.size(); ++i) bind(s, static_cast<int>(i) + 1, params[i]);
    return step(s, sql, row);
  }

  Status exec_rows(const char* head, int cols, const std::vector<Param>& rows, const char* tail, const RowFn& row) override {
    if (rows.empty()) return Ok{};
    std::string sql = std::string(head) + " (";
    for (int c = 1; c <= cols; ++c) sql += (c > 1 ? ", ?" : "?") + std::to_string(c);
    sql += ")";
    sql += tail;
    FLK_ASSIGN(sqlite3_stmt* s, prepared(sql.c_str()));
    for (size_t r = 0; r + cols <= rows.size(); r += static_cast<size_t>(cols)) {
      for (int c = 0; c < cols; ++c) bind(s, c + 1, rows[r + static_cast<size_t>(c)]);
      FLK_TRY(step(s, sql.c_str(), row));
    }
    return Ok{};
  }

  // Finishes every statement left stepping (an open read would block a checkpoint).
  void reset_all() {
    for (auto& s : cache_) sqlite3_reset(s.second);
  }

  sqlite3* db() { return db_; }

 private:
  Result<sqlite3_stmt*> prepared(const char* sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      sqlite3_reset(it->second);
      sqlite3_clear_bindings(it->second);
      return it->second;
    }
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
      return db_error(db_, std::string("prepare ") + sql);
    cache_.emplace(sql, s);
    return s;
  }

  static void bind(sqlite3_stmt* s, int i, const Param& p) {
    switch (p.kind) {
      case Param::Kind::null:
        sqlite3_bind_null(s, i);
        break;
      case Param::Kind::integer:
        sqlite3_bind_int64(s, i, p.i);
        break;
      case Param::Kind::real:
        sqlite3_bind_double(s, i, p.d);
        break;
      case Param::Kind::text:
        sqlite3_bind_text(s, i, p.s.data(), static_cast<int>(p.s.size()), SQLITE_STATIC);
        break;
    }
  }

  Result<int64_t> step(sqlite3_stmt* s, const char* sql, const RowFn& row) {
    int rc;
    SqliteRow r(s);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
      if (row) row(r);
    if (rc != SQLITE_DONE) {
      Error e = db_error(db_, std::string("query ") + sql);
      sqlite3_reset(s);
      return e;
    }
    const int64_t changed = sqlite3_changes(db_);
    sqlite3_reset(s);
    return changed;
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

Result<std::unique_ptr<Conn>> open_conn(const std::string& path) {
  auto c = std::make_unique<Conn>();
  FLK_TRY(c->open(path));
  return c;
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::string path)
      : path_(std::move(path)), readers_(kReaders, [this] { return open_conn(path_); }) {}
  ~SqliteStore() override {
    writer_.reset();
    if (lock_fd_ >= 0) close(lock_fd_);
  }

  Status init() {
    lock_fd_ = ::open((path_ + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd_ < 0 || flock(lock_fd_, LOCK_EX | LOCK_NB) != 0)
      return make_error("store_busy", "another flk-server is using " + path_);
    FLK_ASSIGN(writer_, open_conn(path_));
    return migrate(*this);
  }

  const char* kind() const override { return "sqlite"; }

  Status transact(bool durable, const std::function<Status(Tx&)>& fn) override {
    std::lock_guard<std::mutex> l(wmu_);
    // The pragma cannot change inside a transaction.
    if (durable) FLK_TRY(writer_->run("PRAGMA synchronous=FULL"));
    Status s = in_transaction(fn);
    if (durable) (void)writer_->run("PRAGMA synchronous=NORMAL");
    return s;
  }

  Status read(const std::function<Status(Tx&)>& fn) override {
    return readers_.with([&](Conn& c) {
      Status s = fn(c);
      c.reset_all();
      return s;
    });
  }

  Status checkpoint() override {
    std::lock_guard<std::mutex> l(wmu_);
    int log = 0, done = 0;
    if (sqlite3_wal_checkpoint_v2(writer_->db(), nullptr, SQLITE_CHECKPOINT_FULL, &log, &done) != SQLITE_OK)
      return db_error(writer_->db(), "checkpoint");
    return Ok{};
  }

 private:
  Status in_transaction(const std::function<Status(Tx&)>& fn) {
    FLK_TRY(writer_->run("BEGIN IMMEDIATE"));
    Status s = fn(*writer_);
    writer_->reset_all();
    if (!s.ok()) {
      (void)writer_->run("ROLLBACK");
      return s;
    }
    return writer_->run("COMMIT");
  }

  std::string path_;
  std::unique_ptr<Conn> writer_;
  Pool<Conn> readers_;
  int lock_fd_ = -1;
  std::mutex wmu_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path) {
  auto s = std::make_unique<SqliteStore>(path);
  FLK_TRY(s->init());
  return std::unique_ptr<Store>(std::move(s));
}

}  // namespace flk::server
