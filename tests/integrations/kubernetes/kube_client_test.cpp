// The Kubernetes client against the simulated API server over loopback: CRUD on core and custom
// resources, typed errors, status, patches, pagination, auth, TLS, retries, rate limit, bad answers.
#include "integrations/kubernetes/kube_client.hpp"

#include <atomic>
#include <future>

#include <gtest/gtest.h>

#include "integrations/http/server.hpp"
#include "integrations/kubernetes/kafkacluster_crd.hpp"
#include "test_support.hpp"

namespace kactor::integrations::kubernetes {
namespace {

using namespace std::chrono_literals;
using testing::make_client;
using testing::start_api_server;
using testing::eventually;

json pod(const std::string& name, const std::string& app = "kafka") {
  return {{"metadata", {{"name", name}, {"labels", {{"app", app}}}}},
          {"spec", {{"containers", json::array({{{"name", "kafka"}, {"image", "kafka:3.6"}}})}}}};
}

resource_type crds() { return {"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false}; }

using KubeClient = testing::api_test;

TEST_F(KubeClient, PodCrudWithTypedErrors) {
  auto created = client->create_sync(resources::pods(), "default", pod("kafka-0"));
  ASSERT_TRUE(created.is_ok()) << created.error().to_string();
  EXPECT_EQ(created.value()["kind"], "Pod");
  EXPECT_FALSE(created.value()["metadata"]["uid"].get<std::string>().empty());

  auto again = client->create_sync(resources::pods(), "default", pod("kafka-0"));
  ASSERT_TRUE(again.is(api_error_kind::already_exists)) << (again.is_ok() ? "ok" : again.error().to_string());
  EXPECT_EQ(again.error().code, 409);

  auto got = client->get_sync(resources::pods(), "default", "kafka-0");
  ASSERT_TRUE(got.is_ok());
  EXPECT_EQ(got.value()["metadata"]["uid"], created.value()["metadata"]["uid"]);

  auto missing = client->get_sync(resources::pods(), "default", "nope");
  ASSERT_TRUE(missing.is(api_error_kind::not_found));
  EXPECT_NE(missing.error().message.find("nope"), std::string::npos);

  // A stale update conflicts; a fresh one passes.
  json fresh = got.value();
  fresh["metadata"]["labels"]["tier"] = "a";
  ASSERT_TRUE(client->update_sync(resources::pods(), "default", fresh).is_ok());
  json stale = got.value();
  stale["metadata"]["labels"]["tier"] = "b";
  auto conflict = client->update_sync(resources::pods(), "default", stale);
  ASSERT_TRUE(conflict.is(api_error_kind::conflict)) << (conflict.is_ok() ? "ok" : conflict.error().to_string());

  // Delete with a wrong uid precondition conflicts and deletes nothing.
  delete_options wrong_uid;
  wrong_uid.precondition_uid = "not-the-uid";
  EXPECT_TRUE(client->remove_sync(resources::pods(), "default", "kafka-0", wrong_uid).is(api_error_kind::conflict));
  EXPECT_TRUE(client->get_sync(resources::pods(), "default", "kafka-0").is_ok());
  delete_options grace0;
  grace0.grace_period_seconds = 0;
  ASSERT_TRUE(client->remove_sync(resources::pods(), "default", "kafka-0", grace0).is_ok());
  EXPECT_TRUE(eventually([&] { return client->get_sync(resources::pods(), "default", "kafka-0").is(api_error_kind::not_found); }));
  EXPECT_TRUE(client->remove_sync(resources::pods(), "default", "kafka-0").is(api_error_kind::not_found));
}

TEST_F(KubeClient, ListsWithSelectorsAndPagination) {
  for (int i = 0; i < 7; ++i)
    ASSERT_TRUE(client->create_sync(resources::pods(), "default", pod("p" + std::to_string(i), i % 2 ? "kafka" : "zk")).is_ok());
  list_options kafka;
  kafka.label_selector = "app=kafka";
  auto l = client->list_sync(resources::pods(), "default", kafka);
  ASSERT_TRUE(l.is_ok());
  EXPECT_EQ(l.value()["items"].size(), 3u);
  list_options not_kafka;
  not_kafka.label_selector = "app!=kafka";
  EXPECT_EQ(client->list_sync(resources::pods(), "default", not_kafka).value()["items"].size(), 4u);

  list_options page;
  page.limit = 2;
  auto first = client->list_sync(resources::pods(), "default", page);
  ASSERT_TRUE(first.is_ok());
  EXPECT_EQ(first.value()["items"].size(), 2u);
  EXPECT_FALSE(first.value()["metadata"].value("continue", "").empty());

  auto before = client->metrics().count("list");
  auto all = client->list_all_sync(resources::pods(), "default", page);
  ASSERT_TRUE(all.is_ok()) << all.error().to_string();
  EXPECT_EQ(all.value()["items"].size(), 7u);
  EXPECT_EQ(client->metrics().count("list") - before, 4u); // 2+2+2+1
  EXPECT_FALSE(all.value()["metadata"].contains("continue"));
  EXPECT_FALSE(all.value()["metadata"].value("resourceVersion", "").empty());
}

TEST_F(KubeClient, PatchesOfEveryKind) {
  ASSERT_TRUE(client->create_sync(resources::configmaps(), "default", {{"metadata", {{"name", "cm"}}}, {"data", {{"a", "1"}}}}).is_ok());
  auto merged = client->patch_sync(resources::configmaps(), "default", "cm", patch_type::merge, {{"data", {{"b", "2"}}}});
  ASSERT_TRUE(merged.is_ok()) << merged.error().to_string();
  EXPECT_EQ(merged.value()["data"], (json{{"a", "1"}, {"b", "2"}}));
  auto jp = client->patch_sync(resources::configmaps(), "default", "cm", patch_type::json_patch,
                               json::array({{{"op", "remove"}, {"path", "/data/a"}}}));
  ASSERT_TRUE(jp.is_ok()) << jp.error().to_string();
  EXPECT_EQ(jp.value()["data"], (json{{"b", "2"}}));
  auto applied = client->patch_sync(resources::configmaps(), "default", "cm2", patch_type::apply,
                                    {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "cm2"}}}, {"data", {{"c", "3"}}}});
  ASSERT_TRUE(applied.is_ok()) << applied.error().to_string();
  EXPECT_EQ(client->get_sync(resources::configmaps(), "default", "cm2").value()["data"]["c"], "3");
  auto bad = client->patch_sync(resources::configmaps(), "default", "cm", patch_type::json_patch,
                                json::array({{{"op", "test"}, {"path", "/data/b"}, {"value", "nope"}}}));
  EXPECT_FALSE(bad.is_ok());
}

TEST_F(KubeClient, KafkaClusterCustomResourceWithStatusSubresource) {
  ASSERT_TRUE(client->create_sync(crds(), "", kafkacluster_crd()).is_ok());
  json kc = {{"metadata", {{"name", "kafka"}}}, {"spec", {{"brokers", json::array({{{"id", 0}}})}}}};
  auto created = client->create_sync(resources::kafka_clusters(), "default", kc);
  ASSERT_TRUE(created.is_ok()) << created.error().to_string();
  EXPECT_EQ(created.value()["apiVersion"], "kafka.banzaicloud.io/v1beta1");

  json with_status = created.value();
  with_status["status"] = {{"state", "ClusterRunning"}};
  auto st = client->update_status_sync(resources::kafka_clusters(), "default", with_status);
  ASSERT_TRUE(st.is_ok()) << st.error().to_string();
  EXPECT_EQ(st.value()["status"]["state"], "ClusterRunning");
  // Status writes do not bump the generation; spec writes through the main resource ignore status.
  EXPECT_EQ(st.value()["metadata"]["generation"], 1);
  json spec_change = st.value();
  spec_change["spec"]["brokers"].push_back({{"id", 1}});
  spec_change["status"] = {{"state", "Ignored"}};
  auto updated = client->update_sync(resources::kafka_clusters(), "default", spec_change);
  ASSERT_TRUE(updated.is_ok()) << updated.error().to_string();
  EXPECT_EQ(updated.value()["metadata"]["generation"], 2);
  EXPECT_EQ(updated.value()["status"]["state"], "ClusterRunning");
  // A status write with the old version conflicts.
  EXPECT_TRUE(client->update_status_sync(resources::kafka_clusters(), "default", with_status).is(api_error_kind::conflict));
  auto patched = client->patch_sync(resources::kafka_clusters(), "default", "kafka", patch_type::merge,
                                    {{"status", {{"state", "ClusterRollingUpgrading"}}}}, "status");
  ASSERT_TRUE(patched.is_ok()) << patched.error().to_string();
  EXPECT_EQ(patched.value()["status"]["state"], "ClusterRollingUpgrading");
}

TEST(KubeClientAuth, TokenRequiredAndRotatedTokenFileReread) {
  auto server = start_api_server(std::string{"s3cret"});
  ASSERT_TRUE(server);
  auto anonymous = make_client(*server);
  auto denied = anonymous->get_sync(resources::namespaces(), "", "default");
  ASSERT_TRUE(denied.is(api_error_kind::unauthorized)) << (denied.is_ok() ? "ok" : denied.error().to_string());
  EXPECT_EQ(denied.error().code, 401);
  EXPECT_TRUE(make_client(*server, {}, "s3cret")->get_sync(resources::namespaces(), "", "default").is_ok());

  // A token file read once (old token), then rotated: the 401 makes the client re-read it.
  testing::temp_dir dir;
  auto file = dir.write("token", "old-token\n");
  client_config config;
  ASSERT_TRUE(parse_server_url(server->url(), config.endpoint).is_ok());
  config.token_file = file;
  auto rotating = kube_client::make(config).value();
  EXPECT_TRUE(rotating->get_sync(resources::namespaces(), "", "default").is(api_error_kind::unauthorized));
  dir.write("token", "s3cret\n");
  EXPECT_TRUE(rotating->get_sync(resources::namespaces(), "", "default").is_ok());
}

TEST(KubeClientTls, VerifiesTheServerAgainstTheCa) {
  testing::temp_dir dir;
  auto pki = testing::make_test_pki(dir.path);
  ASSERT_TRUE(pki);
  auto server = start_api_server(std::nullopt, http::tls_files{pki->server_cert, pki->server_key});
  ASSERT_TRUE(server);
  client_config config;
  ASSERT_TRUE(parse_server_url(server->url(), config.endpoint).is_ok());
  ASSERT_TRUE(config.endpoint.tls.enabled);
  config.endpoint.tls.ca_pem = testing::read_file(pki->ca_cert);
  config.endpoint.tls.client_cert_pem = testing::read_file(pki->client_cert);
  config.endpoint.tls.client_key_pem = testing::read_file(pki->client_key);
  auto good = kube_client::make(config).value();
  auto ok = good->get_sync(resources::namespaces(), "", "default");
  EXPECT_TRUE(ok.is_ok()) << ok.error().to_string();

  // Another CA: the handshake fails with the reason, and nothing is retried into success.
  testing::temp_dir other_dir;
  auto other = testing::make_test_pki(other_dir.path);
  ASSERT_TRUE(other);
  config.endpoint.tls.ca_pem = testing::read_file(other->ca_cert);
  kube_client_options fast;
  fast.max_retries = 1;
  fast.backoff_base = 10ms;
  auto bad = kube_client::make(config, fast).value();
  auto refused = bad->get_sync(resources::namespaces(), "", "default");
  ASSERT_TRUE(refused.is(api_error_kind::transport)) << (refused.is_ok() ? "ok" : refused.error().to_string());
  EXPECT_NE(refused.error().message.find("certificate verify failed"), std::string::npos) << refused.error().message;

  // The certificate is for 127.0.0.1 and localhost: a different server name fails the host check.
  config.endpoint.tls.ca_pem = testing::read_file(pki->ca_cert);
  config.endpoint.tls.server_name = "kubernetes.example.com";
  auto wrong_name = kube_client::make(config, fast).value()->get_sync(resources::namespaces(), "", "default");
  ASSERT_FALSE(wrong_name.is_ok());
  EXPECT_NE(wrong_name.error().message.find("certificate verify failed"), std::string::npos) << wrong_name.error().message;

  // insecure-skip-tls-verify connects whatever the CA.
  config.endpoint.tls.ca_pem = testing::read_file(other->ca_cert);
  config.endpoint.tls.insecure_skip_verify = true;
  EXPECT_TRUE(kube_client::make(config).value()->get_sync(resources::namespaces(), "", "default").is_ok());

  // Unloadable TLS material is refused when the client is made.
  config.endpoint.tls.insecure_skip_verify = false;
  config.endpoint.tls.ca_pem = "not a certificate";
  auto broken = kube_client::make(config);
  ASSERT_FALSE(broken.is_ok());
  EXPECT_NE(broken.error().message().find("certificate authority"), std::string::npos);
}

TEST_F(KubeClient, TooManyRequestsHonoursRetryAfterForEveryVerb) {
  server->set_api_faults({sim::api_fault_rule{"create", "configmaps", "", 1.0, 429}});
  auto start = std::chrono::steady_clock::now();
  std::promise<api_result<json>> p;
  client->create(resources::configmaps(), "default", {{"metadata", {{"name", "throttled"}}}},
                 [&](api_result<json> r) { p.set_value(std::move(r)); });
  std::this_thread::sleep_for(300ms);
  server->set_api_faults({});
  auto r = p.get_future().get();
  auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  EXPECT_GE(waited, 950ms); // the server said Retry-After: 1
  auto snap = client->metrics().snapshot();
  EXPECT_EQ((snap[{"create", "configmaps", 429}].count), 1u);
  EXPECT_EQ((snap[{"create", "configmaps", 201}].count), 1u);
}

TEST_F(KubeClient, ServerErrorsRetriedForIdempotentVerbsOnly) {
  kube_client_options fast;
  fast.backoff_base = 50ms;
  auto c = make_client(*server, fast);
  ASSERT_TRUE(c->create_sync(resources::configmaps(), "default", {{"metadata", {{"name", "cm"}}}}).is_ok());
  server->set_api_faults({sim::api_fault_rule{"", "configmaps", "", 1.0, 500}});
  std::promise<api_result<json>> p;
  c->get(resources::configmaps(), "default", "cm", [&](api_result<json> r) { p.set_value(std::move(r)); });
  std::this_thread::sleep_for(200ms);
  // A create is not retried: it fails at once with the server's error, sent exactly once.
  auto created = c->create_sync(resources::configmaps(), "default", {{"metadata", {{"name", "cm-new"}}}});
  ASSERT_TRUE(created.is(api_error_kind::server_error)) << (created.is_ok() ? "ok" : created.error().to_string());
  EXPECT_EQ(c->metrics().count("create"), 2u);
  server->set_api_faults({});
  auto got = p.get_future().get();
  ASSERT_TRUE(got.is_ok()) << got.error().to_string();
  auto snap = c->metrics().snapshot();
  EXPECT_GE((snap[{"get", "configmaps", 500}].count), 2u);
  EXPECT_EQ((snap[{"get", "configmaps", 200}].count), 1u);

  // Retries give up after max_retries with the last error.
  kube_client_options few;
  few.max_retries = 2;
  few.backoff_base = 1ms;
  auto c2 = make_client(*server, few);
  server->set_api_faults({sim::api_fault_rule{"get", "configmaps", "", 1.0, 503}});
  auto failed = c2->get_sync(resources::configmaps(), "default", "cm");
  ASSERT_TRUE(failed.is(api_error_kind::server_error));
  EXPECT_EQ(c2->metrics().count("get"), 3u);
}

TEST_F(KubeClient, TimeoutsAreTypedAndBounded) {
  kube_client_options quick;
  quick.timeout = 300ms;
  quick.max_retries = 0;
  auto c = make_client(*server, quick);
  server->set_api_faults({sim::api_fault_rule{"get", "configmaps", "", 1.0, 0, 0, true}});
  auto start = std::chrono::steady_clock::now();
  auto r = c->get_sync(resources::configmaps(), "default", "x");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  ASSERT_TRUE(r.is(api_error_kind::timeout)) << (r.is_ok() ? "ok" : r.error().to_string());
  server->set_api_faults({});
  // The client recovers: the next request works on a fresh connection.
  EXPECT_TRUE(c->get_sync(resources::namespaces(), "", "default").is_ok());
}

TEST_F(KubeClient, ClientSideRateLimitSpacesRequests) {
  kube_client_options limited;
  limited.qps = 20;
  limited.burst = 1;
  auto c = make_client(*server, limited);
  auto start = std::chrono::steady_clock::now();
  std::vector<std::future<api_result<json>>> pending;
  for (int i = 0; i < 6; ++i) {
    auto p = std::make_shared<std::promise<api_result<json>>>();
    pending.push_back(p->get_future());
    c->get(resources::namespaces(), "", "default", [p](api_result<json> r) { p->set_value(std::move(r)); });
  }
  for (auto& f : pending)
    EXPECT_TRUE(f.get().is_ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 240ms); // 5 waits of 50 ms
}

TEST_F(KubeClient, MetricsInPrometheusFormat) {
  ASSERT_TRUE(client->get_sync(resources::namespaces(), "", "default").is_ok());
  auto text = client->metrics().to_prometheus();
  EXPECT_NE(text.find("rest_client_requests_total{verb=\"get\",resource=\"namespaces\",code=\"200\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("rest_client_request_duration_seconds_count{verb=\"get\""), std::string::npos);
}

// A server that answers whatever the test says, to feed the client bad input.
class FakeServer {
public:
  explicit FakeServer(std::function<http::response(const http::request&)> answer) {
    auto s = http::make_server({}, [answer](std::shared_ptr<http::exchange> ex) {
      if (ex->req().target.find("watch=true") != std::string::npos) {
        auto r = answer(ex->req());
        auto stream = ex->start_stream(200, {{"Content-Type", "application/json"}});
        stream->write(r.body);
        stream->close();
        return;
      }
      ex->respond(answer(ex->req()));
    });
    server_ = std::move(s.value());
  }
  std::shared_ptr<kube_client> client() {
    client_config config;
    config.server = "http://127.0.0.1:" + std::to_string(server_->port());
    EXPECT_TRUE(parse_server_url(config.server, config.endpoint).is_ok());
    kube_client_options o;
    o.max_retries = 0;
    return kube_client::make(config, o).value();
  }

private:
  std::unique_ptr<http::server> server_;
};

TEST(KubeClientBadInput, MalformedAnswersAreErrorsNotCrashes) {
  std::string body;
  FakeServer fake([&](const http::request&) { return http::response{200, {{"Content-Type", "application/json"}}, body}; });
  auto c = fake.client();
  struct bad_case { std::string body; std::string expect; };
  for (const auto& bc : std::vector<bad_case>{
           {R"({"metadata": {"name": "x", "resourceVer)", "invalid JSON at byte"},
           {R"([1, 2, 3])", "expected an object"},
           {R"({"metadata": {"name": 42}})", "metadata.name: expected a string"},
           {R"({"kind": "Pod"})", "metadata: expected an object"},
           {"", "invalid JSON"}}) {
    body = bc.body;
    auto r = c->get_sync(resources::pods(), "default", "x");
    ASSERT_TRUE(r.is(api_error_kind::decode)) << bc.body;
    EXPECT_NE(r.error().message.find(bc.expect), std::string::npos) << r.error().message;
  }
  for (const auto& bc : std::vector<bad_case>{
           {R"({"metadata": {}, "items": {"a": 1}})", "items: expected an array"},
           {R"({"metadata": {"resourceVersion": 7}, "items": []})", "resourceVersion: expected a string"},
           {R"({"metadata": {}, "items": [{"metadata": {"namespace": "x"}}]})", "items[0].metadata.name: missing"}}) {
    body = bc.body;
    auto r = c->list_sync(resources::pods(), "default");
    ASSERT_TRUE(r.is(api_error_kind::decode)) << bc.body;
    EXPECT_NE(r.error().message.find(bc.expect), std::string::npos) << r.error().message;
  }
  // An error status with a body that is not a Status still yields its typed error.
  FakeServer html([](const http::request&) { return http::response{503, {{"Content-Type", "text/html"}}, "<html>busy</html>"}; });
  auto e = html.client()->get_sync(resources::pods(), "default", "x");
  ASSERT_TRUE(e.is(api_error_kind::server_error));
  EXPECT_NE(e.error().message.find("busy"), std::string::npos);
}

TEST(KubeClientBadInput, HugeAnswerIsRefused) {
  std::string huge = R"({"metadata": {"name": "x"}, "data": ")" + std::string(65 * 1024 * 1024, 'a') + "\"}";
  FakeServer fake([&](const http::request&) { return http::response{200, {{"Content-Type", "application/json"}}, huge}; });
  auto r = fake.client()->get_sync(resources::pods(), "default", "x");
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.error().message.find("exceed"), std::string::npos) << r.error().message;
}

TEST(KubeClientBadInput, MalformedWatchEventEndsTheWatchWithAnError) {
  FakeServer fake([](const http::request&) {
    return http::response{200, {}, "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"5\"}}}\n"
                                   "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\n"};
  });
  auto c = fake.client();
  std::promise<std::optional<api_error>> ended;
  std::atomic<int> events{0};
  watch_callbacks cbs;
  cbs.on_event = [&](watch_event) { ++events; return true; };
  cbs.on_end = [&](std::optional<api_error> e) { ended.set_value(std::move(e)); };
  auto handle = c->watch(resources::pods(), "default", {}, cbs);
  auto fut = ended.get_future();
  ASSERT_EQ(fut.wait_for(10s), std::future_status::ready);
  auto e = fut.get();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, api_error_kind::decode);
  EXPECT_EQ(events.load(), 1);
}

} // namespace
} // namespace kactor::integrations::kubernetes
