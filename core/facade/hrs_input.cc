#include "facade/hrs_input.h"

#include <cmath>

#include "hrs/wordnet.h"

namespace flk::hrs_io {
namespace {

Result<std::string_view> text(json::ObjectReader& r, std::string_view key, size_t max, bool required) {
  const json::Value* v = nullptr;
  if (required) {
    FLK_ASSIGN(v, r.required(key));
  } else {
    v = r.optional(key);
    if (!v) return std::string_view();
  }
  if (!v->is_string()) return json::wrong_type(r.path_of(key), "a string", *v);
  const std::string& s = v->as_string();
  if (s.size() > max)
    return make_error("too_large", r.path_of(key) + " is longer than " + std::to_string(max) + " bytes",
                      r.path_of(key));
  return std::string_view(s);
}

}  // namespace

Result<std::optional<hrs::Task>> read_task(json::ObjectReader& r) {
  return r.opt_choice<hrs::Task>("task", {{"qa", hrs::Task::Qa},
                                          {"rag", hrs::Task::Qa},
                                          {"dialogue", hrs::Task::Dialogue},
                                          {"summarization", hrs::Task::Summarization}});
}

Status read_request(json::ObjectReader& r, Request& out) {
  FLK_ASSIGN(out.input.answer, text(r, "answer", kMaxAnswerBytes, true));
  if (out.input.answer.empty()) return make_error("bad_length", "$.answer must not be empty", r.path_of("answer"));
  FLK_ASSIGN(out.input.question, text(r, "question", kMaxQuestionBytes, false));
  FLK_ASSIGN(out.input.context, text(r, "context", kMaxContextBytes, false));
  FLK_ASSIGN(auto task, read_task(r));
  if (task) out.input.task = *task;
  if (const json::Value* lp = r.optional("token_logprobs")) {
    FLK_ASSIGN(out.logprobs, json::read_numbers(*lp, r.path_of("token_logprobs"), kMaxLogprobs, {-1e4, 0}));
    out.input.token_logprobs = &out.logprobs;
  }
  if (const json::Value* e = r.optional("embeddings")) {
    std::string path = r.path_of("embeddings");
    FLK_ASSIGN(out.embeddings, json::read_matrix(*e, path, kMaxEmbeddingRows, kMaxEmbeddingCols));
    if (out.embeddings.empty() || out.embeddings[0].empty())
      return make_error("bad_length", path + " needs at least one row of at least one number", path);
    if (out.embeddings.size() * out.embeddings[0].size() > kMaxEmbeddingValues)
      return make_error("too_large", path + " holds more than " + std::to_string(kMaxEmbeddingValues) + " numbers",
                        path);
    for (const auto& row : out.embeddings)
      for (double v : row)
        if (!(std::fabs(v) <= 1e6))
          return make_error("out_of_range", path + " values must lie in [-1e6, 1e6]", path);
    out.input.embeddings = &out.embeddings;
  }
  return hrs::wordnet_ready();  // the features look words up in it
}

Result<std::vector<hrs::Example>> read_examples(const json::Value& v, std::string_view path) {
  if (!v.is_array()) return json::wrong_type(path, "an array", v);
  const auto& a = v.as_array();
  if (a.size() > kMaxExamples)
    return make_error("too_large", std::string(path) + " has more than " + std::to_string(kMaxExamples) + " examples",
                      std::string(path));
  std::vector<hrs::Example> out;
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    FLK_ASSIGN(auto r, json::ObjectReader::open(a[i], json::index_path(path, i)));
    hrs::Example e;
    FLK_ASSIGN(e.answer, text(r, "answer", kMaxAnswerBytes, true));
    FLK_ASSIGN(e.question, text(r, "question", kMaxQuestionBytes, false));
    FLK_ASSIGN(e.context, text(r, "context", kMaxContextBytes, false));
    FLK_ASSIGN(e.source, text(r, "source", 256, false));
    if (e.source.empty()) e.source = "data";
    FLK_ASSIGN(std::string_view id, text(r, "id", 1024, false));
    (void)id;
    FLK_ASSIGN(auto task, read_task(r));
    if (task) e.task = *task;
    FLK_ASSIGN(int64_t label, r.integer("label", 0, 1));
    e.label = static_cast<int>(label);
    FLK_TRY(r.finish());
    out.push_back(e);
  }
  FLK_TRY(hrs::wordnet_ready());  // their features look words up in it
  return out;
}

}  // namespace flk::hrs_io
