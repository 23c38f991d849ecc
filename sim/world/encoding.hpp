// Small encodings the simulated control plane writes into objects: RFC 3339 timestamps (the system clock,
// in UTC, whole seconds, as the apiserver writes them) and standard base64 (Secret data, kubeconfig CA).
#pragma once

#include <string>
#include <string_view>

namespace kactor::sim {

/// "2026-01-01T00:00:00Z" for now.
std::string rfc3339_now();

/// Standard base64 with padding.
std::string base64(std::string_view in);

} // namespace kactor::sim
