#include "compliance/html.h"

namespace flk::compliance {
namespace {

std::string esc(std::string_view s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&#39;"; break;
      default: o.push_back(c);
    }
  }
  return o;
}

std::string row(std::initializer_list<std::string_view> cells, const char* tag = "td") {
  std::string o = "<tr>";
  for (std::string_view c : cells) o += std::string("<") + tag + ">" + esc(c) + "</" + tag + ">";
  return o + "</tr>\n";
}

constexpr const char* kStyle =
    "body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}"
    "table{border-collapse:collapse;width:100%;margin:.5rem 0 1.2rem}th,td{border:1px solid #ccc;padding:.3rem "
    ".5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}code{font-size:13px;word-break:break-all}"
    ".s{font-weight:600;padding:.1rem .4rem;border-radius:3px}.evidenced{background:#d8f0d8}.partial{background:"
    "#fff1c2}.no_activity{background:#e8eef8}.not_evidenced{background:#eee}.failed{background:#f8d0d0}";

std::string chain_section(const Report& r) {
  std::string o = "<h2>Audit chain</h2>\n<table>\n";
  o += row({"verified", r.chain.problem ? "no" : "yes"});
  o += row({"entries", std::to_string(r.chain.count)});
  o += row({"head seq", std::to_string(r.chain.head_seq)});
  o += "<tr><td>head hash</td><td><code>" + esc(r.chain.head_hash) + "</code></td></tr>\n";
  o += row({"anchored to a head kept elsewhere", r.anchored ? "yes" : "no"});
  if (r.chain.problem) o += row({"problem", r.chain.problem->kind + ": " + r.chain.problem->message});
  return o + "</table>\n";
}

std::string control_section(const Report& r, const ControlResult& c) {
  std::string st = status_name(c.status);
  std::string o = "<h3>" + esc(c.control->title) + " <span class=\"s " + st + "\">" + st + "</span></h3>\n";
  o += "<p><code>" + esc(c.control->id) + "</code> · " + esc(reference(*c.control, r.framework)) + "</p>\n";
  o += "<p>" + esc(c.control->shows) + "</p>\n";
  if (!c.note.empty()) o += "<p><em>" + esc(c.note) + "</em></p>\n";
  if (!c.evidence.empty()) {
    o += "<table>\n" + row({"entry type", "count", "first seq", "last seq", "first entries (seq, time, tenant)"}, "th");
    for (const TypeEvidence& e : c.evidence) {
      std::string samples;
      for (const Sample& s : e.samples)
        samples += (samples.empty() ? "" : "; ") + std::to_string(s.seq) + ", " + s.time + ", " + s.tenant;
      o += row({e.type, std::to_string(e.count), e.count ? std::to_string(e.first_seq) : "",
                e.count ? std::to_string(e.last_seq) : "", samples});
    }
    o += "</table>\n";
  }
  return o + "<p>Cannot evidence: " + esc(c.control->cannot) + "</p>\n";
}

}  // namespace

std::string to_html(const Report& r) {
  std::string fw = r.framework == Framework::Soc2 ? "SOC 2" : "ISO/IEC 27001:2022";
  std::string o = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(fw) +
                  " evidence report " + esc(r.period.from) + " to " + esc(r.period.to) + "</title><style>" + kStyle +
                  "</style></head><body>\n";
  o += "<h1>" + esc(fw) + " evidence report</h1>\n<p>Period " + esc(r.period.from) + " (inclusive) to " +
       esc(r.period.to) + " (exclusive): " + std::to_string(r.entries_in_period) + " audit entries from " +
       std::to_string(r.tenants_in_period) + " tenants.</p>\n";
  o += chain_section(r);
  o += "<h2>Controls</h2>\n<table>\n" + row({"control", "references", "status"}, "th");
  for (const ControlResult& c : r.controls) o += row({c.control->title, reference(*c.control, r.framework), status_name(c.status)});
  o += "</table>\n";
  for (const ControlResult& c : r.controls) o += control_section(r, c);
  if (!r.config.empty()) {
    o += "<h2>Stated configuration</h2>\n<table>\n";
    for (const auto& kv : r.config) o += row({kv.first, kv.second});
    o += "</table>\n";
  }
  o += "<h2>What this report cannot evidence</h2>\n<ul>\n";
  for (const std::string& l : r.limitations) o += "<li>" + esc(l) + "</li>\n";
  return o + "</ul>\n</body></html>\n";
}

}  // namespace flk::compliance
