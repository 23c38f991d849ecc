#include "model/render/pod.hpp"
#include "model/json_read.hpp"

#include "model/defaults.hpp"
#include "model/hash.hpp"
#include "model/render/configmap.hpp"
#include "model/render/jmx_exporter_configmap.hpp"
#include "model/render/metadata.hpp"
#include "model/render/server_properties.hpp"

namespace kactor::model {

namespace {

constexpr const char* extensions_dir = "/opt/kafka/libs/extensions";
constexpr const char* reporter_jar =
  "/opt/cruise-control/cruise-control/build/dependant-libs/cruise-control-metrics-reporter.jar";
constexpr const char* default_cc_image = "adobe/cruise-control:3.0.3-adbe-20250804";

std::string metrics_reporter_image(const kafka_cluster& c, const effective_broker& b) {
  if (b.config.metrics_reporter_image && !b.config.metrics_reporter_image->empty())
    return *b.config.metrics_reporter_image;
  if (c.spec.cluster_metrics_reporter_image && !c.spec.cluster_metrics_reporter_image->empty())
    return *c.spec.cluster_metrics_reporter_image;
  return c.spec.cruise_control.image.value_or(default_cc_image);
}

constexpr const char* jmx_jar_volume = "jmx-jar-data";
constexpr const char* jmx_config_volume = "exporter-config";

std::string jmx_agent_dir() {
  std::string jar = jmx_exporter_jar;
  return jar.substr(0, jar.rfind('/'));
}

json container_ports(const kafka_cluster& c, const effective_broker& b) {
  json ports = json::array();
  for (const listener* l : broker_listeners(c, b))
    ports.push_back({{"name", listener_port_name(l->name)}, {"containerPort", l->container_port}, {"protocol", "TCP"}});
  if (c.spec.monitoring)
    ports.push_back({{"name", "metrics"}, {"containerPort", jmx_exporter_port}, {"protocol", "TCP"}});
  for (const auto& extra : c.spec.additional_ports)
    ports.push_back(extra);
  return ports;
}

json kafka_env(const kafka_cluster& c, const effective_broker& b) {
  std::vector<json> defaults = {
    {{"name", "CLASSPATH"}, {"value", std::string{extensions_dir} + "/*"}},
    {{"name", "KAFKA_HEAP_OPTS"}, {"value", *b.config.kafka_heap_opts}},
    {{"name", "KAFKA_JVM_PERFORMANCE_OPTS"}, {"value", *b.config.kafka_jvm_perf_opts}},
  };
  if (c.spec.k_raft)
    defaults.push_back({{"name", "CLUSTER_ID"}, {"value", kraft_cluster_id(c)}});
  if (b.config.log4j_config && !b.config.log4j_config->empty())
    defaults.push_back({{"name", "KAFKA_LOG4J_OPTS"}, {"value", "-Dlog4j.configuration=file:/config/log4j.properties"}});
  if (c.spec.monitoring) // kafka-run-class.sh passes KAFKA_OPTS to the JVM: the agent starts with the broker
    defaults.push_back({{"name", "KAFKA_OPTS"},
                        {"value", std::string{"-javaagent:"} + jmx_exporter_jar + "=" + std::to_string(jmx_exporter_port) + ":"
                                    + jmx_exporter_config_dir + "/" + jmx_exporter_config_key}});
  auto envs = resolve_envs(defaults, b.config.envs);
  return json(envs);
}

json kafka_command(const kafka_cluster& c) {
  std::string start = "exec /opt/kafka/bin/kafka-server-start.sh /config/broker-config";
  if (c.spec.k_raft)
    // A KRaft log dir must be formatted with the cluster id once; --ignore-formatted makes it idempotent.
    start = "/opt/kafka/bin/kafka-storage.sh format --ignore-formatted -t \"$CLUSTER_ID\" -c /config/broker-config && "
            + start;
  return json::array({"bash", "-c", start});
}

json readiness_probe(const kafka_cluster& c, const effective_broker& b) {
  const listener* l = b.is_broker() ? inner_broker_listener(c.spec) : controller_listener(c.spec);
  if (!l)
    return nullptr;
  return {{"tcpSocket", {{"port", l->container_port}}},
          {"initialDelaySeconds", 5},
          {"periodSeconds", 10},
          {"failureThreshold", 3}};
}

json kafka_container(const kafka_cluster& c, const effective_broker& b) {
  json mounts = json::array({{{"name", "broker-config"}, {"mountPath", "/config"}},
                             {{"name", "extensions"}, {"mountPath", extensions_dir}}});
  if (c.spec.monitoring) {
    mounts.push_back({{"name", jmx_jar_volume}, {"mountPath", jmx_agent_dir()}});
    mounts.push_back({{"name", jmx_config_volume}, {"mountPath", jmx_exporter_config_dir}});
  }
  for (const auto& s : b.config.storage_configs)
    mounts.push_back({{"name", storage_volume_name(s.mount_path)}, {"mountPath", s.mount_path}});
  for (const auto& m : b.config.volume_mounts)
    mounts.push_back(m);
  json container = {{"name", "kafka"},
                    {"image", *b.config.image},
                    {"imagePullPolicy", "IfNotPresent"},
                    {"command", kafka_command(c)},
                    {"env", kafka_env(c, b)},
                    {"ports", container_ports(c, b)},
                    {"resources", *b.config.resource_requirements},
                    {"volumeMounts", mounts}};
  if (auto probe = readiness_probe(c, b); !probe.is_null())
    container["readinessProbe"] = probe;
  if (b.config.security_context)
    container["securityContext"] = *b.config.security_context;
  return container;
}

json init_containers(const kafka_cluster& c, const effective_broker& b) {
  std::map<std::string, json> by_name;
  for (const auto& ic : b.config.init_containers)
    by_name[string_or(ic, "name")] = ic; // the user's raw initContainers: tolerate any shape
  by_name["cruise-control-reporter"] = {
    {"name", "cruise-control-reporter"},
    {"image", metrics_reporter_image(c, b)},
    {"imagePullPolicy", "IfNotPresent"},
    {"command", json::array({"/bin/sh", "-cex",
                             std::string{"cp -v "} + reporter_jar + " " + extensions_dir
                               + "/cruise-control-metrics-reporter.jar"})},
    {"resources", {{"limits", {{"cpu", "100m"}, {"memory", "100Mi"}}}, {"requests", {{"cpu", "100m"}, {"memory", "100Mi"}}}}},
    {"volumeMounts", json::array({{{"name", "extensions"}, {"mountPath", extensions_dir}}})}};
  if (c.spec.monitoring) {
    const auto& m = *c.spec.monitoring;
    auto image = m.jmx_image && !m.jmx_image->empty() ? *m.jmx_image : std::string{default_jmx_image};
    auto jar = m.path_to_jar && !m.path_to_jar->empty() ? *m.path_to_jar : std::string{default_jmx_path_to_jar};
    by_name["jmx-exporter"] = {
      {"name", "jmx-exporter"},
      {"image", image},
      {"imagePullPolicy", "IfNotPresent"},
      {"command", json::array({"cp", jar, jmx_exporter_jar})},
      {"resources", {{"limits", {{"cpu", "100m"}, {"memory", "100Mi"}}}, {"requests", {{"cpu", "100m"}, {"memory", "100Mi"}}}}},
      {"volumeMounts", json::array({{{"name", jmx_jar_volume}, {"mountPath", jmx_agent_dir()}}})}};
  }
  json out = json::array();
  for (auto& [name, ic] : by_name)
    out.push_back(std::move(ic));
  return out;
}

json volumes(const kafka_cluster& c, const effective_broker& b) {
  json out = json::array({{{"name", "broker-config"},
                           {"configMap", {{"name", configmap_name(c, b.id)}, {"defaultMode", 420}}}},
                          {{"name", "extensions"}, {"emptyDir", json::object()}}});
  if (c.spec.monitoring) {
    out.push_back({{"name", jmx_jar_volume}, {"emptyDir", json::object()}});
    out.push_back({{"name", jmx_config_volume}, {"configMap", {{"name", jmx_exporter_configmap_name(c)}, {"defaultMode", 420}}}});
  }
  for (const auto& s : b.config.storage_configs) {
    json v = {{"name", storage_volume_name(s.mount_path)}};
    if (s.pvc_spec)
      v["persistentVolumeClaim"] = {{"claimName", pvc_name(c, b.id, s.mount_path)}};
    else
      v["emptyDir"] = s.empty_dir.value_or(json::object());
    out.push_back(v);
  }
  for (const auto& v : b.config.volumes)
    out.push_back(v);
  return out;
}

json affinity(const kafka_cluster& c, const effective_broker& b) {
  if (b.config.affinity && !b.config.affinity->empty())
    return *b.config.affinity;
  json term = {{"labelSelector", {{"matchLabels", cluster_labels(c)}}}, {"topologyKey", "kubernetes.io/hostname"}};
  if (c.spec.one_broker_per_node)
    return {{"podAntiAffinity", {{"requiredDuringSchedulingIgnoredDuringExecution", json::array({term})}}}};
  return {{"podAntiAffinity",
           {{"preferredDuringSchedulingIgnoredDuringExecution",
             json::array({{{"weight", 100}, {"podAffinityTerm", term}}})}}}};
}

json pod_spec(const kafka_cluster& c, const effective_broker& b) {
  json containers = json::array({kafka_container(c, b)});
  for (const auto& sidecar : b.config.containers)
    containers.push_back(sidecar);
  json spec = {{"containers", containers},
               {"initContainers", init_containers(c, b)},
               {"volumes", volumes(c, b)},
               {"affinity", affinity(c, b)},
               {"restartPolicy", "Never"},
               {"terminationGracePeriodSeconds", *b.config.termination_grace_period_seconds},
               {"serviceAccountName", *b.config.service_account_name},
               {"dnsPolicy", "ClusterFirst"}};
  if (c.spec.headless_service_enabled) {
    spec["hostname"] = pod_name(c, b.id);
    spec["subdomain"] = broker_subdomain(c, b.id);
  }
  if (!b.config.node_selector.empty())
    spec["nodeSelector"] = b.config.node_selector;
  if (!b.config.tolerations.empty())
    spec["tolerations"] = b.config.tolerations;
  if (!b.config.image_pull_secrets.empty())
    spec["imagePullSecrets"] = b.config.image_pull_secrets;
  if (b.config.pod_security_context)
    spec["securityContext"] = *b.config.pod_security_context;
  if (b.config.priority_class_name && !b.config.priority_class_name->empty())
    spec["priorityClassName"] = *b.config.priority_class_name;
  return spec;
}

} // namespace

std::string broker_revision(const json& spec, const properties& server_properties) {
  properties restart_keys = server_properties;
  for (const auto& key : per_broker_dynamic_keys())
    restart_keys.erase(key);
  return short_hash(spec.dump() + "\n" + render_properties(restart_keys));
}

std::string kraft_cluster_id(const kafka_cluster& c) {
  if (c.status.cluster_id && !c.status.cluster_id->empty())
    return *c.status.cluster_id;
  auto seed = c.metadata.uid.empty() ? cluster_namespace(c) + "/" + c.metadata.name : c.metadata.uid;
  // 16 bytes from two independent hashes, base64url without padding: the shape Kafka's random ids have.
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  uint64_t hi = fnv1a64(seed), lo = fnv1a64(seed + "#kraft");
  std::string out;
  unsigned __int128 bits = (static_cast<unsigned __int128>(hi) << 64) | lo;
  for (int i = 0; i < 22; ++i) {
    int shift = 122 - 6 * i;
    out += alphabet[shift >= 0 ? static_cast<int>((bits >> shift) & 0x3F) : static_cast<int>((bits << 4) & 0x3F)];
  }
  return out;
}

json render_pod(const kafka_cluster& c, const effective_broker& b) {
  json spec = pod_spec(c, b);
  json meta = object_metadata(c, pod_name(c, b.id), broker_labels(c, b));
  json annotations = b.config.broker_annotations;
  if (c.spec.monitoring) { // for Prometheus's annotation-based pod discovery; the user's own values win
    if (!annotations.contains("prometheus.io/scrape"))
      annotations["prometheus.io/scrape"] = "true";
    if (!annotations.contains("prometheus.io/port"))
      annotations["prometheus.io/port"] = std::to_string(jmx_exporter_port);
  }
  auto restart_inputs = render_server_properties(c, b);
  // A rack read off the node is not known yet (model::plan_broker writes it once the pod is scheduled) and
  // is no reason to restart; its source is: turning rack awareness on or changing its labels restarts.
  std::string labels;
  for (const auto& l : rack_labels_from_node(c, b))
    labels += (labels.empty() ? "" : ",") + l;
  if (!labels.empty())
    restart_inputs["broker.rack"] = "(the node's " + labels + ")";
  annotations[revision_annotation] = broker_revision(spec, restart_inputs);
  meta["annotations"] = annotations;
  return {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", meta}, {"spec", spec}};
}

} // namespace kactor::model
