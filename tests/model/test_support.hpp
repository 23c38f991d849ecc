// Helpers shared by the model tests: loading fixtures and building clusters from YAML text.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "model/document.hpp"
#include "model/parse/kafka_cluster_io.hpp"

namespace kactor::testing {

inline std::filesystem::path fixtures_dir() {
  return KACTOR_FIXTURES_DIR;
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in{p, std::ios::binary};
  EXPECT_TRUE(in.good()) << "cannot open " << p;
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

/// Parses YAML text holding one KafkaCluster; fails the test on parse errors.
inline model::kafka_cluster cluster_from_yaml(const std::string& yaml) {
  auto docs = model::load_documents(yaml, "test");
  EXPECT_TRUE(docs.is_ok()) << docs.error().to_string();
  if (!docs || docs->empty())
    return {};
  auto parsed = model::parse_kafka_cluster(docs->front());
  for (const auto& e : parsed.errors)
    ADD_FAILURE() << e.to_string();
  return parsed.cluster;
}

/// The first KafkaCluster of a sample under fixtures/koperator-samples.
inline model::kafka_cluster sample(const std::string& name) {
  return cluster_from_yaml(read_file(fixtures_dir() / "koperator-samples" / name));
}

/// A small valid 3-broker ZooKeeper-mode cluster used as a base by many tests.
inline const char* base_cluster_yaml = R"(
apiVersion: kafka.banzaicloud.io/v1beta1
kind: KafkaCluster
metadata:
  name: kafka
  namespace: kafka
spec:
  headlessServiceEnabled: false
  oneBrokerPerNode: false
  zkAddresses: ["zk:2181"]
  clusterImage: "ghcr.io/adobe/koperator/kafka:2.13-3.9.1"
  readOnlyConfig: |
    auto.create.topics.enable=false
  brokerConfigGroups:
    default:
      storageConfigs:
        - mountPath: /kafka-logs
          pvcSpec:
            accessModes: [ReadWriteOnce]
            resources:
              requests:
                storage: 10Gi
  brokers:
    - id: 0
      brokerConfigGroup: default
    - id: 1
      brokerConfigGroup: default
    - id: 2
      brokerConfigGroup: default
  rollingUpgradeConfig:
    failureThreshold: 1
  listenersConfig:
    internalListeners:
      - type: plaintext
        name: internal
        containerPort: 29092
        usedForInnerBrokerCommunication: true
      - type: plaintext
        name: controller
        containerPort: 29093
        usedForControllerCommunication: true
  cruiseControlConfig: {}
)";

inline model::kafka_cluster base_cluster() {
  return cluster_from_yaml(base_cluster_yaml);
}

} // namespace kactor::testing
