#include "model/parse/kafka_cluster_io.hpp"

#include <gtest/gtest.h>

#include "../test_support.hpp"

using namespace kactor::model;
using namespace kactor::testing;

TEST(kafka_cluster_io, reads_modelled_fields) {
  auto c = base_cluster();
  EXPECT_EQ(c.metadata.name, "kafka");
  EXPECT_EQ(c.metadata.namespace_, "kafka");
  ASSERT_EQ(c.spec.brokers.size(), 3u);
  EXPECT_EQ(c.spec.brokers[2].id, 2);
  EXPECT_EQ(*c.spec.brokers[1].broker_config_group, "default");
  EXPECT_EQ(c.spec.listeners.internal_listeners[1].name, "controller");
  EXPECT_TRUE(c.spec.listeners.internal_listeners[1].used_for_controller_communication);
  EXPECT_EQ(c.spec.broker_config_groups.at("default").storage_configs[0].mount_path, "/kafka-logs");
  EXPECT_EQ(c.spec.rolling_upgrade.failure_threshold, 1);
}

TEST(kafka_cluster_io, round_trip_is_lossless_including_unknown_fields) {
  auto docs = load_documents(std::string{base_cluster_yaml} + R"(
  futureField: {keep: me}
  envoyConfig: {replicas: 2}
status:
  state: ClusterRunning
  brokersState:
    "0": {configurationState: ConfigInSync, gracefulActionState: {cruiseControlState: GracefulUpscaleSucceeded, extra: 1}}
  somethingNew: true
)");
  ASSERT_TRUE(docs.is_ok()) << docs.error().to_string();
  auto parsed = parse_kafka_cluster(docs->front());
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(to_json(parsed.cluster), docs->front());
  // Unknown spec fields are warned about with their path; status extras are Kubernetes' business.
  bool future = false, envoy = false;
  for (const auto& w : parsed.warnings) {
    future |= w.rfind("spec.futureField: unknown field", 0) == 0;
    envoy |= w.rfind("spec.envoyConfig:", 0) == 0;
  }
  EXPECT_TRUE(future);
  EXPECT_TRUE(envoy);
  EXPECT_EQ(*parsed.cluster.status.brokers_state.at("0").configuration_state, "ConfigInSync");
}

TEST(kafka_cluster_io, typed_changes_show_in_output_and_unknowns_survive) {
  auto docs = load_documents(std::string{base_cluster_yaml} + "  futureField: 1\n");
  auto parsed = parse_kafka_cluster(docs->front());
  parsed.cluster.spec.brokers[1].read_only_config = "a=b\n";
  parsed.cluster.spec.brokers.erase(parsed.cluster.spec.brokers.begin() + 2);
  parsed.cluster.status.state = "ClusterRunning";
  auto out = to_json(parsed.cluster);
  EXPECT_EQ(out["spec"]["brokers"][1]["readOnlyConfig"], "a=b\n");
  EXPECT_EQ(out["spec"]["brokers"].size(), 2u);
  EXPECT_EQ(out["spec"]["futureField"], 1);
  EXPECT_EQ(out["status"]["state"], "ClusterRunning");
  parsed.cluster.spec.brokers[1].read_only_config.reset();
  EXPECT_FALSE(to_json(parsed.cluster)["spec"]["brokers"][1].contains("readOnlyConfig"));
}

TEST(kafka_cluster_io, type_errors_name_the_field) {
  auto docs = load_documents(R"(
apiVersion: kafka.banzaicloud.io/v1beta1
kind: KafkaCluster
metadata: {name: k}
spec:
  brokers: [{id: "zero"}, {id: 4294967296}]
  headlessServiceEnabled: "yes"
  listenersConfig: {internalListeners: {}}
)");
  auto parsed = parse_kafka_cluster(docs->front());
  std::vector<std::string> got;
  for (const auto& e : parsed.errors)
    got.push_back(e.to_string());
  EXPECT_NE(std::find(got.begin(), got.end(), "spec.brokers[0].id: expected an integer, got a string"), got.end());
  EXPECT_NE(std::find(got.begin(), got.end(), "spec.brokers[1].id: value 4294967296 does not fit in a 32-bit integer"),
            got.end());
  EXPECT_NE(std::find(got.begin(), got.end(), "spec.headlessServiceEnabled: expected a boolean, got a string"),
            got.end());
  EXPECT_NE(std::find(got.begin(), got.end(), "spec.listenersConfig.internalListeners: expected a list, got an object"),
            got.end());
}

TEST(kafka_cluster_io, wrong_kind_is_rejected) {
  auto parsed = parse_kafka_cluster(json{{"apiVersion", "v1"}, {"kind", "Pod"}, {"spec", json::object()}});
  ASSERT_FALSE(parsed.errors.empty());
  EXPECT_EQ(parsed.errors[0].path, "kind");
  EXPECT_FALSE(is_kafka_cluster(json{{"kind", "KafkaTopic"}, {"apiVersion", "kafka.banzaicloud.io/v1alpha1"}}));
}

TEST(kafka_cluster_io, reads_and_writes_the_cruise_control_credentials_secret) {
  auto docs = load_documents(base_cluster_yaml);
  ASSERT_TRUE(docs.is_ok());
  auto doc = docs->front();
  doc["spec"]["cruiseControlConfig"]["credentialsSecretRef"] = {{"name", "cc-admin"}};
  auto parsed = parse_kafka_cluster(doc);
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.cluster.spec.cruise_control.credentials_secret, "cc-admin");
  EXPECT_EQ(to_json(parsed.cluster), doc);
  for (const auto& w : parsed.warnings)
    EXPECT_EQ(w.find("credentialsSecretRef"), std::string::npos) << w;
}
