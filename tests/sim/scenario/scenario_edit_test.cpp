#include "sim/scenario/scenario_edit.hpp"

#include <gtest/gtest.h>

using namespace kactor::sim;
using nlohmann::json;

namespace {

json spec() {
  return json::parse(R"({"readOnlyConfig": "auto.create.topics.enable=false",
    "brokers": [{"id": 0, "brokerConfigGroup": "default"}, {"id": 1, "brokerConfigGroup": "default"}]})");
}

scenario_step step(step_kind k, std::vector<int32_t> brokers = {}) {
  scenario_step s;
  s.kind = k;
  s.brokers = std::move(brokers);
  return s;
}

} // namespace

TEST(scenario_edit, adding_brokers_copies_the_first_brokers_group_and_refuses_a_taken_id) {
  auto sp = spec();
  EXPECT_EQ(apply_step_to_spec(step(step_kind::add_brokers, {2, 3}), sp), "");
  ASSERT_EQ(sp["brokers"].size(), 4u);
  EXPECT_EQ(sp["brokers"][3], (json{{"id", 3}, {"brokerConfigGroup", "default"}}));
  auto before = sp;
  EXPECT_EQ(apply_step_to_spec(step(step_kind::add_brokers, {4, 1}), sp), "spec.brokers[1].id: a broker with id 1 already exists");
  EXPECT_EQ(sp, before) << "a refused step leaves the spec as it was (broker 4 not added)";
  EXPECT_TRUE(restart_scope_of(step(step_kind::add_brokers, {4})).brokers.empty());
}

TEST(scenario_edit, removing_a_broker_erases_only_it) {
  auto sp = spec();
  EXPECT_EQ(apply_step_to_spec(step(step_kind::remove_broker, {0}), sp), "");
  ASSERT_EQ(sp["brokers"].size(), 1u);
  EXPECT_EQ(sp["brokers"][0]["id"], 1);
  EXPECT_EQ(apply_step_to_spec(step(step_kind::remove_broker, {7}), sp), "spec.brokers: no broker with id 7");
  auto scope = restart_scope_of(step(step_kind::remove_broker, {0}));
  EXPECT_EQ(scope.brokers, (std::set<int32_t>{0}));
  EXPECT_FALSE(scope.all);
}

TEST(scenario_edit, a_disk_is_added_once_and_removed_by_mount_path) {
  auto sp = spec();
  auto add = step(step_kind::add_disk, {1});
  add.mount_path = "/kafka-logs-3";
  add.size = "20Gi";
  EXPECT_EQ(apply_step_to_spec(add, sp), "");
  auto disks = sp["brokers"][1]["brokerConfig"]["storageConfigs"];
  ASSERT_EQ(disks.size(), 1u);
  EXPECT_EQ(disks[0]["mountPath"], "/kafka-logs-3");
  EXPECT_EQ(disks[0]["pvcSpec"]["resources"]["requests"]["storage"], "20Gi");
  EXPECT_EQ(apply_step_to_spec(add, sp), "spec.brokers[1].brokerConfig.storageConfigs: broker 1 already has a disk at /kafka-logs-3");
  auto remove = step(step_kind::remove_disk, {1});
  remove.mount_path = "/kafka-logs-9";
  EXPECT_EQ(apply_step_to_spec(remove, sp), "spec.brokers[1].brokerConfig.storageConfigs: broker 1 has no own disk at /kafka-logs-9");
  remove.mount_path = "/kafka-logs-3";
  EXPECT_EQ(apply_step_to_spec(remove, sp), "");
  EXPECT_TRUE(sp["brokers"][1]["brokerConfig"]["storageConfigs"].empty());
  EXPECT_EQ(restart_scope_of(remove).brokers, (std::set<int32_t>{1}));
}

TEST(scenario_edit, config_lines_are_appended_spec_wide_or_to_one_broker) {
  auto sp = spec();
  auto roll = step(step_kind::read_only_config);
  roll.config = "num.network.threads=5";
  EXPECT_EQ(apply_step_to_spec(roll, sp), "");
  EXPECT_EQ(sp["readOnlyConfig"], "auto.create.topics.enable=false\nnum.network.threads=5\n");
  EXPECT_TRUE(restart_scope_of(roll).all);
  auto one = step(step_kind::broker_config, {0});
  one.config = "num.io.threads=9";
  EXPECT_EQ(apply_step_to_spec(one, sp), "");
  EXPECT_EQ(sp["brokers"][0]["readOnlyConfig"], "num.io.threads=9\n");
  EXPECT_FALSE(sp["brokers"][1].contains("readOnlyConfig"));
  EXPECT_EQ(restart_scope_of(one).brokers, (std::set<int32_t>{0}));
}

TEST(scenario_edit, a_patch_merges_and_may_restart_every_broker) {
  auto sp = spec();
  auto p = step(step_kind::patch);
  p.patch = {{"rollingUpgradeConfig", {{"failureThreshold", 2}}}, {"readOnlyConfig", nullptr}};
  EXPECT_EQ(apply_step_to_spec(p, sp), "");
  EXPECT_EQ(sp["rollingUpgradeConfig"]["failureThreshold"], 2);
  EXPECT_FALSE(sp.contains("readOnlyConfig"));
  EXPECT_TRUE(restart_scope_of(p).all);
  auto before = sp;
  EXPECT_EQ(apply_step_to_spec(step(step_kind::wait), sp), "");
  EXPECT_EQ(sp, before);
}
