// PostgreSQL store (libpq): one writer connection behind a mutex (batches arrive from one thread)
// and a pool of reader connections. Commits are durable when they return (synchronous_commit is
// the database's business). A lost connection is opened again on the next use; while that fails,
// errors are store_unavailable.
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
  Result<int64_t> send(const std::string& sql, const std::vector<Param>& params, const RowFn& row) {
    FLK_TRY(connect());
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      const Param& p = params[i];
      switch (p.kind) {
        case Param::Kind::null:
          values[i] = nullptr;
          continue;
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
    }
    std::vector<int> lengths(params.size());
    for (size_t i = 0; i < params.size(); ++i) lengths[i] = values[i] ? static_cast<int>(text[i].size()) : 0;
    PgResult r(PQexecParams(c_, sql.c_str(), static_cast<int>(params.size()), nullptr, values.data(), lengths.data(),
                            nullptr, 0));
    if (!check(r).ok()) return last_;
    if (row)
      for (int i = 0; i < PQntuples(r.get()); ++i) row(PgRow(r.get(), i));
    return static_cast<int64_t>(std::strtoll(PQcmdTuples(r.get()), nullptr, 10));
  }

  Status check(const PgResult& r) {
    ExecStatusType st = PQresultStatus(r.get());
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Ok{};
    std::string m = r ? PQresultErrorMessage(r.get()) : PQerrorMessage(c_);
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    last_ = make_error(broken() ? "store_unavailable" : "store_error", "postgres: " + m);
    return last_;
  }

  std::string url_;
  PGconn* c_ = nullptr;
  Error last_;
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
    FLK_TRY(writer_.run("BEGIN"));
    Status s = fn(writer_);
    if (!s.ok()) {
      (void)writer_.run("ROLLBACK");
      return s;
    }
    return writer_.run("COMMIT");
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
