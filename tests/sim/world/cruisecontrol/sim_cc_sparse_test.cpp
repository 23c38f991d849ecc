// The simulated Cruise Control answers as sparsely as the real one (docs/simulation.md, "How the simulated
// Cruise Control answers"): kafka_cluster_state skips leaderless partitions and lists dead brokers only
// through led partitions; load has per-disk data only with populate_disk_info=true; completed tasks are
// evicted; a drain with no live source stalls instead of completing; exclude_recently_removed_brokers and
// destination_broker_ids keep replicas off brokers. Through the real REST client on loopback, bounded.
#include "sim/world/cruisecontrol/sim_cc_state.hpp"
#include "tests/sim/world/cruisecontrol/sim_cc_fixture.hpp"

using namespace kactor::testing;

namespace {

class SimCruiseControlSparse : public SimCruiseControl {
protected:
  ccapi::kafka_cluster_state cluster_state() {
    auto r = sync<ccapi::kafka_cluster_state>([&](auto cb) { client->kafka_cluster_state(cb); });
    if (!r.is_ok())
      throw std::runtime_error(r.error().to_string());
    return r.value();
  }

  /// RF 1 topic "solo": one partition per broker of 0, 1, 2 (round robin), with a little data.
  void solo_topic() {
    ASSERT_TRUE(kafka->create_topic("kafka", "kafka", {"solo", 3, 1, 1, 256 * 1024}).is_ok());
    std::this_thread::sleep_for(100ms);
  }
};

TEST_F(SimCruiseControlSparse, ADeadBrokerHoldingOnlyLeaderlessPartitionsIsNotListed) {
  brokers({0, 1, 2});
  solo_topic();
  ASSERT_EQ(view().brokers.at(2).replicas, 1);
  take_down(2);
  ASSERT_EQ(view().offline().size(), 1u) << "its only partition has no leader";
  auto s = cluster_state();
  EXPECT_EQ(s.find(2), nullptr) << "absent: dead and holding the only copy — not empty";
  ASSERT_NE(s.find(0), nullptr);
  EXPECT_EQ(s.find(0)->replicas, 1);
  ASSERT_EQ(s.offline.size(), 1u) << "the partition itself is still reported offline";
  EXPECT_EQ(s.offline[0].topic, "solo");
}

TEST_F(SimCruiseControlSparse, ADeadBrokerWithReplicasOfLedPartitionsIsListedWithBrokerDeadDirs) {
  brokers({0, 1, 2});
  ASSERT_TRUE(kafka->create_topic("kafka", "kafka", {"orders", 6, 2, 1, 0}).is_ok());
  solo_topic();
  int32_t held = view().brokers.at(2).replicas;
  ASSERT_EQ(held, 5) << "4 of orders, 1 of solo";
  take_down(2);
  auto s = cluster_state();
  const auto* b = s.find(2);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->replicas, 4) << "the replica of the leaderless solo partition is counted nowhere";
  EXPECT_EQ(b->offline_replicas, 4);
  EXPECT_EQ(b->leaders, 0);
  EXPECT_EQ(b->online_log_dirs, std::vector<std::string>{"broker_dead"});
  EXPECT_EQ(b->offline_log_dirs, std::vector<std::string>{"broker_dead"});
  ASSERT_NE(s.find(0), nullptr);
  EXPECT_EQ(s.find(0)->online_log_dirs, std::vector<std::string>{"/kafka-logs/kafka"});
}

TEST_F(SimCruiseControlSparse, ALiveBrokerHoldingNothingIsListedWithZeros) {
  brokers({0, 1, 2, 3});
  ASSERT_TRUE(kafka->create_topic("kafka", "kafka", {"orders", 3, 1, 1, 0}).is_ok());
  auto s = cluster_state();
  ASSERT_NE(s.find(3), nullptr) << "a live node of the metadata";
  EXPECT_EQ(s.find(3)->replicas, 0);
}

TEST_F(SimCruiseControlSparse, LoadHasPerDiskDataOnlyWithPopulateDiskInfo) {
  brokers({0, 1, 2}, {"/kafka-logs", "/kafka-logs2"});
  ASSERT_TRUE(kafka->create_topic("kafka", "kafka", {"orders", 6, 3, 2, 0}).is_ok());
  auto without = cc::load_json(view(), nullptr, false);
  for (const auto& b : without["brokers"])
    EXPECT_FALSE(b.contains("DiskState")) << b.dump();
  auto with = cc::load_json(view(), nullptr, true);
  for (const auto& b : with["brokers"])
    EXPECT_TRUE(b.contains("DiskState")) << b.dump();
  // The client asks with populate_disk_info=true.
  auto r = sync<std::vector<ccapi::broker_load>>([&](auto cb) { client->load(cb); });
  ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  ASSERT_EQ(r.value().size(), 3u);
  EXPECT_TRUE(r.value()[1].disk_state);
  ASSERT_EQ(r.value()[1].disks.size(), 2u);
  EXPECT_EQ(r.value()[1].disks[0].replicas + r.value()[1].disks[1].replicas, 6);
}

TEST_F(SimCruiseControlSparse, ACompletedTaskIsEvictedAfterTheRetention) {
  sim_cruise_control_options co;
  co.completed_task_retention = 400ms;
  restart_cc(co);
  brokers({0, 1, 2});
  ccapi::operation_options dry;
  dry.dry_run = true;
  auto r = sync<ccapi::operation_result>([&](auto cb) { client->rebalance({}, false, dry, cb); });
  ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  EXPECT_EQ(status_of(r.value().task_id), ccapi::task_status::completed) << "remembered within the retention";
  ASSERT_TRUE(eventually([&] {
    auto t = sync<std::vector<ccapi::user_task>>([&](auto cb) { client->user_tasks({r.value().task_id}, cb); });
    return t.is(ccapi::cc_error::kind::not_found);
  }, 3s)) << "the completed task is forgotten";
}

TEST_F(SimCruiseControlSparse, RemovingABrokerHoldingTheOnlyCopyOfAnOfflinePartitionStallsUntilItIsBack) {
  sim_cruise_control_options co;
  co.completed_task_retention = 1min;
  restart_cc(co);
  brokers({0, 1, 2});
  solo_topic();
  take_down(2);
  auto r = remove_broker(2);
  ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  EXPECT_EQ(r.value().summary->num_replica_movements, 1);
  std::this_thread::sleep_for(800ms); // far longer than the move would take with a source
  EXPECT_EQ(status_of(r.value().task_id), ccapi::task_status::in_execution) << "no live source: the move stalls";
  EXPECT_EQ(view().brokers.at(2).replicas, 1) << "the only copy is still on broker 2";
  bring_back(2);
  ASSERT_TRUE(eventually([&] { return status_of(r.value().task_id) == ccapi::task_status::completed; }, 10s))
      << "the move resumes once the partition is back";
  EXPECT_EQ(view().brokers.at(2).replicas, 0);
  expect_consistent(1);
}

TEST_F(SimCruiseControlSparse, ExcludeRecentlyRemovedBrokersKeepsARemovedBrokerFromBeingADestination) {
  brokers({0, 1, 2, 3});
  ASSERT_TRUE(kafka->create_topic("kafka", "kafka", {"orders", 12, 2, 1, 0}).is_ok());
  auto first = remove_broker(3);
  ASSERT_TRUE(first.is_ok()) << first.error().to_string();
  ASSERT_TRUE(eventually([&] { return status_of(first.value().task_id) == ccapi::task_status::completed; }, 10s));
  ASSERT_EQ(view().brokers.at(3).replicas, 0);
  // Broker 3 is now the emptiest: without the flag the next removal would fill it (dry run shows it).
  ccapi::operation_options dry;
  dry.dry_run = true;
  auto unguarded = sync<ccapi::operation_result>([&](auto cb) { client->remove_broker({0}, dry, cb); });
  ASSERT_TRUE(unguarded.is_ok()) << unguarded.error().to_string();
  bool onto_3 = false;
  for (const auto& b : unguarded.value().load_after)
    onto_3 = onto_3 || (b.id == 3 && b.replicas > 0);
  EXPECT_TRUE(onto_3) << "the control: a recently removed broker is a destination unless excluded";
  ccapi::operation_options o;
  o.exclude_recently_removed_brokers = true;
  auto second = sync<ccapi::operation_result>([&](auto cb) { client->remove_broker({0}, o, cb); });
  ASSERT_TRUE(second.is_ok()) << second.error().to_string();
  ASSERT_TRUE(eventually([&] { return status_of(second.value().task_id) == ccapi::task_status::completed; }, 10s));
  EXPECT_EQ(view().brokers.at(3).replicas, 0) << "excluded: broker 3 got nothing";
  EXPECT_EQ(view().brokers.at(0).replicas, 0);
  expect_consistent(2);
}

TEST_F(SimCruiseControlSparse, RemoveBrokerHonoursDestinationBrokerIds) {
  brokers({0, 1, 2, 3});
  ASSERT_TRUE(kafka->create_topic("kafka", "kafka", {"orders", 8, 1, 1, 0}).is_ok());
  auto p = cc::plan("remove_broker", {{"brokerid", "0"}, {"destination_broker_ids", "1"}}, view());
  ASSERT_TRUE(p.plan) << p.error;
  ASSERT_FALSE(p.plan->moves.empty());
  for (const auto& m : p.plan->moves)
    EXPECT_EQ(m.to, 1);
  auto excluded = cc::plan("remove_broker", {{"brokerid", "0"}, {"exclude_recently_removed_brokers", "true"}}, view(), {1, 2});
  ASSERT_TRUE(excluded.plan) << excluded.error;
  for (const auto& m : excluded.plan->moves)
    EXPECT_EQ(m.to, 3);
}

} // namespace
