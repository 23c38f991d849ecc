#include "model/parse/kafka_cluster_io.hpp"
#include "model/json_read.hpp"

#include "model/parse/field_io.hpp"

namespace kactor::model {

// The field tables: one line per member, JSON key first. Shared by reading and writing.

template <class F>
void fields(F& f, object_meta& x) {
  f("name", x.name);
  f("namespace", x.namespace_);
  f("uid", x.uid);
  f("resourceVersion", x.resource_version);
  f("generation", x.generation);
  f("creationTimestamp", x.creation_timestamp);
  f("deletionTimestamp", x.deletion_timestamp);
  f("labels", x.labels);
  f("annotations", x.annotations);
  f("finalizers", x.finalizers);
  f("ownerReferences", x.owner_references);
}

template <class F>
void fields(F& f, storage_config& x) {
  f("mountPath", x.mount_path);
  f("pvcSpec", x.pvc_spec);
  f("emptyDir", x.empty_dir);
}

template <class F>
void fields(F& f, broker_config& x) {
  f("image", x.image);
  f("metricsReporterImage", x.metrics_reporter_image);
  f("config", x.config);
  f("kafkaHeapOpts", x.kafka_heap_opts);
  f("kafkaJvmPerfOpts", x.kafka_jvm_perf_opts);
  f("log4jConfig", x.log4j_config);
  f("priorityClassName", x.priority_class_name);
  f("serviceAccountName", x.service_account_name);
  f("nodePortNodeAddressType", x.node_port_node_address_type);
  f("terminationGracePeriodSeconds", x.termination_grace_period_seconds);
  f("affinity", x.affinity);
  f("resourceRequirements", x.resource_requirements);
  f("podSecurityContext", x.pod_security_context);
  f("securityContext", x.security_context);
  f("networkConfig", x.network_config);
  f("nodePortExternalIP", x.node_port_external_ip);
  f("brokerAnnotations", x.broker_annotations);
  f("brokerLabels", x.broker_labels);
  f("nodeSelector", x.node_selector);
  f("tolerations", x.tolerations);
  f("envs", x.envs);
  f("containers", x.containers);
  f("initContainers", x.init_containers);
  f("volumes", x.volumes);
  f("volumeMounts", x.volume_mounts);
  f("imagePullSecrets", x.image_pull_secrets);
  f("brokerIngressMapping", x.broker_ingress_mapping);
  f("processRoles", x.process_roles);
  f("storageConfigs", x.storage_configs);
}

template <class F>
void fields(F& f, broker& x) {
  f("id", x.id);
  f("brokerConfigGroup", x.broker_config_group);
  f("readOnlyConfig", x.read_only_config);
  f("brokerConfig", x.config);
}

template <class F>
void fields(F& f, listener& x) {
  f("type", x.type);
  f("name", x.name);
  f("containerPort", x.container_port);
  f("usedForInnerBrokerCommunication", x.used_for_inner_broker_communication);
  f("usedForControllerCommunication", x.used_for_controller_communication);
  f("usedForKafkaAdminCommunication", x.used_for_kafka_admin_communication);
  f("sslClientAuth", x.ssl_client_auth);
  f("serverSSLCertSecret", x.server_ssl_cert_secret);
  f("internalStartingPort", x.internal_starting_port);
  f("externalListenerForHostname", x.external_listener_for_hostname);
  f("externalStartingPort", x.external_starting_port);
  f("anyCastPort", x.any_cast_port);
  f("ingressControllerTargetPort", x.ingress_controller_target_port);
  f("accessMethod", x.access_method);
  f("serviceType", x.service_type);
  f("externalTrafficPolicy", x.external_traffic_policy);
  f("hostnameOverride", x.hostname_override);
  f("tlsSecretName", x.tls_secret_name);
  f("serviceAnnotations", x.service_annotations);
  f("config", x.config);
}

template <class F>
void fields(F& f, ssl_secrets& x) {
  f("tlsSecretName", x.tls_secret_name);
  f("jksPasswordName", x.jks_password_name);
  f("create", x.create);
  f("pkiBackend", x.pki_backend);
  f("issuerRef", x.issuer_ref);
}

template <class F>
void fields(F& f, listeners_config& x) {
  f("internalListeners", x.internal_listeners);
  f("externalListeners", x.external_listeners);
  f("sslSecrets", x.secrets);
  f("serviceAnnotations", x.service_annotations);
}

template <class F>
void fields(F& f, rolling_upgrade_config& x) {
  f("failureThreshold", x.failure_threshold);
  f("concurrentBrokerRestartCountPerRack", x.concurrent_broker_restart_count_per_rack);
}

template <class F>
void fields(F& f, disruption_budget& x) {
  f("create", x.create);
  f("budget", x.budget);
}

template <class F>
void fields(F& f, monitoring_config& x) {
  f("jmxImage", x.jmx_image);
  f("pathToJar", x.path_to_jar);
  f("kafkaJMXExporterConfig", x.kafka_jmx_exporter_config);
  f.ignored("cCJMXExporterConfig", "the Cruise Control kactor deploys runs without the JMX exporter");
}

template <class F>
void fields(F& f, alert_manager_config& x) {
  f("upScaleLimit", x.up_scale_limit);
  f("downScaleLimit", x.down_scale_limit);
  f("allowedAnnotations", x.allowed_annotations);
}

// Nested single-field objects of the CRD, flattened in the model.
struct topic_config_view {
  std::optional<int32_t>& partitions;
  std::optional<int32_t>& replication_factor;
};
template <class F>
void fields(F& f, topic_config_view& x) {
  f("partitions", x.partitions);
  f("replicationFactor", x.replication_factor);
}

struct rack_awareness_view {
  std::vector<std::string>& labels;
};
template <class F>
void fields(F& f, rack_awareness_view& x) {
  f("labels", x.labels);
}

struct task_spec_view {
  std::optional<int32_t>& retry_duration_minutes;
};
template <class F>
void fields(F& f, task_spec_view& x) {
  f("RetryDurationMinutes", x.retry_duration_minutes);
}

struct operation_spec_view {
  std::optional<int32_t>& ttl;
};
template <class F>
void fields(F& f, operation_spec_view& x) {
  f("ttlSecondsAfterFinished", x.ttl);
}

struct reference_view {
  std::optional<std::string>& name;
};
template <class F>
void fields(F& f, reference_view& x) {
  f("name", x.name);
}

namespace {

// Visits a flattened sub-object through its view type.
template <class F, class View>
void nested(F& f, const char* key, View view) {
  if constexpr (std::is_same_v<F, detail::field_reader>) {
    f.seen.insert(key);
    auto it = f.obj.find(key);
    if (it != f.obj.end() && !it->is_null())
      f.read(*it, detail::join_path(f.path, key), view);
  } else {
    bool present = f.obj.contains(key);
    json& slot = f.obj[key];
    detail::field_writer::write(slot, view);
    if (!present && slot.empty())
      f.obj.erase(key);
  }
}

constexpr const char* not_rendered = "kactor's Cruise Control Deployment does not render this field";
constexpr const char* no_ingress = "kactor does not manage ingress controllers";

} // namespace

template <class F>
void fields(F& f, cruise_control_config& x) {
  f("cruiseControlEndpoint", x.cruise_control_endpoint);
  f("image", x.image);
  f("config", x.config);
  f("capacityConfig", x.capacity_config);
  f("clusterConfig", x.cluster_config);
  nested(f, "topicConfig", topic_config_view{x.topic_partitions, x.topic_replication_factor});
  nested(f, "cruiseControlTaskSpec", task_spec_view{x.retry_duration_minutes});
  nested(f, "cruiseControlOperationSpec", operation_spec_view{x.operation_ttl_seconds_after_finished});
  nested(f, "credentialsSecretRef", reference_view{x.credentials_secret});
  f("resourceRequirements", x.resource_requirements);
  f("affinity", x.affinity);
  f("podSecurityContext", x.pod_security_context);
  f("securityContext", x.security_context);
  f("serviceAccountName", x.service_account_name);
  f("nodeSelector", x.node_selector);
  f("cruiseControlAnnotations", x.cruise_control_annotations);
  f("tolerations", x.tolerations);
  for (const char* key : {"imagePullSecrets", "initContainers", "log4jConfig", "priorityClassName", "volumeMounts",
                          "volumes"})
    f.ignored(key, not_rendered);
}

template <class F>
void fields(F& f, kafka_cluster_spec& x) {
  f("headlessServiceEnabled", x.headless_service_enabled);
  f("oneBrokerPerNode", x.one_broker_per_node);
  f("kRaft", x.k_raft);
  f("propagateLabels", x.propagate_labels);
  f("zkAddresses", x.zk_addresses);
  f("zkPath", x.zk_path);
  f("clusterImage", x.cluster_image);
  f("clusterMetricsReporterImage", x.cluster_metrics_reporter_image);
  f("readOnlyConfig", x.read_only_config);
  f("clusterWideConfig", x.cluster_wide_config);
  f("kubernetesClusterDomain", x.kubernetes_cluster_domain);
  nested(f, "rackAwareness", rack_awareness_view{x.rack_awareness_labels});
  f("brokerConfigGroups", x.broker_config_groups);
  f("brokers", x.brokers);
  f("listenersConfig", x.listeners);
  f("rollingUpgradeConfig", x.rolling_upgrade);
  f("disruptionBudget", x.disruption);
  f("alertManagerConfig", x.alert_manager);
  f("cruiseControlConfig", x.cruise_control);
  f("envs", x.envs);
  f("additionalPorts", x.additional_ports);
  f.ignored("localDebugEnabled", "kactor has no local-debug LoadBalancer mode");
  f("monitoringConfig", x.monitoring);
  f.ignored("clientSSLCertSecret", "kactor does not manage client certificates yet");
  f.ignored("removeUnusedIngressResources", no_ingress);
  f.ignored("envoyConfig", no_ingress);
  f.ignored("contourIngressConfig", no_ingress);
  f.ignored("istioIngressConfig", no_ingress);
  f.ignored("ingressController", no_ingress);
  f.ignored("taintedBrokersSelector", "kactor does not restart tainted brokers yet");
}

template <class F>
void fields(F& f, volume_state& x) {
  f("cruiseControlVolumeState", x.cruise_control_volume_state);
  nested(f, "cruiseControlOperationReference", reference_view{x.cruise_control_operation_name});
}

template <class F>
void fields(F& f, graceful_action_state& x) {
  f("cruiseControlState", x.cruise_control_state);
  nested(f, "cruiseControlOperationReference", reference_view{x.cruise_control_operation_name});
  f("volumeStates", x.volume_states);
}

template <class F>
void fields(F& f, broker_state& x) {
  f("configurationState", x.configuration_state);
  f("perBrokerConfigurationState", x.per_broker_configuration_state);
  f("rackAwarenessState", x.rack_awareness_state);
  f("image", x.image);
  f("version", x.version);
  f("configurationBackup", x.configuration_backup);
  f("externalListenerConfigNames", x.external_listener_config_names);
  f("gracefulActionState", x.graceful_action);
}

template <class F>
void fields(F& f, rolling_upgrade_status& x) {
  f("errorCount", x.error_count);
  f("lastSuccess", x.last_success);
}

template <class F>
void fields(F& f, kafka_cluster_status& x) {
  f("state", x.state);
  f("brokersState", x.brokers_state);
  f("alertCount", x.alert_count);
  f("cruiseControlTopicStatus", x.cruise_control_topic_status);
  f("clusterID", x.cluster_id);
  f("rollingUpgradeStatus", x.rolling_upgrade);
  f("listenerStatuses", x.listener_statuses);
}

namespace detail {

const char* json_type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "a list";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "an integer";
    case json::value_t::number_float: return "a number with a fraction";
    default: return "binary data";
  }
}

} // namespace detail

bool is_kafka_cluster(const json& doc) {
  if (!doc.is_object())
    return false;
  auto api = string_or(doc, "apiVersion");
  return string_or(doc, "kind") == kafka_cluster_kind && api.rfind("kafka.banzaicloud.io/", 0) == 0;
}

parse_outcome parse_kafka_cluster(const json& doc) {
  parse_outcome out;
  if (!doc.is_object()) {
    out.errors.push_back({"", std::string{"expected a KafkaCluster object, got "} + detail::json_type_name(doc)});
    return out;
  }
  out.cluster.raw = doc;
  detail::field_reader top{doc, "", out.errors, out.warnings, false};
  top("apiVersion", out.cluster.api_version);
  top("kind", out.cluster.kind);
  if (out.cluster.kind != kafka_cluster_kind)
    out.errors.push_back({"kind", "expected KafkaCluster, got \"" + out.cluster.kind + "\""});
  else if (out.cluster.api_version != kafka_cluster_api_version)
    out.errors.push_back({"apiVersion", "expected " + std::string{kafka_cluster_api_version} + ", got \""
                                          + out.cluster.api_version + "\""});
  // Kubernetes owns metadata and status: their extra fields (managedFields, ...) are not worth a warning.
  detail::field_reader meta{doc, "", out.errors, out.warnings, false};
  meta("metadata", out.cluster.metadata);
  meta("status", out.cluster.status);
  detail::field_reader spec{doc, "", out.errors, out.warnings, true};
  if (!doc.contains("spec"))
    out.errors.push_back({"spec", "required field is missing"});
  spec("spec", out.cluster.spec);
  return out;
}

json to_json(const kafka_cluster& cluster) {
  json out = cluster.raw.is_object() ? cluster.raw : json::object();
  detail::field_writer w{out};
  w("apiVersion", cluster.api_version);
  w("kind", cluster.kind);
  w("metadata", cluster.metadata);
  w("spec", cluster.spec);
  w("status", cluster.status);
  return out;
}

json to_json(const broker_config& config) {
  json out = json::object();
  detail::field_writer::write(out, config);
  return out;
}

broker_config parse_broker_config(const json& obj, const std::string& path, field_errors& errors,
                                  std::vector<std::string>& warnings) {
  broker_config out;
  detail::field_reader r{obj, "", errors, warnings, true};
  r.read(obj, path, out);
  return out;
}

} // namespace kactor::model
