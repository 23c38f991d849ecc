// The defaults Koperator applies when a KafkaCluster leaves a field unset, so that a cluster moved from
// Koperator to kactor renders the same brokers. Each constant names the Koperator getter it mirrors.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <string>

#include "model/kafka_cluster.hpp"

namespace kactor::model {

/// KafkaClusterSpec.GetClusterImage
inline constexpr const char* default_kafka_image = "ghcr.io/adobe/koperator/kafka:2.13-3.9.1";
/// GetKubernetesClusterDomain
inline constexpr const char* default_cluster_domain = "cluster.local";
/// BrokerConfig.GetTerminationGracePeriod
inline constexpr int64_t default_termination_grace_period_seconds = 120;
/// BrokerConfig.GetKafkaHeapOpts
inline constexpr const char* default_kafka_heap_opts = "-Xmx2G -Xms2G";
/// BrokerConfig.GetKafkaPerfJvmOpts
inline constexpr const char* default_kafka_jvm_perf_opts =
  "-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 "
  "-XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true -Dsun.net.inetaddr.ttl=60";
/// BrokerConfig.GetServiceAccount
inline constexpr const char* default_service_account = "default";
/// The namespace used when a document names none (as kubectl does).
inline constexpr const char* default_namespace = "default";

/// MonitoringConfig.GetImage: the Prometheus JMX exporter's java agent (adobe/koperator DefaultMonitorImage).
inline constexpr const char* default_jmx_image = "ghcr.io/adobe/koperator/jmx-javaagent:1.5.0";
/// CruiseControlConfig.GetCCImage: the Cruise Control kactor deploys without cruiseControlEndpoint
/// (adobe/koperator DefaultCruiseControlImage, api/v1beta1/kafkacluster_types.go).
inline constexpr const char* default_cruise_control_image = "adobe/cruise-control:3.0.3-adbe-20250804";
/// CruiseControlConfig.GetResources: cpu and memory, each both requested and the limit.
inline constexpr const char* default_cruise_control_cpu = "200m";
inline constexpr const char* default_cruise_control_memory = "768Mi";
/// MonitoringConfig.GetPathToJar
inline constexpr const char* default_jmx_path_to_jar = "/jmx_prometheus_javaagent.jar";

/// rollingUpgradeConfig.failureThreshold when a CR leaves it out (Koperator's samples do).
inline constexpr int64_t default_failure_threshold = 1;

/// BrokerConfig.GetResources: requests cpu 1000m / memory 2Gi, limits cpu 1500m / memory 3Gi.
json default_resource_requirements();

/// spec.clusterImage or the default image.
std::string cluster_image(const kafka_cluster_spec& spec);

/// spec.kubernetesClusterDomain or "cluster.local".
std::string cluster_domain(const kafka_cluster_spec& spec);

/// spec.zkPath with a leading '/', "/" when unset (GetZkPath).
std::string zk_path(const kafka_cluster_spec& spec);

/// metadata.namespace or "default".
std::string cluster_namespace(const kafka_cluster& cluster);

} // namespace kactor::model
