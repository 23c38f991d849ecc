#include "model/diff/change_classification.hpp"
#include "model/json_read.hpp"

#include <algorithm>
#include <set>

#include "model/effective_broker.hpp"
#include "model/quantity.hpp"
#include "model/render/desired_state.hpp"
#include "model/render/metadata.hpp"
#include "model/render/server_properties.hpp"
#include "model/validate/kafka_cluster_validate.hpp"

namespace kactor::model {

namespace {

std::optional<quantity> storage_request(const storage_config& s) {
  if (!s.pvc_spec)
    return std::nullopt;
  auto storage = find_string(*s.pvc_spec, "/resources/requests/storage"_json_pointer); // the user's pvcSpec
  if (!storage)
    return std::nullopt;
  auto q = parse_quantity(*storage);
  return q ? std::optional<quantity>{*q} : std::nullopt;
}

// Names what differs between two pod specs at the level a user thinks about.
void pod_reasons(const json& a, const json& b, std::vector<std::string>& reasons) {
  const json& ka = a["containers"][0];
  const json& kb = b["containers"][0];
  for (const char* field : {"image", "resources", "env", "command", "ports", "securityContext", "readinessProbe"})
    if (ka.value(field, json{}) != kb.value(field, json{}))
      reasons.push_back(std::string{"kafka container "} + field);
  for (const auto& [key, value] : b.items())
    if (key != "containers" && key != "volumes" && a.value(key, json{}) != value)
      reasons.push_back("pod " + key);
  for (const auto& [key, value] : a.items())
    if (key != "containers" && key != "volumes" && !b.contains(key))
      reasons.push_back("pod " + key);
  if (a["containers"].size() != b["containers"].size()
      || !std::equal(a["containers"].begin() + 1, a["containers"].end(), b["containers"].begin() + 1))
    reasons.push_back("sidecar containers");
}

void config_reasons(const properties& a, const properties& b, std::vector<std::string>& reasons) {
  std::set<std::string> keys;
  for (const auto& [k, v] : a)
    keys.insert(k);
  for (const auto& [k, v] : b)
    keys.insert(k);
  for (const auto& k : keys) {
    if (per_broker_dynamic_keys().contains(k) || k == "log.dirs")
      continue;
    auto ia = a.find(k), ib = b.find(k);
    if (ia == a.end() || ib == b.end() || ia->second != ib->second)
      reasons.push_back("server.properties: " + k);
  }
}

bool dynamic_keys_differ(const properties& a, const properties& b) {
  for (const auto& k : per_broker_dynamic_keys()) {
    auto ia = a.find(k), ib = b.find(k);
    if ((ia == a.end()) != (ib == b.end()) || (ia != a.end() && ia->second != ib->second))
      return true;
  }
  return false;
}

void disks(const effective_broker& a, const effective_broker& b, broker_change& out, field_errors& errors) {
  std::map<std::string, const storage_config*> old_disks, new_disks;
  for (const auto& s : a.config.storage_configs)
    old_disks[s.mount_path] = &s;
  for (const auto& s : b.config.storage_configs)
    new_disks[s.mount_path] = &s;
  for (const auto& [path, s] : new_disks) {
    auto it = old_disks.find(path);
    if (it == old_disks.end()) {
      out.reasons.push_back("disk added: " + path);
      continue;
    }
    auto before = storage_request(*it->second), after = storage_request(*s);
    if (before && after && *after < *before)
      errors.push_back({"spec.brokers[" + std::to_string(b.index) + "] storage " + path
                          + ".pvcSpec.resources.requests.storage",
                        "shrinking a PVC is not supported (" + before->text + " → " + after->text
                          + "); Kubernetes cannot shrink volumes"});
    else if (before && after && *after > *before)
      out.resized_volumes.push_back(path);
  }
  for (const auto& [path, s] : old_disks)
    if (!new_disks.contains(path))
      out.reasons.push_back("disk removed: " + path);
}

broker_change classify_broker(const kafka_cluster& before, const kafka_cluster& after, int32_t id,
                              field_errors& errors) {
  broker_change out;
  out.id = id;
  auto a = make_effective_broker(before, id);
  auto b = make_effective_broker(after, id);
  auto ra = render_broker(before, id);
  auto rb = render_broker(after, id);
  if (!a || !b || !ra || !rb) {
    // The old spec may have been invalid; anything that cannot be compared must restart to be safe.
    out.kind = change_kind::restart_required;
    out.reasons.push_back("previous spec could not be rendered");
    return out;
  }
  disks(*a, *b, out, errors);
  auto pa = render_server_properties(before, *a), pb = render_server_properties(after, *b);
  if (ra->revision != rb->revision) {
    out.kind = change_kind::restart_required;
    pod_reasons(ra->pod["spec"], rb->pod["spec"], out.reasons);
    config_reasons(pa, pb, out.reasons);
    if (out.reasons.empty())
      out.reasons.push_back("pod spec");
    std::sort(out.reasons.begin(), out.reasons.end());
    out.reasons.erase(std::unique(out.reasons.begin(), out.reasons.end()), out.reasons.end());
  } else if (a->dynamic != b->dynamic || dynamic_keys_differ(pa, pb)) {
    out.kind = change_kind::dynamic_per_broker;
    out.reasons.push_back(a->dynamic != b->dynamic ? "brokerConfig.config" : "listener settings");
  } else if (before.spec.cluster_wide_config != after.spec.cluster_wide_config) {
    out.kind = change_kind::dynamic_cluster_wide;
    out.reasons.push_back("clusterWideConfig");
  } else {
    out.reasons.clear();
  }
  return out;
}

} // namespace

const char* to_string(change_kind kind) {
  switch (kind) {
    case change_kind::none: return "none";
    case change_kind::dynamic_cluster_wide: return "dynamic_cluster_wide";
    case change_kind::dynamic_per_broker: return "dynamic_per_broker";
    case change_kind::restart_required: return "restart_required";
  }
  return "unknown";
}

const broker_change* change_plan::find(int32_t id) const {
  auto it = std::find_if(brokers.begin(), brokers.end(), [id](const broker_change& b) { return b.id == id; });
  return it == brokers.end() ? nullptr : &*it;
}

change_plan classify_changes(const kafka_cluster& before, const kafka_cluster& after) {
  change_plan plan;
  plan.errors = validate_kafka_cluster(after);
  if (!plan.errors.empty())
    return plan;
  std::set<int32_t> old_ids, new_ids;
  for (const auto& b : before.spec.brokers)
    old_ids.insert(b.id);
  for (const auto& b : after.spec.brokers)
    new_ids.insert(b.id);
  plan.cluster_wide_config_changed = before.spec.cluster_wide_config != after.spec.cluster_wide_config;
  for (int32_t id : new_ids) {
    if (!old_ids.contains(id))
      plan.added.push_back(id);
    else
      plan.brokers.push_back(classify_broker(before, after, id, plan.errors));
  }
  for (int32_t id : old_ids)
    if (!new_ids.contains(id))
      plan.removed.push_back(id);
  if (!plan.errors.empty()) {
    plan.brokers.clear();
    plan.added.clear();
    plan.removed.clear();
  }
  return plan;
}

} // namespace kactor::model
