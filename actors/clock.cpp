#include "actors/clock.hpp"

#include "model/time.hpp"

namespace kactor::actors {

std::chrono::steady_clock::time_point steady_now() { return std::chrono::steady_clock::now(); }

std::string rfc3339_now() { return model::format_rfc3339(std::chrono::system_clock::now()); }

} // namespace kactor::actors
