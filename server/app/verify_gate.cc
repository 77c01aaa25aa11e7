#include "app/verify_gate.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "app/facade.h"
#include "crypto/random.h"
#include "json/fields.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk::server {
namespace {

Error bad(const std::string& message) { return make_error("bad_config", message); }

// Writes a fresh key file with O_EXCL and mode 0600: two servers starting together keep one key.
Status create_key(const std::string& path) {
  const crypto::Seed seed = crypto::random_seed();
  json::Value doc = json::Value::object();
  doc.set("alg", "ed25519").set("seed_b64", crypto::to_base64(seed.data(), seed.size()));
  const std::string text = json::to_string(doc) + "\n";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return errno == EEXIST ? Status(Ok{}) : Status(bad(path + ": " + std::strerror(errno)));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return bad(path + ": could not write the new signing key");
  return Ok{};
}

Result<crypto::Seed> read_key(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return bad(path + ": " + std::strerror(errno));
  if (st.st_mode & 077) return bad(path + ": the signing key is readable by others (chmod 600)");
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  auto doc = json::parse(ss.str());
  const json::Value* b64 = doc.ok() ? doc->find("seed_b64") : nullptr;
  const json::Value* alg = doc.ok() ? doc->find("alg") : nullptr;
  if (!b64 || !b64->is_string() || !alg || !alg->is_string() || alg->as_string() != "ed25519")
    return bad(path + ": not a key file of flk keygen ed25519");
  auto raw = crypto::from_base64(b64->as_string());
  crypto::Seed seed;
  if (!raw.ok() || raw->size() != seed.size()) return bad(path + ": seed_b64 is not a 32-byte seed");
  std::copy(raw->begin(), raw->end(), seed.begin());
  return seed;
}

// A config tried once on a one-word answer: gate.decide's errors are reported under the setting's path.
Result<json::Value> check_config(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  r.optional("policy");
  r.optional("bands");
  FLK_TRY(r.opt_string("on_exceeded", 16));
  FLK_TRY(r.finish());
  json::Value probe = json::Value::object();
  probe.set("answer", "probe");
  auto out = thread_engine().call_value("gate.decide", gate_input(v, std::move(probe), GateSpend{1, 0}));
  if (!out.ok()) return bad(path + ": " + out.error().message);
  return v;
}

}  // namespace

json::Value gate_input(const json::Value& config, json::Value request, const std::optional<GateSpend>& spend) {
  for (const char* k : {"policy", "bands", "routing_policy", "tenant", "attributes"})
    if (const json::Value* x = config.find(k)) request.set(k, *x);
  if (spend) {
    json::Value b = json::Value::object();
    b.set("cap_usd", spend->cap_usd).set("spent_usd", spend->spent_usd);
    if (const json::Value* m = config.find("on_exceeded")) b.set("on_exceeded", *m);
    request.set("budget", std::move(b));
  }
  return request;
}

namespace {

// Series are bounded by the tenant directory and the fixed voter and action names.
FamilySpec family(const char* name, const char* help, MetricKind kind, std::vector<std::string> labels,
                  std::vector<double> buckets = {}) {
  FamilySpec s;
  s.name = name;
  s.help = help;
  s.kind = kind;
  s.labels = std::move(labels);
  s.buckets = std::move(buckets);
  return s;
}

}  // namespace

VerifyMetrics::VerifyMetrics()
    : decisions(family("flk_verify_decisions_total",
                       "gate decisions of POST /v1/verify by tenant and action (accept, escalate, reject)",
                       MetricKind::counter, {"tenant", "action"})),
      voter_latency(family("flk_verify_voter_latency_seconds",
                           "latency of each voter of the gate (the policy's clock: modeled by default)",
                           MetricKind::histogram, {"voter"}, {1e-5, 1e-4, 1e-3, 0.01, 0.1, 1})),
      voter_status(family("flk_verify_voter_status_total",
                          "voter answers of the gate by voter and status (ok, timeout, error, skipped)",
                          MetricKind::counter, {"voter", "status"})),
      disagreements(family("flk_verify_disagreements_total",
                           "gate decisions where at least one voter passed and another flagged, by tenant",
                           MetricKind::counter, {"tenant"})),
      labels(family("flk_verify_labels_total", "labels attached by POST /v1/labels, by tenant and label",
                    MetricKind::counter, {"tenant", "label"})),
      label_agreement(family("flk_verify_label_agreement_ratio",
                             "share of a tenant's labelled decisions whose action agreed with the label (accept = "
                             "faithful; escalate or reject = hallucinated)",
                             MetricKind::gauge, {"tenant"})),
      arms(family("flk_verify_arm_total",
                  "gate decisions of an adaptive EnsemblePolicy by tenant and the bandit arm that made them (at most "
                  "8 arms a policy)",
                  MetricKind::counter, {"tenant", "arm"})) {}

Result<std::unique_ptr<VerifyGate>> VerifyGate::open(const std::string& key_file, const std::string& settings) {
  auto g = std::make_unique<VerifyGate>();
  FLK_TRY(create_key(key_file));
  FLK_ASSIGN(g->seed_, read_key(key_file));
  g->public_key_ = crypto::ed25519_public_key(g->seed_);
  if (settings.empty()) return g;
  auto doc = json::parse(settings);
  if (!doc.ok()) return bad("verify: " + doc.error().message);
  FLK_ASSIGN(auto r, json::ObjectReader::open(doc.value(), "verify"));
  if (const json::Value* d = r.optional("default")) {
    FLK_ASSIGN(g->default_, check_config(*d, "verify.default"));
  }
  if (const json::Value* t = r.optional("tenants")) {
    if (!t->is_object()) return bad("verify.tenants must be an object");
    for (const auto& member : t->as_object()) {
      FLK_ASSIGN(g->tenants_[member.first], check_config(member.second, "verify.tenants." + member.first));
    }
  }
  FLK_TRY(r.finish());
  return g;
}

const json::Value& VerifyGate::config_of(const std::string& tenant) const {
  auto it = tenants_.find(tenant);
  return it != tenants_.end() ? it->second : default_;
}

}  // namespace flk::server
