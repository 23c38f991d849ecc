#include "model/effective_broker.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

using namespace kactor::model;
using kactor::testing::cluster_from_yaml;

namespace {

const char* merge_yaml = R"(
apiVersion: kafka.banzaicloud.io/v1beta1
kind: KafkaCluster
metadata: {name: kafka}
spec:
  zkAddresses: ["zk:2181"]
  envs: [{name: FROM_CLUSTER, value: c}, {name: CLASSPATH, value: /cluster}]
  readOnlyConfig: |
    a=cluster
    b=cluster
  brokerConfigGroups:
    default:
      image: group-image
      kafkaHeapOpts: -Xmx1G
      nodeSelector: {zone: a, disk: ssd}
      tolerations: [{key: group}]
      envs: [{name: FROM_GROUP, value: g}, {name: CLASSPATH+, value: ":/group"}]
      resourceRequirements:
        requests: {cpu: "1", memory: 1Gi}
      affinity:
        nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: g, operator: Exists}]}]}}
      storageConfigs:
        - {mountPath: /kafka-logs, pvcSpec: {resources: {requests: {storage: 10Gi}}}}
        - {mountPath: /kafka-logs2, pvcSpec: {resources: {requests: {storage: 10Gi}}}}
  brokers:
    - id: 0
      brokerConfigGroup: default
    - id: 1
      brokerConfigGroup: default
      readOnlyConfig: |
        b=broker
      brokerConfig:
        image: own-image
        nodeSelector: {zone: b}
        tolerations: [{key: own}]
        envs: [{name: +CLASSPATH, value: "/own:"}, {name: FROM_BROKER, value: b}]
        resourceRequirements:
          requests: {memory: 4Gi}
        affinity:
          nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: own, operator: Exists}]}]}}
        storageConfigs:
          - {mountPath: /kafka-logs, pvcSpec: {resources: {requests: {storage: 50Gi}}}}
          - {mountPath: /extra, emptyDir: {}}
    - id: 2
  rollingUpgradeConfig: {failureThreshold: 1}
  listenersConfig:
    internalListeners:
      - {type: plaintext, name: internal, containerPort: 29092, usedForInnerBrokerCommunication: true}
  cruiseControlConfig: {}
)";

} // namespace

TEST(effective_broker, broker_value_wins_and_group_fills_gaps) {
  auto c = cluster_from_yaml(merge_yaml);
  auto b0 = make_effective_broker(c, 0);
  auto b1 = make_effective_broker(c, 1);
  ASSERT_TRUE(b0 && b1);
  EXPECT_EQ(*b0->config.image, "group-image");
  EXPECT_EQ(*b1->config.image, "own-image");
  EXPECT_EQ(*b1->config.kafka_heap_opts, "-Xmx1G"); // filled from the group
  EXPECT_EQ(b1->config.node_selector, (string_map{{"zone", "b"}, {"disk", "ssd"}}));
  EXPECT_EQ((*b1->config.resource_requirements)["requests"]["memory"], "4Gi");
  EXPECT_EQ((*b1->config.resource_requirements)["requests"]["cpu"], "1");
}

TEST(effective_broker, lists_append_broker_first) {
  auto b1 = make_effective_broker(cluster_from_yaml(merge_yaml), 1);
  ASSERT_TRUE(b1);
  ASSERT_EQ(b1->config.tolerations.size(), 2u);
  EXPECT_EQ(b1->config.tolerations[0]["key"], "own");
  EXPECT_EQ(b1->config.tolerations[1]["key"], "group");
}

TEST(effective_broker, affinity_broker_overrides_group) {
  auto b1 = make_effective_broker(cluster_from_yaml(merge_yaml), 1);
  ASSERT_TRUE(b1);
  auto terms = (*b1->config.affinity)["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"];
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms[0]["matchExpressions"][0]["key"], "own");
}

TEST(effective_broker, storage_deduplicates_by_mount_path_keeping_the_brokers) {
  auto b1 = make_effective_broker(cluster_from_yaml(merge_yaml), 1);
  ASSERT_TRUE(b1);
  const auto& disks = b1->config.storage_configs;
  ASSERT_EQ(disks.size(), 3u);
  EXPECT_EQ(disks[0].mount_path, "/kafka-logs");
  EXPECT_EQ((*disks[0].pvc_spec)["resources"]["requests"]["storage"], "50Gi");
  EXPECT_EQ(disks[1].mount_path, "/extra");
  EXPECT_EQ(disks[2].mount_path, "/kafka-logs2");
}

TEST(effective_broker, envs_concatenate_cluster_group_broker) {
  auto b1 = make_effective_broker(cluster_from_yaml(merge_yaml), 1);
  ASSERT_TRUE(b1);
  std::vector<std::string> names;
  for (const auto& e : b1->config.envs)
    names.push_back(e["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"FROM_CLUSTER", "CLASSPATH", "FROM_GROUP", "CLASSPATH+", "+CLASSPATH",
                                             "FROM_BROKER"}));
  auto resolved = resolve_envs({}, b1->config.envs);
  std::string classpath;
  for (const auto& e : resolved)
    if (e["name"] == "CLASSPATH")
      classpath = e["value"];
  EXPECT_EQ(classpath, "/own:/cluster:/group");
}

TEST(effective_broker, read_only_config_broker_over_cluster) {
  auto c = cluster_from_yaml(merge_yaml);
  auto b0 = make_effective_broker(c, 0);
  auto b1 = make_effective_broker(c, 1);
  EXPECT_EQ(b0->read_only.at("b"), "cluster");
  EXPECT_EQ(b1->read_only.at("b"), "broker");
  EXPECT_EQ(b1->read_only.at("a"), "cluster");
}

TEST(effective_broker, defaults_apply_without_group) {
  auto b2 = make_effective_broker(cluster_from_yaml(merge_yaml), 2);
  ASSERT_TRUE(b2);
  EXPECT_EQ(*b2->config.image, "ghcr.io/adobe/koperator/kafka:2.13-3.9.1");
  EXPECT_EQ(*b2->config.termination_grace_period_seconds, 120);
  EXPECT_EQ((*b2->config.resource_requirements)["limits"]["memory"], "3Gi");
  EXPECT_EQ(b2->process_roles, std::vector<std::string>{"broker"});
}

TEST(effective_broker, unknown_broker_or_group_is_an_error) {
  auto c = cluster_from_yaml(merge_yaml);
  EXPECT_EQ(make_effective_broker(c, 9).error().kind(), status_kind::not_found);
  c.spec.brokers[0].broker_config_group = "nope";
  EXPECT_EQ(make_effective_broker(c, 0).error().kind(), status_kind::not_found);
}
