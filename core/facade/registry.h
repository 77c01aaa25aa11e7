// The table of public operations. Each area of the core adds its ops in a file
// facade/ops_<area>.cc; the same table answers the `ops` op, drives the generated
// TypeScript types (js/ops.d.ts) and the op reference (docs/ops.md).
#pragma once
#include <string>
#include <vector>

#include "json/value.h"
#include "util/result.h"

namespace flk {

class Engine;

using OpHandler = Result<json::Value> (*)(Engine& engine, const json::Value& input);

// FLK_OPS_WITHOUT_TEXT (the lean browser variants, CMakeLists.txt): the summaries and TypeScript
// types, which only the `ops` op reports, are left out of the download; `ops` gives them as "".
struct OpSpec {
  const char* name;      // "area.verb", e.g. "crypto.sha256"
  const char* summary;   // one line
  const char* input_ts;  // TypeScript type of the input object
  const char* output_ts; // TypeScript type of the result object
  OpHandler handler;
#ifdef FLK_OPS_WITHOUT_TEXT
  [[gnu::always_inline]] constexpr OpSpec(const char* n, const char*, const char*, const char*, OpHandler h)
      : name(n), summary(""), input_ts(""), output_ts(""), handler(h) {}
#endif
};

// A named TypeScript type that op signatures refer to (emitted into js/ops.d.ts).
struct TypeSpec {
  const char* name;
  const char* ts;
#ifdef FLK_OPS_WITHOUT_TEXT
  [[gnu::always_inline]] constexpr TypeSpec(const char* n, const char*) : name(n), ts("") {}
#endif
};

// All ops, sorted by name; all named types, sorted by name.
const std::vector<OpSpec>& op_table();
const OpSpec* find_op(std::string_view name);
const std::vector<TypeSpec>& type_table();

// Per-area contributions, defined in facade/ops_*.cc.
void add_meta_ops(std::vector<OpSpec>& t);
void add_crypto_ops(std::vector<OpSpec>& t);
void add_math_ops(std::vector<OpSpec>& t);
void add_signals_ops(std::vector<OpSpec>& t);
void add_pcs_ops(std::vector<OpSpec>& t);
void add_pcs_types(std::vector<TypeSpec>& t);
void add_routing_ops(std::vector<OpSpec>& t);
void add_audit_ops(std::vector<OpSpec>& t);
void add_gate_ops(std::vector<OpSpec>& t);
void add_gate_decide_ops(std::vector<OpSpec>& t);
void add_gate_seal_ops(std::vector<OpSpec>& t);  // gate.seal_decision, gate.check_decision: every variant
void add_cost_ops(std::vector<OpSpec>& t);
void add_anomaly_ops(std::vector<OpSpec>& t);
void add_hrs_ops(std::vector<OpSpec>& t);
void add_ensemble_ops(std::vector<OpSpec>& t);
void add_ensemble_bandit_ops(std::vector<OpSpec>& t);
// hrs.train, hrs.eval and ensemble.eval: fitting and measuring, not in the "score" variant.
void add_hrs_training_ops(std::vector<OpSpec>& t);
// hrs.eval_scores: metrics and drift over scores a host stored with their labels.
void add_hrs_score_eval_ops(std::vector<OpSpec>& t);
void add_ensemble_training_ops(std::vector<OpSpec>& t);
void add_pii_ops(std::vector<OpSpec>& t);
void add_compliance_ops(std::vector<OpSpec>& t);
void add_pii_types(std::vector<TypeSpec>& t);
void add_policy_ops(std::vector<OpSpec>& t);
void add_policy_cel_ops(std::vector<OpSpec>& t);
void add_policy_types(std::vector<TypeSpec>& t);
void add_canary_ops(std::vector<OpSpec>& t);

}  // namespace flk
