// How long an actor waits before trying again, by why it waits — one table (style rule 7) instead of a
// back-off formula per actor. Every delay doubles per attempt from the rule's base up to its cap; jittered
// rules draw a factor in [0.5, 1) so that brokers failing together do not retry together.
//
// Not here, on purpose: a CruiseControlOperation's retry (model/cruisecontrol/cc_schedule: retry_base ×
// 2^retryCount, from the retryCount persisted in its status, so that a restarted operator waits the same)
// and the watch caches' reconnect back-off (integrations/kubernetes/watch_cache, below the actors).
#pragma once

#include <chrono>

#include "actors/kube_access.hpp"

namespace kactor::actors {

/// Why an actor waits.
enum class retry_reason {
  write_failed,        ///< an API write failed (not a conflict): the writing actor's next pass waits
  node_read_failed,    ///< a broker could not read its pod's node (for the rack): it asks again after this
  config_unreachable,  ///< Kafka could not be asked about a broker's dynamic config (the broker is starting)
  child_crashed,       ///< a child actor stopped: it is respawned after this
  operation_write_failed, ///< a CruiseControlOperation status write failed: the next step waits
  spec_edit_written,   ///< an alert's spec edit was written: decide again once the cache shows it
  spec_edit_failed,    ///< an alert's spec edit failed: decide again on a fresh read
};

/// One row of the table.
struct retry_rule {
  std::chrono::milliseconds base;
  std::chrono::milliseconds max;
  int max_doublings = 0; ///< 0: a fixed delay
  bool jitter = false;
};

/// The rule for `reason` under `settings` (tests shorten the bases through actor_settings).
retry_rule rule_for(const actor_settings& settings, retry_reason reason);

/// The delay before attempt number `attempt` (1 = the first retry): base × 2^(attempt-1), at most the
/// rule's cap, jittered when the rule says so.
std::chrono::milliseconds retry_delay(const actor_settings& settings, retry_reason reason, int attempt = 1);

} // namespace kactor::actors
