// Label and field selectors as the kube-apiserver parses them from `labelSelector=` and `fieldSelector=`.
//
// Label selectors: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k` (exists), `!k`, comma-joined.
// Field selectors: `path=v`, `path==v`, `path!=v`, comma-joined, where path is a dotted JSON path such as
// metadata.name, metadata.namespace, status.phase or spec.nodeName. Parse errors name the offending term.
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/status.hpp"

namespace kactor::sim {

/// One parsed requirement.
struct selector_term {
  enum class op { equals, not_equals, in, not_in, exists, not_exists };
  std::string key;
  op operation = op::equals;
  std::vector<std::string> values;
};

/// A conjunction of terms; empty matches everything.
using selector = std::vector<selector_term>;

/// Parses a label selector; invalid with the bad term otherwise.
model::result<selector> parse_label_selector(const std::string& text);

/// Parses a field selector (only =, ==, !=).
model::result<selector> parse_field_selector(const std::string& text);

/// True when the object's metadata.labels satisfy every term.
bool matches_labels(const selector& s, const nlohmann::json& object);

/// True when the object's fields satisfy every term (missing fields compare as "").
bool matches_fields(const selector& s, const nlohmann::json& object);

} // namespace kactor::sim
