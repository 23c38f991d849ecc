// Query strings of request targets ("a=1&b=x%2Fy"): percent-decoding and splitting into parameters, as
// Go's url.ParseQuery and Java's servlet containers read them ('+' is a space). Never fails: a malformed
// escape is kept as written; a key without '=' maps to "". Pure std, no Beast; safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace kactor::integrations::http {

std::string percent_decode(std::string_view s);

/// "k=v&k2=v2" (no leading '?') → {k: v, k2: v2}, keys and values decoded; a repeated key keeps the last.
std::map<std::string, std::string> parse_query(std::string_view query);

} // namespace kactor::integrations::http
