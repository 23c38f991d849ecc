#include "model/defaults.hpp"

namespace kactor::model {

json default_resource_requirements() {
  return {{"limits", {{"cpu", "1500m"}, {"memory", "3Gi"}}}, {"requests", {{"cpu", "1000m"}, {"memory", "2Gi"}}}};
}

std::string cluster_image(const kafka_cluster_spec& spec) {
  return spec.cluster_image && !spec.cluster_image->empty() ? *spec.cluster_image : default_kafka_image;
}

std::string cluster_domain(const kafka_cluster_spec& spec) {
  return spec.kubernetes_cluster_domain && !spec.kubernetes_cluster_domain->empty() ? *spec.kubernetes_cluster_domain
                                                                                     : default_cluster_domain;
}

std::string zk_path(const kafka_cluster_spec& spec) {
  if (!spec.zk_path || spec.zk_path->empty())
    return "/";
  return (*spec.zk_path)[0] == '/' ? *spec.zk_path : "/" + *spec.zk_path;
}

std::string cluster_namespace(const kafka_cluster& cluster) {
  return cluster.metadata.namespace_.empty() ? default_namespace : cluster.metadata.namespace_;
}

} // namespace kactor::model
