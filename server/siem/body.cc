#include "siem/body.h"

#include "app/facade.h"
#include "json/write.h"

namespace flk::server {
namespace {

Result<SiemBody> cloudevents_batch(const std::vector<json::Value>& entries, const std::string& source) {
  json::Value in = json::Value::object();
  in.set("entries", json::Value(json::Value::Array(entries.begin(), entries.end()))).set("source", source);
  FLK_ASSIGN(json::Value out, thread_engine().call_value("audit.cloudevents", in));
  return SiemBody{"application/cloudevents-batch+json", json::to_string(*out.find("events"))};
}

// HEC's time is epoch seconds; milliseconds kept as the fraction.
Result<SiemBody> hec_events(const std::vector<json::Value>& entries, const std::string& host) {
  SiemBody b{"application/json", ""};
  for (const json::Value& e : entries) {
    const json::Value* time = e.find("time");
    const json::Value* seq = e.find("seq");
    const json::Value* hash = e.find("hash");
    if (!time || !time->is_string() || !seq || !seq->is_int() || !hash || !hash->is_string())
      return make_error("internal", "an audit entry without time, seq or hash");
    auto ms = parse_rfc3339_ms(time->as_string());
    if (!ms) return make_error("internal", "an audit entry with a bad time: " + time->as_string());
    json::Value fields = json::Value::object();
    fields.set("flk_hash", hash->as_string()).set("flk_seq", seq->as_int());
    json::Value ev = json::Value::object();
    ev.set("event", e)
        .set("fields", std::move(fields))
        .set("host", host)
        .set("source", "flk-server")
        .set("sourcetype", "flk:audit")
        .set("time", static_cast<double>(*ms) / 1000.0);
    b.text += json::to_string(ev) + "\n";
  }
  return b;
}

}  // namespace

bool parse_siem_format(const std::string& s, SiemFormat* out) {
  if (s == "cloudevents") {
    *out = SiemFormat::cloudevents;
  } else if (s == "hec") {
    *out = SiemFormat::hec;
  } else {
    return false;
  }
  return true;
}

Result<SiemBody> siem_body(SiemFormat format, const std::vector<json::Value>& entries, const std::string& source,
                           const std::string& host) {
  return format == SiemFormat::cloudevents ? cloudevents_batch(entries, source) : hec_events(entries, host);
}

}  // namespace flk::server
