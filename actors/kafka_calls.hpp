// Starting Kafka admin work for the actors: each call returns at once; `done` runs on the admin's thread
// (or before the call returns, with the simulation) with a message the caller posts to its actor — the
// only thing a completion may do.
#pragma once

#include <functional>
#include <memory>

#include "integrations/kafka/kafka_admin.hpp"
#include "messages/messages.hpp"

namespace kactor::actors {

/// Describes the cluster (active controller) and then every topic (partitions, ISRs, min.insync.replicas).
void start_kafka_describe(std::shared_ptr<integrations::kafka::kafka_admin> admin, uint64_t seq,
                          std::function<void(messages::kafka_described)> done);

/// Brings `resource`'s dynamic config to `desired`: describe, model::plan_dynamic_config, incremental alter,
/// then describe again to confirm. A refused value ends `refused` with Kafka's reason; an unreachable
/// broker `retry`.
void start_config_reconcile(std::shared_ptr<integrations::kafka::kafka_admin> admin,
                            integrations::kafka::config_resource resource, model::properties desired,
                            uint64_t generation, std::function<void(messages::config_reconciled)> done);

/// One config level's bookkeeping (a broker's, or the cluster-wide default): which (pod, config) was last
/// brought in force or refused, and the request in flight. `state` is the status text Koperator writes:
/// "" (never asked), "OutOfSync", "InSync", "Error".
struct config_tracker {
  uint64_t generation = 0;
  std::string done_for, in_flight, state, error;

  /// When `key` needs reconciling and nothing is in flight: marks it in flight and returns the request's
  /// generation; otherwise 0.
  uint64_t begin(const std::string& key);
  /// Takes an answer in; false for a stale one. A `retry` leaves the key to be asked again.
  bool finish(const messages::config_reconciled& r);
};

} // namespace kactor::actors
