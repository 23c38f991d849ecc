#include "integrations/kubernetes/request_metrics.hpp"

#include <sstream>

namespace kactor::integrations::kubernetes {

void request_metrics::observe(const std::string& verb, const std::string& resource, int code,
                              std::chrono::nanoseconds latency) {
  double seconds = std::chrono::duration<double>(latency).count();
  std::lock_guard lock(mutex_);
  auto& s = series_[{verb, resource, code}];
  ++s.count;
  s.seconds_sum += seconds;
  for (size_t i = 0; i < k_buckets.size(); ++i)
    if (seconds <= k_buckets[i])
      ++s.buckets[i];
}

std::map<request_metrics::key, request_metrics::series> request_metrics::snapshot() const {
  std::lock_guard lock(mutex_);
  return series_;
}

uint64_t request_metrics::count(const std::string& verb) const {
  std::lock_guard lock(mutex_);
  uint64_t n = 0;
  for (const auto& [k, s] : series_)
    if (std::get<0>(k) == verb)
      n += s.count;
  return n;
}

uint64_t request_metrics::writes() const {
  std::lock_guard lock(mutex_);
  uint64_t n = 0;
  for (const auto& [k, s] : series_) {
    const auto& v = std::get<0>(k);
    if (v == "create" || v == "update" || v == "patch" || v == "delete")
      n += s.count;
  }
  return n;
}

std::string request_metrics::to_prometheus() const {
  auto snap = snapshot();
  std::ostringstream out;
  out << "# HELP rest_client_requests_total Kubernetes API requests by verb, resource and HTTP code (0: no answer).\n"
         "# TYPE rest_client_requests_total counter\n";
  for (const auto& [k, s] : snap)
    out << "rest_client_requests_total{verb=\"" << std::get<0>(k) << "\",resource=\"" << std::get<1>(k) << "\",code=\""
        << std::get<2>(k) << "\"} " << s.count << "\n";
  out << "# HELP rest_client_request_duration_seconds Kubernetes API request latency.\n"
         "# TYPE rest_client_request_duration_seconds histogram\n";
  for (const auto& [k, s] : snap) {
    std::string labels = "verb=\"" + std::get<0>(k) + "\",resource=\"" + std::get<1>(k) + "\",code=\"" +
                         std::to_string(std::get<2>(k)) + "\"";
    for (size_t i = 0; i < k_buckets.size(); ++i)
      out << "rest_client_request_duration_seconds_bucket{" << labels << ",le=\"" << k_buckets[i] << "\"} " << s.buckets[i]
          << "\n";
    out << "rest_client_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << s.count << "\n";
    out << "rest_client_request_duration_seconds_sum{" << labels << "} " << s.seconds_sum << "\n";
    out << "rest_client_request_duration_seconds_count{" << labels << "} " << s.count << "\n";
  }
  return out.str();
}

} // namespace kactor::integrations::kubernetes
