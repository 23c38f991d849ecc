#include "model/render/metadata.hpp"

#include "model/defaults.hpp"
#include "model/hash.hpp"

namespace kactor::model {

std::string pod_name(const kafka_cluster& c, int32_t id) {
  return c.metadata.name + "-" + std::to_string(id);
}

std::string configmap_name(const kafka_cluster& c, int32_t id) {
  return c.metadata.name + "-config-" + std::to_string(id);
}

std::string broker_service_name(const kafka_cluster& c, int32_t id) {
  return c.metadata.name + "-" + std::to_string(id);
}

std::string headless_service_name(const kafka_cluster& c) {
  return c.metadata.name + "-headless";
}

std::string controller_headless_service_name(const kafka_cluster& c) {
  return c.metadata.name + "-controller-headless";
}

std::string all_broker_service_name(const kafka_cluster& c) {
  return c.metadata.name + "-all-broker";
}

std::string pdb_name(const kafka_cluster& c) {
  return c.metadata.name + "-pdb";
}

std::string storage_slug(const std::string& mount_path) {
  std::string slug;
  for (char ch : mount_path) {
    char c = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (keep)
      slug += c;
    else if (!slug.empty() && slug.back() != '-')
      slug += '-';
  }
  while (!slug.empty() && slug.back() == '-')
    slug.pop_back();
  // Only "/" + slug maps back to the same path; everything else could collide, so it carries a hash.
  bool lossless = mount_path == "/" + slug && slug.size() <= 40;
  if (lossless)
    return slug;
  if (slug.size() > 40)
    slug.resize(40);
  while (!slug.empty() && slug.back() == '-')
    slug.pop_back();
  return (slug.empty() ? "disk" : slug) + "-" + short_hash(mount_path, 8);
}

std::string pvc_name(const kafka_cluster& c, int32_t id, const std::string& mount_path) {
  return c.metadata.name + "-" + std::to_string(id) + "-" + storage_slug(mount_path);
}

std::string storage_volume_name(const std::string& mount_path) {
  auto name = "data-" + storage_slug(mount_path);
  return name.size() > 63 ? name.substr(0, 63) : name;
}

string_map cluster_labels(const kafka_cluster& c) {
  return {{"app", "kafka"}, {"kafka_cr", c.metadata.name}};
}

string_map broker_labels(const kafka_cluster& c, const effective_broker& b) {
  string_map labels = b.config.broker_labels;
  if (c.spec.propagate_labels.value_or(false))
    for (const auto& [k, v] : c.metadata.labels)
      labels.emplace(k, v);
  // Reserved labels override anything user-supplied: selectors depend on them.
  for (const auto& [k, v] : cluster_labels(c))
    labels[k] = v;
  labels["brokerId"] = std::to_string(b.id);
  labels["isBrokerNode"] = b.is_broker() ? "true" : "false";
  labels["isControllerNode"] = b.is_controller() ? "true" : "false";
  if (c.spec.k_raft) {
    std::string roles;
    for (const auto& r : b.process_roles)
      roles += (roles.empty() ? "" : "_") + r;
    labels["processRoles"] = roles;
  }
  return labels;
}

json object_metadata(const kafka_cluster& c, const std::string& name, const string_map& labels) {
  json meta = {{"name", name}, {"namespace", cluster_namespace(c)}, {"labels", labels}};
  if (!c.metadata.uid.empty())
    meta["ownerReferences"] = json::array({{{"apiVersion", c.api_version},
                                            {"kind", c.kind},
                                            {"name", c.metadata.name},
                                            {"uid", c.metadata.uid},
                                            {"controller", true},
                                            {"blockOwnerDeletion", true}}});
  return meta;
}

bool is_controller_only(const kafka_cluster& c, int32_t id) {
  if (!c.spec.k_raft)
    return false;
  for (const auto& b : c.spec.brokers)
    if (b.id == id) {
      auto merged = merged_broker_config(c.spec, b);
      return merged && merged->process_roles == std::vector<std::string>{"controller"};
    }
  return false;
}

std::string broker_subdomain(const kafka_cluster& c, int32_t id) {
  return is_controller_only(c, id) ? controller_headless_service_name(c) : headless_service_name(c);
}

std::string broker_host(const kafka_cluster& c, int32_t id) {
  auto svc = ".svc." + cluster_domain(c.spec);
  if (c.spec.headless_service_enabled)
    return pod_name(c, id) + "." + broker_subdomain(c, id) + "." + cluster_namespace(c) + svc;
  return broker_service_name(c, id) + "." + cluster_namespace(c) + svc;
}

std::string listener_port_name(const std::string& listener_name) {
  std::string out = "tcp-" + listener_name;
  for (auto& ch : out)
    if (ch == '_')
      ch = '-';
  return out;
}

} // namespace kactor::model
