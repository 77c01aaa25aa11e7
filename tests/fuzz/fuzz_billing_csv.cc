// The billing CSV readers: the streaming RFC 4180 reader (cost/csv.h) under the FOCUS and CUR
// importer (cost/billing.h). The first byte picks the format, strictness and a chunk size; the
// rest is the file. Properties: no crash, and feeding the file in chunks gives exactly what
// feeding it whole gives (the reader's state survives every split point).
#include <string>
#include <string_view>

#include "check.h"
#include "cost/billing.h"

namespace {

using flk::cost::BillingImporter;

// Everything an import reports, as text, so two imports compare as strings.
std::string describe(const flk::Status& st, const flk::cost::ImportSummary& s) {
  if (!st.ok()) return "error " + st.error().code + " " + st.error().message + " " + st.error().path;
  std::string d = s.focus_version;
  for (int64_t n : {s.rows, s.imported, s.skipped, s.rounded_values, s.non_standard_numbers, s.bytes, s.issue_count})
    d += " " + std::to_string(n);
  for (const auto& i : s.issues) d += "\n" + std::to_string(i.line) + " " + i.column + " " + i.message;
  for (const auto& n : s.notes) d += "\n" + n;
  for (const auto& [k, t] : s.book.cells)
    d += "\n" + k.provider + "|" + k.service + "|" + k.tenant + "|" + k.model + "|" + k.charge_category + "|" +
         k.currency + "|" + std::to_string(k.day) + " " + std::to_string(t.billed) + " " + std::to_string(t.effective) +
         " " + std::to_string(t.list) + " " + std::to_string(t.rows);
  return d;
}

std::string import(const flk::cost::BillingOptions& opt, std::string_view csv, size_t chunk) {
  BillingImporter imp(opt);
  flk::Status st = flk::Ok{};
  for (size_t i = 0; st.ok() && i < csv.size(); i += chunk) st = imp.feed(csv.substr(i, chunk));
  if (st.ok()) st = imp.finish();
  return describe(st, imp.summary());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  flk::cost::BillingOptions opt;
  opt.format = static_cast<flk::cost::BillingFormat>(mode % 3);
  opt.strict = mode & 4;
  opt.max_issues = 4;
  const size_t chunk = 1 + (mode >> 3);  // 1..32 bytes
  std::string_view csv(reinterpret_cast<const char*>(data) + 1, size - 1);
  FUZZ_CHECK(import(opt, csv, csv.size() + 1) == import(opt, csv, chunk));
  return 0;
}
