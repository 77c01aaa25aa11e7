// Provider names are OpenTelemetry gen_ai.provider.name values ("openai", "anthropic",
// "aws.bedrock", "gcp.gemini", "gcp.vertex_ai", "azure.ai.openai", "x_ai", "mistral_ai", …).
// Older gen_ai.system spellings and common short forms are mapped to them.
#pragma once
#include <string>

namespace flk::cost {

std::string canonical_provider(const std::string& name);

}  // namespace flk::cost
