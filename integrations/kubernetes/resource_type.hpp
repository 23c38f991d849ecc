// Which API resource a request is about, and the REST paths for it. Pure.
//
// A resource_type names a resource by group/version/resource (plural) like client-go's GVR, plus whether
// it is namespaced and its kind (for objects kactor creates). Paths: core "/api/v1/...", others
// "/apis/<group>/<version>/...". Names and namespaces are percent-encoded where needed.
#pragma once

#include <string>

namespace kactor::integrations::kubernetes {

struct resource_type {
  std::string group;    ///< "" for core
  std::string version;  ///< "v1", "v1beta1"
  std::string resource; ///< plural, "pods"
  std::string kind;     ///< "Pod"
  bool namespaced = true;

  /// "v1" or "group/version": the apiVersion field of objects.
  std::string api_version() const { return group.empty() ? version : group + "/" + version; }
  bool operator==(const resource_type&) const = default;
};

/// The resources kactor uses.
namespace resources {
const resource_type& pods();
const resource_type& configmaps();
const resource_type& secrets();
const resource_type& services();
const resource_type& persistent_volume_claims();
const resource_type& events();
const resource_type& nodes();
const resource_type& namespaces();
const resource_type& leases();
const resource_type& pod_disruption_budgets();
const resource_type& deployments();
const resource_type& kafka_clusters();
const resource_type& cruise_control_operations();
} // namespace resources

/// The collection path: "/api/v1/namespaces/ns/pods"; cluster-scoped or all namespaces when `ns` is empty.
std::string collection_path(const resource_type& type, const std::string& ns);
/// One object's path, optionally a subresource: ".../pods/name/status".
std::string object_path(const resource_type& type, const std::string& ns, const std::string& name,
                        const std::string& subresource = "");
/// Percent-encodes a query parameter value (selectors contain '=', ',', '!').
std::string query_escape(const std::string& value);

} // namespace kactor::integrations::kubernetes
