#include "actors/retry_policy.hpp"

#include <algorithm>
#include <random>

namespace kactor::actors {

retry_rule rule_for(const actor_settings& s, retry_reason reason) {
  using std::chrono::milliseconds;
  switch (reason) {
  case retry_reason::write_failed: return {s.backoff_base, s.backoff_max, 16, true};
  case retry_reason::node_read_failed: return {s.backoff_base, s.backoff_max, 16, true};
  case retry_reason::config_unreachable: return {s.backoff_base, s.backoff_max, 16, true};
  case retry_reason::child_crashed: return {s.respawn_base, s.backoff_max, 8, false};
  case retry_reason::operation_write_failed: return {s.backoff_base, s.backoff_base, 0, false};
  case retry_reason::spec_edit_written: return {milliseconds{50}, milliseconds{50}, 0, false};
  case retry_reason::spec_edit_failed: return {milliseconds{500}, milliseconds{500}, 0, false};
  }
  return {s.backoff_base, s.backoff_max, 0, false};
}

std::chrono::milliseconds retry_delay(const actor_settings& settings, retry_reason reason, int attempt) {
  auto rule = rule_for(settings, reason);
  auto doublings = std::clamp(attempt - 1, 0, rule.max_doublings);
  double ms = std::min(double(rule.base.count()) * double(uint64_t{1} << doublings), double(rule.max.count()));
  if (rule.jitter) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    ms *= std::uniform_real_distribution<double>(0.5, 1.0)(rng);
  }
  return std::chrono::milliseconds{int64_t(ms)};
}

} // namespace kactor::actors
