// One connection inside one transaction (or a read), the same for SQLite and PostgreSQL, so each
// store area writes its SQL once: parameters are ?1, ?2, ... (PostgreSQL gets $1, $2, ...), and
// the SQL keeps to what both databases take (INSERT ... ON CONFLICT, RETURNING, BIGINT). Where
// they differ an area asks dialect(). Errors are store_error, or store_unavailable when the
// database does not answer (a lost or refused connection).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace flk::server {

enum class Dialect { sqlite, postgres };

// A bound value; text is not copied, so it must outlive the call it is passed to.
struct Param {
  enum class Kind { null, integer, real, text };
  Param() = default;
  Param(int64_t v) : kind(Kind::integer), i(v) {}
  Param(int v) : kind(Kind::integer), i(v) {}
  Param(double v) : kind(Kind::real), d(v) {}
  Param(const std::string& v) : kind(Kind::text), s(v) {}
  Param(const char* v) : kind(Kind::text), s(v) {}
  Kind kind = Kind::null;
  int64_t i = 0;
  double d = 0;
  std::string_view s;
};

class Row {
 public:
  virtual ~Row() = default;
  virtual bool null(int col) const = 0;
  virtual std::string text(int col) const = 0;
  virtual int64_t integer(int col) const = 0;
  virtual double real(int col) const = 0;
};

using RowFn = std::function<void(const Row&)>;

class Tx {
 public:
  virtual ~Tx() = default;
  virtual Dialect dialect() const = 0;
  // Runs one statement; the rows it returns (a SELECT, or RETURNING) go to row. Returns the
  // number of rows it changed.
  virtual Result<int64_t> exec(const char* sql, const std::vector<Param>& params, const RowFn& row = {}) = 0;
  // One statement over many rows: head ends in VALUES ("INSERT INTO t (a, b, c) VALUES", or
  // "SELECT ... WHERE (a, b) IN (VALUES"), rows holds the values row after row (cols each), and
  // tail follows the value lists (" ON CONFLICT ... RETURNING ...", or ")"). SQLite runs one
  // prepared statement per row; PostgreSQL sends multi-row VALUES, 500 rows a round trip. The
  // rows the statement returns go to row.
  virtual Status exec_rows(const char* head, int cols, const std::vector<Param>& rows, const char* tail,
                           const RowFn& row = {}) = 0;

  // Runs fn, whose statements PostgreSQL sends together and answers in one round trip (libpq's
  // pipeline mode), in order, each seeing what the ones before it did. Their rows reach their
  // callbacks by the time pipeline returns, not when exec returns (exec returns 0 inside), so fn
  // must not read what those callbacks fill. SQLite runs each statement as it comes.
  virtual Status pipeline(const std::function<Status()>& fn) { return fn(); }
  // A statement whose answer is needed only later: PostgreSQL sends it with the next statement
  // (in that one's round trip) or at flush(), and its rows reach row by the time that returns.
  // SQLite runs it now.
  virtual Status defer(const char* sql, const std::vector<Param>& params, const RowFn& row) {
    FLK_TRY(exec(sql, params, row));
    return Ok{};
  }
  // Sends the deferred statements now, so that what their callbacks fill can be read.
  virtual Status flush() { return Ok{}; }

  // Appended to a text column in ORDER BY or a comparison: byte order on both databases
  // (PostgreSQL would otherwise use the database's locale).
  const char* binary_order() const { return dialect() == Dialect::postgres ? " COLLATE \"C\"" : ""; }
  // The first column of the first row, if any.
  Result<std::optional<std::string>> text_of(const char* sql, const std::vector<Param>& params);
  Result<int64_t> integer_of(const char* sql, const std::vector<Param>& params);
};

}  // namespace flk::server
