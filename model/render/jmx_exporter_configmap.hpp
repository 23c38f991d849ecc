// The ConfigMap `<cluster>-kafka-jmx-exporter` (when spec.monitoringConfig is set): the Prometheus JMX
// exporter's configuration under the key config.yaml — spec.monitoringConfig.kafkaJMXExporterConfig, or
// kactor's default rules. Every broker's java agent reads it (render_pod mounts it at jmx_exporter_config_dir
// and serves the metrics on jmx_exporter_port), as Koperator lays it out.
//
// The default rules turn `kafka.<domain>:type=<type>,name=<name>` gauges into kafka_<domain>_<type>_<name>
// and their counters into ..._total, lower case, as Koperator's defaults (from jmx_exporter's
// kafka-2_0_0.yml) name them: the names deploy/prometheus/series.txt lists for kactor's alert rules.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <optional>
#include <string>

#include "model/kafka_cluster.hpp"

namespace kactor::model {

/// The port the agent serves /metrics on in each broker (Koperator's 9020), named "metrics".
inline constexpr int32_t jmx_exporter_port = 9020;
/// Where the broker container finds the agent's jar and its configuration.
inline constexpr const char* jmx_exporter_jar = "/opt/jmx-exporter/jmx_prometheus.jar";
inline constexpr const char* jmx_exporter_config_dir = "/etc/jmx-exporter";
inline constexpr const char* jmx_exporter_config_key = "config.yaml";

/// "<cluster>-kafka-jmx-exporter"
std::string jmx_exporter_configmap_name(const kafka_cluster& c);

/// The exporter configuration kactor uses when kafkaJMXExporterConfig is unset (YAML).
const std::string& default_jmx_exporter_config();

/// The ConfigMap, or nullopt without spec.monitoringConfig. Precondition: the cluster validated.
std::optional<json> render_jmx_exporter_configmap(const kafka_cluster& c);

} // namespace kactor::model
