// PostgreSQL store (libpq): one writer connection behind a mutex (batches arrive from one thread)
// and a pool of reader connections. Commits are durable when they return (synchronous_commit is
// the database's business). A lost connection is opened again on the next use; while that fails,
// errors are store_unavailable. A batch mostly waits on round trips, so a transaction's BEGIN (and
// any deferred statement) goes out with its first statement, and Tx::pipeline sends a group of
// statements at once.
#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>

#include "store/area.h"
#include "store/pool.h"
#include "store/store.h"

namespace flk::server {
namespace {

constexpr size_t kReaders = 4;
// Rows per multi-row VALUES statement (PostgreSQL takes at most 65535 parameters).
constexpr size_t kRowsPerStatement = 500;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

class PgRow final : public Row {
 public:
  PgRow(PGresult* r, int row) : r_(r), row_(row) {}
  bool null(int col) const override { return PQgetisnull(r_, row_, col) != 0; }
  std::string text(int col) const override {
    return std::string(PQgetvalue(r_, row_, col), static_cast<size_t>(PQgetlength(r_, row_, col)));
  }
  int64_t integer(int col) const override { return std::strtoll(PQgetvalue(r_, row_, col), nullptr, 10); }
  double real(int col) const override { return std::strtod(PQgetvalue(r_, row_, col), nullptr); }

 private:
  PGresult* r_;
  int row_;
};

// ?N placeholders as $N.
std::string dollar(const char* sql) {
  std::string out = sql;
  for (size_t i = 0; i + 1 < out.size(); ++i)
    if (out[i] == '?' && out[i + 1] >= '0' && out[i + 1] <= '9') out[i] = '$';
  return out;
}

class Conn final : public Tx {
 public:
  explicit Conn(std::string url) : url_(std::move(url)) {}
  ~Conn() override {
    if (c_) PQfinish(c_);
  }

  Status connect() {
    if (c_ && PQstatus(c_) == CONNECTION_OK) return Ok{};
    if (c_) PQfinish(c_);
    c_ = PQconnectdb(url_.c_str());
    if (PQstatus(c_) != CONNECTION_OK)
      return make_error("store_unavailable", std::string("postgres: ") + PQerrorMessage(c_));
    PgResult r(PQexec(c_, "SET client_min_messages = warning"));
    return Ok{};
  }

  Dialect dialect() const override { return Dialect::postgres; }

  // SQL without parameters, possibly several statements.
  Status run(const char* sql) {
    FLK_TRY(connect());
    return check(PgResult(PQexec(c_, sql))).ok() ? Status(Ok{}) : Status(last_);
  }

  // Opens a transaction: BEGIN is sent with its first statement.
  void begin() {
    deferred_.clear();
    (void)defer("BEGIN", {}, {});
  }
  // COMMIT or ROLLBACK (sql), after a flush; a transaction whose BEGIN was never sent ran nothing.
  Status end(const char* sql) {
    const bool unsent = only_begin();
    deferred_.clear();
    return unsent ? Status(Ok{}) : run(sql);
  }

  Status pipeline(const std::function<Status()>& fn) override {
    if (piped_) return fn();
    FLK_TRY(connect());
    if (PQenterPipelineMode(c_) != 1) return drop("postgres: cannot enter pipeline mode");
    piped_ = true;
    std::vector<Deferred> deferred;
    deferred.swap(deferred_);
    Status sent = Ok{};
    for (size_t i = 0; i < deferred.size() && sent.ok(); ++i)
      sent = queue(deferred[i].sql, *deferred[i].bound, deferred[i].row, nullptr);
    if (sent.ok()) sent = fn();
    piped_ = false;
    return collect(sent);
  }

  Status defer(const char* sql, const std::vector<Param>& params, const RowFn& row) override {
    deferred_.push_back(Deferred{dollar(sql), std::make_unique<Bound>(params), row});
    return Ok{};
  }

  // An unsent BEGIN alone waits for a statement to carry it.
  Status flush() override {
    if (deferred_.empty() || only_begin()) return Ok{};
    return pipeline([] { return Status(Ok{}); });
  }

  Result<int64_t> exec(const char* sql, const std::vector<Param>& params, const RowFn& row) override {
    return send(dollar(sql), params, row);
  }

  Status exec_rows(const char* head, int cols, const std::vector<Param>& rows, const char* tail, const RowFn& row) override {
    const size_t n = rows.size() / static_cast<size_t>(cols);
    for (size_t first = 0; first < n; first += kRowsPerStatement) {
      const size_t count = std::min(kRowsPerStatement, n - first);
      std::string sql = head;
      int p = 1;
      for (size_t r = 0; r < count; ++r) {
        sql += r ? ", (" : " (";
        for (int c = 0; c < cols; ++c) sql += (c ? ", $" : "$") + std::to_string(p++);
        sql += ")";
      }
      sql += tail;
      const auto begin = rows.begin() + static_cast<std::ptrdiff_t>(first * static_cast<size_t>(cols));
      std::vector<Param> slice(begin, begin + static_cast<std::ptrdiff_t>(count * static_cast<size_t>(cols)));
      FLK_TRY(send(sql, slice, row));
    }
    return Ok{};
  }

  bool broken() const { return !c_ || PQstatus(c_) != CONNECTION_OK; }

 private:
  // Parameters in libpq's text format (values point into text: a Bound is not copied or moved).
  struct Bound {
    explicit Bound(const std::vector<Param>& params)
        : text(params.size()), values(params.size()), lengths(params.size()) {
      for (size_t i = 0; i < params.size(); ++i) {
        const Param& p = params[i];
        switch (p.kind) {
          case Param::Kind::null:
            continue;  // a null value, length 0
          case Param::Kind::integer:
            text[i] = std::to_string(p.i);
            break;
          case Param::Kind::real: {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.17g", p.d);
            text[i] = buf;
            break;
          }
          case Param::Kind::text:
            text[i].assign(p.s.data(), p.s.size());
            break;
        }
        values[i] = text[i].c_str();
        lengths[i] = static_cast<int>(text[i].size());
      }
    }
    Bound(const Bound&) = delete;
    Bound& operator=(const Bound&) = delete;
    std::vector<std::string> text;
    std::vector<const char*> values;
    std::vector<int> lengths;
  };

  // Rows to row; returns the number of rows changed.
  static int64_t deliver(const PgResult& r, const RowFn& row) {
    if (row)
      for (int i = 0; i < PQntuples(r.get()); ++i) row(PgRow(r.get(), i));
    return static_cast<int64_t>(std::strtoll(PQcmdTuples(r.get()), nullptr, 10));
  }

  Result<int64_t> send(const std::string& sql, const std::vector<Param>& params, const RowFn& row) {
    if (piped_) {
      FLK_TRY(queue(sql, Bound(params), row, nullptr));
      return 0;
    }
    if (!deferred_.empty()) {
      int64_t changed = 0;
      FLK_TRY(pipeline([&] { return queue(sql, Bound(params), row, &changed); }));
      return changed;
    }
    FLK_TRY(connect());
    const Bound b(params);
    PgResult r(PQexecParams(c_, sql.c_str(), static_cast<int>(params.size()), nullptr, b.values.data(),
                            b.lengths.data(), nullptr, 0));
    if (!check(r).ok()) return last_;
    return deliver(r, row);
  }

  // In pipeline mode: sends a statement; its rows and change count arrive in collect().
  Status queue(const std::string& sql, const Bound& b, const RowFn& row, int64_t* changed) {
    if (!c_) return last_;  // dropped earlier in this pipeline
    // libpq copies the statement and its values into its output buffer here.
    if (PQsendQueryParams(c_, sql.c_str(), static_cast<int>(b.values.size()), nullptr, b.values.data(),
                          b.lengths.data(), nullptr, 0) != 1)
      return drop(std::string("postgres: ") + PQerrorMessage(c_));
    queued_.push_back(Queued{row, changed});
    return Ok{};
  }

  // Ends a pipeline: every queued statement's answer, in order, then back to one statement at a
  // time. The first error is the pipeline's (the statements after it were not run).
  Status collect(Status first) {
    std::vector<Queued> queued;
    queued.swap(queued_);
    if (!c_) return first;
    if (PQpipelineSync(c_) != 1) return drop(std::string("postgres: ") + PQerrorMessage(c_));
    for (const Queued& q : queued) {
      PgResult r(PQgetResult(c_));
      if (!r) return drop(std::string("postgres: ") + PQerrorMessage(c_));
      const ExecStatusType st = PQresultStatus(r.get());
      if (st != PGRES_PIPELINE_ABORTED) {
        if (!check(r).ok()) {
          if (first.ok()) first = last_;
        } else {
          const int64_t n = deliver(r, q.row);
          if (q.changed) *q.changed = n;
        }
      }
      PgResult rest(PQgetResult(c_));  // null: the end of this statement's results
    }
    PgResult sync(PQgetResult(c_));
    if (PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC || PQexitPipelineMode(c_) != 1)
      return drop("postgres: the pipeline did not end as expected");
    return first;
  }

  // A connection in an unknown state is closed (the next use opens another): store_unavailable.
  Status drop(std::string message) {
    queued_.clear();
    deferred_.clear();
    if (c_) PQfinish(c_);
    c_ = nullptr;
    last_ = make_error("store_unavailable", std::move(message));
    return last_;
  }

  Status check(const PgResult& r) {
    ExecStatusType st = PQresultStatus(r.get());
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Ok{};
    std::string m = r ? PQresultErrorMessage(r.get()) : PQerrorMessage(c_);
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    last_ = make_error(broken() ? "store_unavailable" : "store_error", "postgres: " + m);
    return last_;
  }

  struct Queued {
    RowFn row;
    int64_t* changed;
  };
  bool only_begin() const { return deferred_.size() == 1 && deferred_.front().sql == "BEGIN"; }
  struct Deferred {
    std::string sql;
    std::unique_ptr<Bound> bound;  // the values, kept until sent
    RowFn row;
  };
  std::string url_;
  PGconn* c_ = nullptr;
  Error last_;
  bool piped_ = false;
  std::vector<Deferred> deferred_;
  std::vector<Queued> queued_;
};

Result<std::unique_ptr<Conn>> open_conn(const std::string& url) {
  auto c = std::make_unique<Conn>(url);
  FLK_TRY(c->connect());
  return c;
}

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(std::string url)
      : url_(std::move(url)), writer_(url_), readers_(kReaders, [this] { return open_conn(url_); }) {}

  Status init() {
    FLK_TRY(writer_.connect());
    return migrate(*this);
  }

  const char* kind() const override { return "postgres"; }

  Status transact(bool, const std::function<Status(Tx&)>& fn) override {
    std::lock_guard<std::mutex> l(wmu_);
    writer_.begin();
    Status s = fn(writer_);
    if (s.ok()) s = writer_.flush();
    if (!s.ok()) {
      (void)writer_.end("ROLLBACK");
      return s;
    }
    return writer_.end("COMMIT");
  }

  Status read(const std::function<Status(Tx&)>& fn) override {
    return readers_.with([&](Conn& c) { return fn(c); });
  }

  Status checkpoint() override { return Ok{}; }

 private:
  std::string url_;
  Conn writer_;
  Pool<Conn> readers_;
  std::mutex wmu_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url) {
  auto s = std::make_unique<PostgresStore>(url);
  FLK_TRY(s->init());
  return std::unique_ptr<Store>(std::move(s));
}

}  // namespace flk::server
