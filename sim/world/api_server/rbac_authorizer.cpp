#include "sim/world/api_server/rbac_authorizer.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

#include "sim/world/api_server/api_faults.hpp"

namespace kactor::sim {

namespace {

using nlohmann::json;

// RBAC objects come from users unvalidated: a field of the wrong type reads as absent, never throws.
const json& field(const json& object, const char* key) {
  static const json absent;
  if (!object.is_object())
    return absent;
  auto it = object.find(key);
  return it == object.end() ? absent : *it;
}

std::string text(const json& object, const char* key) {
  const auto& v = field(object, key);
  return v.is_string() ? v.get<std::string>() : std::string{};
}

std::vector<std::string> texts(const json& object, const char* key) {
  std::vector<std::string> out;
  const auto& v = field(object, key);
  if (v.is_array())
    for (const auto& item : v)
      if (item.is_string())
        out.push_back(item.get<std::string>());
  return out;
}

bool has(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool has_or_all(const std::vector<std::string>& list, const std::string& value) {
  return has(list, value) || has(list, "*");
}

// evaluation_helpers.go ResourceMatches: `*`, the exact "resource/subresource", or "*/subresource".
bool resource_matches(const std::vector<std::string>& rule_resources, const request_attributes& r) {
  auto combined = r.subresource.empty() ? r.resource : r.resource + "/" + r.subresource;
  for (const auto& rule : rule_resources) {
    if (rule == "*" || rule == combined)
      return true;
    if (!r.subresource.empty() && rule == "*/" + r.subresource)
      return true;
  }
  return false;
}

// evaluation_helpers.go NonResourceURLMatches: exact, or a prefix ending in `*`.
bool path_matches(const std::vector<std::string>& rule_urls, const std::string& path) {
  for (const auto& rule : rule_urls) {
    if (rule == "*" || rule == path)
      return true;
    if (!rule.empty() && rule.back() == '*' && path.rfind(rule.substr(0, rule.size() - 1), 0) == 0)
      return true;
  }
  return false;
}

// evaluation_helpers.go RuleAllows.
bool rule_allows(const json& rule, const request_attributes& r) {
  if (!has_or_all(texts(rule, "verbs"), r.verb))
    return false;
  if (!r.resource_request)
    return path_matches(texts(rule, "nonResourceURLs"), r.path);
  if (!has_or_all(texts(rule, "apiGroups"), r.group) || !resource_matches(texts(rule, "resources"), r))
    return false;
  auto names = texts(rule, "resourceNames");
  return names.empty() || has(names, r.name);
}

// rbac.go appliesToUser; `binding_ns` is "" for a ClusterRoleBinding.
bool applies_to(const json& subject, const user_info& user, const std::string& binding_ns) {
  auto kind = text(subject, "kind");
  auto name = text(subject, "name");
  if (kind == "User")
    return user.name == name;
  if (kind == "Group")
    return has(user.groups, name);
  if (kind != "ServiceAccount")
    return false;
  auto ns = text(subject, "namespace");
  if (ns.empty())
    ns = binding_ns; // a RoleBinding may name a ServiceAccount of its own namespace unqualified
  return !ns.empty() && user.name == "system:serviceaccount:" + ns + ":" + name;
}

bool binds(const json& binding, const user_info& user, const std::string& binding_ns) {
  const auto& subjects = field(binding, "subjects");
  if (!subjects.is_array())
    return false;
  return std::any_of(subjects.begin(), subjects.end(), [&](const json& s) { return applies_to(s, user, binding_ns); });
}

const json* find_named(const std::vector<json>& objects, const std::string& name) {
  for (const auto& o : objects)
    if (text(field(o, "metadata"), "name") == name)
      return &o;
  return nullptr;
}

/// The rules a binding grants, or nullptr after noting the missing role in `errors` (rbac.go's visitor).
const json* granted_rules(const json& binding, const rbac_policy& policy, std::vector<std::string>& errors) {
  const auto& ref = field(binding, "roleRef");
  auto kind = text(ref, "kind");
  auto name = text(ref, "name");
  const json* role = nullptr;
  if (kind == "ClusterRole")
    role = find_named(policy.cluster_roles, name);
  else if (kind == "Role" && !text(field(binding, "metadata"), "namespace").empty())
    role = find_named(policy.roles, name);
  if (!role) {
    auto resource = kind == "Role" ? std::string{"role"} : std::string{"clusterrole"};
    errors.push_back(resource + ".rbac.authorization.k8s.io \"" + name + "\" not found");
    return nullptr;
  }
  return &field(*role, "rules");
}

bool any_rule_allows(const json* rules, const request_attributes& r) {
  if (!rules || !rules->is_array())
    return false;
  return std::any_of(rules->begin(), rules->end(), [&](const json& rule) { return rule_allows(rule, r); });
}

// utilerrors.NewAggregate's text: one error alone, several in brackets.
std::string aggregate(const std::vector<std::string>& errors) {
  if (errors.size() == 1)
    return errors.front();
  std::string out = "[";
  for (size_t i = 0; i < errors.size(); ++i)
    out += (i ? ", " : "") + errors[i];
  return out + "]";
}

} // namespace

user_info service_account_user(const std::string& ns, const std::string& name) {
  return {"system:serviceaccount:" + ns + ":" + name,
          {"system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"}};
}

request_attributes attributes_of(const std::string& method, const target& t) {
  request_attributes a;
  a.path = t.path;
  auto rp = parse_resource_path(t.path);
  if (!rp) {
    a.resource_request = false;
    std::transform(method.begin(), method.end(), std::back_inserter(a.verb), ::tolower);
    return a;
  }
  bool watch = method == "GET" && rp->name.empty() && query_bool(t.query, "watch");
  a.verb = request_verb(method, !rp->name.empty(), watch);
  a.group = rp->group;
  a.resource = rp->resource;
  a.subresource = rp->subresource;
  a.name = rp->name;
  // requestinfo.go: /api/v1/namespaces/<name> is a request in the namespace <name>.
  a.namespace_ = rp->resource == "namespaces" && rp->namespace_.empty() ? rp->name : rp->namespace_;
  return a;
}

rbac_decision authorize(const user_info& user, const request_attributes& request, const rbac_policy& policy) {
  std::vector<std::string> errors;
  for (const auto& binding : policy.cluster_role_bindings)
    if (binds(binding, user, "") && any_rule_allows(granted_rules(binding, policy, errors), request))
      return {true, ""};
  // A RoleBinding grants in its own namespace only: never a cluster-scoped or all-namespace request.
  if (!request.namespace_.empty()) {
    for (const auto& binding : policy.role_bindings) {
      auto ns = text(field(binding, "metadata"), "namespace");
      if (ns == request.namespace_ && binds(binding, user, ns)
          && any_rule_allows(granted_rules(binding, policy, errors), request))
        return {true, ""};
    }
  }
  return {false, errors.empty() ? std::string{} : "RBAC: " + aggregate(errors)};
}

api_error forbidden(const user_info& user, const request_attributes& request, const std::string& reason) {
  auto quoted = [](const std::string& s) { return "\"" + s + "\""; };
  std::string what;
  if (!request.resource_request) {
    what = "User " + quoted(user.name) + " cannot " + request.verb + " path " + quoted(request.path);
  } else {
    auto resource = request.subresource.empty() ? request.resource : request.resource + "/" + request.subresource;
    what = "User " + quoted(user.name) + " cannot " + request.verb + " resource " + quoted(resource) + " in API group "
           + quoted(request.group)
           + (request.namespace_.empty() ? " at the cluster scope" : " in the namespace " + quoted(request.namespace_));
  }
  if (!reason.empty())
    what += ": " + reason;
  api_error e{403, "Forbidden", ""};
  if (!request.resource_request) {
    e.message = "forbidden: " + what;
    e.details = json::object();
    return e;
  }
  // errors.NewForbidden: the group-qualified resource ("kafkaclusters.kafka.banzaicloud.io"), the name if any.
  auto qualified = request.group.empty() ? request.resource : request.resource + "." + request.group;
  e.message = qualified + (request.name.empty() ? "" : " " + quoted(request.name)) + " is forbidden: " + what;
  e.details = {{"kind", request.resource}};
  if (!request.name.empty())
    e.details["name"] = request.name;
  if (!request.group.empty())
    e.details["group"] = request.group;
  return e;
}

} // namespace kactor::sim
