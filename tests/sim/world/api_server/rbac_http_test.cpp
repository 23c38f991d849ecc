// Authentication and RBAC of the simulated API server over HTTP: the admin token is all-powerful, a
// ServiceAccount's token (TokenRequest) is held to the Roles and bindings in the store, as kube-apiserver
// holds it.
#include <gtest/gtest.h>

#include "integrations/http/client.hpp"
#include "sim/world/api_server/api_server.hpp"

using namespace kactor::integrations;
namespace sim = kactor::sim;
using nlohmann::json;

namespace {

const std::string core = "/api/v1/namespaces/";
const std::string rbac = "/apis/rbac.authorization.k8s.io/v1/";

class rbac_http : public ::testing::Test {
protected:
  void SetUp() override {
    sim::api_server_options opts;
    opts.token = "admin-token";
    auto started = sim::api_server::start(opts);
    ASSERT_TRUE(started.is_ok());
    server = std::move(*started);
    client = http::make_blocking_client({"127.0.0.1", server->port()});
    ASSERT_EQ(admin("POST", "/api/v1/namespaces", {{"metadata", {{"name", "kafka"}}}}).first, 201);
    ASSERT_EQ(admin("POST", "/api/v1/namespaces", {{"metadata", {{"name", "kactor-system"}}}}).first, 201);
    ASSERT_EQ(admin("POST", core + "kactor-system/serviceaccounts", {{"metadata", {{"name", "kactor"}}}}).first, 201);
    ASSERT_EQ(admin("POST", core + "kafka/pods", {{"metadata", {{"name", "kafka-0"}}}, {"spec", json::object()}}).first, 201);
    auto minted = admin("POST", core + "kactor-system/serviceaccounts/kactor/token", {{"spec", json::object()}});
    ASSERT_EQ(minted.first, 201) << minted.second;
    token = minted.second["status"].value("token", "");
    ASSERT_FALSE(token.empty());
  }

  std::pair<int, json> send(const std::string& bearer, const std::string& method, const std::string& target,
                            const json& body = nullptr) {
    http::header_map headers{{"content-type", "application/json"}};
    if (!bearer.empty())
      headers["authorization"] = "Bearer " + bearer;
    auto r = client->send(method, target, body.is_null() ? "" : body.dump(), headers);
    if (!r.is_ok())
      return {-1, r.error().to_string()};
    return {r.value().status, json::parse(r.value().body, nullptr, false)};
  }
  std::pair<int, json> admin(const std::string& method, const std::string& target, const json& body = nullptr) {
    return send("admin-token", method, target, body);
  }
  std::pair<int, json> as_operator(const std::string& method, const std::string& target, const json& body = nullptr) {
    return send(token, method, target, body);
  }

  // deploy/rbac.yaml's per-namespace grant: a ClusterRole bound in `ns` by a RoleBinding.
  void grant_in(const std::string& ns, json verbs) {
    admin("POST", rbac + "clusterroles",
          {{"metadata", {{"name", "kactor"}}}, {"rules", {{{"apiGroups", {""}}, {"resources", {"pods"}}, {"verbs", verbs}}}}});
    ASSERT_EQ(admin("POST", rbac + "namespaces/" + ns + "/rolebindings",
                    {{"metadata", {{"name", "kactor"}}},
                     {"roleRef", {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "ClusterRole"}, {"name", "kactor"}}},
                     {"subjects", {{{"kind", "ServiceAccount"}, {"name", "kactor"}, {"namespace", "kactor-system"}}}}})
                  .first,
              201);
  }

  std::unique_ptr<sim::api_server> server;
  std::unique_ptr<http::blocking_client> client;
  std::string token;
};

} // namespace

TEST_F(rbac_http, unknown_or_missing_credentials_get_401) {
  EXPECT_EQ(send("", "GET", core + "kafka/pods").first, 401);
  EXPECT_EQ(send("not-a-token", "GET", core + "kafka/pods").first, 401);
  EXPECT_EQ(admin("GET", core + "kafka/pods").first, 200);
}

TEST_F(rbac_http, a_service_account_without_a_grant_gets_403_in_kube_apiservers_words) {
  auto [code, status] = as_operator("DELETE", core + "kafka/pods/kafka-0");
  EXPECT_EQ(code, 403);
  EXPECT_EQ(status["reason"], "Forbidden");
  EXPECT_EQ(status["message"], "pods \"kafka-0\" is forbidden: User \"system:serviceaccount:kactor-system:kactor\" cannot "
                               "delete resource \"pods\" in API group \"\" in the namespace \"kafka\"");
  EXPECT_EQ(status["details"], (json{{"name", "kafka-0"}, {"kind", "pods"}}));
  EXPECT_EQ(admin("GET", core + "kafka/pods/kafka-0").first, 200) << "nothing was deleted";
}

TEST_F(rbac_http, a_grant_in_one_namespace_allows_exactly_its_verbs_there) {
  grant_in("kafka", {"list", "watch", "delete"});
  EXPECT_EQ(as_operator("GET", core + "kafka/pods").first, 200);
  EXPECT_EQ(as_operator("GET", core + "kafka/pods/kafka-0").first, 403) << "get is not list";
  EXPECT_EQ(as_operator("GET", "/api/v1/pods").first, 403) << "all namespaces is cluster scope";
  EXPECT_EQ(as_operator("GET", core + "kactor-system/pods").first, 403);
  EXPECT_EQ(as_operator("DELETE", core + "kafka/pods/kafka-0").first, 200);
  EXPECT_EQ(as_operator("POST", core + "kafka/pods", {{"metadata", {{"name", "kafka-1"}}}}).first, 403);
}

TEST_F(rbac_http, a_watch_needs_watch) {
  grant_in("kafka", {"list"});
  EXPECT_EQ(as_operator("GET", core + "kafka/pods?watch=true&timeoutSeconds=1").first, 403);
}

TEST_F(rbac_http, discovery_is_open_to_every_account_but_the_simulations_switches_are_not) {
  EXPECT_EQ(as_operator("GET", "/api").first, 200);
  EXPECT_EQ(as_operator("GET", "/apis").first, 200);
  EXPECT_EQ(as_operator("GET", "/api/v1").first, 200);
  EXPECT_EQ(as_operator("GET", "/version").first, 200);
  auto [code, status] = as_operator("POST", "/sim/faults/api", {{"rules", json::array()}});
  EXPECT_EQ(code, 403);
  EXPECT_EQ(status["message"], "forbidden: User \"system:serviceaccount:kactor-system:kactor\" cannot post path \"/sim/faults/api\"");
}

TEST_F(rbac_http, the_token_dies_with_its_account) {
  grant_in("kafka", {"list"});
  ASSERT_EQ(as_operator("GET", core + "kafka/pods").first, 200);
  ASSERT_EQ(admin("DELETE", core + "kactor-system/serviceaccounts/kactor").first, 200);
  EXPECT_EQ(as_operator("GET", core + "kafka/pods").first, 401);
  // Recreated under the same name: a new uid, the old token stays void.
  ASSERT_EQ(admin("POST", core + "kactor-system/serviceaccounts", {{"metadata", {{"name", "kactor"}}}}).first, 201);
  EXPECT_EQ(as_operator("GET", core + "kafka/pods").first, 401);
  EXPECT_EQ(admin("POST", core + "kactor-system/serviceaccounts/nobody/token", json::object()).first, 404);
}

TEST_F(rbac_http, token_requests_are_authorized_too) {
  auto [code, status] = as_operator("POST", core + "kactor-system/serviceaccounts/kactor/token", json::object());
  EXPECT_EQ(code, 403);
  EXPECT_EQ(status["details"]["kind"], "serviceaccounts");
  EXPECT_FALSE(server->service_account_token("kactor-system", "kactor").empty());
  EXPECT_TRUE(server->service_account_token("kactor-system", "nobody").empty());
}

TEST_F(rbac_http, a_server_without_a_token_stays_open_but_refuses_unknown_tokens) {
  auto open = sim::api_server::start({});
  ASSERT_TRUE(open.is_ok());
  auto c = http::make_blocking_client({"127.0.0.1", (*open)->port()});
  EXPECT_EQ(c->send("GET", "/api/v1/namespaces/default/pods").value().status, 200);
  EXPECT_EQ(c->send("GET", "/api/v1/namespaces/default/pods", "", {{"authorization", "Bearer stale"}}).value().status, 401);
}
