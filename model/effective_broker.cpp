#include "model/effective_broker.hpp"
#include "model/json_read.hpp"

#include <algorithm>
#include <set>

#include "model/defaults.hpp"
#include "model/parse/kafka_cluster_io.hpp"

namespace kactor::model {

namespace {

// mergo.Merge(dst, src, WithAppendSlice): dst wins, src fills the gaps, lists append.
void fill_from(json& dst, const json& src) {
  for (const auto& [key, value] : src.items()) {
    auto it = dst.find(key);
    if (it == dst.end() || it->is_null())
      dst[key] = value;
    else if (it->is_object() && value.is_object())
      fill_from(*it, value);
    else if (it->is_array() && value.is_array())
      it->insert(it->end(), value.begin(), value.end());
  }
}

// mergo.Merge(dst, src, WithOverride): src (the broker) replaces dst (the group) wherever it says something.
void override_with(json& dst, const json& src) {
  for (const auto& [key, value] : src.items()) {
    auto it = dst.find(key);
    if (it != dst.end() && it->is_object() && value.is_object())
      override_with(*it, value);
    else if (!value.is_null())
      dst[key] = value;
  }
}

result<properties> parse_field(const std::optional<std::string>& text, const std::string& path) {
  if (!text)
    return properties{};
  auto parsed = parse_properties(*text);
  if (!parsed)
    return status::invalid(path + ": " + parsed.error().message());
  return parsed;
}

template <class T>
void set_default(std::optional<T>& field, T value) {
  if (!field || (std::is_same_v<T, std::string> && *field == T{}))
    field = std::move(value);
}

} // namespace

bool effective_broker::is_controller() const {
  return std::find(process_roles.begin(), process_roles.end(), "controller") != process_roles.end();
}

bool effective_broker::is_broker() const {
  return std::find(process_roles.begin(), process_roles.end(), "broker") != process_roles.end();
}

result<broker_config> merged_broker_config(const kafka_cluster_spec& spec, const broker& b) {
  json own = b.config ? to_json(*b.config) : json::object();
  json group = json::object();
  if (b.broker_config_group && !b.broker_config_group->empty()) {
    auto it = spec.broker_config_groups.find(*b.broker_config_group);
    if (it == spec.broker_config_groups.end())
      return status::not_found("broker " + std::to_string(b.id) + ": unknown brokerConfigGroup \""
                               + *b.broker_config_group + "\"");
    group = to_json(it->second);
  }
  json merged = own;
  if (group.contains("affinity") || own.contains("affinity")) {
    json affinity = group.value("affinity", json::object());
    override_with(affinity, own.value("affinity", json::object()));
    merged["affinity"] = affinity;
    group.erase("affinity");
  }
  fill_from(merged, group);
  field_errors errors;
  std::vector<std::string> warnings;
  broker_config out = parse_broker_config(merged, "", errors, warnings);
  // storageConfigs: first entry per mountPath wins (the broker's, since its entries come first).
  std::set<std::string> seen;
  std::erase_if(out.storage_configs, [&](const storage_config& s) { return !seen.insert(s.mount_path).second; });
  // envs: cluster → group → broker.
  std::vector<json> envs = spec.envs;
  if (group.contains("envs"))
    envs.insert(envs.end(), group["envs"].begin(), group["envs"].end());
  if (own.contains("envs"))
    envs.insert(envs.end(), own["envs"].begin(), own["envs"].end());
  out.envs = std::move(envs);
  return out;
}

result<effective_broker> make_effective_broker(const kafka_cluster& cluster, int32_t id) {
  const auto& spec = cluster.spec;
  auto it = std::find_if(spec.brokers.begin(), spec.brokers.end(), [id](const broker& b) { return b.id == id; });
  if (it == spec.brokers.end())
    return status::not_found("broker " + std::to_string(id) + " is not in spec.brokers");
  effective_broker out;
  out.id = id;
  out.index = static_cast<size_t>(it - spec.brokers.begin());
  auto merged = merged_broker_config(spec, *it);
  if (!merged)
    return merged.error();
  out.config = std::move(*merged);
  auto& c = out.config;
  set_default(c.image, cluster_image(spec));
  set_default(c.kafka_heap_opts, std::string{default_kafka_heap_opts});
  set_default(c.kafka_jvm_perf_opts, std::string{default_kafka_jvm_perf_opts});
  set_default(c.service_account_name, std::string{default_service_account});
  if (!c.termination_grace_period_seconds)
    c.termination_grace_period_seconds = default_termination_grace_period_seconds;
  if (!c.resource_requirements || c.resource_requirements->empty())
    c.resource_requirements = default_resource_requirements();
  auto path = "spec.brokers[" + std::to_string(out.index) + "]";
  auto cluster_ro = parse_field(spec.read_only_config, "spec.readOnlyConfig");
  if (!cluster_ro)
    return cluster_ro.error();
  auto broker_ro = parse_field(it->read_only_config, path + ".readOnlyConfig");
  if (!broker_ro)
    return broker_ro.error();
  out.read_only = merge_properties(*cluster_ro, *broker_ro);
  auto dynamic = parse_field(c.config, path + ".brokerConfig.config");
  if (!dynamic)
    return dynamic.error();
  out.dynamic = std::move(*dynamic);
  if (spec.k_raft)
    out.process_roles = c.process_roles;
  else
    out.process_roles = {"broker"};
  return out;
}

std::vector<json> resolve_envs(const std::vector<json>& defaults, const std::vector<json>& envs) {
  std::map<std::string, json> by_name;
  for (const auto& e : defaults)
    by_name[string_or(e, "name")] = e;
  // envs are the user's raw EnvVar lists: any field may have another type.
  for (const auto& e : envs) {
    std::string name = string_or(e, "name");
    if (e.contains("valueFrom") || name.empty()) {
      by_name[name] = e;
      continue;
    }
    std::string value = string_or(e, "value");
    bool prepend = name.front() == '+';
    bool append = !prepend && name.size() > 1 && name.back() == '+';
    std::string base = prepend ? name.substr(1) : append ? name.substr(0, name.size() - 1) : name;
    auto old = by_name.find(base);
    json entry = {{"name", base}, {"value", value}};
    if (old != by_name.end() && (prepend || append) && old->second.contains("value")) {
      std::string prev = string_or(old->second, "value");
      entry["value"] = prepend ? value + prev : prev + value;
    }
    by_name[base] = entry;
  }
  std::vector<json> out;
  for (auto& [name, e] : by_name)
    out.push_back(std::move(e));
  return out;
}

} // namespace kactor::model
