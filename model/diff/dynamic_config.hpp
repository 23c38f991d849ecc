// Live configuration: what kactor sets through Kafka's admin API instead of restarting a broker.
//
// Per broker, the desired dynamic config is its brokerConfig.config plus the per-broker keys Kafka changes
// live (listeners, advertised.listeners, listener.security.protocol.map, ssl.client.auth) as rendered into
// its server.properties; cluster-wide it is clusterWideConfig. plan_dynamic_config compares it with what
// the broker reports: a desired key whose effective value differs is set; a key set at this level (dynamic
// per-broker, or the cluster-wide default) that the spec no longer has is removed — kactor owns the
// dynamic config at the levels it manages, as it owns the objects it renders. A sensitive value Kafka will
// not show is not compared (it is set once while absent, then left alone).
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/kafka_cluster.hpp"
#include "model/properties.hpp"
#include "model/status.hpp"

namespace kactor::model {

/// What a broker (or the cluster default) reports for its config.
struct observed_config {
  /// Every key in force → its value (nullopt when Kafka hides it as sensitive).
  std::map<std::string, std::optional<std::string>> effective;
  /// Keys set at the managed level (DYNAMIC_BROKER_CONFIG, or DYNAMIC_DEFAULT_BROKER_CONFIG).
  std::set<std::string> own;
};

/// The writes that bring the observed config to the desired one.
struct config_change {
  std::map<std::string, std::string> set;
  std::vector<std::string> remove;
  bool empty() const { return set.empty() && remove.empty(); }
  /// "set num.io.threads=16; remove log.retention.ms"
  std::string to_string() const;
};

/// Broker `id`'s desired dynamic config; invalid (naming the field) when brokerConfig.config does not parse.
result<properties> desired_broker_dynamic_config(const kafka_cluster& c, int32_t id);

/// The desired cluster-wide dynamic config; invalid (naming spec.clusterWideConfig) when it does not parse.
result<properties> desired_cluster_wide_config(const kafka_cluster& c);

config_change plan_dynamic_config(const properties& desired, const observed_config& observed);

} // namespace kactor::model
