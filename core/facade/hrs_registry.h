// The HRS models an Engine knows: the default model (trained on all of the shared data, parsed on
// first use), models loaded by hrs.model_load (kept by their SHA-256 id), and an optional A/B
// experiment between two of them.
#pragma once
#include <map>
#include <memory>
#include <string>

#include "facade/engine.h"
#include "facade/hrs_model_json.h"

namespace flk::hrs_io {

struct Experiment {
  std::string control, treatment;
  double traffic_split = 0;
};

struct Registry : AreaState {
  std::map<std::string, std::shared_ptr<const LoadedModel>> models;
  std::string default_id;  // empty until the default model is parsed
  std::unique_ptr<Experiment> experiment;
#ifdef FLK_HRS_MODEL_EXTERNAL
  std::string default_file;  // the model file's JSON text until first use
  std::string unavailable;   // why the loader could not give them
#endif
};

Registry& registry(Engine& e);

// The default model (parsed and registered on first call): embedded in the build, or, with
// FLK_HRS_MODEL_EXTERNAL (the browser build), given as the model file's bytes by the loader.
// Without them the ops that need it answer model_unavailable with the loader's reason.
Result<std::shared_ptr<const LoadedModel>> default_model(Engine& e);
Result<std::shared_ptr<const LoadedModel>> find_model(Engine& e, const std::string& id, const std::string& path);
std::shared_ptr<const LoadedModel> add_model(Engine& e, LoadedModel m);
#ifdef FLK_HRS_MODEL_EXTERNAL
void provide_default_model(Engine& e, std::string file, std::string unavailable);
#endif

}  // namespace flk::hrs_io
