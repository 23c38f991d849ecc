#include "integrations/kubernetes/resource_type.hpp"

#include <cctype>

namespace kactor::integrations::kubernetes {

namespace resources {
const resource_type& pods() { static const resource_type t{"", "v1", "pods", "Pod", true}; return t; }
const resource_type& configmaps() { static const resource_type t{"", "v1", "configmaps", "ConfigMap", true}; return t; }
const resource_type& secrets() { static const resource_type t{"", "v1", "secrets", "Secret", true}; return t; }
const resource_type& services() { static const resource_type t{"", "v1", "services", "Service", true}; return t; }
const resource_type& persistent_volume_claims() {
  static const resource_type t{"", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true};
  return t;
}
const resource_type& events() { static const resource_type t{"", "v1", "events", "Event", true}; return t; }
const resource_type& nodes() { static const resource_type t{"", "v1", "nodes", "Node", false}; return t; }
const resource_type& namespaces() { static const resource_type t{"", "v1", "namespaces", "Namespace", false}; return t; }
const resource_type& leases() {
  static const resource_type t{"coordination.k8s.io", "v1", "leases", "Lease", true};
  return t;
}
const resource_type& pod_disruption_budgets() {
  static const resource_type t{"policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true};
  return t;
}
const resource_type& deployments() {
  static const resource_type t{"apps", "v1", "deployments", "Deployment", true};
  return t;
}
const resource_type& kafka_clusters() {
  static const resource_type t{"kafka.banzaicloud.io", "v1beta1", "kafkaclusters", "KafkaCluster", true};
  return t;
}
const resource_type& cruise_control_operations() {
  static const resource_type t{"kafka.banzaicloud.io", "v1alpha1", "cruisecontroloperations", "CruiseControlOperation", true};
  return t;
}
} // namespace resources

namespace {

// RFC 3986 unreserved characters pass; everything else is %XX.
std::string escape(const std::string& value, bool keep_slash) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/'))
      out += static_cast<char>(c);
    else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

} // namespace

std::string query_escape(const std::string& value) { return escape(value, false); }

std::string collection_path(const resource_type& type, const std::string& ns) {
  std::string out = type.group.empty() ? "/api/" + type.version : "/apis/" + type.group + "/" + type.version;
  if (type.namespaced && !ns.empty())
    out += "/namespaces/" + escape(ns, false);
  return out + "/" + type.resource;
}

std::string object_path(const resource_type& type, const std::string& ns, const std::string& name,
                        const std::string& subresource) {
  std::string out = collection_path(type, ns) + "/" + escape(name, false);
  if (!subresource.empty())
    out += "/" + subresource;
  return out;
}

} // namespace kactor::integrations::kubernetes
