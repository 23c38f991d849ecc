#include "integrations/kubernetes/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace kactor::integrations::kubernetes {

rate_limiter::rate_limiter(double qps, int burst)
    : qps_(qps), burst_(burst > 0 ? burst : std::max(1, int(std::ceil(qps)))), tokens_(burst_) {}

std::chrono::milliseconds rate_limiter::reserve() {
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  if (last_ != std::chrono::steady_clock::time_point{})
    tokens_ = std::min<double>(burst_, tokens_ + std::chrono::duration<double>(now - last_).count() * qps_);
  last_ = now;
  tokens_ -= 1; // may go negative: later callers wait for the tokens owed before them
  if (tokens_ >= 0)
    return std::chrono::milliseconds{0};
  return std::chrono::milliseconds{int64_t(std::ceil(-tokens_ / qps_ * 1000))};
}

} // namespace kactor::integrations::kubernetes
