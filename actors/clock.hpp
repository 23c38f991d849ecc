// The clocks actors read, in one place: steady time for delays and deadlines, wall time (RFC 3339, UTC,
// whole seconds as the API server writes them) for status conditions.
#pragma once

#include <chrono>
#include <string>

namespace kactor::actors {

std::chrono::steady_clock::time_point steady_now();
std::string rfc3339_now();

} // namespace kactor::actors
