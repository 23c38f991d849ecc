// Kafka's rules for configs changed on a running cluster (DynamicBrokerConfig, DynamicConfig.Broker and
// LogConfig in Apache Kafka 3.x), as the simulated Kafka enforces them on incremental alter configs: which
// broker keys may change without a restart, which only per broker (never as the cluster-wide default),
// and the type of each value. Messages follow Kafka's own wording so that kactor's conditions show what a
// real broker would say.
//
// Pure; safe from any thread.
#pragma once

#include <optional>
#include <string>

namespace kactor::sim {

/// Why `key=value` cannot be set dynamically on a broker (per_broker: on one broker; else the cluster
/// default), or nullopt when it can.
std::optional<std::string> refuse_broker_config(const std::string& key, const std::string& value, bool per_broker);

/// True when Kafka can change broker config `key` without a restart.
bool is_dynamic_broker_config(const std::string& key);

/// Why `key=value` cannot be set on a topic, or nullopt when it can.
std::optional<std::string> refuse_topic_config(const std::string& key, const std::string& value);

} // namespace kactor::sim
