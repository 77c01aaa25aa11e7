#include "facade/ensemble_input.h"

#include <algorithm>

#include "facade/hrs_input.h"
#include "facade/pcs_inputs.h"
#include "hrs/wordnet.h"
#include "pcs/document.h"

namespace flk::ensemble_io {

const char* const kVoterNames[6] = {"pcs_recompute", "risk",       "grounding",
                                    "citation_overlap", "micro_vote", "self_consistency"};

namespace {

using json::ObjectReader;

Result<std::string_view> text(const json::Value& v, const std::string& path, size_t max) {
  if (!v.is_string()) return json::wrong_type(path, "a string", v);
  const std::string& s = v.as_string();
  if (s.size() > max)
    return make_error("too_large", path + " is longer than " + std::to_string(max) + " bytes", path);
  return std::string_view(s);
}

Result<std::string_view> opt_text(ObjectReader& r, std::string_view key, size_t max) {
  const json::Value* v = r.optional(key);
  if (!v) return std::string_view();
  return text(*v, r.path_of(key), max);
}

// [begin, end] byte offsets inside a text of `size` bytes.
Status read_range(const json::Value* v, const std::string& path, size_t size, uint32_t& b, uint32_t& e) {
  FLK_ASSIGN(auto xs, json::read_ints(*v, path, 2, 0, INT64_MAX));
  if (xs.size() != 2) return make_error("bad_length", path + " must be [begin, end]", path);
  if (xs[0] > xs[1]) return make_error("out_of_range", path + ": begin is after end", path);
  if (static_cast<uint64_t>(xs[1]) > size)
    return make_error("out_of_range", path + " points outside its text (" + std::to_string(size) + " bytes)", path);
  b = static_cast<uint32_t>(xs[0]);
  e = static_cast<uint32_t>(xs[1]);
  return Ok{};
}

Status read_citations(const json::Value& v, const std::string& path, ensemble::Request& out) {
  if (!v.is_array()) return json::wrong_type(path, "an array", v);
  const auto& a = v.as_array();
  if (a.size() > kMaxCitations)
    return make_error("too_large", path + " has more than " + std::to_string(kMaxCitations) + " citations", path);
  uint64_t bytes = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    FLK_ASSIGN(auto c, ObjectReader::open(a[i], json::index_path(path, i)));
    ensemble::Citation cit;
    FLK_ASSIGN(const json::Value* ans, c.required("answer"));
    FLK_TRY(read_range(ans, c.path_of("answer"), out.answer.size(), cit.answer_begin, cit.answer_end));
    FLK_ASSIGN(const json::Value* src, c.required("source"));
    if (out.context.empty())
      return make_error("out_of_range", c.path_of("source") + " cites a passage but no context is given", c.path_of("source"));
    FLK_TRY(read_range(src, c.path_of("source"), out.context.size(), cit.source_begin, cit.source_end));
    FLK_TRY(c.finish());
    bytes += (cit.answer_end - cit.answer_begin) + (cit.source_end - cit.source_begin);
    out.citations.push_back(cit);
  }
  if (bytes > kMaxCitedBytes)
    return make_error("too_large", path + " cites more than " + std::to_string(kMaxCitedBytes) + " bytes in all", path);
  return Ok{};
}

Result<ensemble::VoteStatus> parse_status(std::string_view s, const std::string& path, bool allow_ok) {
  if (allow_ok && s == "ok") return ensemble::VoteStatus::kOk;
  if (s == "timeout") return ensemble::VoteStatus::kTimeout;
  if (s == "error") return ensemble::VoteStatus::kError;
  return make_error("out_of_range", path + (allow_ok ? " must be ok, timeout or error" : " must be timeout or error"), path);
}

Status read_host_votes(const json::Value& v, const std::string& path, ensemble::Request& out) {
  if (!v.is_array()) return json::wrong_type(path, "an array", v);
  const auto& a = v.as_array();
  if (a.size() > kMaxHostVotes)
    return make_error("too_large", path + " has more than " + std::to_string(kMaxHostVotes) + " votes", path);
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string p = json::index_path(path, i);
    FLK_ASSIGN(ensemble::HostVote hv, read_host_vote(a[i], p));
    for (const auto& o : out.host_votes)
      if (o.name == hv.name) return make_error("duplicate_key", "host vote " + hv.name + " is given twice", p + ".name");
    out.host_votes.push_back(std::move(hv));
  }
  return Ok{};
}

Result<ensemble::FailMode> read_mode(ObjectReader& r, std::string_view key, ensemble::FailMode def) {
  using ensemble::FailMode;
  FLK_ASSIGN(auto mode, r.opt_choice<FailMode>(key, {{"fail_open", FailMode::kFailOpen},
                                                     {"fail_closed", FailMode::kFailClosed},
                                                     {"degrade", FailMode::kDegrade}}));
  return mode.value_or(def);
}

bool known_voter(const std::string& name, bool allow_host) {
  if (allow_host && name == "host") return true;
  return std::any_of(std::begin(kVoterNames), std::end(kVoterNames), [&](const char* v) { return name == v; });
}

Status check_voter_key(const std::string& name, const std::string& path) {
  if (known_voter(name, true)) return Ok{};
  return make_error("unknown_field", path + ": no voter is called " + name, path);
}

}  // namespace

bool safe_name(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  });
}

Result<ensemble::HostVote> read_host_vote(const json::Value& v, const std::string& path) {
  FLK_ASSIGN(auto h, ObjectReader::open(v, path));
  ensemble::HostVote hv;
  FLK_ASSIGN(hv.name, h.string("name", 64));
  if (!safe_name(hv.name))
    return make_error("bad_format", h.path_of("name") + " must be 1 to 64 characters from a-z 0-9 _ - .", h.path_of("name"));
  FLK_ASSIGN(auto status, h.opt_string("status", 16));
  if (status) {
    FLK_ASSIGN(hv.status, parse_status(*status, h.path_of("status"), true));
  }
  FLK_ASSIGN(auto score, h.opt_number("score", {0, 1}));
  if (hv.status == ensemble::VoteStatus::kOk && !score)
    return make_error("missing_field", h.path_of("score") + " is required when the status is ok", h.path_of("score"));
  hv.score = score.value_or(0);
  FLK_ASSIGN(int64_t latency, h.integer("latency_us", 0, int64_t{1} << 40));
  hv.latency_us = static_cast<uint64_t>(latency);
  FLK_ASSIGN(auto timeout, h.opt_integer("timeout_us", 0, int64_t{1} << 40));
  if (timeout) hv.timeout_us = static_cast<uint64_t>(*timeout);
  FLK_ASSIGN(auto msg, h.opt_string("message", 1024));
  hv.message = msg.value_or("");
  FLK_TRY(h.finish());
  return hv;
}

Status read_request(ObjectReader& r, ensemble::Request& out) {
  FLK_ASSIGN(const json::Value* a, r.required("answer"));
  FLK_ASSIGN(out.answer, text(*a, r.path_of("answer"), kMaxAnswerBytes));
  if (out.answer.empty()) return make_error("bad_length", "$.answer must not be empty", r.path_of("answer"));
  FLK_ASSIGN(out.question, opt_text(r, "question", kMaxQuestionBytes));
  FLK_ASSIGN(out.context, opt_text(r, "context", kMaxContextBytes));
  FLK_ASSIGN(auto task, hrs_io::read_task(r));
  if (task) out.task = *task;
  if (const json::Value* c = r.optional("citations")) FLK_TRY(read_citations(*c, r.path_of("citations"), out));
  if (const json::Value* s = r.optional("samples")) {
    std::string path = r.path_of("samples");
    if (!s->is_array()) return json::wrong_type(path, "an array", *s);
    if (s->as_array().size() > kMaxSamples)
      return make_error("too_large", path + " has more than " + std::to_string(kMaxSamples) + " samples", path);
    for (size_t i = 0; i < s->as_array().size(); ++i) {
      FLK_ASSIGN(std::string_view t, text(s->as_array()[i], json::index_path(path, i), kMaxSampleBytes));
      out.samples.push_back(t);
    }
  }
  if (const json::Value* p = r.optional("pcs")) {
    FLK_ASSIGN(pcs::Document d, pcs::read_document(*p, r.path_of("pcs")));
    out.pcs = std::move(d);
  }
  if (r.optional("pcs_params")) {
    if (!out.pcs) return make_error("conflicting_fields", "pcs_params given without a pcs", r.path_of("pcs_params"));
  }
  FLK_ASSIGN(out.pcs_params, read_verify_params(r, "pcs_params"));
  if (const json::Value* h = r.optional("host_votes")) FLK_TRY(read_host_votes(*h, r.path_of("host_votes"), out));
  return hrs::wordnet_ready();  // the voters' features look words up in it
}

Result<Clock> read_clock(ObjectReader& r) {
  FLK_ASSIGN(auto c, r.opt_string("clock", 16));
  if (!c || *c == "modeled") return Clock::kModeled;
  if (*c == "measured") return Clock::kMeasured;
  return make_error("out_of_range", r.path_of("clock") + " must be modeled or measured", r.path_of("clock"));
}

Result<Settings> read_settings(ObjectReader& outer) {
  const json::Value* v = outer.optional("policy");
  if (!v) return read_policy(json::Value::object(), outer.path_of("policy"));
  return read_policy(*v, outer.path_of("policy"));
}

Result<Settings> read_policy(const json::Value& v, const std::string& path) {
  Settings s;
  s.voters = {"risk", "grounding", "micro_vote"};
  FLK_ASSIGN(auto r, ObjectReader::open(v, path));
  FLK_ASSIGN(auto method, r.opt_string("method", 16));
  if (method) {
    if (*method == "stacker") s.policy.method = ensemble::Method::kStacker;
    else if (*method != "n_of_m")
      return make_error("out_of_range", r.path_of("method") + " must be n_of_m or stacker", r.path_of("method"));
  }
  if (const json::Value* list = r.optional("voters")) {
    std::string path = r.path_of("voters");
    if (!list->is_array()) return json::wrong_type(path, "an array", *list);
    if (list->as_array().empty() || list->as_array().size() > 6)
      return make_error("bad_length", path + " must name 1 to 6 voters", path);
    s.voters.clear();
    for (size_t i = 0; i < list->as_array().size(); ++i) {
      std::string p = json::index_path(path, i);
      FLK_ASSIGN(std::string name, json::read_string(list->as_array()[i], p, 64));
      if (!known_voter(name, false)) return make_error("out_of_range", p + ": no voter is called " + name, p);
      if (std::find(s.voters.begin(), s.voters.end(), name) != s.voters.end())
        return make_error("duplicate_key", p + ": " + name + " is listed twice", p);
      s.voters.push_back(name);
    }
    // Run in the fixed order, whatever order the policy lists them in.
    std::vector<std::string> ordered;
    for (const char* n : kVoterNames)
      if (std::find(s.voters.begin(), s.voters.end(), n) != s.voters.end()) ordered.push_back(n);
    s.voters = std::move(ordered);
  }
  FLK_ASSIGN(auto n, r.opt_integer("n", 1, 16));
  if (n) s.policy.n = static_cast<int>(*n);
  FLK_ASSIGN(s.policy.on_timeout, read_mode(r, "on_timeout", s.policy.on_timeout));
  FLK_ASSIGN(s.policy.on_error, read_mode(r, "on_error", s.policy.on_error));
  FLK_ASSIGN(auto accept_below, r.opt_number("accept_below", {0, 1}));
  FLK_ASSIGN(auto reject_at, r.opt_number("reject_at", {0, 1}));
  s.policy.accept_below = accept_below.value_or(s.policy.accept_below);
  s.policy.reject_at = reject_at.value_or(s.policy.reject_at);
  if (s.policy.accept_below > s.policy.reject_at)
    return make_error("out_of_range", r.path_of("accept_below") + " must not exceed reject_at", r.path_of("accept_below"));
  if (const json::Value* d = r.optional("deadline_us")) {
    FLK_ASSIGN(auto dr, ObjectReader::open(*d, r.path_of("deadline_us")));
    if (d->is_object())
      for (const auto& m : d->as_object()) {
        FLK_TRY(check_voter_key(m.first, dr.path_of(m.first)));
        FLK_ASSIGN(int64_t us, json::read_int(m.second, dr.path_of(m.first), 0, int64_t{1} << 40));
        s.deadline_us[m.first] = static_cast<uint64_t>(us);
      }
  }
  if (const json::Value* b = r.optional("bands")) {
    FLK_ASSIGN(auto br, ObjectReader::open(*b, r.path_of("bands")));
    for (const auto& m : b->as_object()) {
      FLK_TRY(check_voter_key(m.first, br.path_of(m.first)));
      FLK_ASSIGN(auto vr, ObjectReader::open(m.second, br.path_of(m.first)));
      ensemble::VoterBands bands;
      FLK_ASSIGN(auto pass, vr.opt_number("pass_below", {0, 1}));
      FLK_ASSIGN(auto flag, vr.opt_number("flag_at", {0, 1}));
      FLK_TRY(vr.finish());
      bands.pass_below = pass.value_or(bands.pass_below);
      bands.flag_at = flag.value_or(bands.flag_at);
      if (bands.pass_below > bands.flag_at)
        return make_error("out_of_range", vr.path_of("pass_below") + " must not exceed flag_at", vr.path_of("pass_below"));
      s.policy.bands[m.first] = bands;
    }
  }
  if (const json::Value* inj = r.optional("inject")) {
    FLK_ASSIGN(auto ir, ObjectReader::open(*inj, r.path_of("inject")));
    for (const auto& m : inj->as_object()) {
      FLK_TRY(check_voter_key(m.first, ir.path_of(m.first)));
      FLK_ASSIGN(std::string what, json::read_string(m.second, ir.path_of(m.first), 16));
      FLK_ASSIGN(s.inject[m.first], parse_status(what, ir.path_of(m.first), false));
    }
  }
  FLK_ASSIGN(s.clock, read_clock(r));
  FLK_ASSIGN(auto cascade, r.opt_boolean("cascade"));
  s.cascade = cascade.value_or(false);
  if (s.cascade && s.policy.method != ensemble::Method::kNofM)
    return make_error("conflicting_fields", r.path_of("cascade") + " needs method n_of_m (the stacker reads every voter)",
                      r.path_of("cascade"));
  FLK_TRY(r.finish());
  return s;
}

}  // namespace flk::ensemble_io
