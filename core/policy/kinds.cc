#include "policy/kinds.h"

#include <iterator>

#include "policy/cel.h"

namespace flk::policy {
namespace {

constexpr Shape str(size_t len, bool names = false) {
  Shape s{FieldType::String};
  s.max_len = len;
  s.names = names;
  return s;
}
constexpr Shape one_of(const char* const* values) {
  Shape s{FieldType::Enum};
  s.values = values;
  return s;
}
constexpr Shape integer(double min, double max) {
  Shape s{FieldType::Integer};
  s.min = min;
  s.max = max;
  return s;
}
constexpr Shape number(double min, double max) {
  Shape s{FieldType::Number};
  s.min = min;
  s.max = max;
  return s;
}
constexpr Shape object(const Field* fields, size_t count) {
  Shape s{FieldType::Object};
  s.fields = fields;
  s.count = count;
  return s;
}
constexpr Shape array(const Shape* item, size_t min_items, size_t max_items) {
  Shape s{FieldType::Array};
  s.item = item;
  s.min_items = min_items;
  s.max_items = max_items;
  return s;
}
constexpr Shape map(const Shape* item, size_t max_items) {
  Shape s{FieldType::Map};
  s.item = item;
  s.max_items = max_items;
  s.names = true;
  return s;
}
constexpr Shape cel_expr() {
  Shape s{FieldType::Cel};
  s.max_len = cel::kMaxExprBytes;
  return s;
}

constexpr Shape kName = str(63, true);
constexpr Shape kText = str(1024);
constexpr Shape kLabel = str(256);
constexpr Shape kUnit = number(0, 1);
constexpr Shape kCel = cel_expr();
constexpr Shape kBool{FieldType::Boolean};
constexpr Shape kLabels = map(&kLabel, 32);

const char* const kApiVersions[] = {kApiVersion, nullptr};
constexpr Shape kApi = one_of(kApiVersions);

constexpr Shape kVersion = integer(1, 1e9);
constexpr Field kMetadataFields[] = {
    {"name", true, &kName, "policy id: lowercase letters, digits, '-', '_', '.'"},
    {"version", true, &kVersion, "version of this policy, counting from 1"},
    {"tenant", false, &kName, "the tenant it is written for (absent: any tenant its selector admits)"},
    {"description", false, &kText, "free text"},
    {"labels", false, &kLabels, "string labels"},
};
constexpr Shape kMetadata = object(kMetadataFields, std::size(kMetadataFields));

const char* const kSignatureAlgs[] = {"ed25519", nullptr};
constexpr Shape kAlg = one_of(kSignatureAlgs);
constexpr Shape kB64 = str(128);
constexpr Field kSignatureFields[] = {
    {"alg", true, &kAlg, "signature algorithm"},
    {"public_key_b64", true, &kB64, "the signer's Ed25519 public key, base64"},
    {"signature_b64", true, &kB64, "Ed25519 signature of the policy's signing payload, base64"},
};
constexpr Shape kSignature = object(kSignatureFields, std::size(kSignatureFields));

// RiskRoutingPolicy
constexpr Shape kActionShape = one_of(kActions);
const char* const kFailModes[] = {"open", "closed", nullptr};
constexpr Shape kFailMode = one_of(kFailModes);
constexpr Shape kFactor = number(0, 1);
constexpr Field kBandFields[] = {
    {"name", true, &kName, "band name"},
    {"min_risk", true, &kUnit, "lower bound, inclusive"},
    {"max_risk", true, &kUnit, "upper bound, exclusive except for the last band"},
    {"action", true, &kActionShape, "what the caller does with an answer in this band"},
    {"budget_factor", false, &kFactor, "reduce_budget: the share of the token budget left (required there)"},
    {"region", false, &kName, "alternate_region: the region to send the request to (required there)"},
};
constexpr Shape kBand = object(kBandFields, std::size(kBandFields));
constexpr Shape kBands = array(&kBand, 1, 16);
constexpr Field kOverrideFields[] = {
    {"when", true, &kCel, "condition over tenant, risk, confidence, band and attributes"},
    {"action", true, &kActionShape, "the action when the condition holds"},
    {"budget_factor", false, &kFactor, "as in a band"},
    {"region", false, &kName, "as in a band"},
};
constexpr Shape kOverride = object(kOverrideFields, std::size(kOverrideFields));
constexpr Shape kOverrides = array(&kOverride, 0, 16);
constexpr Field kScorerFields[] = {
    {"model", true, &kName, "the risk scorer (an hrs model name)"},
    {"min_confidence", false, &kUnit, "below it the answer goes to human_review whatever its band"},
};
constexpr Shape kScorer = object(kScorerFields, std::size(kScorerFields));
constexpr Shape kLatency = integer(1, 600000);
constexpr Field kRoutingFields[] = {
    {"selector", false, &kCel, "which requests the policy governs (absent: all)"},
    {"scorer", true, &kScorer, "scorer model and minimum confidence"},
    {"latency_budget_ms", false, &kLatency, "time the gate may spend before fail_mode applies"},
    {"fail_mode", true, &kFailMode, "open: accept when the scorer fails or runs late; closed: reject"},
    {"bands", true, &kBands, "bands tiling [0, 1]"},
    {"overrides", false, &kOverrides, "first matching override replaces the band's action"},
};
constexpr Shape kRoutingSpec = object(kRoutingFields, std::size(kRoutingFields));

// EnsemblePolicy: the options of ensemble.verify's policy (docs/ensemble.md), checked again by
// the ensemble's own reader.
const char* const kVoters[] = {"pcs_recompute", "risk", "grounding", "citation_overlap", "micro_vote",
                               "self_consistency", nullptr};
const char* const kMethods[] = {"n_of_m", "stacker", nullptr};
const char* const kVoteFailModes[] = {"fail_open", "fail_closed", "degrade", nullptr};
const char* const kClocks[] = {"modeled", "measured", nullptr};
const char* const kInjects[] = {"timeout", "error", nullptr};
constexpr Shape kVoter = one_of(kVoters);
constexpr Shape kVoterList = array(&kVoter, 1, 6);
constexpr Shape kMethod = one_of(kMethods);
constexpr Shape kVoteFailMode = one_of(kVoteFailModes);
constexpr Shape kClock = one_of(kClocks);
constexpr Shape kInject = one_of(kInjects);
constexpr Shape kN = integer(1, 16);
constexpr Shape kDeadline = integer(0, 1099511627776.0);
constexpr Shape kDeadlines = map(&kDeadline, 7);
constexpr Field kVoterBandFields[] = {
    {"pass_below", false, &kUnit, "score below which the voter passes"},
    {"flag_at", false, &kUnit, "score from which the voter flags"},
};
constexpr Shape kVoterBand = object(kVoterBandFields, std::size(kVoterBandFields));
constexpr Shape kVoterBands = map(&kVoterBand, 7);
constexpr Shape kInjectMap = map(&kInject, 7);
constexpr Field kArmFields[] = {
    {"name", true, &kName, "the arm's name, named in each decision it makes"},
    {"voters", false, &kVoterList, "the voters this arm runs"},
    {"n", false, &kN, "N of N-of-M for this arm"},
    {"method", false, &kMethod, "n_of_m or stacker for this arm"},
    {"cascade", false, &kBool, "cheapest voters first for this arm"},
};
constexpr Shape kArm = object(kArmFields, std::size(kArmFields));
constexpr Shape kArms = array(&kArm, 1, 8);
constexpr Shape kCostScale = number(1, 1e12);
constexpr Shape kDiscount = number(0.5, 1);
constexpr Field kAdaptiveFields[] = {
    {"arms", true, &kArms, "configurations the per-tenant bandit chooses among, each over the rest of the spec"},
    {"cost_weight", false, &kUnit, "reward = right decision - cost_weight x min(latency_us / cost_scale_us, 1)"},
    {"cost_scale_us", false, &kCostScale, "the voters' modeled latency that counts as cost 1 (default 1000)"},
    {"discount", false, &kDiscount, "forgetting factor per label (default 1: none)"},
};
constexpr Shape kAdaptive = object(kAdaptiveFields, std::size(kAdaptiveFields));
constexpr Field kEnsembleFields[] = {
    {"method", false, &kMethod, "n_of_m or stacker"},
    {"voters", false, &kVoterList, "the voters that run"},
    {"n", false, &kN, "N of N-of-M"},
    {"on_timeout", false, &kVoteFailMode, "a voter past its deadline"},
    {"on_error", false, &kVoteFailMode, "a voter that fails"},
    {"accept_below", false, &kUnit, "stacker: accept below this probability"},
    {"reject_at", false, &kUnit, "stacker: reject from this probability"},
    {"deadline_us", false, &kDeadlines, "per-voter deadlines in microseconds"},
    {"bands", false, &kVoterBands, "per-voter pass/flag bands"},
    {"inject", false, &kInjectMap, "drills: a voter times out or fails without running"},
    {"clock", false, &kClock, "modeled or measured latencies"},
    {"cascade", false, &kBool, "adaptivity: cheapest voters first, stop once the decision is fixed"},
    {"adaptive", false, &kAdaptive, "a Thompson-sampling bandit per tenant over arms, rewarded by labels"},
};
constexpr Shape kEnsembleSpec = object(kEnsembleFields, std::size(kEnsembleFields));

// BudgetPolicy
const char* const kOnExhausted[] = {"reject", "degrade", "alert", nullptr};
constexpr Shape kOnExhaustedShape = one_of(kOnExhausted);
constexpr Shape kUsd = number(0, 1e12);
constexpr Field kBudgetFields[] = {
    {"daily_limit_usd", false, &kUsd, "spend per UTC day"},
    {"monthly_limit_usd", false, &kUsd, "spend per UTC month"},
    {"per_request_limit_usd", false, &kUsd, "the most one request may cost"},
    {"warn_at", false, &kUnit, "share of a limit at which the state turns to warn"},
    {"on_exhausted", true, &kOnExhaustedShape, "reject, degrade (reduce_budget) or alert only"},
    {"degrade_factor", false, &kFactor, "degrade: the share of the token budget left"},
};
constexpr Shape kBudgetSpec = object(kBudgetFields, std::size(kBudgetFields));

// CanaryPolicy
const char* const kMetrics[] = {"latency_ms", "escalation_rate", "containment", "error_rate", "cost_per_trusted_task",
                                nullptr};
const char* const kDirections[] = {"lower_is_better", "higher_is_better", nullptr};
constexpr Shape kMetricName = one_of(kMetrics);
constexpr Shape kDirection = one_of(kDirections);
constexpr Shape kTolerance = number(0, 10);
constexpr Field kMetricFields[] = {
    {"name", true, &kMetricName, "the metric compared between cohorts"},
    {"direction", true, &kDirection, "which way is better"},
    {"tolerance", true, &kTolerance, "relative effect size (canary vs baseline mean) tolerated before a significant "
                                     "difference fails the gate"},
};
constexpr Shape kMetric = object(kMetricFields, std::size(kMetricFields));
constexpr Shape kMetricList = array(&kMetric, 1, 5);
constexpr Shape kPercent = integer(1, 100);
constexpr Shape kSteps = array(&kPercent, 1, 10);
constexpr Shape kAlpha = number(1e-6, 0.5);
constexpr Shape kSamples = integer(2, 1000000);
constexpr Shape kGates = integer(1, 10);
constexpr Field kCanaryFields[] = {
    {"target", true, &kName, "the candidate policy (metadata.name) or model the canary runs"},
    {"steps", false, &kSteps, "traffic percentages, increasing, ending at 100 (default 5, 10, 25, 50, 100)"},
    {"metrics", true, &kMetricList, "metrics and their tolerances"},
    {"alpha", false, &kAlpha, "significance level of the one-sided Mann-Whitney U test (default 0.05)"},
    {"min_samples", false, &kSamples, "per cohort, before a gate can pass or fail (default 50)"},
    {"max_samples", false, &kSamples, "per cohort, after which a gate that has not failed passes (default 5000)"},
    {"max_failed_gates", false, &kGates, "failed gates that roll the canary back (default 2)"},
    {"gate", false, &kCel, "an extra predicate over the gate's summary that must hold to promote"},
};
constexpr Shape kCanarySpec = object(kCanaryFields, std::size(kCanaryFields));

const char* const kKindRouting[] = {"RiskRoutingPolicy", nullptr};
const char* const kKindEnsemble[] = {"EnsemblePolicy", nullptr};
const char* const kKindBudget[] = {"BudgetPolicy", nullptr};
const char* const kKindCanary[] = {"CanaryPolicy", nullptr};

#define FLK_POLICY_DOC(ID, KIND_VALUES, SPEC)                                                       \
  constexpr Shape ID##Kind = one_of(KIND_VALUES);                                                    \
  constexpr Field ID##Fields[] = {                                                                   \
      {"apiVersion", true, &kApi, "always " "flk.dev/policy/v1"},                                    \
      {"kind", true, &ID##Kind, "the kind of policy"},                                               \
      {"metadata", true, &kMetadata, "name, version, tenant, description, labels"},                  \
      {"spec", true, &SPEC, "the policy itself"},                                                    \
      {"signature", false, &kSignature, "Ed25519 signature (policy.sign); not part of the hash"},    \
  };                                                                                                 \
  constexpr Shape ID = object(ID##Fields, std::size(ID##Fields));

FLK_POLICY_DOC(kRoutingDoc, kKindRouting, kRoutingSpec)
FLK_POLICY_DOC(kEnsembleDoc, kKindEnsemble, kEnsembleSpec)
FLK_POLICY_DOC(kBudgetDoc, kKindBudget, kBudgetSpec)
FLK_POLICY_DOC(kCanaryDoc, kKindCanary, kCanarySpec)
#undef FLK_POLICY_DOC

}  // namespace

const char* const kKinds[] = {"RiskRoutingPolicy", "EnsemblePolicy", "BudgetPolicy", "CanaryPolicy", nullptr};
const char* const kActions[] = {"accept", "reduce_budget", "alternate_region", "rag_required", "human_review", "reject",
                                nullptr};

const Shape* document_shape(const std::string& kind) {
  if (kind == kKinds[0]) return &kRoutingDoc;
  if (kind == kKinds[1]) return &kEnsembleDoc;
  if (kind == kKinds[2]) return &kBudgetDoc;
  if (kind == kKinds[3]) return &kCanaryDoc;
  return nullptr;
}

}  // namespace flk::policy
