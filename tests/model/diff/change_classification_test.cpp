#include "model/diff/change_classification.hpp"

#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "model/render/desired_state.hpp"

using namespace kactor::model;
using namespace kactor::testing;

namespace {

change_kind kind_of(const change_plan& plan, int32_t id) {
  auto* b = plan.find(id);
  return b ? b->kind : change_kind::none;
}

std::string revision(const kafka_cluster& c, int32_t id) {
  return render_broker(c, id)->revision;
}

storage_config disk(const char* path, const char* size) {
  return {path, json{{"resources", {{"requests", {{"storage", size}}}}}}, std::nullopt};
}

} // namespace

TEST(change_classification, unchanged_spec_is_an_empty_plan) {
  auto plan = classify_changes(base_cluster(), base_cluster());
  ASSERT_TRUE(plan.errors.empty());
  for (const auto& b : plan.brokers)
    EXPECT_EQ(b.kind, change_kind::none) << b.id;
  EXPECT_TRUE(plan.added.empty());
  EXPECT_TRUE(plan.removed.empty());
  EXPECT_EQ(to_json(base_cluster()), to_json(base_cluster()));
}

TEST(change_classification, read_only_config_on_broker_1_restarts_only_broker_1) {
  auto before = base_cluster(), after = base_cluster();
  after.spec.brokers[1].read_only_config = "num.io.threads=16\n";
  auto plan = classify_changes(before, after);
  EXPECT_EQ(kind_of(plan, 0), change_kind::none);
  EXPECT_EQ(kind_of(plan, 1), change_kind::restart_required);
  EXPECT_EQ(kind_of(plan, 2), change_kind::none);
  EXPECT_EQ(plan.find(1)->reasons, std::vector<std::string>{"server.properties: num.io.threads"});
  EXPECT_EQ(revision(before, 0), revision(after, 0));
  EXPECT_NE(revision(before, 1), revision(after, 1));
  EXPECT_EQ(revision(before, 2), revision(after, 2));
}

TEST(change_classification, broker_config_config_restarts_nothing) {
  auto before = base_cluster(), after = base_cluster();
  after.spec.brokers[0].config.emplace().config = "log.cleaner.threads=2\n";
  auto plan = classify_changes(before, after);
  EXPECT_EQ(kind_of(plan, 0), change_kind::dynamic_per_broker);
  EXPECT_EQ(kind_of(plan, 1), change_kind::none);
  for (int32_t id : {0, 1, 2})
    EXPECT_EQ(revision(before, id), revision(after, id));
}

TEST(change_classification, cluster_wide_config_restarts_nothing) {
  auto before = base_cluster(), after = base_cluster();
  after.spec.cluster_wide_config = "background.threads=20\n";
  auto plan = classify_changes(before, after);
  EXPECT_TRUE(plan.cluster_wide_config_changed);
  for (int32_t id : {0, 1, 2})
    EXPECT_EQ(kind_of(plan, id), change_kind::dynamic_cluster_wide);
}

TEST(change_classification, new_disk_on_broker_2_restarts_only_broker_2) {
  auto before = base_cluster(), after = base_cluster();
  after.spec.brokers[2].config.emplace().storage_configs = {disk("/kafka-logs2", "20Gi")};
  auto plan = classify_changes(before, after);
  EXPECT_EQ(kind_of(plan, 0), change_kind::none);
  EXPECT_EQ(kind_of(plan, 1), change_kind::none);
  ASSERT_EQ(kind_of(plan, 2), change_kind::restart_required);
  auto& reasons = plan.find(2)->reasons;
  EXPECT_NE(std::find(reasons.begin(), reasons.end(), "disk added: /kafka-logs2"), reasons.end());
}

TEST(change_classification, resources_change_restarts_that_broker) {
  auto before = base_cluster(), after = base_cluster();
  after.spec.brokers[1].config.emplace().resource_requirements = json{{"requests", {{"cpu", "2"}}}};
  auto plan = classify_changes(before, after);
  ASSERT_EQ(kind_of(plan, 1), change_kind::restart_required);
  EXPECT_EQ(plan.find(1)->reasons, std::vector<std::string>{"kafka container resources"});
  EXPECT_EQ(kind_of(plan, 0), change_kind::none);
}

TEST(change_classification, image_change_in_group_restarts_every_member) {
  auto before = base_cluster(), after = base_cluster();
  after.spec.broker_config_groups["default"].image = "kafka:new";
  auto plan = classify_changes(before, after);
  for (int32_t id : {0, 1, 2}) {
    EXPECT_EQ(kind_of(plan, id), change_kind::restart_required);
    EXPECT_EQ(plan.find(id)->reasons, std::vector<std::string>{"kafka container image"});
  }
}

TEST(change_classification, annotations_do_not_restart) {
  auto before = base_cluster(), after = base_cluster();
  after.spec.broker_config_groups["default"].broker_annotations = {{"team", "data"}};
  auto plan = classify_changes(before, after);
  for (int32_t id : {0, 1, 2})
    EXPECT_EQ(kind_of(plan, id), change_kind::none);
}

TEST(change_classification, growing_a_pvc_needs_no_restart_and_shrinking_is_refused) {
  auto before = base_cluster(), grown = base_cluster(), shrunk = base_cluster();
  grown.spec.broker_config_groups["default"].storage_configs = {disk("/kafka-logs", "20Gi")};
  auto plan = classify_changes(before, grown);
  ASSERT_TRUE(plan.errors.empty());
  EXPECT_EQ(kind_of(plan, 0), change_kind::none);
  EXPECT_EQ(plan.find(0)->resized_volumes, std::vector<std::string>{"/kafka-logs"});
  shrunk.spec.broker_config_groups["default"].storage_configs = {disk("/kafka-logs", "5Gi")};
  auto refused = classify_changes(before, shrunk);
  ASSERT_EQ(refused.errors.size(), 3u);
  EXPECT_NE(refused.errors[0].message.find("shrinking a PVC is not supported (10Gi → 5Gi)"), std::string::npos);
  EXPECT_NE(refused.errors[0].path.find("spec.brokers[0]"), std::string::npos);
  EXPECT_TRUE(refused.brokers.empty());
}

TEST(change_classification, added_and_removed_brokers) {
  auto before = base_cluster(), after = base_cluster();
  after.spec.brokers.erase(after.spec.brokers.begin() + 1);
  after.spec.brokers.push_back(broker{5, "default", std::nullopt, std::nullopt});
  auto plan = classify_changes(before, after);
  EXPECT_EQ(plan.added, std::vector<int32_t>{5});
  EXPECT_EQ(plan.removed, std::vector<int32_t>{1});
  EXPECT_EQ(kind_of(plan, 0), change_kind::none);
}

TEST(change_classification, invalid_new_spec_yields_errors_and_no_plan) {
  auto before = base_cluster(), after = base_cluster();
  after.spec.brokers[2].id = 1;
  auto plan = classify_changes(before, after);
  ASSERT_FALSE(plan.errors.empty());
  EXPECT_EQ(plan.errors[0].to_string(), "spec.brokers[2].id: duplicate broker id 1 (also spec.brokers[1])");
  EXPECT_TRUE(plan.brokers.empty());
}
