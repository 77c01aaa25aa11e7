#include "store/usage/report.h"

#include <map>

#include "util/civil_time.h"

namespace flk::server::usage {
namespace {

constexpr int64_t kMsPerDay = 86400000;
constexpr const char* kLabelPrefix = "label:";

bool is_label(const std::string& k) { return k.rfind(kLabelPrefix, 0) == 0; }

struct Sql {
  std::vector<std::string> label_keys;  // what the label joins' parameters view
  std::string text;
  std::vector<Param> params;
};

// SELECT <one column per key> , SUM, COUNT FROM usage_events e <joins> WHERE <tenant, range>
// <extra> GROUP BY <the columns>. Day and month both select the day number.
void grouped_sql(const ReportQuery& q, const char* extra_join, Sql& s) {
  for (const std::string& k : q.group_by)
    if (is_label(k)) s.label_keys.push_back(k.substr(std::char_traits<char>::length(kLabelPrefix)));
  s.params = {q.tenant, q.from_ms, q.to_ms};
  size_t labels = 0;
  std::string cols, joins;
  for (const std::string& k : q.group_by) {
    std::string col;
    if (k == "day" || k == "month") {
      col = "e.created_ms / " + std::to_string(kMsPerDay);
    } else if (is_label(k)) {
      const std::string alias = "l" + std::to_string(s.params.size());
      s.params.emplace_back(s.label_keys[labels++]);
      joins += " LEFT JOIN usage_labels " + alias + " ON " + alias + ".tenant = e.tenant AND " + alias +
               ".event_id = e.event_id AND " + alias + ".key = ?" + std::to_string(s.params.size());
      col = "COALESCE(" + alias + ".value, '')";
    } else {
      col = "e." + std::string(k == "user" ? "user_id" : k);
    }
    cols += (cols.empty() ? "" : ", ") + col;
  }
  s.text = "SELECT " + cols + (cols.empty() ? "" : ", ") + "CAST(COALESCE(SUM(e.cost_nanos), 0) AS BIGINT), COUNT(*) " +
           "FROM usage_events e" + joins + extra_join +
           " WHERE e.tenant = ?1 AND e.created_ms >= ?2 AND e.created_ms < ?3" +
           (cols.empty() ? "" : " GROUP BY " + cols);
}

Result<std::vector<ReportGroup>> run(Store& store, const ReportQuery& q, const char* extra_join) {
  Sql sql;
  grouped_sql(q, extra_join, sql);
  std::map<std::vector<std::string>, ReportGroup> folded;
  Status overflow = Ok{};
  FLK_TRY(store.read([&](Tx& tx) -> Status {
    FLK_TRY(tx.exec(sql.text.c_str(), sql.params, [&](const Row& r) {
      std::vector<std::string> key;
      for (size_t i = 0; i < q.group_by.size(); ++i) {
        const std::string& k = q.group_by[i];
        if (k == "day" || k == "month") {
          const std::string date = format_date(r.integer(static_cast<int>(i)));
          key.push_back(k == "day" ? date : date.substr(0, 7));
        } else {
          key.push_back(r.text(static_cast<int>(i)));
        }
      }
      const int n = static_cast<int>(q.group_by.size());
      ReportGroup& g = folded[key];
      g.key = key;
      if (__builtin_add_overflow(g.nanos, r.integer(n), &g.nanos))
        overflow = make_error("overflow", "the report's sum exceeds 9.2 billion USD");
      g.events += r.integer(n + 1);
    }));
    return Ok{};
  }));
  FLK_TRY(overflow);
  std::vector<ReportGroup> out;
  for (auto& [key, g] : folded)
    if (g.events > 0) out.push_back(std::move(g));  // an ungrouped sum over no events is one row of 0
  return out;
}

}  // namespace

bool report_key_ok(const std::string& k) {
  if (is_label(k)) {
    const std::string key = k.substr(std::char_traits<char>::length(kLabelPrefix));
    if (key.empty() || key.size() > 64 || !(key[0] >= 'a' && key[0] <= 'z')) return false;
    for (char c : key)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
  }
  for (const char* name : {"tenant", "provider", "model", "task", "user", "day", "month"})
    if (k == name) return true;
  return false;
}

Result<std::vector<ReportGroup>> report(Store& store, const ReportQuery& q) { return run(store, q, ""); }

// ---- cost per trusted task ----------------------------------------------------------------
Result<std::vector<ReportGroup>> trusted_report(Store& store, const ReportQuery& q) {
  return run(store, q,
             " JOIN verifications v ON v.tenant = e.tenant AND v.id = e.verification_id AND v.action = 'accept'");
}

}  // namespace flk::server::usage
