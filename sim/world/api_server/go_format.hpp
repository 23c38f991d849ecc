// Go's fmt spellings of JSON values, so that the simulated API server's messages read byte for byte like
// kube-apiserver's: strconv.Quote (%q), %v of a float64, %#v of decoded JSON (map[string]interface {}{...}),
// json.Marshal of a value, and field.Error's way of printing a bad value.
//
// Values are JSON as kube-apiserver decodes it: an integer that fits int64 is an int64, every other number a
// float64. Pure; safe from any thread.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace kactor::sim {

/// strconv.Quote: "..." with Go's escapes (UTF-8 text is kept as is).
std::string go_quote(const std::string& s);

/// fmt's %v of a float64: shortest digits, exponent form (1e+06) from 1e6 on and below 1e-4.
std::string go_float(double v);

/// Go's int64(f) on amd64: truncation, and the "integer indefinite" value (minimum int64) for NaN and
/// anything out of range (a plain C++ cast would be undefined there).
int64_t go_int64(double f);

/// True for numbers kube-apiserver decodes as int64.
bool is_go_int(const nlohmann::json& v);

/// fmt's %#v of a decoded JSON value: "x" quoted, numbers and booleans bare, interface {}(nil),
/// []interface {}{...}, map[string]interface {}{"k":v, ...} with sorted keys.
std::string go_sharp_v(const nlohmann::json& v);

/// encoding/json's Marshal of a value (how enum values that are not strings are listed).
std::string go_json(const nlohmann::json& v);

/// How field.Error prints a bad value: strings quoted, numbers and booleans bare, null as "null", the
/// rest as %#v.
std::string go_bad_value(const nlohmann::json& v);

} // namespace kactor::sim
