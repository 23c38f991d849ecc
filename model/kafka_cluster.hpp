// The kafka.banzaicloud.io/v1beta1 KafkaCluster resource as value types.
//
// Field names follow Koperator's CRD exactly (the JSON key is given on each member when it differs from the
// snake_case name). Kubernetes sub-objects that kactor passes through unchanged (affinity, tolerations,
// pvcSpec, resource requirements, security contexts, containers, volumes) are kept as JSON values.
// An absent optional field and an empty list mean "not set"; defaults are applied by model/defaults.hpp,
// never here. Parsing, unknown-field preservation and serialisation live in model/parse/kafka_cluster_io.hpp.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kactor::model {

using json = nlohmann::json;
using string_map = std::map<std::string, std::string>;

/// The subset of ObjectMeta that kactor reads or writes.
struct object_meta {
  std::string name;
  std::string namespace_; ///< "namespace"
  std::string uid;
  std::string resource_version; ///< "resourceVersion"
  std::optional<int64_t> generation;
  std::string creation_timestamp; ///< "creationTimestamp"
  std::optional<std::string> deletion_timestamp; ///< "deletionTimestamp"
  string_map labels;
  string_map annotations;
  std::vector<std::string> finalizers;
  std::vector<json> owner_references; ///< "ownerReferences"

  bool operator==(const object_meta&) const = default;
};

/// One disk of a broker: a PVC (pvcSpec) or an emptyDir, mounted at mount_path.
struct storage_config {
  std::string mount_path; ///< "mountPath"
  std::optional<json> pvc_spec; ///< "pvcSpec": a PersistentVolumeClaimSpec
  std::optional<json> empty_dir; ///< "emptyDir": an EmptyDirVolumeSource

  bool operator==(const storage_config&) const = default;
};

/// Per-broker settings; used both for brokerConfigGroups and a broker's own brokerConfig.
struct broker_config {
  std::optional<std::string> image;
  std::optional<std::string> metrics_reporter_image; ///< "metricsReporterImage"
  std::optional<std::string> config; ///< per-broker dynamic config (properties text)
  std::optional<std::string> kafka_heap_opts; ///< "kafkaHeapOpts"
  std::optional<std::string> kafka_jvm_perf_opts; ///< "kafkaJvmPerfOpts"
  std::optional<std::string> log4j_config; ///< "log4jConfig"
  std::optional<std::string> priority_class_name; ///< "priorityClassName"
  std::optional<std::string> service_account_name; ///< "serviceAccountName"
  std::optional<std::string> node_port_node_address_type; ///< "nodePortNodeAddressType"
  std::optional<int64_t> termination_grace_period_seconds; ///< "terminationGracePeriodSeconds"
  std::optional<json> affinity;
  std::optional<json> resource_requirements; ///< "resourceRequirements"
  std::optional<json> pod_security_context; ///< "podSecurityContext"
  std::optional<json> security_context; ///< "securityContext"
  std::optional<json> network_config; ///< "networkConfig"
  std::optional<json> node_port_external_ip; ///< "nodePortExternalIP"
  string_map broker_annotations; ///< "brokerAnnotations"
  string_map broker_labels; ///< "brokerLabels"
  string_map node_selector; ///< "nodeSelector"
  std::vector<json> tolerations;
  std::vector<json> envs;
  std::vector<json> containers;
  std::vector<json> init_containers; ///< "initContainers"
  std::vector<json> volumes;
  std::vector<json> volume_mounts; ///< "volumeMounts"
  std::vector<json> image_pull_secrets; ///< "imagePullSecrets"
  std::vector<std::string> broker_ingress_mapping; ///< "brokerIngressMapping"
  std::vector<std::string> process_roles; ///< "processRoles": broker, controller (KRaft)
  std::vector<storage_config> storage_configs; ///< "storageConfigs"

  bool operator==(const broker_config&) const = default;
};

/// One entry of spec.brokers.
struct broker {
  int32_t id = 0;
  std::optional<std::string> broker_config_group; ///< "brokerConfigGroup"
  std::optional<std::string> read_only_config; ///< "readOnlyConfig": properties text, restart to apply
  std::optional<broker_config> config; ///< "brokerConfig"

  bool operator==(const broker&) const = default;
};

/// A listener on the brokers, internal or external.
struct listener {
  std::string type; ///< plaintext, ssl, sasl_plaintext, sasl_ssl
  std::string name;
  int32_t container_port = 0; ///< "containerPort"
  bool used_for_inner_broker_communication = false; ///< "usedForInnerBrokerCommunication"
  bool used_for_controller_communication = false; ///< "usedForControllerCommunication" (internal only)
  bool used_for_kafka_admin_communication = false; ///< "usedForKafkaAdminCommunication"
  std::optional<std::string> ssl_client_auth; ///< "sslClientAuth"
  std::optional<json> server_ssl_cert_secret; ///< "serverSSLCertSecret"
  // Internal listeners only.
  std::optional<int32_t> internal_starting_port; ///< "internalStartingPort"
  std::optional<std::string> external_listener_for_hostname; ///< "externalListenerForHostname"
  // External listeners only.
  std::optional<int32_t> external_starting_port; ///< "externalStartingPort"
  std::optional<int32_t> any_cast_port; ///< "anyCastPort"
  std::optional<int32_t> ingress_controller_target_port; ///< "ingressControllerTargetPort"
  std::optional<std::string> access_method; ///< "accessMethod"
  std::optional<std::string> service_type; ///< "serviceType"
  std::optional<std::string> external_traffic_policy; ///< "externalTrafficPolicy"
  std::optional<std::string> hostname_override; ///< "hostnameOverride"
  std::optional<std::string> tls_secret_name; ///< "tlsSecretName"
  string_map service_annotations; ///< "serviceAnnotations"
  std::optional<json> config; ///< ingress configuration, passed through

  bool operator==(const listener&) const = default;
};

/// spec.listenersConfig.sslSecrets
struct ssl_secrets {
  std::optional<std::string> tls_secret_name; ///< "tlsSecretName"
  std::optional<std::string> jks_password_name; ///< "jksPasswordName"
  std::optional<bool> create;
  std::optional<std::string> pki_backend; ///< "pkiBackend"
  std::optional<json> issuer_ref; ///< "issuerRef"

  bool operator==(const ssl_secrets&) const = default;
};

/// spec.listenersConfig
struct listeners_config {
  std::vector<listener> internal_listeners; ///< "internalListeners"
  std::vector<listener> external_listeners; ///< "externalListeners"
  std::optional<ssl_secrets> secrets; ///< "sslSecrets"
  string_map service_annotations; ///< "serviceAnnotations"

  bool operator==(const listeners_config&) const = default;
};

/// spec.rollingUpgradeConfig
struct rolling_upgrade_config {
  /// "failureThreshold": impacted brokers + alerts tolerated in a roll; 1 when unset (see defaults.hpp).
  std::optional<int64_t> failure_threshold;
  std::optional<int32_t> concurrent_broker_restart_count_per_rack; ///< "concurrentBrokerRestartCountPerRack"

  bool operator==(const rolling_upgrade_config&) const = default;
};

/// spec.disruptionBudget
struct disruption_budget {
  bool create = false;
  std::string budget; ///< "20%" or "1": how many brokers may be disrupted

  bool operator==(const disruption_budget&) const = default;
};

/// The annotations spec.alertManagerConfig.allowedAnnotations may list.
inline constexpr const char* alert_choosable_annotations[] = {"image", "storageClass", "mountPath", "diskSize"};

/// spec.alertManagerConfig
struct alert_manager_config {
  std::optional<int32_t> up_scale_limit; ///< "upScaleLimit"
  std::optional<int32_t> down_scale_limit; ///< "downScaleLimit"
  /// kactor's: the alert annotations (image, storageClass, mountPath, diskSize) an alert may set values
  /// from; unlisted ones are ignored (model/alerts/alert_action.hpp).
  std::vector<std::string> allowed_annotations; ///< "allowedAnnotations"

  bool operator==(const alert_manager_config&) const = default;
};

/// spec.monitoringConfig: with it, every broker runs the Prometheus JMX exporter as a java agent (Koperator's
/// shape: the jar copied from jmxImage by an init container, the rules in a ConfigMap of the cluster).
struct monitoring_config {
  std::optional<std::string> jmx_image;                 ///< "jmxImage": the image holding the agent's jar
  std::optional<std::string> path_to_jar;               ///< "pathToJar": the jar's path in that image
  std::optional<std::string> kafka_jmx_exporter_config; ///< "kafkaJMXExporterConfig": the exporter's YAML

  bool operator==(const monitoring_config&) const = default;
};

/// spec.cruiseControlConfig: the Cruise Control kactor talks to. With cruiseControlEndpoint it is an existing
/// one; without, kactor deploys one itself (model/render/cruise_control_*.hpp) from the fields below.
struct cruise_control_config {
  std::optional<std::string> cruise_control_endpoint; ///< "cruiseControlEndpoint"
  std::optional<std::string> image;
  std::optional<std::string> config;
  std::optional<std::string> capacity_config; ///< "capacityConfig"
  std::optional<std::string> cluster_config; ///< "clusterConfig"
  std::optional<int32_t> topic_partitions; ///< "topicConfig.partitions"
  std::optional<int32_t> topic_replication_factor; ///< "topicConfig.replicationFactor"
  std::optional<int32_t> retry_duration_minutes; ///< "cruiseControlTaskSpec.RetryDurationMinutes"
  std::optional<int32_t> operation_ttl_seconds_after_finished; ///< "cruiseControlOperationSpec.ttlSecondsAfterFinished"
  /// kactor's: a Secret in the cluster's namespace with kactor's credentials for Cruise Control's REST API
  /// (model/cruisecontrol/cc_credentials.hpp says which keys); unset: the `kactor run` flags' (or none).
  std::optional<std::string> credentials_secret; ///< "credentialsSecretRef.name"
  // The Deployment kactor renders when no endpoint is set.
  std::optional<json> resource_requirements; ///< "resourceRequirements"
  std::optional<json> affinity;
  std::optional<json> pod_security_context; ///< "podSecurityContext"
  std::optional<json> security_context; ///< "securityContext": the container's
  std::optional<std::string> service_account_name; ///< "serviceAccountName"
  string_map node_selector; ///< "nodeSelector"
  string_map cruise_control_annotations; ///< "cruiseControlAnnotations": on the pod
  std::vector<json> tolerations;

  bool operator==(const cruise_control_config&) const = default;
};

/// spec of a KafkaCluster.
struct kafka_cluster_spec {
  bool headless_service_enabled = false; ///< "headlessServiceEnabled"
  bool one_broker_per_node = false; ///< "oneBrokerPerNode"
  bool k_raft = false; ///< "kRaft"
  std::optional<bool> propagate_labels; ///< "propagateLabels"
  std::vector<std::string> zk_addresses; ///< "zkAddresses"
  std::optional<std::string> zk_path; ///< "zkPath"
  std::optional<std::string> cluster_image; ///< "clusterImage"
  std::optional<std::string> cluster_metrics_reporter_image; ///< "clusterMetricsReporterImage"
  std::optional<std::string> read_only_config; ///< "readOnlyConfig"
  std::optional<std::string> cluster_wide_config; ///< "clusterWideConfig"
  std::optional<std::string> kubernetes_cluster_domain; ///< "kubernetesClusterDomain"
  std::vector<std::string> rack_awareness_labels; ///< "rackAwareness.labels"
  std::map<std::string, broker_config> broker_config_groups; ///< "brokerConfigGroups"
  std::vector<broker> brokers;
  listeners_config listeners; ///< "listenersConfig"
  rolling_upgrade_config rolling_upgrade; ///< "rollingUpgradeConfig"
  std::optional<disruption_budget> disruption; ///< "disruptionBudget"
  std::optional<alert_manager_config> alert_manager; ///< "alertManagerConfig"
  cruise_control_config cruise_control; ///< "cruiseControlConfig"
  std::optional<monitoring_config> monitoring; ///< "monitoringConfig"
  std::vector<json> envs;
  std::vector<json> additional_ports; ///< "additionalPorts"

  bool operator==(const kafka_cluster_spec&) const = default;
};

/// status.brokersState[id].gracefulActionState.volumeStates[mountPath]
struct volume_state {
  std::string cruise_control_volume_state; ///< "cruiseControlVolumeState"
  std::optional<std::string> cruise_control_operation_name; ///< "cruiseControlOperationReference.name"

  bool operator==(const volume_state&) const = default;
};

/// status.brokersState[id].gracefulActionState
struct graceful_action_state {
  std::string cruise_control_state; ///< "cruiseControlState", e.g. GracefulDownscaleRequired
  std::optional<std::string> cruise_control_operation_name; ///< "cruiseControlOperationReference.name"
  std::map<std::string, volume_state> volume_states; ///< "volumeStates", keyed by mount path

  bool operator==(const graceful_action_state&) const = default;
};

/// status.brokersState[id]
struct broker_state {
  std::optional<std::string> configuration_state; ///< "configurationState": ConfigInSync, ConfigOutOfSync
  std::optional<std::string> per_broker_configuration_state; ///< "perBrokerConfigurationState"
  std::optional<std::string> rack_awareness_state; ///< "rackAwarenessState"
  std::optional<std::string> image;
  std::optional<std::string> version;
  std::optional<std::string> configuration_backup; ///< "configurationBackup"
  std::vector<std::string> external_listener_config_names; ///< "externalListenerConfigNames"
  std::optional<graceful_action_state> graceful_action; ///< "gracefulActionState"

  bool operator==(const broker_state&) const = default;
};

/// status.rollingUpgradeStatus
struct rolling_upgrade_status {
  int64_t error_count = 0; ///< "errorCount"
  std::string last_success; ///< "lastSuccess"

  bool operator==(const rolling_upgrade_status&) const = default;
};

/// status of a KafkaCluster, in Koperator's shape.
struct kafka_cluster_status {
  std::optional<std::string> state; ///< ClusterReconciling, ClusterRunning, ClusterRollingUpgrading, ...
  std::map<std::string, broker_state> brokers_state; ///< "brokersState", keyed by broker id as text
  std::optional<int64_t> alert_count; ///< "alertCount"
  std::optional<std::string> cruise_control_topic_status; ///< "cruiseControlTopicStatus"
  std::optional<std::string> cluster_id; ///< "clusterID"
  std::optional<rolling_upgrade_status> rolling_upgrade; ///< "rollingUpgradeStatus"
  std::optional<json> listener_statuses; ///< "listenerStatuses"

  bool operator==(const kafka_cluster_status&) const = default;
};

/// A whole KafkaCluster object. `raw` is the document it was read from: fields kactor does not model are
/// kept there and written back by to_json, so nothing a user wrote is lost.
struct kafka_cluster {
  std::string api_version = "kafka.banzaicloud.io/v1beta1"; ///< "apiVersion"
  std::string kind = "KafkaCluster";
  object_meta metadata;
  kafka_cluster_spec spec;
  kafka_cluster_status status;
  json raw = json::object();

  bool operator==(const kafka_cluster&) const = default;
};

/// The API group/version and kind kactor manages.
inline constexpr const char* kafka_cluster_api_version = "kafka.banzaicloud.io/v1beta1";
inline constexpr const char* kafka_cluster_kind = "KafkaCluster";

} // namespace kactor::model
