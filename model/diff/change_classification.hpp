// Change classification: given the old and the new KafkaCluster, what each broker needs.
//
// Per broker present in both: restart_required when its pod revision changed (with reasons: image,
// resources, disks added or removed, read-only config keys, other pod fields); otherwise
// dynamic_per_broker when brokerConfig.config or a per-broker dynamic key (listeners, advertised.listeners,
// listener.security.protocol.map, ssl.client.auth) changed; otherwise dynamic_cluster_wide when
// clusterWideConfig changed; otherwise none. Growing a PVC is listed in `resized_volumes` and needs no
// restart; shrinking one is an error naming the field. Brokers only in the new spec are `added`, only in
// the old one `removed` (they must be drained, never just deleted). An invalid new spec yields its
// validation errors and no plan.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "model/kafka_cluster.hpp"
#include "model/status.hpp"

namespace kactor::model {

/// How much a broker is affected by a spec change, from least to most.
enum class change_kind {
  /// Nothing about this broker changed.
  none,
  /// Only clusterWideConfig changed: applied through the admin API, no restart.
  dynamic_cluster_wide,
  /// Only per-broker dynamic settings changed: applied through the admin API, no restart.
  dynamic_per_broker,
  /// The broker's pod must be recreated.
  restart_required,
};

/// "none", "dynamic_cluster_wide", "dynamic_per_broker" or "restart_required".
const char* to_string(change_kind kind);

/// What one broker needs.
struct broker_change {
  int32_t id = 0;
  change_kind kind = change_kind::none;
  /// Why, e.g. "image", "readOnlyConfig: auto.create.topics.enable", "disk added: /kafka-logs2".
  std::vector<std::string> reasons;
  /// Mount paths whose PVC grows (no restart needed).
  std::vector<std::string> resized_volumes;
};

/// The classification of a whole spec change.
struct change_plan {
  /// Brokers present in both specs, by id.
  std::vector<broker_change> brokers;
  std::vector<int32_t> added;
  std::vector<int32_t> removed;
  bool cluster_wide_config_changed = false;
  /// Non-empty when the change must be refused (invalid new spec, PVC shrink); the plan is then empty.
  field_errors errors;

  /// The entry for `id`, or nullptr.
  const broker_change* find(int32_t id) const;
};

/// Classifies the change from `before` to `after`.
change_plan classify_changes(const kafka_cluster& before, const kafka_cluster& after);

} // namespace kactor::model
