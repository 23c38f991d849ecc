#include "actors/cluster/cluster_admin.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

using namespace kactor;
namespace kafka = kactor::integrations::kafka;

namespace {

/// An admin that answers describe_cluster with its bootstrap address as the cluster id.
class named_admin final : public kafka::kafka_admin {
public:
  explicit named_admin(std::string servers) : servers_(std::move(servers)) {}
  void describe_cluster(callback<kafka::cluster_description> cb) override { cb(kafka::cluster_description{servers_, 0, {}}); }
  void describe_topics(callback<std::vector<kafka::topic_description>> cb) override { cb(std::vector<kafka::topic_description>{}); }
  void describe_configs(kafka::config_resource r, callback<kafka::config_description> cb) override {
    cb(kafka::config_description{r, {}});
  }
  void incremental_alter_configs(kafka::config_resource, std::vector<kafka::config_op>, callback<kafka::done> cb) override {
    cb(kafka::done{});
  }

private:
  std::string servers_;
};

std::string cluster_id(actors::cluster_admin& admin) {
  std::optional<kafka::admin_result<kafka::cluster_description>> out;
  admin.describe_cluster([&](kafka::admin_result<kafka::cluster_description> r) { out = std::move(r); });
  if (!out || !out->is_ok())
    return out ? "error: " + out->error().message : "no answer";
  return out->value().cluster_id;
}

} // namespace

// headlessServiceEnabled flipped: the broker actors keep their handle, and it reaches the new Service.
TEST(cluster_admin, follows_the_bootstrap_address_and_makes_an_admin_only_when_it_changes) {
  std::vector<std::string> made;
  actors::cluster_admin admin([&](const kafka::cluster_address& a) {
    made.push_back(a.bootstrap_servers);
    return std::make_shared<named_admin>(a.bootstrap_servers);
  });
  EXPECT_NE(cluster_id(admin).find("no bootstrap address yet"), std::string::npos);
  admin.aim({"kafka", "kafka", "kafka-all-broker.kafka.svc.cluster.local:29092"});
  admin.aim({"kafka", "kafka", "kafka-all-broker.kafka.svc.cluster.local:29092"});
  EXPECT_EQ(made.size(), 1u);
  EXPECT_EQ(cluster_id(admin), "kafka-all-broker.kafka.svc.cluster.local:29092");
  admin.aim({"kafka", "kafka", "kafka-headless.kafka.svc.cluster.local:29092"});
  EXPECT_EQ(made.size(), 2u);
  EXPECT_EQ(cluster_id(admin), "kafka-headless.kafka.svc.cluster.local:29092");
  EXPECT_EQ(admin.bootstrap_servers(), "kafka-headless.kafka.svc.cluster.local:29092");
}
