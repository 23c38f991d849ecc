// A client-side request rate limit (client-go's token bucket, `--kube-api-qps/--kube-api-burst`), in the
// reserve style: every caller gets a slot at once and is told how long to wait for it, so nothing blocks —
// the client delays the request on its I/O thread. Off when qps is 0. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>

namespace kactor::integrations::kubernetes {

class rate_limiter {
public:
  /// `burst` ≤ 0 means ceil(qps) (at least 1).
  rate_limiter(double qps, int burst);
  bool enabled() const { return qps_ > 0; }
  /// Takes the next slot; how long to wait before using it (0 when a token is free).
  std::chrono::milliseconds reserve();

private:
  std::mutex mutex_;
  double qps_;
  int burst_;
  double tokens_;
  std::chrono::steady_clock::time_point last_{};
};

} // namespace kactor::integrations::kubernetes
