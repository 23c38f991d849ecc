#include "sim/world/api_server/resource_registry.hpp"

#include <algorithm>

#include "sim/world/api_server/crd_schema.hpp"

namespace kactor::sim {

namespace {

resource_type builtin(std::string group, std::string version, std::string resource, std::string kind,
                      bool namespaced, bool has_status, std::vector<std::string> short_names = {}) {
  resource_type t;
  t.group = std::move(group);
  t.version = std::move(version);
  t.resource = std::move(resource);
  t.kind = std::move(kind);
  t.singular = t.kind;
  std::transform(t.singular.begin(), t.singular.end(), t.singular.begin(), ::tolower);
  t.namespaced = namespaced;
  t.has_status = has_status;
  t.short_names = std::move(short_names);
  return t;
}

// Compiled once per CRD write: validating a KafkaCluster must not walk the 1.6 MB schema text each time.
std::shared_ptr<const crd_schema> version_schema(const json& version) {
  const json schema = version.value("schema", json::object());
  if (!schema.is_object() || !schema.contains("openAPIV3Schema"))
    return nullptr;
  return crd_schema::compile(schema["openAPIV3Schema"]);
}

} // namespace

resource_registry::resource_registry() {
  auto pods = builtin("", "v1", "pods", "Pod", true, true, {"po"});
  pods.categories = {"all"};
  pods.columns = {{"Status", ".status.phase"}, {"Node", ".spec.nodeName"}};
  types_ = {
    builtin("", "v1", "namespaces", "Namespace", false, true, {"ns"}),
    pods,
    builtin("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, true, {"pvc"}),
    builtin("", "v1", "persistentvolumes", "PersistentVolume", false, true, {"pv"}),
    builtin("", "v1", "configmaps", "ConfigMap", true, false, {"cm"}),
    builtin("", "v1", "secrets", "Secret", true, false),
    builtin("", "v1", "services", "Service", true, true, {"svc"}),
    builtin("", "v1", "events", "Event", true, false, {"ev"}),
    builtin("", "v1", "nodes", "Node", false, true, {"no"}),
    builtin("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, true, {"pdb"}),
    builtin("coordination.k8s.io", "v1", "leases", "Lease", true, false),
    builtin("apps", "v1", "deployments", "Deployment", true, true, {"deploy"}),
    // ServiceAccounts (tokens: POST .../serviceaccounts/<name>/token) and the RBAC objects that hold their
    // requests to account (rbac_authorizer.hpp); the admin token is not held to them.
    builtin("", "v1", "serviceaccounts", "ServiceAccount", true, false, {"sa"}),
    builtin("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, false, {"netpol"}),
    builtin("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, false),
    builtin("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false, false),
    builtin("rbac.authorization.k8s.io", "v1", "roles", "Role", true, false),
    builtin("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, false),
    builtin("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false, true,
            {"crd", "crds"}),
  };
}

std::optional<resource_type> resource_registry::find(const std::string& group, const std::string& version,
                                                     const std::string& resource) const {
  std::lock_guard guard{mutex_};
  for (const auto& t : types_)
    if (t.group == group && t.version == version && t.resource == resource)
      return t;
  return std::nullopt;
}

std::vector<resource_type> resource_registry::all() const {
  std::lock_guard guard{mutex_};
  return types_;
}

std::string resource_registry::add_crd(const json& crd) {
  const json& spec = crd.value("spec", json::object());
  const json& names = spec.value("names", json::object());
  std::string group = spec.value("group", "");
  std::string plural = names.value("plural", "");
  std::string kind = names.value("kind", "");
  if (group.empty() || plural.empty() || kind.empty())
    return "spec.group, spec.names.plural and spec.names.kind are required";
  if (!spec.contains("versions") || !spec["versions"].is_array() || spec["versions"].empty())
    return "spec.versions must list at least one version";
  std::vector<resource_type> added;
  std::shared_ptr<const crd_schema> storage_schema;
  for (const auto& v : spec["versions"]) {
    if (!v.value("served", true)) {
      if (v.value("storage", false))
        storage_schema = version_schema(v);
      continue;
    }
    resource_type t;
    t.group = group;
    t.version = v.value("name", "");
    t.resource = plural;
    t.kind = kind;
    t.singular = names.value("singular", "");
    t.namespaced = spec.value("scope", "Namespaced") == "Namespaced";
    t.has_status = v.contains("subresources") && v["subresources"].is_object() && v["subresources"].contains("status");
    for (const auto& s : names.value("shortNames", json::array()))
      if (s.is_string())
        t.short_names.push_back(s);
    for (const auto& c : names.value("categories", json::array()))
      if (c.is_string())
        t.categories.push_back(c);
    for (const auto& col : v.value("additionalPrinterColumns", json::array()))
      if (col.is_object() && col.contains("name") && col.contains("jsonPath") && col["name"] != "Age")
        t.columns.emplace_back(col["name"].get<std::string>(), col["jsonPath"].get<std::string>());
    if (t.version.empty())
      return "every entry of spec.versions needs a name";
    t.schema = version_schema(v);
    if (v.value("storage", false) || (!storage_schema && added.empty()))
      storage_schema = t.schema;
    added.push_back(std::move(t));
  }
  for (auto& t : added)
    t.storage_schema = storage_schema;
  std::lock_guard guard{mutex_};
  std::erase_if(types_, [&](const resource_type& t) { return t.group == group && t.resource == plural; });
  types_.insert(types_.end(), added.begin(), added.end());
  return {};
}

void resource_registry::remove_crd(const std::string& crd_name) {
  std::lock_guard guard{mutex_};
  std::erase_if(types_, [&](const resource_type& t) { return !t.group.empty() && t.key() == crd_name
                                                              && t.group != "apiextensions.k8s.io"; });
}

} // namespace kactor::sim
