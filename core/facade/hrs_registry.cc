#include "facade/hrs_registry.h"

#include "json/parse.h"
#include "util/gunzip.h"

namespace flk::hrs_io {
namespace {

// Generated at build time from core/hrs/default_model.json (cmake/embed_gzip.cmake).
#include "hrs_default_model.inc"

constexpr size_t kMaxDefaultModelBytes = 64u << 20;

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
  auto text = gunzip(kDefaultModelGz, sizeof(kDefaultModelGz), kMaxDefaultModelBytes);
  if (!text.ok()) return make_error("internal", "the embedded default model: " + text.error().message);
  auto parsed = json::parse(text.value());
  if (!parsed.ok()) return make_error("internal", "the embedded default model is not valid JSON");
  auto loaded = load_model(parsed.value(), "$default_model", /*verify_id=*/false);
  if (!loaded.ok()) return make_error("internal", "the embedded default model is invalid: " + loaded.error().message);
  auto p = add_model(e, std::move(loaded.value()));
  r.default_id = p->id;
  return p;
}

Result<std::shared_ptr<const LoadedModel>> find_model(Engine& e, const std::string& id, const std::string& path) {
  FLK_TRY(default_model(e));
  Registry& r = registry(e);
  auto it = r.models.find(id);
  if (it == r.models.end())
    return make_error("not_found", path + ": no model with id \"" + id + "\" is loaded (hrs.model_load)", path);
  return it->second;
}

}  // namespace flk::hrs_io
