#include "model/render/server_properties.hpp"

#include <algorithm>

#include "model/defaults.hpp"
#include "model/render/cruise_control_configmap.hpp"
#include "model/render/metadata.hpp"

namespace kactor::model {

namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  return s;
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts)
    out += (out.empty() ? "" : sep) + p;
  return out;
}

const char* cruise_control_reporter = "com.linkedin.kafka.cruisecontrol.metricsreporter.CruiseControlMetricsReporter";

void add_listener_keys(properties& p, const kafka_cluster& c, const effective_broker& b) {
  std::vector<std::string> listeners, advertised, protocols;
  const listener* ctrl = controller_listener(c.spec);
  for (const listener* l : broker_listeners(c, b)) {
    auto name = upper(l->name);
    listeners.push_back(name + "://:" + std::to_string(l->container_port));
    bool external = std::any_of(c.spec.listeners.external_listeners.begin(),
                                c.spec.listeners.external_listeners.end(), [&](const listener& e) { return &e == l; });
    // KRaft controllers are reached through controller.quorum.voters, never advertised.
    if (c.spec.k_raft && l == ctrl)
      continue;
    if (!external)
      advertised.push_back(name + "://" + broker_host(c, b.id) + ":" + std::to_string(l->container_port));
    else if (l->hostname_override && l->external_starting_port)
      advertised.push_back(name + "://" + *l->hostname_override + ":"
                           + std::to_string(*l->external_starting_port + b.id));
  }
  for (const auto* group : {&c.spec.listeners.internal_listeners, &c.spec.listeners.external_listeners})
    for (const auto& l : *group)
      protocols.push_back(upper(l.name) + ":" + upper(l.type));
  std::sort(advertised.begin(), advertised.end());
  p["listeners"] = join(listeners, ",");
  if (!advertised.empty() && b.is_broker())
    p["advertised.listeners"] = join(advertised, ",");
  p["listener.security.protocol.map"] = join(protocols, ",");
  const listener* inner = inner_broker_listener(c.spec);
  if (inner && !b.read_only.contains("security.inter.broker.protocol"))
    p["inter.broker.listener.name"] = upper(inner->name);
  if (ctrl && c.spec.k_raft)
    p["controller.listener.names"] = upper(ctrl->name);
  else if (ctrl)
    p["control.plane.listener.name"] = upper(ctrl->name);
}

void add_kraft_keys(properties& p, const kafka_cluster& c, const effective_broker& b) {
  p["node.id"] = std::to_string(b.id);
  p["process.roles"] = join(b.process_roles, ",");
  const listener* ctrl = controller_listener(c.spec);
  if (!ctrl)
    return;
  std::vector<std::pair<int32_t, std::string>> voters;
  for (const auto& other : c.spec.brokers) {
    auto roles = merged_broker_config(c.spec, other);
    if (roles && std::count(roles->process_roles.begin(), roles->process_roles.end(), "controller") > 0)
      voters.emplace_back(other.id, std::to_string(other.id) + "@" + broker_host(c, other.id) + ":"
                                      + std::to_string(ctrl->container_port));
  }
  std::sort(voters.begin(), voters.end());
  std::vector<std::string> parts;
  for (auto& v : voters)
    parts.push_back(v.second);
  p["controller.quorum.voters"] = join(parts, ",");
}

void add_cruise_control_keys(properties& p, const kafka_cluster& c, const effective_broker& b) {
  if (b.read_only.contains("security.inter.broker.protocol") || !b.is_broker())
    return;
  auto servers = cruise_control_bootstrap_servers(c);
  if (servers.empty())
    return;
  p["metric.reporters"] = cruise_control_reporter;
  p["cruise.control.metrics.reporter.bootstrap.servers"] = servers;
  p["cruise.control.metrics.reporter.kubernetes.mode"] = "true";
  if (!deploys_cruise_control(c))
    return;
  // Cruise Control reads its samples from this topic: the reporter creates it (its default is not to,
  // CruiseControlMetricsReporterConfig DEFAULT_CRUISE_CONTROL_METRICS_TOPIC_AUTO_CREATE = false, and a
  // cluster with auto.create.topics.enable=false would never get it), sized by topicConfig (Koperator's).
  p["cruise.control.metrics.topic.auto.create"] = "true";
  if (c.spec.cruise_control.topic_partitions)
    p["cruise.control.metrics.topic.num.partitions"] = std::to_string(*c.spec.cruise_control.topic_partitions);
  if (c.spec.cruise_control.topic_replication_factor)
    p["cruise.control.metrics.topic.replication.factor"] = std::to_string(*c.spec.cruise_control.topic_replication_factor);
}

// kactor knows each broker's node selector, so a rack every label of which is pinned there is the broker's
// rack; otherwise its node says (rack_labels_from_node).
void add_rack(properties& p, const kafka_cluster& c, const effective_broker& b) {
  if (c.spec.rack_awareness_labels.empty() || !rack_labels_from_node(c, b).empty())
    return;
  std::vector<std::string> values;
  for (const auto& label : c.spec.rack_awareness_labels)
    values.push_back(b.config.node_selector.at(label));
  if (!b.read_only.contains("broker.rack"))
    p["broker.rack"] = join(values, ",");
}

} // namespace

std::vector<std::string> rack_labels_from_node(const kafka_cluster& c, const effective_broker& b) {
  if (b.read_only.contains("broker.rack"))
    return {};
  for (const auto& label : c.spec.rack_awareness_labels)
    if (!b.config.node_selector.contains(label))
      return c.spec.rack_awareness_labels;
  return {};
}

std::string cruise_control_bootstrap_servers(const kafka_cluster& c) {
  const listener* port_from = nullptr;
  for (const auto& l : c.spec.listeners.internal_listeners)
    if (l.used_for_kafka_admin_communication)
      port_from = &l;
  if (!port_from)
    port_from = inner_broker_listener(c.spec);
  if (!port_from)
    return "";
  auto service = c.spec.headless_service_enabled ? headless_service_name(c) : all_broker_service_name(c);
  return service + "." + cluster_namespace(c) + ".svc." + cluster_domain(c.spec) + ":"
         + std::to_string(port_from->container_port);
}

std::string zookeeper_connect(const kafka_cluster_spec& spec) {
  return join(spec.zk_addresses, ",") + zk_path(spec);
}

const std::set<std::string>& per_broker_dynamic_keys() {
  static const std::set<std::string> keys{"ssl.client.auth", "listeners", "advertised.listeners",
                                          "listener.security.protocol.map"};
  return keys;
}

const listener* inner_broker_listener(const kafka_cluster_spec& spec) {
  for (const auto* group : {&spec.listeners.internal_listeners, &spec.listeners.external_listeners})
    for (const auto& l : *group)
      if (l.used_for_inner_broker_communication)
        return &l;
  return nullptr;
}

const listener* controller_listener(const kafka_cluster_spec& spec) {
  for (const auto& l : spec.listeners.internal_listeners)
    if (l.used_for_controller_communication)
      return &l;
  return nullptr;
}

std::vector<const listener*> broker_listeners(const kafka_cluster& c, const effective_broker& b) {
  std::vector<const listener*> out;
  const listener* ctrl = controller_listener(c.spec);
  for (const auto* group : {&c.spec.listeners.internal_listeners, &c.spec.listeners.external_listeners})
    for (const auto& l : *group) {
      bool is_ctrl = &l == ctrl;
      // KRaft: controller-only nodes open only the controller listener; broker-only nodes every other one.
      if (c.spec.k_raft && ((is_ctrl && !b.is_controller()) || (!is_ctrl && !b.is_broker())))
        continue;
      out.push_back(&l);
    }
  return out;
}

properties render_server_properties(const kafka_cluster& c, const effective_broker& b) {
  properties generated;
  if (c.spec.k_raft) {
    add_kraft_keys(generated, c, b);
  } else {
    generated["broker.id"] = std::to_string(b.id);
    generated["zookeeper.connect"] = zookeeper_connect(c.spec);
  }
  add_listener_keys(generated, c, b);
  std::vector<std::string> dirs;
  for (const auto& s : b.config.storage_configs)
    dirs.push_back(s.mount_path + "/kafka");
  if (!dirs.empty())
    generated["log.dirs"] = join(dirs, ",");
  add_cruise_control_keys(generated, c, b);
  add_rack(generated, c, b);
  return merge_properties(b.read_only, generated);
}

} // namespace kactor::model
