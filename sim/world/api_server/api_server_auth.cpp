// The simulated API server's authentication and authorization (api_server_impl.hpp): the admin token,
// ServiceAccount tokens minted by TokenRequest (`kubectl create token`), and RBAC for the latter as
// kube-apiserver's RBAC authorizer decides it (rbac_authorizer.hpp).
#include "sim/world/api_server/api_server_impl.hpp"

#include <cstdio>
#include <random>
#include "sim/world/integration_names.hpp"

namespace kactor::sim::detail {

namespace {

constexpr const char* rbac_group = "rbac.authorization.k8s.io";

// The part of kube-apiserver's bootstrap policy every authenticated user has (system:discovery,
// system:public-info-viewer): reading discovery, OpenAPI, version and health — not /sim/.
json bootstrap_discovery_role() {
  return {{"metadata", {{"name", "system:discovery"}}},
          {"rules", {{{"verbs", {"get"}},
                      {"nonResourceURLs", {"/api", "/api/*", "/apis", "/apis/*", "/openapi", "/openapi/*", "/version",
                                           "/version/", "/healthz", "/livez", "/readyz"}}}}}};
}

json bootstrap_discovery_binding() {
  return {{"metadata", {{"name", "system:discovery"}}},
          {"roleRef", {{"apiGroup", rbac_group}, {"kind", "ClusterRole"}, {"name", "system:discovery"}}},
          {"subjects", {{{"apiGroup", rbac_group}, {"kind", "Group"}, {"name", "system:authenticated"}}}}};
}

// 32 random bytes as hex: unguessable, like a real token (which is a signed JWT clients never read).
std::string random_token() {
  std::random_device rd;
  std::string out;
  char hex[3];
  for (int i = 0; i < 32; ++i) {
    std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned>(rd() & 0xff));
    out += hex;
  }
  return out;
}

} // namespace

std::variant<api_server_impl::caller, api_error> api_server_impl::authenticate(const http::request& req) const {
  static const api_error unauthorized{401, "Unauthorized", "Unauthorized"};
  auto auth = header(req, "authorization");
  if (auth.empty() && opts_.token)
    return unauthorized;
  if (auth.empty())
    return caller{}; // a server without --token is open, as it always was
  if (auth.rfind("Bearer ", 0) != 0)
    return unauthorized;
  auto token = auth.substr(7);
  if (opts_.token && token == *opts_.token)
    return caller{};
  token_holder holder;
  {
    std::lock_guard guard{tokens_mutex_};
    auto it = tokens_.find(token);
    // An unknown token is refused even on a server without --token: a mistyped or stale ServiceAccount
    // token must never pass as the admin (that would hide every RBAC refusal).
    if (it == tokens_.end())
      return unauthorized;
    holder = it->second;
  }
  auto account = store_->get(*registry_->find("", "v1", "serviceaccounts"), holder.namespace_, holder.name);
  if (account.error || account.object["metadata"].value("uid", "") != holder.uid)
    return unauthorized; // the account was deleted (or recreated): its tokens die with it, as bound tokens do
  return caller{service_account_user(holder.namespace_, holder.name)};
}

rbac_policy api_server_impl::policy_for(const std::string& ns) const {
  auto items = [&](const char* resource, const std::string& in) {
    auto type = registry_->find(rbac_group, "v1", resource);
    return type ? store_->list(*type, in, {}, {}).items : std::vector<json>{};
  };
  rbac_policy p;
  p.cluster_roles = items("clusterroles", "");
  p.cluster_role_bindings = items("clusterrolebindings", "");
  p.cluster_roles.push_back(bootstrap_discovery_role());
  p.cluster_role_bindings.push_back(bootstrap_discovery_binding());
  if (!ns.empty()) {
    p.roles = items("roles", ns);
    p.role_bindings = items("rolebindings", ns);
  }
  return p;
}

std::optional<api_error> api_server_impl::check_access(const user_info& user, const std::string& method,
                                                       const target& t) const {
  auto request = attributes_of(method, t);
  auto decision = authorize(user, request, policy_for(request.namespace_));
  if (decision.allowed)
    return std::nullopt;
  return forbidden(user, request, decision.reason);
}

std::string api_server_impl::service_account_token(const std::string& ns, const std::string& name) {
  auto account = store_->get(*registry_->find("", "v1", "serviceaccounts"), ns, name);
  if (account.error)
    return "";
  auto token = random_token();
  std::lock_guard guard{tokens_mutex_};
  tokens_[token] = {ns, name, account.object["metadata"].value("uid", "")};
  return token;
}

// POST .../serviceaccounts/<name>/token: audiences and expiry are not enforced (the token lives as long as
// its account, hence the far expirationTimestamp). The body is not read: kubectl may send it as protobuf.
http::response api_server_impl::token_request(const http::request& req, const resource_path& rp) {
  if (req.method != "POST")
    return error_response({405, "MethodNotAllowed", "the server does not allow this method on the requested resource"});
  auto token = service_account_token(rp.namespace_, rp.name);
  if (token.empty())
    return error_response({404, "NotFound", "serviceaccounts \"" + rp.name + "\" not found",
                           {{"name", rp.name}, {"kind", "serviceaccounts"}}});
  return json_response(201, {{"kind", "TokenRequest"},
                             {"apiVersion", "authentication.k8s.io/v1"},
                             {"metadata", {{"name", rp.name}, {"namespace", rp.namespace_}, {"creationTimestamp", nullptr}}},
                             {"spec", {{"audiences", {"https://kubernetes.default.svc.cluster.local"}}, {"expirationSeconds", 3600}}},
                             {"status", {{"token", token}, {"expirationTimestamp", "2099-01-01T00:00:00Z"}}}});
}

} // namespace kactor::sim::detail
