#include "cost/csv.h"

namespace flk::cost {
namespace {

constexpr size_t kMaxField = 1u << 20;
constexpr size_t kMaxFields = 4096;

}  // namespace

Error CsvReader::fail(const std::string& why) const {
  return make_error("bad_csv", "line " + std::to_string(line_) + ": " + why);
}

Status CsvReader::end_field() {
  if (nfields_ >= kMaxFields) return fail("more than " + std::to_string(kMaxFields) + " fields");
  if (nfields_ == fields_.size()) fields_.emplace_back();
  CsvField& f = fields_[nfields_++];
  f.text.swap(cur_.text);
  f.quoted = cur_.quoted;
  cur_.text.clear();
  cur_.quoted = false;
  return Ok{};
}

Status CsvReader::end_record(CsvSink& sink) {
  FLK_TRY(end_field());
  bool blank = nfields_ == 1 && fields_[0].text.empty() && !fields_[0].quoted;
  size_t n = nfields_;
  nfields_ = 0;
  record_started_ = false;
  if (blank) return Ok{};
  return sink.record(fields_.data(), n, record_line_);
}

Status CsvReader::step(char c, CsvSink& sink) {
  if (!record_started_) {
    record_started_ = true;
    record_line_ = line_;
  }
  switch (st_) {
    case St::after_cr:
      st_ = St::field_start;
      ++line_;
      if (c == '\n') {
        record_started_ = false;
        return Ok{};
      }
      record_line_ = line_;
      return step(c, sink);
    case St::field_start:
      if (c == '"') {
        cur_.quoted = true;
        st_ = St::quoted;
        return Ok{};
      }
      st_ = St::unquoted;
      return step(c, sink);
    case St::unquoted:
      if (c == ',') {
        st_ = St::field_start;
        return end_field();
      }
      if (c == '\n') {
        st_ = St::field_start;
        FLK_TRY(end_record(sink));
        ++line_;
        return Ok{};
      }
      if (c == '\r') {
        st_ = St::after_cr;
        return end_record(sink);
      }
      if (c == '"') return fail("a quote inside an unquoted field");
      if (cur_.text.size() >= kMaxField) return fail("a field longer than 1 MiB");
      cur_.text.push_back(c);
      return Ok{};
    case St::quoted:
      if (c == '"') {
        st_ = St::quote_in_quoted;
        return Ok{};
      }
      if (c == '\n') ++line_;
      if (cur_.text.size() >= kMaxField) return fail("a field longer than 1 MiB");
      cur_.text.push_back(c);
      return Ok{};
    case St::quote_in_quoted:
      if (c == '"') {
        cur_.text.push_back('"');
        st_ = St::quoted;
        return Ok{};
      }
      if (c == ',') {
        st_ = St::field_start;
        return end_field();
      }
      if (c == '\n' || c == '\r') {
        st_ = c == '\r' ? St::after_cr : St::field_start;
        FLK_TRY(end_record(sink));
        if (c == '\n') ++line_;
        return Ok{};
      }
      return fail("text after a closing quote");
  }
  return Ok{};
}

// The first three bytes are held back until it is known whether they are a byte-order mark.
Status CsvReader::drain_bom(CsvSink& sink) {
  bom_checked_ = true;
  std::string buf;
  buf.swap(bom_buf_);
  size_t start = buf.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  for (size_t i = start; i < buf.size(); ++i) FLK_TRY(step(buf[i], sink));
  return Ok{};
}

Status CsvReader::feed(std::string_view chunk, CsvSink& sink) {
  bytes_ += static_cast<int64_t>(chunk.size());
  if (!bom_checked_) {
    bom_buf_.append(chunk.data(), chunk.size());
    return bom_buf_.size() < 3 ? Status(Ok{}) : drain_bom(sink);
  }
  for (char c : chunk) FLK_TRY(step(c, sink));
  return Ok{};
}

Status CsvReader::finish(CsvSink& sink) {
  if (!bom_checked_) FLK_TRY(drain_bom(sink));
  if (st_ == St::quoted) return fail("the input ends inside a quoted field");
  if (st_ == St::after_cr) {
    st_ = St::field_start;
    return Ok{};
  }
  if (record_started_ || nfields_ > 0) FLK_TRY(end_record(sink));
  st_ = St::field_start;
  return Ok{};
}

}  // namespace flk::cost
