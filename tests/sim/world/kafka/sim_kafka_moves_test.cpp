// The simulated Kafka's reassignments (sim_kafka::start_move): placement on log dirs from the pods'
// volume mounts, a replica move that never shrinks the ISR, stalls while its target is down and resumes,
// cancellation back to the old replica set, intra-broker moves and demotion. Bare store, no kubelet.
#include "sim/world/kafka/sim_kafka.hpp"

#include <thread>

#include <gtest/gtest.h>

using namespace kactor::sim;
using namespace kactor::integrations;
using namespace std::chrono_literals;

namespace {

class sim_kafka_moves_test : public ::testing::Test {
protected:
  std::shared_ptr<resource_registry> reg = std::make_shared<resource_registry>();
  object_store store{reg, {}};
  resource_type pods = *reg->find("", "v1", "pods");
  std::unique_ptr<sim_kafka> kafka;
  std::atomic<int> isr_shrank{0};

  void SetUp() override {
    store.create(*reg->find("", "v1", "namespaces"), "", {{"metadata", {{"name", "kafka"}}}});
    sim_kafka_options o;
    o.catch_up = 50ms;
    o.tick = 10ms;
    o.move_bytes_per_second = 2.0 * 1024 * 1024;
    kafka = std::make_unique<sim_kafka>(store, *reg, o);
  }
  void TearDown() override { kafka->stop(); }

  void add_broker(int id) {
    auto name = "kafka-" + std::to_string(id);
    json pod = {{"metadata", {{"name", name}, {"labels", {{"app", "kafka"}, {"kafka_cr", "kafka"}, {"brokerId", std::to_string(id)}}}}},
                {"spec", {{"containers", {{{"name", "kafka"}, {"volumeMounts", {{{"name", "d0"}, {"mountPath", "/kafka-logs"}},
                                                                                {{"name", "d1"}, {"mountPath", "/kafka-logs2"}}}}}}},
                          {"volumes", {{{"name", "d0"}, {"persistentVolumeClaim", {{"claimName", name + "-0"}}}},
                                       {{"name", "d1"}, {"persistentVolumeClaim", {{"claimName", name + "-1"}}}}}}}}};
    store.create(pods, "kafka", pod);
    set_ready(id, true);
  }
  void set_ready(int id, bool ready) {
    store.modify(pods, "kafka", "kafka-" + std::to_string(id), true, false, [&](const json& cur) -> std::variant<json, api_error> {
      json next = cur;
      next["status"] = {{"phase", "Running"}, {"conditions", {{{"type", "Ready"}, {"status", ready ? "True" : "False"}}}}};
      return next;
    });
  }
  bool eventually(const std::function<bool()>& cond) {
    for (int i = 0; i < 500; ++i) {
      if (cond())
        return true;
      std::this_thread::sleep_for(10ms);
    }
    return cond();
  }
  sim_cluster_view view() { return kafka->view("kafka", "kafka"); }
  const kafka::partition_description& partition(const sim_cluster_view& v, int p) { return v.topics.at(0).partitions.at(p); }

  /// Brokers 0..3 up, topic "orders" (4 partitions, RF 2, min ISR 2) with ~0.2 MiB per partition.
  void setup() {
    for (int id : {0, 1, 2, 3})
      add_broker(id);
    ASSERT_TRUE(eventually([&] { return view().brokers.size() == 4 && view().down().empty(); }));
    ASSERT_TRUE(kafka->create_topic("kafka", "kafka", {"orders", 4, 2, 2, 1024 * 1024}).is_ok());
    std::this_thread::sleep_for(200ms);
    kafka->on_change([this](const sim_cluster_view& v) {
      for (const auto& p : v.topics.at(0).partitions)
        isr_shrank += p.isr.size() < 2;
    });
  }
};

} // namespace

TEST_F(sim_kafka_moves_test, log_dirs_come_from_volume_mounts_round_robin) {
  setup();
  auto v = view();
  EXPECT_EQ(v.brokers.at(0).log_dirs, (std::vector<std::string>{"/kafka-logs/kafka", "/kafka-logs2/kafka"}));
  // Partition 0 is on 0 and 1, partition 1 on 1 and 2...: by partition id over the two dirs.
  EXPECT_EQ(v.placements.at(0).log_dirs.at(0), "/kafka-logs/kafka");
  EXPECT_EQ(v.placements.at(1).log_dirs.at(1), "/kafka-logs2/kafka");
  EXPECT_EQ(v.brokers.at(1).replicas_by_log_dir.at("/kafka-logs/kafka"), 1);
  EXPECT_EQ(v.brokers.at(1).replicas, 2);
}

TEST_F(sim_kafka_moves_test, replica_move_keeps_the_isr_and_moves_leadership) {
  setup();
  ASSERT_EQ(partition(view(), 0).replicas, (std::vector<int32_t>{0, 1}));
  auto id = kafka->start_move("kafka", "kafka", {partition_move::kind::replica, "orders", 0, 0, 3, {}});
  ASSERT_TRUE(id.is_ok()) << id.error().message;
  EXPECT_EQ(partition(view(), 0).replicas, (std::vector<int32_t>{0, 1, 3}));
  EXPECT_EQ(kafka->status_of(id.value()), move_status::pending);
  EXPECT_FALSE(kafka->start_move("kafka", "kafka", {partition_move::kind::replica, "orders", 0, 1, 2, {}}).is_ok())
      << "one reassignment per partition at a time";
  ASSERT_TRUE(eventually([&] { return kafka->status_of(id.value()) == move_status::done; }));
  auto p = partition(view(), 0);
  EXPECT_EQ(p.replicas, (std::vector<int32_t>{3, 1}));
  EXPECT_EQ(p.isr, (std::vector<int32_t>{3, 1}));
  EXPECT_EQ(p.leader, 3);
  EXPECT_EQ(isr_shrank.load(), 0);
}

TEST_F(sim_kafka_moves_test, a_move_to_a_down_broker_stalls_and_resumes_and_cancel_restores) {
  setup();
  set_ready(3, false);
  ASSERT_TRUE(eventually([&] { return view().down() == std::vector<int32_t>{3}; }));
  auto id = kafka->start_move("kafka", "kafka", {partition_move::kind::replica, "orders", 1, 1, 3, {}});
  ASSERT_TRUE(id.is_ok());
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(kafka->status_of(id.value()), move_status::pending);
  set_ready(3, true);
  ASSERT_TRUE(eventually([&] { return kafka->status_of(id.value()) == move_status::done; }));
  EXPECT_EQ(partition(view(), 1).replicas, (std::vector<int32_t>{3, 2}));

  auto second = kafka->start_move("kafka", "kafka", {partition_move::kind::replica, "orders", 2, 2, 0, {}});
  ASSERT_TRUE(second.is_ok());
  EXPECT_EQ(kafka->cancel_moves("kafka", "kafka"), 1);
  EXPECT_EQ(kafka->status_of(second.value()), move_status::cancelled);
  auto p = partition(view(), 2);
  EXPECT_EQ(p.replicas, (std::vector<int32_t>{2, 3}));
  EXPECT_EQ(p.isr, (std::vector<int32_t>{2, 3}));
  EXPECT_EQ(view().moves_in_progress, 0);
}

TEST_F(sim_kafka_moves_test, intra_broker_move_and_demotion) {
  setup();
  auto id = kafka->start_move("kafka", "kafka", {partition_move::kind::log_dir, "orders", 0, 0, -1, "/kafka-logs2/kafka"});
  ASSERT_TRUE(id.is_ok()) << id.error().message;
  ASSERT_TRUE(eventually([&] { return kafka->status_of(id.value()) == move_status::done; }));
  EXPECT_EQ(view().placements.at(0).log_dirs.at(0), "/kafka-logs2/kafka");
  EXPECT_FALSE(kafka->start_move("kafka", "kafka", {partition_move::kind::log_dir, "orders", 0, 0, -1, "/nope/kafka"}).is_ok());
  EXPECT_EQ(kafka->demote("kafka", "kafka", 0), 1);
  auto p = partition(view(), 0);
  EXPECT_EQ(p.leader, 1);
  EXPECT_EQ(p.replicas, (std::vector<int32_t>{1, 0}));
  EXPECT_EQ(view().brokers.at(0).leaders, 0);
}
