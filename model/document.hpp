// Documents: turning YAML or JSON text into JSON values, and JSON values back into YAML.
//
// load_documents accepts multi-document YAML (`---` separated), a single JSON value, and expands
// `kind: List` documents into their items. Plain YAML scalars are resolved with the YAML 1.2 core schema
// (true/false, null/~, integers, floats); quoted scalars stay strings. Syntax errors come back as a
// parse_error status naming the source, line and column (1-based). Empty documents are skipped.
//
// to_yaml writes a JSON value as block YAML, quoting every string that a YAML reader would otherwise take
// for a number, boolean or null, so the output loads back to the same JSON.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/status.hpp"

namespace kactor::model {

using json = nlohmann::json;

/// Parses YAML or JSON text; `source` names it in error messages ("sample.yaml", "<stdin>").
result<std::vector<json>> load_documents(std::string_view text, std::string_view source = "<input>");

/// Block-style YAML for one value (no leading `---`).
std::string to_yaml(const json& value);

/// Several values as a multi-document YAML stream, each introduced by `---`.
std::string to_yaml_stream(const std::vector<json>& values);

} // namespace kactor::model
