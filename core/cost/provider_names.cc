#include "cost/provider_names.h"

#include <utility>

namespace flk::cost {

std::string canonical_provider(const std::string& name) {
  static const std::pair<const char*, const char*> kSynonyms[] = {
      {"az.ai.openai", "azure.ai.openai"}, {"azure", "azure.ai.openai"},  {"az.ai.inference", "azure.ai.inference"},
      {"vertex_ai", "gcp.vertex_ai"},      {"gemini", "gcp.gemini"},      {"aws_bedrock", "aws.bedrock"},
      {"bedrock", "aws.bedrock"},          {"xai", "x_ai"},               {"mistral", "mistral_ai"},
      {"mistralai", "mistral_ai"},         {"watsonx", "ibm.watsonx.ai"},
  };
  for (const auto& s : kSynonyms)
    if (name == s.first) return s.second;
  return name;
}

}  // namespace flk::cost
