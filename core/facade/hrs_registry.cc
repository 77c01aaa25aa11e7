#include "facade/hrs_registry.h"

#include "json/parse.h"
#ifdef FLK_HRS_MODEL_EXTERNAL
#include "util/given_text.h"
#else
#include "util/gunzip.h"
#endif

namespace flk::hrs_io {
namespace {

#ifndef FLK_HRS_MODEL_EXTERNAL
// Generated at build time from core/hrs/default_model.json (cmake/embed_gzip.cmake).
#include "hrs_default_model.inc"
#endif

constexpr size_t kMaxDefaultModelBytes = 64u << 20;

#ifdef FLK_HRS_MODEL_EXTERNAL
constexpr const char* kBadDefault = "model_unavailable";  // a file given at run time

// The browser build ships the same gzip bytes as a file; the loader inflates it and hands over the
// JSON text (js/default-model.mjs, js/start-wasm.mjs).
Result<std::string> default_model_text(Registry& r) {
  if (r.default_file.empty())
    return make_error(kBadDefault, "the default HRS model is not loaded: " +
                                       (r.unavailable.empty() ? std::string("no model file was given") : r.unavailable));
  auto text = given_text(r.default_file, kMaxDefaultModelBytes);
  if (!text.ok()) return make_error(kBadDefault, "the default HRS model file: " + text.error().message);
  return text;
}
#else
constexpr const char* kBadDefault = "internal";  // the build's own bytes

Result<std::string> default_model_text(Registry&) {
  auto text = gunzip(kDefaultModelGz, sizeof(kDefaultModelGz), kMaxDefaultModelBytes);
  if (!text.ok()) return make_error("internal", "the embedded default model: " + text.error().message);
  return text;
}
#endif

}  // namespace

Registry& registry(Engine& e) { return e.area_state<Registry>("hrs"); }

std::shared_ptr<const LoadedModel> add_model(Engine& e, LoadedModel m) {
  Registry& r = registry(e);
  auto it = r.models.find(m.id);
  if (it != r.models.end()) return it->second;
  auto p = std::make_shared<const LoadedModel>(std::move(m));
  r.models[p->id] = p;
  return p;
}

Result<std::shared_ptr<const LoadedModel>> default_model(Engine& e) {
  Registry& r = registry(e);
  if (!r.default_id.empty()) return r.models.at(r.default_id);
  FLK_ASSIGN(std::string text, default_model_text(r));
  auto parsed = json::parse(text);
  if (!parsed.ok()) return make_error(kBadDefault, "the default model is not valid JSON");
  auto loaded = load_model(parsed.value(), "$default_model", /*verify_id=*/false);
  if (!loaded.ok()) return make_error(kBadDefault, "the default model is invalid: " + loaded.error().message);
  auto p = add_model(e, std::move(loaded.value()));
  r.default_id = p->id;
#ifdef FLK_HRS_MODEL_EXTERNAL
  std::string().swap(r.default_file);
#endif
  return p;
}

#ifdef FLK_HRS_MODEL_EXTERNAL
void provide_default_model(Engine& e, std::string file, std::string unavailable) {
  Registry& r = registry(e);
  r.default_file = std::move(file);
  r.unavailable = std::move(unavailable);
}
#endif

Result<std::shared_ptr<const LoadedModel>> find_model(Engine& e, const std::string& id, const std::string& path) {
  FLK_TRY(default_model(e));
  Registry& r = registry(e);
  auto it = r.models.find(id);
  if (it == r.models.end())
    return make_error("not_found", path + ": no model with id \"" + id + "\" is loaded (hrs.model_load)", path);
  return it->second;
}

}  // namespace flk::hrs_io
