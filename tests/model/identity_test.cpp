#include "model/identity.hpp"

#include <gtest/gtest.h>

using namespace kactor::model;
using nlohmann::json;

TEST(identity, reads_namespace_cluster_broker_and_mount_path) {
  auto pvc = json::parse(R"({"metadata": {"namespace": "kafka", "name": "kafka-1-logs",
    "labels": {"app": "kafka", "kafka_cr": "kafka", "brokerId": "1"}, "annotations": {"mountPath": "/kafka-logs"}}})");
  EXPECT_EQ(broker_identity_of(pvc), (object_identity{"kafka", "kafka", 1, "/kafka-logs"}));
}

TEST(identity, missing_or_malformed_fields_read_as_empty) {
  EXPECT_EQ(broker_identity_of(json()), object_identity{});
  EXPECT_EQ(broker_identity_of(json::parse(R"({"metadata": {"labels": "x"}})")), object_identity{});
  auto odd = broker_identity_of(json::parse(R"({"metadata": {"labels": {"kafka_cr": 5, "brokerId": "1a"}}})"));
  EXPECT_EQ(odd.cluster, "");
  EXPECT_FALSE(odd.broker_id);
  auto numeric = broker_identity_of(json::parse(R"({"metadata": {"labels": {"brokerId": 1}}})"));
  EXPECT_FALSE(numeric.broker_id) << "Kubernetes labels are strings";
}

TEST(identity, broker_ids_are_one_to_nine_digits) {
  EXPECT_EQ(parse_broker_id("0"), 0);
  EXPECT_EQ(parse_broker_id("007"), 7);
  EXPECT_EQ(parse_broker_id("999999999"), 999999999);
  for (const char* bad : {"", "-1", "+1", " 1", "1 ", "1a", "1234567890"})
    EXPECT_FALSE(parse_broker_id(bad)) << '"' << bad << '"';
}
