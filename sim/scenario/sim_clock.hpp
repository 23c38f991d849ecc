// Scaled time for a scenario run (internal to sim/scenario/): simulated milliseconds are wall time since the
// start times the scale, so at 100× one wall millisecond counts as 100 simulated ones. Pure arithmetic on
// the steady clock; safe from any thread once set up.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>

#include "sim/scenario/scenario.hpp"

namespace kactor::sim::detail {

using steady = std::chrono::steady_clock;

/// Simulated time: wall time since the start times the scale.
struct sim_clock {
  steady::time_point t0 = steady::now();
  double scale = 100;

  int64_t now_ms() const {
    return int64_t(std::chrono::duration<double, std::milli>(steady::now() - t0).count() * scale);
  }
  /// A simulated duration in wall time, at least `floor`.
  std::chrono::milliseconds wall(sim_ms d, std::chrono::milliseconds floor = std::chrono::milliseconds{1}) const {
    return std::max(floor, std::chrono::milliseconds(int64_t(double(d.count()) / scale)));
  }
  steady::time_point wall_at(int64_t sim) const {
    return t0 + std::chrono::microseconds(int64_t(double(sim) * 1000.0 / scale));
  }
};

/// A simulated time as mm:ss.d (defined in scenario_runner.cpp).
std::string sim_time(int64_t ms);

} // namespace kactor::sim::detail
