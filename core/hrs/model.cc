#include "hrs/model.h"

#include "hrs/interval.h"
#include "hrs/lexical.h"
#include "math/dmath.h"

namespace flk::hrs {

const char* kind_name(ModelKind k) { return k == ModelKind::Logistic ? "logistic" : "gbt"; }

const char* model_feature_name(int f) { return f == kLexicalFeature ? "lexical_logit" : feature_info(f).name; }

double lexical_logit(const Model& m, const Features& f, const std::vector<Token>& answer_tokens) {
  return lexical_buckets_logit(m.lexical, answer_tokens, m.lexical_bits, lexical_regime(f.x.data()), Words::Content);
}

ModelRow model_row(const Features& f, double lex) {
  ModelRow r;
  for (int k = 0; k < kNumFeatures; ++k) r[k] = f.x[k];
  r[kLexicalFeature] = lex;
  return r;
}

double member_logit(const Model& m, size_t member, const double* x) {
  return m.kind == ModelKind::Logistic ? linear_logit(m.linear[member], x) : gbt_logit(m.gbt[member], x);
}

Score score_row(const Model& m, const ModelRow& x) {
  const size_t b = m.members();
  double z[64];
  double sum = 0;
  for (size_t k = 0; k < b; ++k) {
    z[k] = member_logit(m, k, x.data());
    sum += z[k];
  }
  Score s;
  s.logit = sum / b;
  if (b > 1) {
    double ss = 0;
    for (size_t k = 0; k < b; ++k) ss += (z[k] - s.logit) * (z[k] - s.logit);
    s.spread = dm::sqrt(ss / (b - 1));
  }
  const Calibrator& cal = calibrator_for(m.calibrator, m.regime_calibrators, lexical_regime(x.data()));
  s.probability = calibrate(cal, s.logit);
  double h = interval_half_width(s.spread, m.grounding_sd[x[kHasContext] > 0]);
  s.low = calibrate(cal, s.logit - h);
  s.high = calibrate(cal, s.logit + h);
  return s;
}

Explanation explain_row(const Model& m, const ModelRow& x) {
  Explanation e;
  const size_t b = m.members();
  for (size_t k = 0; k < b; ++k) {
    std::array<double, kModelFeatures> phi{};
    double ref;
    if (m.kind == ModelKind::Logistic) {
      linear_logit(m.linear[k], x.data(), phi.data());
      ref = m.linear[k].bias;
    } else {
      ref = gbt_shap(m.gbt[k], x.data(), phi.data());
    }
    for (int f = 0; f < kModelFeatures; ++f) e.phi[f] += phi[f];
    e.reference += ref;
  }
  for (int f = 0; f < kModelFeatures; ++f) e.phi[f] /= b;
  e.reference /= b;
  return e;
}

}  // namespace flk::hrs
