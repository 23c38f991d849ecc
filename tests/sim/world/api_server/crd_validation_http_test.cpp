// Custom resource validation end to end: Koperator's KafkaCluster CRD created through the simulated API
// server's REST API, then creates, updates, patches and status writes over HTTP, answered as kube-apiserver
// answers them (422 Invalid with details.causes, unknown fields pruned, defaults applied).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "integrations/http/client.hpp"
#include "model/document.hpp"
#include "sim/world/api_server/api_server.hpp"

using namespace kactor::integrations;
namespace sim = kactor::sim;
using nlohmann::json;

namespace {

const std::string crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
const std::string clusters = "/apis/kafka.banzaicloud.io/v1beta1/namespaces/default/kafkaclusters";

json fixture(const std::string& relative, const std::string& kind) {
  std::ifstream in{std::filesystem::path{KACTOR_FIXTURES_DIR} / relative, std::ios::binary};
  auto docs = kactor::model::load_documents(std::string{std::istreambuf_iterator<char>{in}, {}}, relative);
  EXPECT_TRUE(docs.is_ok());
  for (auto& d : docs ? *docs : std::vector<json>{})
    if (d.value("kind", "") == kind)
      return d;
  return {};
}

class crd_validation_http : public ::testing::Test {
protected:
  void SetUp() override {
    auto started = sim::api_server::start({});
    ASSERT_TRUE(started.is_ok());
    server = std::move(*started);
    client = http::make_blocking_client({"127.0.0.1", server->port()});
    auto crd = fixture("koperator-crds/kafka.banzaicloud.io_kafkaclusters.yaml", "CustomResourceDefinition");
    ASSERT_EQ(send("POST", crds, crd).first, 201);
    cluster = fixture("koperator-samples/simplekafkacluster.yaml", "KafkaCluster");
    cluster["metadata"].erase("namespace");
  }

  std::pair<int, json> send(const std::string& method, const std::string& target, const json& body = nullptr,
                            const std::string& type = "application/json") {
    auto r = client->send(method, target, body.is_null() ? "" : body.dump(), {{"content-type", type}});
    if (!r.is_ok())
      return {-1, r.error().to_string()};
    return {r.value().status, json::parse(r.value().body, nullptr, false)};
  }

  static json cause(const json& status, const std::string& field) {
    for (const auto& c : status["details"]["causes"])
      if (c["field"] == field)
        return c;
    return nullptr;
  }

  std::unique_ptr<sim::api_server> server;
  std::unique_ptr<http::blocking_client> client;
  json cluster;
};

} // namespace

TEST_F(crd_validation_http, invalid_create_gets_422_with_every_cause) {
  json bad = cluster;
  bad["spec"]["brokers"][0]["id"] = "string";
  bad["spec"].erase("listenersConfig");
  auto [code, status] = send("POST", clusters, bad);
  ASSERT_EQ(code, 422) << status.dump();
  EXPECT_EQ(status["kind"], "Status");
  EXPECT_EQ(status["status"], "Failure");
  EXPECT_EQ(status["reason"], "Invalid");
  EXPECT_EQ(status["code"], 422);
  EXPECT_EQ(status["message"],
            "KafkaCluster.kafka.banzaicloud.io \"kafka\" is invalid: [spec.brokers[0].id: Invalid value: \"string\": "
            "spec.brokers[0].id in body must be of type integer: \"string\", spec.listenersConfig: Required value]");
  EXPECT_EQ(status["details"]["name"], "kafka");
  EXPECT_EQ(status["details"]["group"], "kafka.banzaicloud.io");
  EXPECT_EQ(status["details"]["kind"], "KafkaCluster");
  ASSERT_EQ(status["details"]["causes"].size(), 2u);
  EXPECT_EQ(
      cause(status, "spec.brokers[0].id"),
      json({{"field", "spec.brokers[0].id"},
            {"reason", "FieldValueTypeInvalid"},
            {"message", "Invalid value: \"string\": spec.brokers[0].id in body must be of type integer: \"string\""}}));
  EXPECT_EQ(cause(status, "spec.listenersConfig"),
            json({{"field", "spec.listenersConfig"}, {"reason", "FieldValueRequired"}, {"message", "Required value"}}));
  EXPECT_EQ(send("GET", clusters + "/kafka").first, 404) << "nothing stored";
}

TEST_F(crd_validation_http, create_prunes_unknown_fields_and_applies_defaults) {
  json kc = cluster;
  kc["spec"]["notAField"] = "dropped";
  kc["spec"]["brokers"][0]["bogus"] = 1;
  kc["extra"] = true;
  auto [code, created] = send("POST", clusters, kc);
  ASSERT_EQ(code, 201) << created.dump();
  for (const auto& o : {created, send("GET", clusters + "/kafka").second}) {
    EXPECT_FALSE(o["spec"].contains("notAField"));
    EXPECT_FALSE(o["spec"]["brokers"][0].contains("bogus"));
    EXPECT_FALSE(o.contains("extra"));
    EXPECT_EQ(o["spec"]["kRaft"], false) << "default";
    EXPECT_EQ(o["spec"]["rollingUpgradeConfig"]["concurrentBrokerRestartCountPerRack"], 1) << "default";
    EXPECT_EQ(o["metadata"]["name"], "kafka");
  }
  EXPECT_EQ(created["metadata"]["generation"], 1);
}

TEST_F(crd_validation_http, updates_and_every_patch_kind_are_validated) {
  auto [code, created] = send("POST", clusters, cluster);
  ASSERT_EQ(code, 201) << created.dump();
  json put = created;
  put["spec"]["brokers"][1]["id"] = "one";
  auto [put_code, put_status] = send("PUT", clusters + "/kafka", put);
  EXPECT_EQ(put_code, 422);
  EXPECT_EQ(cause(put_status, "spec.brokers[1].id")["reason"], "FieldValueTypeInvalid");

  auto merge = send("PATCH", clusters + "/kafka", {{"spec", {{"ingressController", "nginx"}}}},
                    "application/merge-patch+json");
  EXPECT_EQ(merge.first, 422);
  EXPECT_EQ(cause(merge.second, "spec.ingressController")["message"],
            "Unsupported value: \"nginx\": supported values: \"envoy\", \"contour\"");
  auto json_patch
      = send("PATCH", clusters + "/kafka", json::array({{{"op", "remove"}, {"path", "/spec/rollingUpgradeConfig"}}}),
             "application/json-patch+json");
  EXPECT_EQ(json_patch.first, 422);
  EXPECT_EQ(cause(json_patch.second, "spec.rollingUpgradeConfig")["reason"], "FieldValueRequired");
  auto apply = client->send("PATCH", clusters + "/kafka?fieldManager=test",
                            "apiVersion: kafka.banzaicloud.io/v1beta1\nkind: KafkaCluster\nmetadata: {name: kafka}\n"
                            "spec: {brokers: [{id: x}]}\n",
                            {{"content-type", "application/apply-patch+yaml"}});
  ASSERT_TRUE(apply.is_ok());
  EXPECT_EQ(apply.value().status, 422) << apply.value().body;

  // A valid patch goes through, pruned; the generation moves once.
  auto ok = send("PATCH", clusters + "/kafka", {{"spec", {{"clusterImage", "kafka:2"}, {"unknown", 1}}}},
                 "application/merge-patch+json");
  ASSERT_EQ(ok.first, 200) << ok.second.dump();
  EXPECT_EQ(ok.second["spec"]["clusterImage"], "kafka:2");
  EXPECT_FALSE(ok.second["spec"].contains("unknown"));
  EXPECT_EQ(ok.second["metadata"]["generation"], 2);
}

TEST_F(crd_validation_http, status_writes_are_validated_and_main_writes_ignore_status) {
  auto [code, created] = send("POST", clusters, cluster);
  ASSERT_EQ(code, 201) << created.dump();
  json bad = created;
  bad["status"] = {{"alertCount", 0}};
  auto [bad_code, bad_status] = send("PUT", clusters + "/kafka/status", bad);
  EXPECT_EQ(bad_code, 422);
  EXPECT_EQ(bad_status["message"],
            "KafkaCluster.kafka.banzaicloud.io \"kafka\" is invalid: status.state: Required value");

  json good = created;
  good["status"] = {{"alertCount", 0}, {"state", "ClusterRunning"}, {"bogus", 1}};
  auto [good_code, stored] = send("PUT", clusters + "/kafka/status", good);
  ASSERT_EQ(good_code, 200) << stored.dump();
  EXPECT_EQ(stored["status"], json({{"alertCount", 0}, {"state", "ClusterRunning"}}));

  // The main resource ignores status: an invalid one is neither stored nor reported.
  auto merge = send("PATCH", clusters + "/kafka", {{"status", {{"state", 5}}}, {"spec", {{"clusterImage", "kafka:3"}}}},
                    "application/merge-patch+json");
  ASSERT_EQ(merge.first, 200) << merge.second.dump();
  EXPECT_EQ(merge.second["status"]["state"], "ClusterRunning");
  EXPECT_EQ(merge.second["spec"]["clusterImage"], "kafka:3");
}

TEST_F(crd_validation_http, a_crd_update_recompiles_its_schema_for_reads_and_writes) {
  ASSERT_EQ(send("POST", clusters, cluster).first, 201);
  auto [got, crd] = send("GET", crds + "/kafkaclusters.kafka.banzaicloud.io");
  ASSERT_EQ(got, 200);
  auto& spec = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"];
  spec["clusterWideConfig"]["default"] = "auto.create.topics.enable=false";
  spec["clusterImage"]["maxLength"] = 10;
  ASSERT_EQ(send("PUT", crds + "/kafkaclusters.kafka.banzaicloud.io", crd).first, 200);

  // Stored objects are read back with the new default (kube-apiserver defaults what it decodes from storage).
  auto [read, kc] = send("GET", clusters + "/kafka");
  ASSERT_EQ(read, 200);
  EXPECT_EQ(kc["spec"]["clusterWideConfig"], "auto.create.topics.enable=false");
  EXPECT_EQ(send("GET", clusters).second["items"][0]["spec"]["clusterWideConfig"], "auto.create.topics.enable=false");
  json event;
  auto watched = client->stream_lines(
      clusters + "?watch=true",
      [&](const std::string& line) {
        event = json::parse(line, nullptr, false);
        return false;
      },
      std::chrono::seconds{5});
  ASSERT_TRUE(watched.is_ok());
  EXPECT_EQ(event["type"], "ADDED");
  EXPECT_EQ(event["object"]["spec"]["clusterWideConfig"], "auto.create.topics.enable=false");
  // The stored clusterImage is now too long: an update leaving it alone passes (ratcheting), one changing it not.
  auto unchanged
      = send("PATCH", clusters + "/kafka", {{"spec", {{"zkPath", "/kafka"}}}}, "application/merge-patch+json");
  EXPECT_EQ(unchanged.first, 200) << unchanged.second.dump();
  auto changed = send("PATCH", clusters + "/kafka", {{"spec", {{"clusterImage", "ghcr.io/adobe/kafka:3"}}}},
                      "application/merge-patch+json");
  EXPECT_EQ(changed.first, 422);
  EXPECT_EQ(changed.second["message"], "KafkaCluster.kafka.banzaicloud.io \"kafka\" is invalid: spec.clusterImage: Too "
                                       "long: may not be more than 10 bytes");
}
