// A YAML 1.2 subset reader for documents people write by hand (policy files): one document of
// block and flow collections and plain, quoted and block scalars, read into the same json::Value
// as the JSON parser. Scalars resolve by the JSON-compatible core schema (null, booleans, ints,
// finite floats, strings); keys are strings. Anchors, aliases, tags, merge keys, complex keys,
// directives and a second document are refused, so a document means one tree, never an
// expansion (docs/policy.md, "YAML").
#pragma once
#include <string>
#include <string_view>

#include "json/parse.h"
#include "json/value.h"
#include "util/result.h"

namespace flk::yaml {

// Errors: bad_yaml (syntax, encoding, refused constructs, non-finite numbers), duplicate_key,
// too_deep, too_large (the same bounds as JSON input). Messages start with "line:column: ";
// the error's path is the JSON path reached ("$.spec.bands[2]").
Result<json::Value> parse(std::string_view text, const json::ParseLimits& limits = {});

// Where the entry at `path` (a JSON path into the document, as errors name them) sits in the
// text, as "line:column": its key, or its '-' in a sequence; when the path goes on past what the
// text holds (a missing key), the deepest entry on it. Empty when the text does not read.
std::string locate(std::string_view text, const std::string& path);

// A file's text by its name: YAML when the name ends in .yaml or .yml, JSON otherwise.
bool is_yaml_name(std::string_view name);
Result<json::Value> parse_by_name(std::string_view name, std::string_view text);

}  // namespace flk::yaml
