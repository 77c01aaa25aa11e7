// A streaming CSV reader (RFC 4180): bytes go in chunk by chunk, complete records come out with
// the line they start on. Quoted fields may hold commas, quotes ("") and line breaks; records end
// at LF, CRLF or a lone CR; a UTF-8 byte-order mark before the first field is dropped; blank
// lines yield no record. Errors (code bad_csv) name the line.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace flk::cost {

struct CsvField {
  std::string text;
  bool quoted = false;  // "NULL" quoted is text; NULL unquoted is a null in FOCUS exports
};

class CsvSink {
 public:
  virtual ~CsvSink() = default;
  // Returns an error to stop reading.
  virtual Status record(const CsvField* fields, size_t n, int64_t line) = 0;
};

class CsvReader {
 public:
  Status feed(std::string_view chunk, CsvSink& sink);
  // End of input: emits a last record without a line break; an open quote is an error.
  Status finish(CsvSink& sink);
  int64_t bytes() const { return bytes_; }
  // The input so far ends inside a quoted field (a cut-off export), in the record starting at
  // record_line().
  bool in_quoted_field() const { return st_ == St::quoted; }
  int64_t record_line() const { return record_line_; }

 private:
  Status step(char c, CsvSink& sink);
  Status drain_bom(CsvSink& sink);
  Status end_record(CsvSink& sink);
  Status end_field();
  Error fail(const std::string& why) const;

  enum class St { field_start, unquoted, quoted, quote_in_quoted, after_cr };
  St st_ = St::field_start;
  std::vector<CsvField> fields_;
  size_t nfields_ = 0;  // fields_ is reused; this many are live
  CsvField cur_;
  int64_t line_ = 1;
  int64_t record_line_ = 1;
  int64_t bytes_ = 0;
  bool record_started_ = false;
  bool bom_checked_ = false;
  std::string bom_buf_;
};

}  // namespace flk::cost
