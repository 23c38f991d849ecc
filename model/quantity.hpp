// Kubernetes resource quantities ("500m", "10Gi", "1e3"): parsing and comparison.
//
// Follows the grammar of k8s.io/apimachinery/pkg/api/resource: a signed decimal number followed by an
// optional binary suffix (Ki..Ei), decimal suffix (n, u, m, "", k, M, G, T, P, E) or exponent (e3, E-2).
// The value is held as a long double, which is exact enough to compare the sizes kactor deals with.
// Errors name the offending text and say what was expected.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "model/status.hpp"

namespace kactor::model {

/// A parsed quantity; `text` keeps the original spelling for rendering.
struct quantity {
  long double value = 0;
  std::string text;

  auto operator<=>(const quantity& other) const { return value <=> other.value; }
  bool operator==(const quantity& other) const { return value == other.value; }
};

/// Parses `text`; an invalid status names the text when it is not a Kubernetes quantity.
result<quantity> parse_quantity(std::string_view text);

} // namespace kactor::model
