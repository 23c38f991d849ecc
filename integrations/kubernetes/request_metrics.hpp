// Request counts and latencies by verb, resource and HTTP code (0: no answer), for the /metrics
// endpoint (rest_client_requests_total / rest_client_request_duration_seconds, as client-go names them)
// and for tests that count writes. Thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace kactor::integrations::kubernetes {

class request_metrics {
public:
  /// Histogram bucket upper bounds, seconds.
  static constexpr std::array<double, 10> k_buckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};

  struct series {
    uint64_t count = 0;
    double seconds_sum = 0;
    std::array<uint64_t, k_buckets.size()> buckets{}; ///< cumulative counts ≤ bound
  };
  using key = std::tuple<std::string, std::string, int>; ///< verb, resource, code

  void observe(const std::string& verb, const std::string& resource, int code, std::chrono::nanoseconds latency);
  std::map<key, series> snapshot() const;
  /// Requests with this verb (any resource/code), e.g. "create".
  uint64_t count(const std::string& verb) const;
  /// Writes (create, update, patch, delete) of any resource.
  uint64_t writes() const;
  /// Prometheus text exposition of both metric families.
  std::string to_prometheus() const;

private:
  mutable std::mutex mutex_;
  std::map<key, series> series_;
};

} // namespace kactor::integrations::kubernetes
