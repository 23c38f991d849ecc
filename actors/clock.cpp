#include "actors/clock.hpp"

#include <ctime>

namespace kactor::actors {

std::chrono::steady_clock::time_point steady_now() { return std::chrono::steady_clock::now(); }

std::string rfc3339_now() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

} // namespace kactor::actors
