#include "model/diff/graceful_plan.hpp"

#include <gtest/gtest.h>

namespace kactor::model {
namespace {

graceful_action_state state(const std::string& s, std::optional<std::string> ref = std::nullopt,
                            std::map<std::string, volume_state> volumes = {}) {
  return {s, std::move(ref), std::move(volumes)};
}

cc_operation op(const std::string& name, cc_operation_kind kind, std::map<std::string, std::string> params,
                const std::string& st = "") {
  cc_operation o;
  o.name = name;
  o.kind = kind;
  o.parameters = std::move(params);
  o.state = st;
  o.task_id = st.empty() ? "" : "task-" + name;
  return o;
}

/// Brokers 0..2 running with one disk each, all settled.
graceful_inputs settled() {
  graceful_inputs in;
  in.cluster = "kafka";
  in.name_suffix = "s1";
  for (int32_t id : {0, 1, 2}) {
    in.spec_disks[id] = {"/kafka-logs"};
    in.observed_disks[id] = {"/kafka-logs"};
    in.previous[id] = state("GracefulUpscaleSucceeded", std::nullopt,
                            {{"/kafka-logs", {"GracefulDiskRebalanceSucceeded", std::nullopt}}});
  }
  return in;
}

std::map<int32_t, cc_broker_view> cc_sees(std::map<int32_t, int32_t> replicas, const std::string& st = "ALIVE") {
  std::map<int32_t, cc_broker_view> out;
  for (auto [id, n] : replicas) {
    out[id] = {st, n, 0, {"/kafka-logs/kafka"}, {{"/kafka-logs/kafka", n}}};
    out[id].listed = out[id].disk_data = true;
  }
  return out;
}

/// Broker 1 left the spec and its remove_broker Completed; Cruise Control lists it empty; every broker runs.
graceful_inputs broker_1_drained() {
  auto in = settled();
  in.spec_disks.erase(1);
  in.previous[1] = state("GracefulDownscaleRunning", "op");
  in.operations = {op("op", cc_operation_kind::remove_broker, {{"brokerid", "1"}}, "Completed")};
  in.cruise_control = cc_sees({{0, 6}, {1, 0}, {2, 6}});
  for (int32_t id : {0, 1, 2})
    in.pod_mounts[id] = {"/kafka-logs"};
  return in;
}

TEST(GracefulPlan, ANewClusterNeedsNothing) {
  graceful_inputs in;
  in.cluster = "kafka";
  in.new_cluster = true;
  for (int32_t id : {0, 1, 2})
    in.spec_disks[id] = {"/kafka-logs"};
  auto p = plan_graceful(in);
  EXPECT_TRUE(p.create.empty());
  EXPECT_FALSE(p.needs_cruise_control);
  for (int32_t id : {0, 1, 2}) {
    EXPECT_EQ(p.states[id].cruise_control_state, "GracefulUpscaleSucceeded");
    EXPECT_EQ(p.states[id].volume_states["/kafka-logs"].cruise_control_volume_state, "GracefulDiskRebalanceSucceeded");
  }
  EXPECT_TRUE(plan_graceful(settled()).create.empty());
}

TEST(GracefulPlan, TwoNewBrokersGetOneAddBrokerOnceCruiseControlSeesBoth) {
  auto in = settled();
  in.spec_disks[3] = in.spec_disks[4] = {"/kafka-logs"};
  in.cruise_control = cc_sees({{0, 4}, {1, 4}, {2, 4}, {3, 0}});
  auto p = plan_graceful(in);
  EXPECT_TRUE(p.create.empty()) << "broker 4 is not seen yet";
  EXPECT_EQ(p.states[3].cruise_control_state, "GracefulUpscaleRequired");
  ASSERT_FALSE(p.waiting.empty());
  EXPECT_NE(p.waiting[0].find("broker 4"), std::string::npos) << p.waiting[0];

  (*in.cruise_control)[4] = {"NEW", 0, {}};
  p = plan_graceful(in);
  ASSERT_EQ(p.create.size(), 1u);
  EXPECT_EQ(p.create[0].kind, cc_operation_kind::add_broker);
  EXPECT_EQ(p.create[0].parameters.at("brokerid"), "3,4");
  EXPECT_EQ(p.create[0].name, "kafka-add-broker-s1");
  EXPECT_EQ(p.states[4].cruise_control_state, "GracefulUpscaleScheduled");
  EXPECT_EQ(p.states[4].cruise_control_operation_name, "kafka-add-broker-s1");
}

TEST(GracefulPlan, ARemovedBrokerIsDeletedOnlyAfterCompletedAndEmpty) {
  auto in = settled();
  in.spec_disks.erase(1);
  auto p = plan_graceful(in);
  ASSERT_EQ(p.create.size(), 1u);
  EXPECT_EQ(p.create[0].kind, cc_operation_kind::remove_broker);
  EXPECT_EQ(p.create[0].parameters.at("brokerid"), "1");
  EXPECT_TRUE(p.remove_brokers.empty());

  in.previous[1] = p.states[1];
  in.operations = {op(p.create[0].name, cc_operation_kind::remove_broker, p.create[0].parameters, "InExecution")};
  p = plan_graceful(in);
  EXPECT_TRUE(p.create.empty());
  EXPECT_EQ(p.states[1].cruise_control_state, "GracefulDownscaleRunning");
  EXPECT_TRUE(p.remove_brokers.empty());

  in.previous[1] = p.states[1];
  in.operations[0].state = "Completed";
  p = plan_graceful(in);
  EXPECT_TRUE(p.remove_brokers.empty()) << "no Cruise Control answer to confirm it is empty";
  in.cruise_control = cc_sees({{0, 6}, {1, 0}, {2, 6}});
  p = plan_graceful(in);
  EXPECT_TRUE(p.remove_brokers.empty() && p.stop_brokers.empty()) << "Kafka's metadata has not confirmed it";
  EXPECT_TRUE(p.needs_kafka);
  EXPECT_EQ(p.states[1].cruise_control_state, "GracefulDownscaleSucceeded");
  in.kafka_replicas = std::map<int32_t, int32_t>{{0, 6}, {2, 6}};
  p = plan_graceful(in);
  EXPECT_TRUE(p.stop_brokers.empty()) << "no pod";
  EXPECT_EQ(p.remove_brokers, std::vector<int32_t>{1});
}

TEST(GracefulPlan, ADrainedBrokerIsStoppedFirstThenRemovedOnKafkasWordAgain) {
  auto in = broker_1_drained();
  in.kafka_replicas = std::map<int32_t, int32_t>{{0, 6}, {2, 6}};
  auto p = plan_graceful(in);
  EXPECT_EQ(p.stop_brokers, std::vector<int32_t>{1});
  EXPECT_TRUE(p.remove_brokers.empty()) << "its pod still runs";
  EXPECT_TRUE(p.needs_kafka) << "the second check, once the pod is gone";

  in.previous[1] = p.states[1];
  in.pod_mounts.erase(1); // stopped; Cruise Control no longer lists it (a dead broker holding nothing)
  in.cruise_control->erase(1);
  in.kafka_replicas.reset(); // the answer predates the stop
  p = plan_graceful(in);
  EXPECT_TRUE(p.stop_brokers.empty() && p.remove_brokers.empty()) << "held until Kafka answers again";
  EXPECT_EQ(p.states[1].cruise_control_state, "GracefulDownscaleSucceeded");
  EXPECT_TRUE(p.create.empty());
  in.kafka_replicas = std::map<int32_t, int32_t>{{0, 6}, {2, 6}};
  p = plan_graceful(in);
  EXPECT_EQ(p.remove_brokers, std::vector<int32_t>{1});
}

TEST(GracefulPlan, AnUnlistedBrokerIsNotEmpty) {
  auto in = broker_1_drained();
  in.kafka_replicas = std::map<int32_t, int32_t>{{0, 6}, {2, 6}};
  in.cruise_control->erase(1); // the real kafka_cluster_state omits a dead broker holding only leaderless partitions
  auto p = plan_graceful(in);
  EXPECT_TRUE(p.stop_brokers.empty() && p.remove_brokers.empty());
  EXPECT_EQ(p.states[1].cruise_control_state, "GracefulDownscaleRunning");
  (*in.cruise_control)[1] = {"DEAD", 0, 0, {}, {}}; // named by load only
  p = plan_graceful(in);
  EXPECT_TRUE(p.stop_brokers.empty() && p.remove_brokers.empty());
}

TEST(GracefulPlan, ABrokerDeadOrTimedOutLogDirIsNotEmpty) {
  for (const char* dir : {"broker_dead", "timed_out"}) {
    auto in = broker_1_drained();
    in.kafka_replicas = std::map<int32_t, int32_t>{{0, 6}, {2, 6}};
    (*in.cruise_control)[1].online_log_dirs = {dir};
    auto p = plan_graceful(in);
    EXPECT_TRUE(p.stop_brokers.empty() && p.remove_brokers.empty()) << dir;
    EXPECT_EQ(p.states[1].cruise_control_state, "GracefulDownscaleRunning") << dir;
  }
}

TEST(GracefulPlan, KafkaNamingTheBrokerAsAnOfflineReplicaKeepsItAndDrainsAgain) {
  auto in = broker_1_drained();
  in.previous[1] = state("GracefulDownscaleSucceeded", "op");
  in.pod_mounts.erase(1);                                    // stopped already
  in.kafka_replicas = std::map<int32_t, int32_t>{{0, 6}, {1, 1}, {2, 6}}; // an offline replica still names it
  auto p = plan_graceful(in);
  EXPECT_TRUE(p.stop_brokers.empty() && p.remove_brokers.empty());
  EXPECT_EQ(p.states[1].cruise_control_state, "GracefulDownscaleScheduled");
  ASSERT_EQ(p.create.size(), 1u);
  EXPECT_EQ(p.create[0].parameters.at("brokerid"), "1");
}

TEST(GracefulPlan, AReplicaPlacedAfterCompletedKeepsTheBroker) {
  auto in = broker_1_drained();
  in.previous[1] = state("GracefulDownscaleSucceeded", "op"); // drained, its pod not stopped yet
  in.kafka_replicas = std::map<int32_t, int32_t>{{0, 6}, {1, 2}, {2, 6}}; // a new topic landed on it
  auto p = plan_graceful(in);
  EXPECT_TRUE(p.stop_brokers.empty() && p.remove_brokers.empty());
  ASSERT_EQ(p.create.size(), 1u) << "drained again";
  in.kafka_replicas = std::map<int32_t, int32_t>{{0, 6}, {2, 6}};
  (*in.cruise_control)[1].replicas = 2; // Cruise Control sees them first
  p = plan_graceful(in);
  EXPECT_TRUE(p.stop_brokers.empty() && p.remove_brokers.empty());
  EXPECT_EQ(p.create.size(), 1u);
}

TEST(GracefulPlan, ABrokerLeavingWhileARemovalRunsWaitsForIt) {
  auto in = settled();
  in.spec_disks.erase(1);
  in.previous[1] = state("GracefulDownscaleRunning", "op");
  in.operations = {op("op", cc_operation_kind::remove_broker, {{"brokerid", "1"}}, "InExecution")};
  in.spec_disks.erase(2); // broker 2 leaves while broker 1 drains
  auto p = plan_graceful(in);
  EXPECT_TRUE(p.create.empty()) << "no second task beside the running one";
  EXPECT_EQ(p.states[2].cruise_control_state, "GracefulDownscaleRequired");
  in.operations[0].state = "Completed";
  in.cruise_control = cc_sees({{0, 6}, {1, 0}, {2, 3}});
  p = plan_graceful(in);
  ASSERT_EQ(p.create.size(), 1u);
  EXPECT_EQ(p.create[0].parameters.at("brokerid"), "1,2");
}

TEST(GracefulPlan, EveryLeavingBrokerIsNamedInANewRemoval) {
  auto in = broker_1_drained();
  in.previous[1] = state("GracefulDownscaleSucceeded", "op");
  in.spec_disks.erase(2); // broker 2 leaves later
  auto p = plan_graceful(in);
  ASSERT_EQ(p.create.size(), 1u);
  EXPECT_EQ(p.create[0].parameters.at("brokerid"), "1,2") << "no proposal may move broker 2's replicas onto broker 1";
  EXPECT_EQ(p.create[0].parameters.at("exclude_recently_removed_brokers"), "true");
  EXPECT_EQ(p.states[1].cruise_control_state, "GracefulDownscaleSucceeded");
  EXPECT_EQ(p.states[2].cruise_control_state, "GracefulDownscaleScheduled");
}

TEST(GracefulPlan, WithoutCruiseControlNothingIsCreatedAndItemsStayRequired) {
  auto in = settled();
  in.cruise_control_available = false;
  in.spec_disks.erase(1);                                   // broker 1 leaves: remove_broker
  in.spec_disks[2] = {};                                    // broker 2's disk leaves: remove_disks
  auto p = plan_graceful(in);
  EXPECT_TRUE(p.create.empty());
  EXPECT_TRUE(p.needs_cruise_control);
  EXPECT_EQ(p.states[1].cruise_control_state, "GracefulDownscaleRequired");
  EXPECT_FALSE(p.states[1].cruise_control_operation_name.has_value());
  EXPECT_EQ(p.states[2].volume_states["/kafka-logs"].cruise_control_volume_state, "GracefulDiskRemovalRequired");
  EXPECT_FALSE(p.states[2].volume_states["/kafka-logs"].cruise_control_operation_name.has_value());
  EXPECT_TRUE(p.remove_brokers.empty());
  EXPECT_TRUE(p.remove_disks.empty());

  in.cruise_control_available = true; // once it is there, the same inputs schedule both
  p = plan_graceful(in);
  EXPECT_EQ(p.create.size(), 2u);
  EXPECT_EQ(p.states[1].cruise_control_state, "GracefulDownscaleScheduled");
}

TEST(GracefulPlan, CompletedWithReplicasLeftDrainsAgainAndFailuresNeverDelete) {
  auto in = settled();
  in.spec_disks.erase(1);
  in.previous[1] = state("GracefulDownscaleRunning", "kafka-remove-broker-a");
  in.operations = {op("kafka-remove-broker-a", cc_operation_kind::remove_broker, {{"brokerid", "1"}}, "Completed")};
  in.cruise_control = cc_sees({{0, 6}, {1, 2}, {2, 6}});
  auto p = plan_graceful(in);
  EXPECT_TRUE(p.remove_brokers.empty());
  ASSERT_EQ(p.create.size(), 1u);
  EXPECT_EQ(p.create[0].kind, cc_operation_kind::remove_broker);

  in.operations[0].state = "CompletedWithError";
  in.operations[0].error_policy = "ignore";
  p = plan_graceful(in);
  EXPECT_EQ(p.states[1].cruise_control_state, "GracefulDownscaleCompletedWithError");
  EXPECT_TRUE(p.remove_brokers.empty());
  EXPECT_TRUE(p.create.empty());

  in.operations[0].state = "Unknown"; // Cruise Control restarted and forgot it
  in.operations[0].error_policy = "retry";
  p = plan_graceful(in);
  EXPECT_EQ(p.states[1].cruise_control_state, "GracefulDownscaleRunning");
  EXPECT_TRUE(p.remove_brokers.empty());
}

TEST(GracefulPlan, AnUnfinishedOperationIsAdoptedNotDuplicated) {
  auto in = settled();
  in.spec_disks.erase(1);
  // The status write was lost in a crash: no reference, but the operation exists.
  in.operations = {op("kafka-remove-broker-old", cc_operation_kind::remove_broker, {{"brokerid", "1"}})};
  auto p = plan_graceful(in);
  EXPECT_TRUE(p.create.empty());
  EXPECT_EQ(p.states[1].cruise_control_state, "GracefulDownscaleScheduled");
  EXPECT_EQ(p.states[1].cruise_control_operation_name, "kafka-remove-broker-old");
}

TEST(GracefulPlan, ANewDiskRebalancesOnlyItsBrokerOnceItsLogDirIsOnline) {
  auto in = settled();
  in.spec_disks[2] = {"/kafka-logs", "/kafka-logs2"};
  in.cruise_control = cc_sees({{0, 4}, {1, 4}, {2, 4}});
  auto p = plan_graceful(in);
  EXPECT_EQ(p.states[2].volume_states["/kafka-logs2"].cruise_control_volume_state, "GracefulDiskRebalanceRequired");
  EXPECT_TRUE(p.create.empty());
  in.previous[2] = p.states[2];
  in.observed_disks[2] = {"/kafka-logs", "/kafka-logs2"};
  (*in.cruise_control)[2].online_log_dirs.push_back("/kafka-logs2/kafka");
  p = plan_graceful(in);
  ASSERT_EQ(p.create.size(), 1u);
  EXPECT_EQ(p.create[0].kind, cc_operation_kind::rebalance);
  EXPECT_EQ(p.create[0].parameters.at("destination_broker_ids"), "2");
  EXPECT_EQ(p.create[0].parameters.at("rebalance_disk"), "true");
  EXPECT_EQ(p.states[0].volume_states["/kafka-logs"].cruise_control_volume_state, "GracefulDiskRebalanceSucceeded");
}

TEST(GracefulPlan, ARemovedDiskStaysMountedUntilDrainedThenGoes) {
  auto in = settled();
  in.observed_disks[2] = {"/kafka-logs", "/kafka-logs2"};
  in.previous[2].volume_states["/kafka-logs2"] = {"GracefulDiskRebalanceSucceeded", std::nullopt};
  auto p = plan_graceful(in);
  ASSERT_EQ(p.create.size(), 1u);
  EXPECT_EQ(p.create[0].kind, cc_operation_kind::remove_disks);
  EXPECT_EQ(p.create[0].parameters.at("brokerid_and_logdirs"), "2-/kafka-logs2/kafka");
  EXPECT_EQ(p.keep_disks[2], std::set<std::string>{"/kafka-logs2"});
  EXPECT_TRUE(p.remove_disks.empty());

  in.previous[2] = p.states[2];
  in.operations = {op(p.create[0].name, cc_operation_kind::remove_disks, p.create[0].parameters, "Completed")};
  in.cruise_control = cc_sees({{0, 4}, {1, 4}, {2, 4}});
  (*in.cruise_control)[2].log_dir_replicas = {{"/kafka-logs/kafka", 4}, {"/kafka-logs2/kafka", 0}};
  p = plan_graceful(in);
  EXPECT_TRUE(p.keep_disks.empty());
  EXPECT_EQ(p.remove_disks[2], std::set<std::string>{"/kafka-logs2"});
  EXPECT_EQ(p.states[2].volume_states["/kafka-logs2"].cruise_control_volume_state, "GracefulDiskRemovalSucceeded");
}

TEST(GracefulPlan, OnlyAnAnswerThatShowsTheBrokerEmptyConfirmsTheDrain) {
  auto in = settled();
  in.spec_disks.erase(1);
  in.previous[1] = state("GracefulDownscaleRunning", "op");
  in.operations = {op("op", cc_operation_kind::remove_broker, {{"brokerid", "1"}}, "Completed")};
  in.cruise_control = std::map<int32_t, cc_broker_view>{}; // an empty answer (Cruise Control just restarted)
  in.kafka_replicas = std::map<int32_t, int32_t>{{0, 6}, {2, 6}};
  EXPECT_TRUE(plan_graceful(in).remove_brokers.empty());
  EXPECT_TRUE(plan_graceful(in).stop_brokers.empty());
  in.cruise_control = cc_sees({{0, 6}, {1, 0}, {2, 6}});
  (*in.cruise_control)[1].offline_replicas = 2; // its replicas are offline, not moved
  auto p = plan_graceful(in);
  EXPECT_TRUE(p.remove_brokers.empty());
  EXPECT_EQ(p.create.size(), 1u) << "drained again";
}

TEST(GracefulPlan, ARemovedDiskIsReleasedOnlyWhenItsLogDirIsEmpty) {
  auto in = settled();
  in.observed_disks[2] = {"/kafka-logs", "/kafka-logs2"};
  in.previous[2].volume_states["/kafka-logs2"] = {"GracefulDiskRemovalRunning", "op"};
  in.operations = {op("op", cc_operation_kind::remove_disks, {{"brokerid_and_logdirs", "2-/kafka-logs2/kafka"}}, "Completed")};
  auto p = plan_graceful(in);
  EXPECT_TRUE(p.remove_disks.empty()) << "no answer to confirm";
  in.cruise_control = cc_sees({{0, 4}, {1, 4}, {2, 4}});
  (*in.cruise_control)[2].log_dir_replicas = {{"/kafka-logs/kafka", 4}, {"/kafka-logs2/kafka", 1}};
  p = plan_graceful(in);
  EXPECT_TRUE(p.remove_disks.empty());
  EXPECT_EQ(p.keep_disks[2], std::set<std::string>{"/kafka-logs2"});
  (*in.cruise_control)[2].log_dir_replicas["/kafka-logs2/kafka"] = 0;
  p = plan_graceful(in);
  EXPECT_EQ(p.remove_disks[2], std::set<std::string>{"/kafka-logs2"});
}

TEST(GracefulPlan, MissingDiskDataKeepsTheDiskMounted) {
  auto in = settled();
  in.observed_disks[2] = {"/kafka-logs", "/kafka-logs2"};
  in.pod_mounts[2] = {"/kafka-logs", "/kafka-logs2"};
  in.previous[2].volume_states["/kafka-logs2"] = {"GracefulDiskRemovalRunning", "op"};
  in.operations = {op("op", cc_operation_kind::remove_disks, {{"brokerid_and_logdirs", "2-/kafka-logs2/kafka"}}, "Completed")};
  in.cruise_control = cc_sees({{0, 4}, {1, 4}, {2, 4}});
  (*in.cruise_control)[2].log_dir_replicas.clear();
  (*in.cruise_control)[2].disk_data = false; // load asked without populate_disk_info=true
  auto p = plan_graceful(in);
  EXPECT_TRUE(p.remove_disks.empty());
  EXPECT_EQ(p.keep_disks[2], std::set<std::string>{"/kafka-logs2"});
  (*in.cruise_control)[2].disk_data = true; // figures, but none for that log dir
  p = plan_graceful(in);
  EXPECT_TRUE(p.remove_disks.empty());
  in.cruise_control->erase(2); // not listed
  p = plan_graceful(in);
  EXPECT_TRUE(p.remove_disks.empty());
}

TEST(GracefulPlan, ADrainedDiskIsCheckedAgainWhileMountedThenReleased) {
  auto in = settled();
  in.observed_disks[2] = {"/kafka-logs", "/kafka-logs2"};
  in.pod_mounts[2] = {"/kafka-logs", "/kafka-logs2"};
  in.previous[2].volume_states["/kafka-logs2"] = {"GracefulDiskRemovalSucceeded", "op"};
  in.operations = {op("op", cc_operation_kind::remove_disks, {{"brokerid_and_logdirs", "2-/kafka-logs2/kafka"}}, "Completed")};
  in.cruise_control = cc_sees({{0, 4}, {1, 4}, {2, 4}});
  (*in.cruise_control)[2].log_dir_replicas = {{"/kafka-logs/kafka", 4}, {"/kafka-logs2/kafka", 1}}; // placed after Completed
  auto p = plan_graceful(in);
  EXPECT_TRUE(p.remove_disks.empty());
  EXPECT_EQ(p.keep_disks[2], std::set<std::string>{"/kafka-logs2"});
  ASSERT_EQ(p.create.size(), 1u) << "drained again";
  EXPECT_EQ(p.create[0].kind, cc_operation_kind::remove_disks);

  in.cruise_control.reset(); // no answer: a drained disk still mounted stays mounted
  p = plan_graceful(in);
  EXPECT_TRUE(p.remove_disks.empty());
  EXPECT_EQ(p.states[2].volume_states["/kafka-logs2"].cruise_control_volume_state, "GracefulDiskRemovalSucceeded");

  in.pod_mounts[2] = {"/kafka-logs"}; // the broker restarted without it: nothing can land there any more
  p = plan_graceful(in);
  EXPECT_EQ(p.remove_disks[2], std::set<std::string>{"/kafka-logs2"});
  in.pod_mounts.erase(2); // no pod at all: unknown whether the next one mounts it — kept
  in.cruise_control = cc_sees({{0, 4}, {1, 4}});
  p = plan_graceful(in);
  EXPECT_TRUE(p.remove_disks.empty());
}

TEST(GracefulPlan, ControllerOnlyNodesStayOutOfTheFlows) {
  auto in = settled();
  in.ignored = {9};
  in.observed_disks[9] = {"/kafka-logs"};
  auto p = plan_graceful(in);
  EXPECT_FALSE(p.states.count(9));
  EXPECT_TRUE(p.create.empty());
}

TEST(GracefulPlan, APausedOperationShowsPaused) {
  auto in = settled();
  in.spec_disks.erase(1);
  in.previous[1] = state("GracefulDownscaleScheduled", "op");
  in.operations = {op("op", cc_operation_kind::remove_broker, {{"brokerid", "1"}})};
  in.operations[0].paused = true;
  EXPECT_EQ(plan_graceful(in).states[1].cruise_control_state, "GracefulDownscalePaused");
}

} // namespace
} // namespace kactor::model
