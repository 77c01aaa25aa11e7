#include "facade/ensemble_params.h"

#include <algorithm>

#include "crypto/hash.h"
#include "facade/hrs_model_json.h"
#include "json/fields.h"
#include "json/parse.h"
#include "json/write.h"

namespace flk::ensemble_io {
namespace {

constexpr size_t kMaxVoters = 32;

}  // namespace

json::Value params_json(const ensemble::Learned& p) {
  json::Value micro = hrs_io::linear_json(p.voters.micro);
  json::Value names = json::Value::array();
  for (int k = 0; k < ensemble::kMicroFeatures; ++k) names.push(ensemble::micro_feature_name(k));
  micro.set("features", std::move(names));
  json::Value stacker = hrs_io::linear_json(p.stacker.model);
  json::Value voters = json::Value::array();
  for (const auto& v : p.stacker.voters) voters.push(v);
  stacker.set("voters", std::move(voters));
  json::Value o = json::Value::object();
  o.set("format", kParamsFormat).set("micro_vote", std::move(micro));
  o.set("citation_threshold", p.voters.citation_threshold).set("stacker", std::move(stacker));
  return o;
}

Result<ensemble::Learned> read_params(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto r, json::ObjectReader::open(v, path));
  FLK_ASSIGN(std::string format, r.string("format", 64));
  if (format != kParamsFormat)
    return make_error("unsupported", r.path_of("format") + " must be " + kParamsFormat, r.path_of("format"));
  ensemble::Learned p;
  FLK_ASSIGN(const json::Value* micro, r.required("micro_vote"));
  {
    json::Value m = *micro;
    FLK_ASSIGN(auto mr, json::ObjectReader::open(*micro, r.path_of("micro_vote")));
    FLK_ASSIGN(const json::Value* names, mr.required("features"));
    bool same = names->is_array() && names->as_array().size() == ensemble::kMicroFeatures;
    for (int k = 0; same && k < ensemble::kMicroFeatures; ++k)
      same = names->as_array()[k].is_string() && names->as_array()[k].as_string() == ensemble::micro_feature_name(k);
    if (!same)
      return make_error("unsupported", mr.path_of("features") + " are not this build's micro-vote features", mr.path_of("features"));
    m.as_object().erase(std::remove_if(m.as_object().begin(), m.as_object().end(),
                                       [](const auto& kv) { return kv.first == "features"; }),
                        m.as_object().end());
    FLK_ASSIGN(p.voters.micro, hrs_io::read_linear(m, r.path_of("micro_vote"), ensemble::kMicroFeatures));
  }
  FLK_ASSIGN(p.voters.citation_threshold, r.number("citation_threshold", {0, 1}));
  FLK_ASSIGN(const json::Value* st, r.required("stacker"));
  {
    json::Value s = *st;
    FLK_ASSIGN(auto sr, json::ObjectReader::open(*st, r.path_of("stacker")));
    FLK_ASSIGN(const json::Value* voters, sr.required("voters"));
    if (!voters->is_array() || voters->as_array().size() > kMaxVoters)
      return make_error("bad_length", sr.path_of("voters") + " must list at most 32 voters", sr.path_of("voters"));
    for (size_t i = 0; i < voters->as_array().size(); ++i) {
      FLK_ASSIGN(std::string name, json::read_string(voters->as_array()[i], json::index_path(sr.path_of("voters"), i), 64));
      p.stacker.voters.push_back(name);
    }
    s.as_object().erase(std::remove_if(s.as_object().begin(), s.as_object().end(),
                                       [](const auto& kv) { return kv.first == "voters"; }),
                        s.as_object().end());
    FLK_ASSIGN(p.stacker.model, hrs_io::read_linear(s, r.path_of("stacker"), 2 * p.stacker.voters.size()));
  }
  FLK_TRY(r.finish());
  return p;
}

const DefaultParams& default_params() {
  static const DefaultParams d = [] {
    static const char kText[] =
#include "facade/ensemble_default_params.inc"
        ;
    DefaultParams out;
    auto v = json::parse(kText);
    auto p = read_params(v.value(), "$");
    out.learned = std::move(p.value());
    out.id = crypto::sha256_hex(json::to_string(v.value()));
    return out;
  }();
  return d;
}

}  // namespace flk::ensemble_io
