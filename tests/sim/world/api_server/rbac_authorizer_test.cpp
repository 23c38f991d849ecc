#include "sim/world/api_server/rbac_authorizer.hpp"

#include <gtest/gtest.h>

using namespace kactor::sim;
using nlohmann::json;

namespace {

const user_info operator_user = service_account_user("kactor-system", "kactor");

json role(const std::string& name, json rules, const std::string& ns = "") {
  json r = {{"metadata", {{"name", name}}}, {"rules", std::move(rules)}};
  if (!ns.empty())
    r["metadata"]["namespace"] = ns;
  return r;
}

json binding(const std::string& name, const std::string& role_kind, const std::string& role_name,
             json subjects = {{{"kind", "ServiceAccount"}, {"name", "kactor"}, {"namespace", "kactor-system"}}},
             const std::string& ns = "") {
  json b = {{"metadata", {{"name", name}}},
            {"roleRef", {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", role_kind}, {"name", role_name}}},
            {"subjects", std::move(subjects)}};
  if (!ns.empty())
    b["metadata"]["namespace"] = ns;
  return b;
}

request_attributes ask(const std::string& verb, const std::string& group, const std::string& resource,
                       const std::string& ns, const std::string& name = "", const std::string& subresource = "") {
  request_attributes a;
  a.verb = verb;
  a.group = group;
  a.resource = resource;
  a.namespace_ = ns;
  a.name = name;
  a.subresource = subresource;
  return a;
}

// deploy/rbac.yaml's shape: a ClusterRole bound per namespace by a RoleBinding.
rbac_policy pods_in_kafka(json verbs) {
  rbac_policy p;
  p.cluster_roles = {role("kactor", {{{"apiGroups", {""}}, {"resources", {"pods"}}, {"verbs", std::move(verbs)}}})};
  p.role_bindings = {binding("kactor", "ClusterRole", "kactor", {{{"kind", "ServiceAccount"}, {"name", "kactor"},
                                                                   {"namespace", "kactor-system"}}}, "kafka")};
  return p;
}

} // namespace

TEST(rbac_authorizer, a_service_account_is_a_user_in_its_groups) {
  EXPECT_EQ(operator_user.name, "system:serviceaccount:kactor-system:kactor");
  EXPECT_EQ(operator_user.groups, (std::vector<std::string>{"system:serviceaccounts", "system:serviceaccounts:kactor-system",
                                                            "system:authenticated"}));
}

TEST(rbac_authorizer, nothing_is_allowed_without_a_binding) {
  rbac_policy p;
  p.cluster_roles = {role("everything", {{{"apiGroups", {"*"}}, {"resources", {"*"}}, {"verbs", {"*"}}}})};
  auto d = authorize(operator_user, ask("get", "", "pods", "kafka", "kafka-0"), p);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, "");
}

TEST(rbac_authorizer, a_cluster_role_bound_by_a_role_binding_grants_in_that_namespace_only) {
  auto p = pods_in_kafka({"list", "watch", "delete"});
  EXPECT_TRUE(authorize(operator_user, ask("delete", "", "pods", "kafka", "kafka-0"), p).allowed);
  EXPECT_TRUE(authorize(operator_user, ask("watch", "", "pods", "kafka"), p).allowed);
  EXPECT_FALSE(authorize(operator_user, ask("delete", "", "pods", "other", "kafka-0"), p).allowed);
  // All namespaces at once is a cluster-scope request: no RoleBinding covers it.
  EXPECT_FALSE(authorize(operator_user, ask("list", "", "pods", ""), p).allowed);
  EXPECT_FALSE(authorize(operator_user, ask("create", "", "pods", "kafka"), p).allowed);
}

TEST(rbac_authorizer, a_cluster_role_binding_grants_everywhere) {
  rbac_policy p;
  p.cluster_roles = {role("reader", {{{"apiGroups", {""}}, {"resources", {"nodes", "pods"}}, {"verbs", {"get", "list"}}}})};
  p.cluster_role_bindings = {binding("reader", "ClusterRole", "reader")};
  EXPECT_TRUE(authorize(operator_user, ask("list", "", "pods", ""), p).allowed);
  EXPECT_TRUE(authorize(operator_user, ask("get", "", "nodes", "", "node-1"), p).allowed);
  EXPECT_TRUE(authorize(operator_user, ask("get", "", "pods", "anywhere", "x"), p).allowed);
  EXPECT_FALSE(authorize(operator_user, ask("watch", "", "pods", ""), p).allowed);
}

TEST(rbac_authorizer, a_role_grants_in_its_namespace) {
  rbac_policy p;
  p.roles = {role("leases", {{{"apiGroups", {"coordination.k8s.io"}}, {"resources", {"leases"}}, {"verbs", {"get", "update"}}}},
                  "kactor-system")};
  p.role_bindings = {binding("leases", "Role", "leases", {{{"kind", "ServiceAccount"}, {"name", "kactor"}}}, "kactor-system")};
  // The ServiceAccount subject without a namespace means the binding's own.
  EXPECT_TRUE(authorize(operator_user, ask("update", "coordination.k8s.io", "leases", "kactor-system", "kactor-leader"), p).allowed);
  EXPECT_FALSE(authorize(operator_user, ask("update", "", "leases", "kactor-system", "kactor-leader"), p).allowed);
  EXPECT_FALSE(authorize(operator_user, ask("create", "coordination.k8s.io", "leases", "kactor-system"), p).allowed);
  EXPECT_FALSE(authorize(service_account_user("other", "kactor"),
                         ask("update", "coordination.k8s.io", "leases", "kactor-system", "kactor-leader"), p).allowed);
}

TEST(rbac_authorizer, subresources_are_granted_apart) {
  rbac_policy p;
  p.cluster_roles = {role("r", {{{"apiGroups", {"kafka.banzaicloud.io"}}, {"resources", {"kafkaclusters"}}, {"verbs", {"update"}}},
                                {{"apiGroups", {""}}, {"resources", {"*/status"}}, {"verbs", {"patch"}}}})};
  p.cluster_role_bindings = {binding("r", "ClusterRole", "r")};
  EXPECT_TRUE(authorize(operator_user, ask("update", "kafka.banzaicloud.io", "kafkaclusters", "kafka", "kafka"), p).allowed);
  EXPECT_FALSE(authorize(operator_user, ask("update", "kafka.banzaicloud.io", "kafkaclusters", "kafka", "kafka", "status"), p).allowed);
  EXPECT_TRUE(authorize(operator_user, ask("patch", "", "pods", "kafka", "kafka-0", "status"), p).allowed);
  EXPECT_FALSE(authorize(operator_user, ask("patch", "", "pods", "kafka", "kafka-0"), p).allowed);
}

TEST(rbac_authorizer, resource_names_restrict_to_named_objects) {
  rbac_policy p;
  p.cluster_roles = {role("r", {{{"apiGroups", {"coordination.k8s.io"}}, {"resources", {"leases"}},
                                 {"resourceNames", {"kactor-leader"}}, {"verbs", {"get", "update", "create", "list"}}}})};
  p.cluster_role_bindings = {binding("r", "ClusterRole", "r")};
  EXPECT_TRUE(authorize(operator_user, ask("get", "coordination.k8s.io", "leases", "ns", "kactor-leader"), p).allowed);
  EXPECT_FALSE(authorize(operator_user, ask("get", "coordination.k8s.io", "leases", "ns", "another"), p).allowed);
  // A create or a list carries no name: a rule limited to names never grants them (as in Kubernetes).
  EXPECT_FALSE(authorize(operator_user, ask("create", "coordination.k8s.io", "leases", "ns"), p).allowed);
  EXPECT_FALSE(authorize(operator_user, ask("list", "coordination.k8s.io", "leases", "ns"), p).allowed);
}

TEST(rbac_authorizer, wildcards_and_deletecollection) {
  rbac_policy p;
  p.cluster_roles = {role("r", {{{"apiGroups", {"*"}}, {"resources", {"configmaps"}}, {"verbs", {"deletecollection"}}},
                                {{"apiGroups", {"policy"}}, {"resources", {"*"}}, {"verbs", {"*"}}}})};
  p.cluster_role_bindings = {binding("r", "ClusterRole", "r")};
  EXPECT_TRUE(authorize(operator_user, ask("deletecollection", "", "configmaps", "kafka"), p).allowed);
  EXPECT_FALSE(authorize(operator_user, ask("delete", "", "configmaps", "kafka", "x"), p).allowed);
  EXPECT_TRUE(authorize(operator_user, ask("watch", "policy", "poddisruptionbudgets", "kafka"), p).allowed);
  EXPECT_TRUE(authorize(operator_user, ask("update", "policy", "poddisruptionbudgets", "kafka", "x", "status"), p).allowed);
}

TEST(rbac_authorizer, groups_and_users_as_subjects) {
  rbac_policy p;
  p.cluster_roles = {role("r", {{{"apiGroups", {""}}, {"resources", {"pods"}}, {"verbs", {"get"}}}})};
  p.cluster_role_bindings = {binding("g", "ClusterRole", "r", {{{"kind", "Group"}, {"name", "system:serviceaccounts:kactor-system"}}})};
  EXPECT_TRUE(authorize(operator_user, ask("get", "", "pods", "kafka", "x"), p).allowed);
  EXPECT_FALSE(authorize(service_account_user("other", "kactor"), ask("get", "", "pods", "kafka", "x"), p).allowed);
  p.cluster_role_bindings = {binding("u", "ClusterRole", "r", {{{"kind", "User"}, {"name", operator_user.name}}})};
  EXPECT_TRUE(authorize(operator_user, ask("get", "", "pods", "kafka", "x"), p).allowed);
}

TEST(rbac_authorizer, a_missing_role_is_the_reason) {
  rbac_policy p;
  p.cluster_role_bindings = {binding("gone", "ClusterRole", "gone")};
  p.role_bindings = {binding("gone-too", "Role", "gone-too", {{{"kind", "ServiceAccount"}, {"name", "kactor"}}}, "kactor-system")};
  auto d = authorize(operator_user, ask("get", "", "pods", "kactor-system", "x"), p);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, "RBAC: [clusterrole.rbac.authorization.k8s.io \"gone\" not found, "
                      "role.rbac.authorization.k8s.io \"gone-too\" not found]");
}

TEST(rbac_authorizer, malformed_objects_grant_nothing_and_never_throw) {
  rbac_policy p;
  p.cluster_roles = {json{{"metadata", {{"name", "r"}}}, {"rules", {{{"verbs", "get"}, {"resources", 3}}, nullptr, "x"}}},
                     json::array(), json{{"metadata", 1}}};
  p.cluster_role_bindings = {json{{"roleRef", {{"kind", "ClusterRole"}, {"name", "r"}}}, {"subjects", {nullptr, 1, json::object()}}},
                             binding("r", "ClusterRole", "r"), json("x")};
  EXPECT_FALSE(authorize(operator_user, ask("get", "", "pods", "kafka", "x"), p).allowed);
}

TEST(rbac_authorizer, non_resource_urls) {
  rbac_policy p;
  p.cluster_roles = {role("d", {{{"nonResourceURLs", {"/apis/*", "/version"}}, {"verbs", {"get"}}}})};
  p.cluster_role_bindings = {binding("d", "ClusterRole", "d", {{{"kind", "Group"}, {"name", "system:authenticated"}}})};
  auto path = [](const std::string& verb, const std::string& p) {
    request_attributes a;
    a.resource_request = false;
    a.verb = verb;
    a.path = p;
    return a;
  };
  EXPECT_TRUE(authorize(operator_user, path("get", "/apis/kafka.banzaicloud.io/v1beta1"), p).allowed);
  EXPECT_TRUE(authorize(operator_user, path("get", "/version"), p).allowed);
  EXPECT_FALSE(authorize(operator_user, path("get", "/sim/stats"), p).allowed);
  EXPECT_FALSE(authorize(operator_user, path("post", "/version"), p).allowed);
  auto e = forbidden(operator_user, path("post", "/sim/faults/api"), "");
  EXPECT_EQ(e.message, "forbidden: User \"system:serviceaccount:kactor-system:kactor\" cannot post path \"/sim/faults/api\"");
}

TEST(rbac_authorizer, attributes_are_read_from_the_url_as_kube_apiserver_reads_them) {
  auto a = attributes_of("DELETE", parse_target("/api/v1/namespaces/kafka/pods/kafka-0"));
  EXPECT_EQ(a.verb, "delete");
  EXPECT_EQ(a.namespace_, "kafka");
  EXPECT_EQ(a.name, "kafka-0");
  EXPECT_EQ(attributes_of("DELETE", parse_target("/api/v1/namespaces/kafka/pods")).verb, "deletecollection");
  EXPECT_EQ(attributes_of("GET", parse_target("/api/v1/namespaces/kafka/pods?watch=true")).verb, "watch");
  EXPECT_EQ(attributes_of("GET", parse_target("/api/v1/pods")).verb, "list");
  a = attributes_of("PUT", parse_target("/apis/kafka.banzaicloud.io/v1beta1/namespaces/kafka/kafkaclusters/kafka/status"));
  EXPECT_EQ(a.group, "kafka.banzaicloud.io");
  EXPECT_EQ(a.resource, "kafkaclusters");
  EXPECT_EQ(a.subresource, "status");
  EXPECT_EQ(a.verb, "update");
  a = attributes_of("GET", parse_target("/api/v1/namespaces/kafka"));
  EXPECT_EQ(a.resource, "namespaces");
  EXPECT_EQ(a.namespace_, "kafka"); // a Namespace is a request in itself
  a = attributes_of("GET", parse_target("/apis/kafka.banzaicloud.io/v1beta1"));
  EXPECT_FALSE(a.resource_request);
  EXPECT_EQ(a.verb, "get");
}

TEST(rbac_authorizer, forbidden_in_kube_apiservers_words) {
  auto e = forbidden(operator_user, ask("delete", "", "pods", "kafka", "kafka-0"), "");
  EXPECT_EQ(e.code, 403);
  EXPECT_EQ(e.reason, "Forbidden");
  EXPECT_EQ(e.message, "pods \"kafka-0\" is forbidden: User \"system:serviceaccount:kactor-system:kactor\" cannot delete "
                       "resource \"pods\" in API group \"\" in the namespace \"kafka\"");
  EXPECT_EQ(e.details, (json{{"name", "kafka-0"}, {"kind", "pods"}}));
  e = forbidden(operator_user, ask("update", "kafka.banzaicloud.io", "kafkaclusters", "kafka", "kafka", "status"), "");
  EXPECT_EQ(e.message, "kafkaclusters.kafka.banzaicloud.io \"kafka\" is forbidden: User \"system:serviceaccount:kactor-system:"
                       "kactor\" cannot update resource \"kafkaclusters/status\" in API group \"kafka.banzaicloud.io\" in the "
                       "namespace \"kafka\"");
  EXPECT_EQ(e.details, (json{{"name", "kafka"}, {"group", "kafka.banzaicloud.io"}, {"kind", "kafkaclusters"}}));
  e = forbidden(operator_user, ask("list", "", "nodes", ""), "RBAC: clusterrole.rbac.authorization.k8s.io \"x\" not found");
  EXPECT_EQ(e.message, "nodes is forbidden: User \"system:serviceaccount:kactor-system:kactor\" cannot list resource \"nodes\" "
                       "in API group \"\" at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io \"x\" not found");
  EXPECT_EQ(e.to_status()["details"], (json{{"kind", "nodes"}}));
}
