#include "sim/world/api_server/discovery.hpp"

#include <set>

namespace kactor::sim {

namespace {

const json all_verbs = {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"};

json resource_entry(const resource_type& t) {
  json r = {{"name", t.resource},      {"singularName", t.singular}, {"namespaced", t.namespaced},
            {"kind", t.kind},          {"verbs", all_verbs},         {"storageVersionHash", ""}};
  if (!t.short_names.empty())
    r["shortNames"] = t.short_names;
  if (!t.categories.empty())
    r["categories"] = t.categories;
  return r;
}

std::string path_prefix(const resource_type& t) {
  return t.group.empty() ? "/api/v1" : "/apis/" + t.group + "/" + t.version;
}

json operation(const resource_type& t, const char* action) {
  return {{"x-kubernetes-group-version-kind", {{"group", t.group}, {"version", t.version}, {"kind", t.kind}}},
          {"x-kubernetes-action", action},
          {"parameters", json::array({{{"name", "fieldValidation"}, {"in", "query"}, {"schema", {{"type", "string"}}}},
                                      {{"name", "dryRun"}, {"in", "query"}, {"schema", {{"type", "string"}}}}})},
          {"responses", {{"200", {{"description", "OK"}}}}}};
}

} // namespace

json version_document() {
  return {{"major", "1"},
          {"minor", served_minor_version},
          {"gitVersion", std::string{"v1."} + served_minor_version + ".0-kactor-sim"},
          {"gitCommit", "kactor"},
          {"gitTreeState", "clean"},
          {"buildDate", "2026-01-01T00:00:00Z"},
          {"goVersion", "go1.23"},
          {"compiler", "gc"},
          {"platform", "linux/amd64"}};
}

json core_versions_document(const std::string& server_address) {
  return {{"kind", "APIVersions"},
          {"versions", {"v1"}},
          {"serverAddressByClientCIDRs", json::array({{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", server_address}}})}};
}

json group_list_document(const resource_registry& reg) {
  std::map<std::string, std::vector<std::string>> groups;
  for (const auto& t : reg.all())
    if (!t.group.empty()) {
      auto& versions = groups[t.group];
      if (std::find(versions.begin(), versions.end(), t.version) == versions.end())
        versions.push_back(t.version);
    }
  json list = json::array();
  for (const auto& [name, versions] : groups) {
    json vs = json::array();
    for (const auto& v : versions)
      vs.push_back({{"groupVersion", name + "/" + v}, {"version", v}});
    list.push_back({{"name", name}, {"versions", vs}, {"preferredVersion", vs[0]}});
  }
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", list}};
}

std::optional<json> resource_list_document(const resource_registry& reg, const std::string& group,
                                           const std::string& version) {
  json resources = json::array();
  for (const auto& t : reg.all()) {
    if (t.group != group || t.version != version)
      continue;
    resources.push_back(resource_entry(t));
    if (t.has_status)
      resources.push_back({{"name", t.resource + "/status"}, {"singularName", ""}, {"namespaced", t.namespaced},
                           {"kind", t.kind}, {"verbs", {"get", "patch", "update"}}});
    if (t.group.empty() && t.resource == "serviceaccounts")
      resources.push_back({{"name", "serviceaccounts/token"}, {"singularName", ""}, {"namespaced", true},
                           {"group", "authentication.k8s.io"}, {"version", "v1"}, {"kind", "TokenRequest"},
                           {"verbs", {"create"}}});
  }
  if (resources.empty())
    return std::nullopt;
  return json{{"kind", "APIResourceList"},
              {"apiVersion", "v1"},
              {"groupVersion", group.empty() ? version : group + "/" + version},
              {"resources", resources}};
}

json openapi_v3_index(const resource_registry& reg) {
  json paths = json::object();
  std::set<std::string> seen;
  for (const auto& t : reg.all()) {
    auto rel = path_prefix(t).substr(1);
    if (seen.insert(rel).second)
      paths[rel] = {{"serverRelativeURL", "/openapi/v3/" + rel + "?hash=kactor"}};
  }
  return {{"paths", paths}};
}

std::optional<json> openapi_v3_document(const resource_registry& reg, const std::string& path) {
  json paths = json::object();
  for (const auto& t : reg.all()) {
    if (path_prefix(t).substr(1) != path)
      continue;
    auto base = path_prefix(t) + (t.namespaced ? "/namespaces/{namespace}/" : "/") + t.resource;
    paths[base] = {{"get", operation(t, "list")}, {"post", operation(t, "post")}};
    paths[base + "/{name}"] = {{"get", operation(t, "get")},
                               {"put", operation(t, "put")},
                               {"patch", operation(t, "patch")},
                               {"delete", operation(t, "delete")}};
  }
  if (paths.empty())
    return std::nullopt;
  return json{{"openapi", "3.0.0"},
              {"info", {{"title", "Kubernetes"}, {"version", std::string{"v1."} + served_minor_version + ".0"}}},
              {"paths", paths},
              {"components", {{"schemas", json::object()}}}};
}

} // namespace kactor::sim
