#include "model/diff/roll_plan.hpp"

#include <gtest/gtest.h>

using namespace kactor::model;

namespace {

roll_broker ready_broker(int32_t id, bool wants = false, std::string rack = "") {
  roll_broker b;
  b.id = id;
  b.ready = true;
  b.wants_restart = wants;
  b.rack = std::move(rack);
  return b;
}

/// `n` partitions of "orders", RF 3 round robin over brokers 0..brokers-1, full ISRs.
std::vector<roll_partition> topic(int n, int brokers, int32_t min_isr = 2) {
  std::vector<roll_partition> out;
  for (int p = 0; p < n; ++p) {
    roll_partition part{"orders", p, p % brokers, min_isr, {}, {}};
    for (int r = 0; r < 3; ++r)
      part.replicas.push_back((p + r) % brokers);
    part.isr = part.replicas;
    out.push_back(part);
  }
  return out;
}

roll_inputs six_brokers_all_want() {
  roll_inputs in;
  for (int id = 0; id < 6; ++id)
    in.brokers.push_back(ready_broker(id, true));
  in.partitions = topic(12, 6);
  in.active_controller = 0;
  return in;
}

} // namespace

TEST(roll_plan, one_ready_broker_at_a_time_active_controller_last) {
  auto d = plan_roll(six_brokers_all_want());
  EXPECT_EQ(d.grant, std::vector<int32_t>{1});
  EXPECT_EQ(d.order, (std::vector<int32_t>{1, 2, 3, 4, 5, 0}));
  EXPECT_EQ(d.waiting.at(2), "broker 1 to finish restarting");
  EXPECT_EQ(d.waiting.at(0), "broker 1 to finish restarting");
}

TEST(roll_plan, the_active_controller_waits_for_every_other_broker) {
  roll_inputs in;
  in.brokers = {ready_broker(0, true), ready_broker(1, false), ready_broker(2, false)};
  in.partitions = topic(3, 3);
  in.active_controller = 0;
  EXPECT_EQ(plan_roll(in).grant, std::vector<int32_t>{0}) << "alone, it goes";
  in.brokers[2].wants_restart = true;
  in.brokers[2].ready = false; // unready: goes first, and the controller waits for it
  auto d = plan_roll(in);
  EXPECT_EQ(d.grant, std::vector<int32_t>{2});
}

TEST(roll_plan, a_broker_behind_on_its_isrs_holds_the_roll) {
  auto in = six_brokers_all_want();
  for (auto& b : in.brokers)
    b.wants_restart = b.id == 3;
  (*in.partitions)[3].isr = {3, 5}; // replicas 3, 4, 5: broker 4 restarted and is still catching up
  auto d = plan_roll(in);
  EXPECT_TRUE(d.grant.empty());
  EXPECT_EQ(d.waiting.at(3), "broker 4 to rejoin the ISRs of its partitions");
}

TEST(roll_plan, a_partition_at_min_isr_holds_the_broker_back_with_a_readable_reason) {
  auto in = six_brokers_all_want();
  for (auto& b : in.brokers)
    b.wants_restart = b.id == 3;
  in.brokers[4].removed = true; // being drained: out of the ISR, not coming back
  (*in.partitions)[3].isr = {3, 5};
  auto d = plan_roll(in);
  EXPECT_EQ(d.waiting.at(3), "orders-3 would fall below min.insync.replicas (isr 2, min 2)");
  (*in.partitions)[3].min_isr = 3; // min.isr = RF: never tolerates a restart, so not gated (as Strimzi)
  EXPECT_EQ(plan_roll(in).grant, std::vector<int32_t>{3});
}

TEST(roll_plan, unready_brokers_first_and_without_the_isr_gate) {
  auto in = six_brokers_all_want();
  in.brokers[4].ready = false;
  for (auto& p : *in.partitions)
    if (std::find(p.isr.begin(), p.isr.end(), 4) != p.isr.end())
      p.isr.erase(std::find(p.isr.begin(), p.isr.end(), 4));
  auto d = plan_roll(in);
  EXPECT_EQ(d.order.front(), 4);
  EXPECT_EQ(d.grant, std::vector<int32_t>{4});
}

TEST(roll_plan, failure_threshold_counts_unready_brokers_and_alerts) {
  roll_inputs in;
  in.brokers = {ready_broker(0, true), ready_broker(1), ready_broker(2)};
  in.partitions = topic(3, 3, 1);
  in.brokers[2].ready = false;
  EXPECT_EQ(plan_roll(in).waiting.at(0), "brokers not Ready: 2 (failureThreshold 1)");
  in.failure_threshold = 2;
  EXPECT_EQ(plan_roll(in).grant, std::vector<int32_t>{0});
  in.alert_count = 1;
  EXPECT_EQ(plan_roll(in).waiting.at(0), "brokers not Ready: 2; 1 rolling-upgrade alerts firing (failureThreshold 2)");
}

TEST(roll_plan, kraft_controllers_before_brokers_and_the_quorum_keeps_its_majority) {
  roll_inputs in;
  in.kraft = true;
  for (int id : {0, 1, 2}) {
    auto b = ready_broker(id, true);
    b.controller = true;
    in.brokers.push_back(b);
  }
  for (int id : {3, 4, 5})
    in.brokers.push_back(ready_broker(id, true));
  in.partitions = std::vector<roll_partition>{{"orders", 0, 3, 2, {3, 4, 5}, {3, 4, 5}}};
  in.active_controller = 1;
  auto d = plan_roll(in);
  EXPECT_EQ(d.order, (std::vector<int32_t>{0, 2, 3, 4, 5, 1}));
  EXPECT_EQ(d.grant, std::vector<int32_t>{0});
  in.brokers[2].ready = false;
  in.brokers[2].wants_restart = false;
  in.failure_threshold = 3;
  d = plan_roll(in);
  EXPECT_EQ(d.waiting.at(0), "the KRaft quorum would lose its majority (1 of 3 controllers up without broker 0)");
}

TEST(roll_plan, rack_parallel_restarts_stay_in_one_rack) {
  roll_inputs in;
  // Two racks, replicas spread across both: a whole rack may restart without losing min.isr 1 of RF 2.
  for (int id = 0; id < 4; ++id)
    in.brokers.push_back(ready_broker(id, true, id % 2 ? "b" : "a"));
  in.partitions = std::vector<roll_partition>{{"t", 0, 0, 1, {0, 1}, {0, 1}}, {"t", 1, 2, 1, {2, 3}, {2, 3}}};
  in.concurrent_per_rack = 2;
  in.failure_threshold = 1;
  auto d = plan_roll(in);
  EXPECT_EQ(d.grant, (std::vector<int32_t>{0, 2}));
  EXPECT_EQ(d.waiting.at(1), "broker 0 to finish restarting");
  in.concurrent_per_rack = 1;
  EXPECT_EQ(plan_roll(in).grant, std::vector<int32_t>{0});
  in.concurrent_per_rack = 2;
  for (auto& b : in.brokers)
    b.rack.clear(); // no racks: never parallel
  EXPECT_EQ(plan_roll(in).grant, std::vector<int32_t>{0});
}

TEST(roll_plan, stopped_roll_and_unknown_kafka_only_let_unready_brokers_go) {
  auto in = six_brokers_all_want();
  in.stopped = true;
  EXPECT_EQ(plan_roll(in).waiting.at(1), "the roll is stopped");
  in.brokers[5].ready = false;
  EXPECT_EQ(plan_roll(in).grant, std::vector<int32_t>{5});
  in.stopped = false;
  in.brokers[5].ready = true;
  in.partitions.reset();
  in.kafka_error = "unavailable: no broker is up";
  EXPECT_EQ(plan_roll(in).waiting.at(1), "Kafka could not be described: unavailable: no broker is up");
}

TEST(roll_plan, a_permit_holder_blocks_others_even_before_its_pod_goes) {
  auto in = six_brokers_all_want();
  in.brokers[2].holds_permit = true;
  auto d = plan_roll(in);
  EXPECT_TRUE(d.grant.empty());
  EXPECT_EQ(d.waiting.at(1), "broker 2 to finish restarting");
  EXPECT_EQ(catching_up(*in.partitions), std::vector<int32_t>{});
}

TEST(roll_plan, the_unsafe_test_switch_grants_two_at_once_and_ignores_min_isr) {
  auto in = six_brokers_all_want();
  in.unsafe_two_at_once = true;
  auto d = plan_roll(in);
  EXPECT_EQ(d.grant, (std::vector<int32_t>{1, 2})); // brokers 1 and 2 share partitions: unsafe on purpose
  in.brokers[1].holds_permit = true;
  in.brokers[2].holds_permit = true;
  EXPECT_TRUE(plan_roll(in).grant.empty());
}
