// Role-based access control as kube-apiserver's RBAC authorizer decides it
// (kubernetes/kubernetes:plugin/pkg/auth/authorizer/rbac/rbac.go and its rule helpers in
// pkg/apis/rbac/v1/evaluation_helpers.go), for requests authenticated as a ServiceAccount:
//   - ClusterRoleBindings grant their ClusterRole's rules everywhere (cluster-scoped requests included);
//     RoleBindings grant their Role's, or a ClusterRole's, rules in the binding's namespace only.
//   - Subjects: User (by name), Group (system:serviceaccounts, system:serviceaccounts:<ns>,
//     system:authenticated), ServiceAccount (namespace defaults to the RoleBinding's).
//   - Rules: verbs, apiGroups and resources with `*`; `resource/subresource` and `*/subresource`;
//     resourceNames (which a create or a collection request, having no name, never matches);
//     nonResourceURLs with a trailing `*`. Allow-only: there is no deny rule, as in Kubernetes.
//   - A binding whose role does not exist grants nothing and is named in the denial's reason
//     ("RBAC: clusterrole.rbac.authorization.k8s.io \"x\" not found"), as rbac.go reports it.
// Not modelled: aggregated ClusterRoles (aggregationRule), impersonation, escalation checks on RBAC writes,
// the bootstrap roles (the server itself lets any authenticated user read discovery and health).
//
// Pure: no I/O, no clock; reads of the RBAC objects never throw on a wrongly typed field (they come from
// users through kubectl, unvalidated); safe from any thread.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/world/api_server/api_path.hpp"
#include "sim/world/api_server/object_store.hpp"

namespace kactor::sim {

/// An authenticated user: name and groups, as the token authenticator sets them.
struct user_info {
  std::string name;
  std::vector<std::string> groups;
};

/// The user a ServiceAccount's token authenticates as: "system:serviceaccount:<ns>:<name>", in the groups
/// system:serviceaccounts, system:serviceaccounts:<ns> and system:authenticated.
user_info service_account_user(const std::string& ns, const std::string& name);

/// What a request asks, as kube-apiserver's RequestInfo reads it from the URL (authorizer.Attributes).
struct request_attributes {
  std::string verb;       ///< get, list, watch, create, update, patch, delete, deletecollection (or the
                          ///< lower-case HTTP method of a non-resource request)
  bool resource_request = true;
  std::string group;      ///< "" for the core group
  std::string resource;   ///< plural
  std::string subresource;
  std::string namespace_; ///< "" for cluster-scoped and all-namespace requests
  std::string name;       ///< "" for collections and creates
  std::string path;       ///< the URL path (non-resource requests)
};

/// A request's attributes from its method and target (RequestInfoFactory): a resource request when the
/// path names a resource; the namespace of a request on a Namespace is that Namespace.
request_attributes attributes_of(const std::string& method, const target& t);

/// The RBAC objects a decision reads, as the store holds them (rbac.authorization.k8s.io/v1 JSON).
/// `roles` and `role_bindings` need only be those of the request's namespace.
struct rbac_policy {
  std::vector<nlohmann::json> cluster_roles;
  std::vector<nlohmann::json> cluster_role_bindings;
  std::vector<nlohmann::json> roles;
  std::vector<nlohmann::json> role_bindings;
};

/// An authorization decision.
struct rbac_decision {
  bool allowed = false;
  /// When denied: "RBAC: ..." naming bindings whose role is missing; empty otherwise (kube-apiserver's reason).
  std::string reason;
};

/// Whether `policy` lets `user` do `request` (rbac.go's Authorize with its rule visitor).
rbac_decision authorize(const user_info& user, const request_attributes& request, const rbac_policy& policy);

/// kube-apiserver's 403 for a denied request (responsewriters.Forbidden + errors.NewForbidden): message
/// `pods "kafka-0" is forbidden: User "..." cannot delete resource "pods" in API group "" in the namespace
/// "kafka"`, reason Forbidden, details {name, group, kind: the resource}.
api_error forbidden(const user_info& user, const request_attributes& request, const std::string& reason);

} // namespace kactor::sim
