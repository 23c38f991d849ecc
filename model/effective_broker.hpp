// A broker's effective settings: its own brokerConfig merged with its brokerConfigGroup and the cluster,
// by Koperator's rules (Broker.GetBrokerConfig), with defaults applied.
//
// Merge rules: the broker's own value wins for every scalar and object field, the group fills what the
// broker leaves unset (objects such as nodeSelector or resourceRequirements merge key by key); lists
// append (broker's entries first); affinity merges with the broker's values replacing the group's;
// storageConfigs deduplicate by mountPath keeping the broker's entry; envs concatenate cluster → group →
// broker. readOnlyConfig merges cluster < broker. Errors: not_found for an unknown group or broker id,
// invalid for properties text that does not parse (naming the field).
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "model/kafka_cluster.hpp"
#include "model/properties.hpp"
#include "model/status.hpp"

namespace kactor::model {

/// Everything the renderers need to know about one broker.
struct effective_broker {
  int32_t id = 0;
  /// Index of the broker in spec.brokers (for field paths in messages).
  size_t index = 0;
  /// Merged config with defaults: image, heap/perf opts, grace period, resources, service account are set.
  broker_config config;
  /// readOnlyConfig: cluster < broker.
  properties read_only;
  /// brokerConfig.config (dynamic per-broker config) as parsed.
  properties dynamic;
  /// KRaft process roles ("broker", "controller"); {"broker"} in ZooKeeper mode.
  std::vector<std::string> process_roles;

  bool is_controller() const;
  bool is_broker() const;
};

/// Merges `b`'s brokerConfig with its group as Koperator does, without defaults.
result<broker_config> merged_broker_config(const kafka_cluster_spec& spec, const broker& b);

/// The effective settings of broker `id`.
result<effective_broker> make_effective_broker(const kafka_cluster& cluster, int32_t id);

/// Resolves env entries in order (Koperator's generateEnvConfig): "+NAME" prepends to NAME's value,
/// "NAME+" appends, an entry with valueFrom replaces, anything else replaces. Result sorted by name.
std::vector<json> resolve_envs(const std::vector<json>& defaults, const std::vector<json>& envs);

} // namespace kactor::model
