#include "model/diff/dynamic_config.hpp"

#include "model/effective_broker.hpp"
#include "model/render/server_properties.hpp"

namespace kactor::model {

std::string config_change::to_string() const {
  std::string out;
  for (const auto& [k, v] : set)
    out += (out.empty() ? "set " : "; set ") + k + "=" + v;
  for (const auto& k : remove)
    out += (out.empty() ? "remove " : "; remove ") + k;
  return out;
}

result<properties> desired_broker_dynamic_config(const kafka_cluster& c, int32_t id) {
  auto b = make_effective_broker(c, id);
  if (!b.is_ok())
    return b.error();
  properties out = b.value().dynamic;
  auto rendered = render_server_properties(c, b.value());
  for (const auto& key : per_broker_dynamic_keys())
    if (auto it = rendered.find(key); it != rendered.end())
      out[key] = it->second;
  return out;
}

result<properties> desired_cluster_wide_config(const kafka_cluster& c) {
  if (!c.spec.cluster_wide_config)
    return properties{};
  auto parsed = parse_properties(*c.spec.cluster_wide_config);
  if (!parsed.is_ok())
    return status::invalid("spec.clusterWideConfig: " + parsed.error().message());
  return parsed;
}

config_change plan_dynamic_config(const properties& desired, const observed_config& observed) {
  config_change out;
  for (const auto& [k, v] : desired) {
    auto it = observed.effective.find(k);
    if (it == observed.effective.end() || (it->second && *it->second != v) || (!it->second && !observed.own.contains(k)))
      out.set[k] = v;
  }
  for (const auto& k : observed.own)
    if (!desired.contains(k))
      out.remove.push_back(k);
  return out;
}

} // namespace kactor::model
