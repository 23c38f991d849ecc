#include "model/validate/kafka_cluster_validate.hpp"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "model/document.hpp"
#include "model/effective_broker.hpp"
#include "model/properties.hpp"
#include "model/quantity.hpp"
#include "model/render/cruise_control_configmap.hpp"
#include "model/render/pod_disruption_budget.hpp"

namespace kactor::model {

namespace {

const std::regex& dns_subdomain() {
  static const std::regex r{"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"};
  return r;
}

std::string idx(const std::string& base, size_t i) {
  return base + "[" + std::to_string(i) + "]";
}

struct checker {
  const kafka_cluster& c;
  field_errors errors{};

  void fail(std::string path, std::string message) { errors.push_back({std::move(path), std::move(message)}); }

  void properties_field(const std::optional<std::string>& text, const std::string& path) {
    if (!text)
      return;
    if (auto parsed = parse_properties(*text); !parsed)
      fail(path, parsed.error().message());
  }

  void resources(const json& r, const std::string& path) {
    if (!r.is_object())
      return fail(path, "expected an object with requests and limits");
    std::map<std::string, quantity> requests;
    for (const char* section : {"requests", "limits"}) {
      if (!r.contains(section))
        continue;
      const json& values = r[section];
      if (!values.is_object()) {
        fail(path + "." + section, "expected an object of resource quantities");
        continue;
      }
      for (const auto& [name, value] : values.items()) {
        auto at = path + "." + section + "." + name;
        std::string text = value.is_string() ? value.get<std::string>() : value.is_number() ? value.dump() : "";
        auto q = parse_quantity(text);
        if (!value.is_string() && !value.is_number())
          fail(at, "expected a quantity such as 500m or 2Gi");
        else if (!q)
          fail(at, q.error().message());
        else if (std::string{section} == "requests")
          requests[name] = *q;
        else if (requests.contains(name) && requests[name] > *q)
          fail(path + ".requests." + name, "request " + requests[name].text + " exceeds limit " + q->text);
      }
    }
  }

  void storage(const std::vector<storage_config>& list, const std::string& path) {
    std::set<std::string> seen;
    for (size_t i = 0; i < list.size(); ++i) {
      const auto& s = list[i];
      auto at = idx(path, i);
      if (s.mount_path.empty())
        fail(at + ".mountPath", "required field is missing");
      else if (s.mount_path[0] != '/')
        fail(at + ".mountPath", "must be an absolute path, got \"" + s.mount_path + "\"");
      else if (!seen.insert(s.mount_path).second)
        fail(at + ".mountPath", "mountPath \"" + s.mount_path + "\" is used by another storageConfig");
      if (s.pvc_spec.has_value() == s.empty_dir.has_value())
        fail(at, "exactly one of pvcSpec and emptyDir must be set");
      if (s.pvc_spec) {
        const json* storage = nullptr;
        if (s.pvc_spec->is_object() && s.pvc_spec->contains("resources") && (*s.pvc_spec)["resources"].is_object()
            && (*s.pvc_spec)["resources"].contains("requests"))
          if (const auto& req = (*s.pvc_spec)["resources"]["requests"]; req.is_object() && req.contains("storage"))
            storage = &req["storage"];
        auto sat = at + ".pvcSpec.resources.requests.storage";
        if (!storage)
          fail(sat, "required field is missing");
        else if (auto q = parse_quantity(storage->is_string() ? storage->get<std::string>() : storage->dump()); !q)
          fail(sat, q.error().message());
        else if (q->value <= 0)
          fail(sat, "must be positive, got " + q->text);
      }
    }
  }

  void broker_config_fields(const broker_config& b, const std::string& path) {
    if (b.resource_requirements)
      resources(*b.resource_requirements, path + ".resourceRequirements");
    storage(b.storage_configs, path + ".storageConfigs");
    properties_field(b.config, path + ".config");
    if (b.termination_grace_period_seconds && *b.termination_grace_period_seconds < 0)
      fail(path + ".terminationGracePeriodSeconds", "must not be negative");
    for (size_t i = 0; i < b.envs.size(); ++i)
      if (!b.envs[i].is_object() || !b.envs[i].contains("name") || !b.envs[i]["name"].is_string())
        fail(idx(path + ".envs", i) + ".name", "required field is missing");
    for (size_t i = 0; i < b.process_roles.size(); ++i) {
      const auto& role = b.process_roles[i];
      if (role != "broker" && role != "controller")
        fail(idx(path + ".processRoles", i), "must be \"broker\" or \"controller\", got \"" + role + "\"");
      else if (!c.spec.k_raft)
        fail(idx(path + ".processRoles", i), "processRoles is only valid with spec.kRaft: true");
    }
  }

  void groups() {
    for (const auto& [name, group] : c.spec.broker_config_groups)
      broker_config_fields(group, "spec.brokerConfigGroups." + name);
  }

  void brokers() {
    const auto& list = c.spec.brokers;
    if (list.empty())
      fail("spec.brokers", "at least one broker is required");
    std::map<int32_t, size_t> first_index;
    for (size_t i = 0; i < list.size(); ++i) {
      const auto& b = list[i];
      auto at = idx("spec.brokers", i);
      if (b.id < 0)
        fail(at + ".id", "broker id must be between 0 and 2147483647, got " + std::to_string(b.id));
      else if (auto [it, fresh] = first_index.emplace(b.id, i); !fresh)
        fail(at + ".id", "duplicate broker id " + std::to_string(b.id) + " (also spec.brokers["
                           + std::to_string(it->second) + "])");
      if (b.broker_config_group && !b.broker_config_group->empty()
          && !c.spec.broker_config_groups.contains(*b.broker_config_group)) {
        std::string known;
        for (const auto& [name, g] : c.spec.broker_config_groups)
          known += (known.empty() ? "" : ", ") + name;
        fail(at + ".brokerConfigGroup", "unknown brokerConfigGroup \"" + *b.broker_config_group + "\" (defined: "
                                          + (known.empty() ? "none" : known) + ")");
      }
      properties_field(b.read_only_config, at + ".readOnlyConfig");
      if (b.config)
        broker_config_fields(*b.config, at + ".brokerConfig");
    }
  }

  void listeners() {
    const auto& lc = c.spec.listeners;
    if (lc.internal_listeners.empty())
      fail("spec.listenersConfig.internalListeners", "at least one internal listener is required");
    static const std::set<std::string> types{"plaintext", "ssl", "sasl_plaintext", "sasl_ssl"};
    static const std::regex name_re{"^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$"};
    std::map<std::string, std::string> names;
    std::map<int32_t, std::string> ports;
    int inner = 0;
    auto one = [&](const listener& l, const std::string& at, bool external) {
      if (!types.contains(l.type))
        fail(at + ".type", "must be one of plaintext, ssl, sasl_plaintext, sasl_ssl, got \"" + l.type + "\"");
      if (l.name.size() > 63 || !std::regex_match(l.name, name_re))
        fail(at + ".name", "must be lowercase letters, digits, '-' or '_', got \"" + l.name + "\"");
      else if (auto [it, fresh] = names.emplace(l.name, at); !fresh)
        fail(at + ".name", "listener name \"" + l.name + "\" is also used by " + it->second);
      if (l.container_port < 1 || l.container_port > 65535)
        fail(at + ".containerPort", "must be between 1 and 65535, got " + std::to_string(l.container_port));
      else if (auto [it, fresh] = ports.emplace(l.container_port, at); !fresh)
        fail(at + ".containerPort", "port " + std::to_string(l.container_port) + " is also used by " + it->second);
      if (l.used_for_inner_broker_communication)
        ++inner;
      if (external && !l.external_starting_port)
        fail(at + ".externalStartingPort", "required for an external listener");
    };
    for (size_t i = 0; i < lc.internal_listeners.size(); ++i)
      one(lc.internal_listeners[i], idx("spec.listenersConfig.internalListeners", i), false);
    for (size_t i = 0; i < lc.external_listeners.size(); ++i)
      one(lc.external_listeners[i], idx("spec.listenersConfig.externalListeners", i), true);
    if (!lc.internal_listeners.empty() && inner == 0)
      fail("spec.listenersConfig", "no listener has usedForInnerBrokerCommunication: true; brokers need one to "
                                   "replicate");
    else if (inner > 1)
      fail("spec.listenersConfig", "only one listener may have usedForInnerBrokerCommunication: true, found "
                                     + std::to_string(inner));
  }

  // A configuration the exporter cannot read stops every broker's JVM at start, one broker per roll step:
  // refused here instead.
  void monitoring() {
    if (!c.spec.monitoring || !c.spec.monitoring->kafka_jmx_exporter_config)
      return;
    const std::string path = "spec.monitoringConfig.kafkaJMXExporterConfig";
    const auto& text = *c.spec.monitoring->kafka_jmx_exporter_config;
    if (text.empty())
      return; // the default rules
    auto docs = load_documents(text, path);
    if (!docs)
      return fail(path, docs.error().message());
    if (docs->size() != 1 || !(*docs)[0].is_object())
      return fail(path, "expected one YAML mapping (the JMX exporter's configuration: lowercaseOutputName, rules, ...)");
    const json& config = (*docs)[0];
    if (config.contains("rules") && !config["rules"].is_array())
      return fail(path + ".rules", "expected a list of rules");
    if (config.contains("rules"))
      for (size_t i = 0; i < config["rules"].size(); ++i)
        if (!config["rules"][i].is_object())
          fail(idx(path + ".rules", i), "expected a rule (pattern, name, type, ...)");
  }

  // Cruise Control reads these files only when it starts: one it cannot read keeps it down, and with it every
  // graceful scale and disk removal. Checked only when kactor deploys it (no cruiseControlEndpoint): otherwise
  // nothing reads them, as with Koperator.
  void cruise_control() {
    if (!deploys_cruise_control(c))
      return;
    const auto& cc = c.spec.cruise_control;
    properties_field(cc.config, "spec.cruiseControlConfig.config");
    if (cc.resource_requirements)
      resources(*cc.resource_requirements, "spec.cruiseControlConfig.resourceRequirements");
    if (cc.capacity_config && !cc.capacity_config->empty()) {
      const std::string path = "spec.cruiseControlConfig.capacityConfig";
      json parsed = json::parse(*cc.capacity_config, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded())
        fail(path, "expected JSON (Cruise Control's capacity.json), got text that does not parse as JSON");
      else if (!parsed.is_object() || !parsed.contains("brokerCapacities") || !parsed["brokerCapacities"].is_array())
        fail(path, "expected a JSON object with a brokerCapacities array (Cruise Control's capacity.json)");
    }
    if (cc.cluster_config && !cc.cluster_config->empty()) {
      json parsed = json::parse(*cc.cluster_config, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded() || !parsed.is_object())
        fail("spec.cruiseControlConfig.clusterConfig", "expected a JSON object (Cruise Control's clusterConfigs.json)");
    }
  }

  void cluster_settings() {
    const auto& s = c.spec;
    if (auto t = s.rolling_upgrade.failure_threshold; t && *t < 1)
      fail("spec.rollingUpgradeConfig.failureThreshold", "must be at least 1, got " + std::to_string(*t));
    if (auto n = s.rolling_upgrade.concurrent_broker_restart_count_per_rack; n && *n < 1)
      fail("spec.rollingUpgradeConfig.concurrentBrokerRestartCountPerRack", "must be at least 1");
    if (s.disruption && s.disruption->create && !pdb_min_available(s.disruption->budget, 1))
      fail("spec.disruptionBudget.budget", "must be a number of brokers (\"1\") or a percentage (\"20%\"), got \""
                                             + s.disruption->budget + "\"");
    if (s.alert_manager) {
      if (s.alert_manager->up_scale_limit && *s.alert_manager->up_scale_limit < 0)
        fail("spec.alertManagerConfig.upScaleLimit", "must not be negative");
      if (s.alert_manager->down_scale_limit && *s.alert_manager->down_scale_limit < 0)
        fail("spec.alertManagerConfig.downScaleLimit", "must not be negative");
      const auto& allowed = s.alert_manager->allowed_annotations;
      for (size_t i = 0; i < allowed.size(); ++i)
        if (std::find(std::begin(alert_choosable_annotations), std::end(alert_choosable_annotations), allowed[i])
            == std::end(alert_choosable_annotations))
          fail("spec.alertManagerConfig.allowedAnnotations[" + std::to_string(i) + "]",
               "\"" + allowed[i] + "\" is not one of image, storageClass, mountPath, diskSize");
    }
    if (const auto& secret = s.cruise_control.credentials_secret;
        secret && (secret->empty() || secret->size() > 253 || !std::regex_match(*secret, dns_subdomain())))
      fail("spec.cruiseControlConfig.credentialsSecretRef.name",
           "must be a Secret's name (a DNS subdomain), got \"" + *secret + "\"");
    properties_field(s.read_only_config, "spec.readOnlyConfig");
    properties_field(s.cluster_wide_config, "spec.clusterWideConfig");
    for (size_t i = 0; i < s.envs.size(); ++i)
      if (!s.envs[i].is_object() || !s.envs[i].contains("name") || !s.envs[i]["name"].is_string())
        fail(idx("spec.envs", i) + ".name", "required field is missing");
  }

  void mode() {
    const auto& s = c.spec;
    if (!s.k_raft) {
      if (s.zk_addresses.empty())
        fail("spec.zkAddresses", "required in ZooKeeper mode (set spec.kRaft: true for KRaft)");
      return;
    }
    bool has_listener = std::any_of(s.listeners.internal_listeners.begin(), s.listeners.internal_listeners.end(),
                                    [](const listener& l) { return l.used_for_controller_communication; });
    if (!has_listener)
      fail("spec.listenersConfig.internalListeners", "KRaft needs a listener with usedForControllerCommunication: "
                                                     "true");
    int controllers = 0, brokers = 0;
    for (const auto& b : s.brokers) {
      auto merged = merged_broker_config(s, b);
      if (!merged)
        continue;
      for (const auto& r : merged->process_roles)
        (r == "controller" ? controllers : brokers) += 1;
    }
    if (controllers == 0)
      fail("spec.brokers", "KRaft needs at least one broker with processRoles containing \"controller\"");
    if (brokers == 0)
      fail("spec.brokers", "KRaft needs at least one broker with processRoles containing \"broker\"");
  }

  // Disks can also collide after the merge (a broker's own list plus its group's is deduplicated, so only
  // the group and the broker disagreeing on the kind of one mount path is worth reporting).
  void merged_disks() {
    for (size_t i = 0; i < c.spec.brokers.size(); ++i) {
      auto merged = merged_broker_config(c.spec, c.spec.brokers[i]);
      if (merged && c.spec.k_raft && merged->process_roles.empty())
        fail(idx("spec.brokers", i) + ".brokerConfig.processRoles",
             "required in KRaft mode (\"broker\", \"controller\" or both)");
    }
  }

  void metadata() {
    static const std::regex dns_label{"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"};
    const auto& name = c.metadata.name;
    if (name.empty())
      fail("metadata.name", "required field is missing");
    else if (name.size() > 40 || !std::regex_match(name, dns_label))
      fail("metadata.name", "must be a DNS label of at most 40 characters (it prefixes every object name), got \""
                              + name + "\"");
  }
};

} // namespace

field_errors validate_kafka_cluster(const kafka_cluster& c) {
  checker check{c};
  check.metadata();
  check.brokers();
  check.groups();
  check.listeners();
  check.cluster_settings();
  check.monitoring();
  check.cruise_control();
  check.mode();
  check.merged_disks();
  return check.errors;
}

std::vector<std::string> lint_kafka_cluster(const kafka_cluster& c) {
  std::vector<std::string> out;
  const auto& ext = c.spec.listeners.external_listeners;
  for (size_t i = 0; i < ext.size(); ++i)
    if (!ext[i].hostname_override)
      out.push_back(idx("spec.listenersConfig.externalListeners", i)
                    + ": kactor creates no LoadBalancer/NodePort/ingress access; without hostnameOverride this "
                      "listener is opened but not advertised");
  for (const auto* group : {&c.spec.listeners.internal_listeners, &ext})
    for (const auto& l : *group)
      if (l.type == "ssl" || l.type == "sasl_ssl") {
        out.push_back("spec.listenersConfig: listener \"" + l.name
                      + "\" uses TLS; kactor does not render keystores yet, supply them through readOnlyConfig");
        break;
      }
  return out;
}

} // namespace kactor::model
