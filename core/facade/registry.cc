// The op table. Every build links all areas, except two variants of the browser module
// (CMakeLists.txt): "verify" (flk_wasm_verify) compiles this file with FLK_OPS_VERIFY_ONLY so that
// HRS, ensemble, cost, anomaly and compliance code stay out of its download, and "score"
// (flk_wasm_score) with FLK_OPS_SCORE, which keeps HRS scoring and the ensemble gate but not
// training and evaluation, cost, anomaly and compliance. PII ops stay in: a page that verifies answers can redact its prompts
// with the same module.
#include "facade/registry.h"

#include <algorithm>

namespace flk {

const std::vector<OpSpec>& op_table() {
  static const std::vector<OpSpec> table = [] {
    std::vector<OpSpec> t;
    add_meta_ops(t);
    add_crypto_ops(t);
    add_math_ops(t);
    add_signals_ops(t);
    add_pcs_ops(t);
    add_routing_ops(t);
    add_audit_ops(t);
    add_gate_ops(t);
    add_gate_seal_ops(t);
    add_pii_ops(t);
#ifndef FLK_OPS_VERIFY_ONLY
    add_hrs_ops(t);
    add_ensemble_ops(t);
    add_ensemble_bandit_ops(t);
#ifndef FLK_OPS_SCORE
    add_gate_decide_ops(t);  // links the policy router and CEL (+27 KB gzip), so the score variant leaves it out
    add_hrs_training_ops(t);
    add_hrs_score_eval_ops(t);
    add_ensemble_training_ops(t);
    add_compliance_ops(t);
    add_cost_ops(t);
    add_anomaly_ops(t);
    add_policy_ops(t);
    add_policy_cel_ops(t);
    add_canary_ops(t);
#endif
#endif
    std::sort(t.begin(), t.end(), [](const OpSpec& a, const OpSpec& b) { return std::string_view(a.name) < b.name; });
    return t;
  }();
  return table;
}

const std::vector<TypeSpec>& type_table() {
  static const std::vector<TypeSpec> table = [] {
    std::vector<TypeSpec> t;
    add_pcs_types(t);
    add_pii_types(t);
#ifndef FLK_OPS_VERIFY_ONLY
    add_policy_types(t);
#endif
    std::sort(t.begin(), t.end(), [](const TypeSpec& a, const TypeSpec& b) { return std::string_view(a.name) < b.name; });
    return t;
  }();
  return table;
}

namespace {
// A table name against n in string_view order (bytes as unsigned), without its strlen: in the wasm
// builds strlen and memcmp are calls, and were 3 % of a small call such as sha256 64 B.
int compare_name(const char* a, std::string_view n) {
  for (size_t i = 0;; ++i) {
    if (i == n.size()) return a[i] != '\0';
    if (a[i] == '\0') return -1;
    const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(n[i]);
    if (x != y) return x < y ? -1 : 1;
  }
}
}  // namespace

const OpSpec* find_op(std::string_view name) {
  const auto& t = op_table();
  auto it = std::lower_bound(t.begin(), t.end(), name,
                             [](const OpSpec& a, std::string_view n) { return compare_name(a.name, n) < 0; });
  return it != t.end() && compare_name(it->name, name) == 0 ? &*it : nullptr;
}

}  // namespace flk
