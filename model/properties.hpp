// Java .properties text (server.properties, readOnlyConfig, clusterWideConfig): parsing and rendering.
//
// parse_properties follows java.util.Properties.load for the forms Kafka users write: `key=value`,
// `key: value`, `key value`, `#` and `!` comments, blank lines, backslash line continuations and the
// escapes \t \n \r \\ \= \: \uXXXX. A later duplicate key wins, as in Java. A line without a key, or a
// malformed \u escape, is an error naming the line (1-based).
// render_properties writes `key=value` lines sorted by key, escaping what Java would misread, so equal maps
// render to equal bytes.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "model/status.hpp"

namespace kactor::model {

/// Keys to values, sorted by key.
using properties = std::map<std::string, std::string>;

/// Parses properties text; on failure an invalid status "line N: ...".
result<properties> parse_properties(std::string_view text);

/// `key=value\n` for each entry, sorted by key.
std::string render_properties(const properties& props);

/// `base` with every entry of `over` written over it.
properties merge_properties(properties base, const properties& over);

} // namespace kactor::model
