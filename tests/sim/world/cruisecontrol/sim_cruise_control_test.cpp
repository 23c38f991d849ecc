// The simulated Cruise Control through the real REST client (make_cruise_control_client) on loopback,
// over the simulated Kafka on a bare store (broker pods made up by hand, no kubelet): replicas really move,
// partitions stay within min.insync.replicas, tasks go through CC's states, faults surface as the client's
// error kinds. Bounded: every wait gives up after a few seconds.
#include "tests/sim/world/cruisecontrol/sim_cc_fixture.hpp"

using namespace kactor::testing;

namespace {

TEST_F(SimCruiseControl, RemoveBrokerMovesEveryReplicaOffItWithinMinIsr) {
  brokers({0, 1, 2});
  topics_with_data(6);
  ASSERT_GT(view().brokers.at(1).replicas, 0);
  violations = 0;
  auto r = remove_broker(1);
  ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  ASSERT_FALSE(r.value().task_id.empty());
  ASSERT_TRUE(r.value().summary.has_value());
  EXPECT_EQ(r.value().summary->num_replica_movements, 8);
  EXPECT_EQ(status_of(r.value().task_id), ccapi::task_status::in_execution);
  ASSERT_TRUE(eventually([&] { return status_of(r.value().task_id) == ccapi::task_status::completed; }, 10s));
  EXPECT_EQ(violations.load(), 0) << "a partition went below min.insync.replicas or offline during the move";
  EXPECT_GT(max_moves.load(), 0);
  auto state = sync<ccapi::kafka_cluster_state>([&](auto cb) { client->kafka_cluster_state(cb); });
  ASSERT_TRUE(state.is_ok()) << state.error().to_string();
  ASSERT_NE(state.value().find(1), nullptr);
  EXPECT_EQ(state.value().find(1)->replicas, 0);
  EXPECT_EQ(state.value().find(0)->replicas + state.value().find(2)->replicas, 24);
  expect_consistent(2);
  auto ops = cc->operations("kafka", "kafka");
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].endpoint, "remove_broker");
  EXPECT_EQ(ops[0].params.at("brokerid"), "1");
  EXPECT_EQ(ops[0].user_task_id, r.value().task_id);
}

TEST_F(SimCruiseControl, ResubmittingTheUserTaskIdAnswersTheSameTask) {
  brokers({0, 1, 2});
  topics_with_data(3);
  auto first = remove_broker(2);
  ASSERT_TRUE(first.is_ok()) << first.error().to_string();
  ccapi::operation_options o;
  o.user_task_id = first.value().task_id;
  auto again = sync<ccapi::operation_result>([&](auto cb) { client->remove_broker({2}, o, cb); });
  ASSERT_TRUE(again.is_ok()) << again.error().to_string();
  EXPECT_EQ(again.value().task_id, first.value().task_id);
  o.user_task_id = "00000000-0000-4000-a000-000000000000";
  auto unknown = sync<ccapi::operation_result>([&](auto cb) { client->remove_broker({2}, o, cb); });
  EXPECT_TRUE(unknown.is(ccapi::cc_error::kind::not_found)) << (unknown.is_ok() ? "ok" : unknown.error().to_string());
  ASSERT_TRUE(eventually([&] { return status_of(first.value().task_id) == ccapi::task_status::completed; }, 10s));
}

TEST_F(SimCruiseControl, AddBrokerSpreadsReplicasOntoTheNewBroker) {
  brokers({0, 1, 2});
  ASSERT_TRUE(kafka->create_topic("kafka", "kafka", {"orders", 12, 2, 2, 0}).is_ok());
  add_broker(3);
  ASSERT_TRUE(eventually([&] { return view().brokers.size() == 4 && view().down().empty(); }));
  auto r = sync<ccapi::operation_result>([&](auto cb) { client->add_broker({3}, {}, cb); });
  ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  ASSERT_TRUE(eventually([&] { return status_of(r.value().task_id) == ccapi::task_status::completed; }, 10s));
  auto v = view();
  EXPECT_GE(v.brokers.at(3).replicas, 5);
  for (int id : {0, 1, 2})
    EXPECT_LE(v.brokers.at(id).replicas - v.brokers.at(3).replicas, 1);
  expect_consistent(2);
  EXPECT_EQ(violations.load(), 0);
}

TEST_F(SimCruiseControl, RemoveDisksEmptiesTheLogDir) {
  brokers({0, 1, 2}, {"/kafka-logs", "/kafka-logs2"});
  ASSERT_TRUE(kafka->create_topic("kafka", "kafka", {"orders", 6, 3, 2, 0}).is_ok());
  ASSERT_GT(view().brokers.at(1).replicas_by_log_dir.at("/kafka-logs/kafka"), 0);
  auto r = sync<ccapi::operation_result>(
      [&](auto cb) { client->remove_disks({{1, {"/kafka-logs/kafka"}}}, {}, cb); });
  ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  EXPECT_EQ(r.value().summary->num_intra_broker_replica_movements, 3);
  ASSERT_TRUE(eventually([&] { return status_of(r.value().task_id) == ccapi::task_status::completed; }, 10s));
  auto v = view();
  EXPECT_EQ(v.brokers.at(1).replicas_by_log_dir.at("/kafka-logs/kafka"), 0);
  EXPECT_EQ(v.brokers.at(1).replicas_by_log_dir.at("/kafka-logs2/kafka"), 6);
  auto both = sync<ccapi::operation_result>(
      [&](auto cb) { client->remove_disks({{1, {"/kafka-logs/kafka", "/kafka-logs2/kafka"}}}, {}, cb); });
  EXPECT_TRUE(both.is(ccapi::cc_error::kind::bad_request)) << (both.is_ok() ? "ok" : both.error().to_string());
}

TEST_F(SimCruiseControl, RestartMidMoveForgetsTheTaskAndKeepsDataConsistent) {
  brokers({0, 1, 2});
  topics_with_data(6);
  auto r = remove_broker(1);
  ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  ASSERT_TRUE(eventually([&] { return view().moves_in_progress > 0; }));
  cc->restart("kafka", "kafka");
  auto tasks = sync<std::vector<ccapi::user_task>>([&](auto cb) { client->user_tasks({r.value().task_id}, cb); });
  EXPECT_TRUE(tasks.is(ccapi::cc_error::kind::not_found));
  EXPECT_EQ(view().moves_in_progress, 0);
  expect_consistent(2);
  EXPECT_EQ(violations.load(), 0);
  auto again = remove_broker(1); // a new execution may start at once
  ASSERT_TRUE(again.is_ok()) << again.error().to_string();
  ASSERT_TRUE(eventually([&] { return status_of(again.value().task_id) == ccapi::task_status::completed; }, 10s));
  EXPECT_EQ(view().brokers.at(1).replicas, 0);
}

TEST_F(SimCruiseControl, OneExecutionAtATimeAndStopRestoresConsistentReplicas) {
  brokers({0, 1, 2});
  topics_with_data(6);
  auto first = remove_broker(1);
  ASSERT_TRUE(first.is_ok()) << first.error().to_string();
  auto second = remove_broker(2);
  EXPECT_TRUE(second.is(ccapi::cc_error::kind::busy)) << (second.is_ok() ? "ok" : second.error().to_string());
  auto s = sync<ccapi::cc_state>([&](auto cb) { client->state(cb); });
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ(s.value().executor->triggered_user_task_id, first.value().task_id);
  EXPECT_FALSE(s.value().executor->idle());
  auto stop = sync<ccapi::operation_result>([&](auto cb) { client->stop_proposal_execution(cb); });
  ASSERT_TRUE(stop.is_ok()) << stop.error().to_string();
  EXPECT_EQ(stop.value().message, "Proposal execution stopped.");
  EXPECT_EQ(status_of(first.value().task_id), ccapi::task_status::completed_with_error);
  EXPECT_EQ(view().moves_in_progress, 0);
  expect_consistent(2);
  EXPECT_EQ(violations.load(), 0);
}

TEST_F(SimCruiseControl, FaultsSurfaceAsTheClientsErrorKinds) {
  brokers({0, 1, 2});
  cc->set_down("kafka", "kafka", true);
  auto down = sync<ccapi::cc_state>([&](auto cb) { client->state(cb); });
  EXPECT_TRUE(down.is(ccapi::cc_error::kind::unavailable)) << (down.is_ok() ? "ok" : down.error().to_string());
  cc->set_down("kafka", "kafka", false);
  auto up = sync<ccapi::cc_state>([&](auto cb) { client->state(cb); });
  ASSERT_TRUE(up.is_ok()) << up.error().to_string();
  EXPECT_TRUE(up.value().executor->idle());

  cc->set_error_rate("kafka", "kafka", 1.0);
  auto failing = sync<ccapi::cc_state>([&](auto cb) { client->state(cb); });
  EXPECT_TRUE(failing.is(ccapi::cc_error::kind::server_error));
  cc->set_error_rate("kafka", "kafka", 0);

  cc->set_hang("kafka", "kafka", true);
  auto quick = make_client(300ms);
  auto hung = sync<ccapi::cc_state>([&](auto cb) { quick->state(cb); });
  EXPECT_TRUE(hung.is(ccapi::cc_error::kind::unavailable)) << (hung.is_ok() ? "ok" : hung.error().to_string());
  cc->set_hang("kafka", "kafka", false);
  quick->stop();

  cc->fail_next_tasks("kafka", "kafka", 1);
  ASSERT_TRUE(kafka->create_topic("kafka", "kafka", {"orders", 3, 2, 2, 0}).is_ok());
  auto r = remove_broker(2);
  ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  EXPECT_TRUE(eventually([&] { return status_of(r.value().task_id) == ccapi::task_status::completed_with_error; }));
}

TEST_F(SimCruiseControl, SixthConcurrentTaskIsBusy) {
  sim_cruise_control_options co;
  co.compute_delay = 3s;
  restart_cc(co);
  brokers({0, 1, 2});
  ccapi::operation_options dry;
  dry.dry_run = true;
  for (int i = 0; i < 5; ++i) {
    auto r = sync<ccapi::operation_result>([&](auto cb) { client->rebalance({}, false, dry, cb); });
    ASSERT_TRUE(r.is_ok()) << r.error().to_string();
    EXPECT_TRUE(r.value().still_computing());
  }
  auto sixth = sync<ccapi::operation_result>([&](auto cb) { client->rebalance({}, false, dry, cb); });
  EXPECT_TRUE(sixth.is(ccapi::cc_error::kind::busy)) << (sixth.is_ok() ? "ok" : sixth.error().to_string());
}

TEST_F(SimCruiseControl, WarmUpAnswersNotReady) {
  sim_cruise_control_options co;
  co.warm_up = 10s;
  restart_cc(co);
  brokers({0, 1, 2});
  auto r = remove_broker(1);
  EXPECT_TRUE(r.is(ccapi::cc_error::kind::not_ready)) << (r.is_ok() ? "ok" : r.error().to_string());
  auto s = sync<ccapi::cc_state>([&](auto cb) { client->state(cb); });
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ(s.value().monitor->num_monitored_windows, 0);
}

} // namespace
