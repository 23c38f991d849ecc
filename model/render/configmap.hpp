// The ConfigMap `<cluster>-config-<id>` holding one broker's server.properties under `broker-config`
// (and `log4j.properties` when log4jConfig is set), labelled like the broker and owned by the cluster.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include "model/effective_broker.hpp"
#include "model/kafka_cluster.hpp"

namespace kactor::model {

/// Data key of the server.properties text (Koperator's).
inline constexpr const char* broker_config_key = "broker-config";
/// Data key of the log4j configuration.
inline constexpr const char* log4j_config_key = "log4j.properties";

/// The broker's ConfigMap as a Kubernetes object.
json render_configmap(const kafka_cluster& c, const effective_broker& b);

} // namespace kactor::model
