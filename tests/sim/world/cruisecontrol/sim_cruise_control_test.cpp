// The simulated Cruise Control through the real REST client (make_cruise_control_client) on loopback,
// over the simulated Kafka on a bare store (broker pods made up by hand, no kubelet): replicas really move,
// partitions stay within min.insync.replicas, tasks go through CC's states, faults surface as the client's
// error kinds. Bounded: every wait gives up after a few seconds.
#include "sim/world/cruisecontrol/sim_cruise_control.hpp"

#include <atomic>
#include <future>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "integrations/cruisecontrol/cc_client.hpp"

using namespace kactor::integrations::sim;
using namespace kactor::integrations;
using namespace std::chrono_literals;
namespace ccapi = kactor::integrations::cruisecontrol;

namespace {

class SimCruiseControl : public ::testing::Test {
protected:
  std::shared_ptr<resource_registry> reg = std::make_shared<resource_registry>();
  object_store store{reg, {}};
  resource_type pods = *reg->find("", "v1", "pods");
  resource_type configmaps = *reg->find("", "v1", "configmaps");
  std::atomic<int> violations{0};
  std::atomic<int> max_moves{0};
  std::unique_ptr<sim_kafka> kafka;
  std::unique_ptr<sim_cruise_control> cc;
  std::unique_ptr<ccapi::cruise_control> client;

  void SetUp() override { start(); }
  void TearDown() override {
    if (client)
      client->stop();
    if (cc)
      cc->stop();
    kafka->stop();
  }

  void start(sim_cruise_control_options co = {}) {
    store.create(*reg->find("", "v1", "namespaces"), "", {{"metadata", {{"name", "kafka"}}}});
    sim_kafka_options o;
    o.catch_up = 100ms;
    o.tick = 10ms;
    o.move_bytes_per_second = 4.0 * 1024 * 1024;
    kafka = std::make_unique<sim_kafka>(store, *reg, o);
    kafka->on_change([this](const sim_cluster_view& v) {
      if (!v.below_min_isr().empty() || !v.offline().empty())
        ++violations;
      max_moves = std::max(max_moves.load(), v.moves_in_progress);
    });
    restart_cc(co);
  }

  void restart_cc(sim_cruise_control_options co) {
    if (client)
      client->stop();
    if (cc)
      cc->stop();
    co.tick = 10ms;
    co.concurrent_moves = 2;
    cc = std::move(sim_cruise_control::start(*kafka, co).value());
    client = make_client(5s);
  }

  std::unique_ptr<ccapi::cruise_control> make_client(std::chrono::milliseconds timeout) {
    ccapi::client_options o;
    o.endpoint = cc->url("kafka", "kafka");
    o.timeout = timeout;
    o.poll_interval = 50ms;
    return std::move(ccapi::make_cruise_control_client(o).value());
  }

  /// A broker pod with one PVC per mount path (log dir = mount + "/kafka").
  void add_broker(int id, std::vector<std::string> mounts = {"/kafka-logs"}) {
    auto name = "kafka-" + std::to_string(id);
    std::string props = "broker.id=" + std::to_string(id) + "\n";
    store.create(configmaps, "kafka", {{"metadata", {{"name", "kafka-config-" + std::to_string(id)}}}, {"data", {{"broker-config", props}}}});
    json volumes = {{{"name", "config"}, {"configMap", {{"name", "kafka-config-" + std::to_string(id)}}}}};
    json volume_mounts = json::array();
    for (size_t i = 0; i < mounts.size(); ++i) {
      auto vol = "storage-" + std::to_string(i);
      volumes.push_back({{"name", vol}, {"persistentVolumeClaim", {{"claimName", name + "-" + vol}}}});
      volume_mounts.push_back({{"name", vol}, {"mountPath", mounts[i]}});
    }
    json pod = {{"metadata", {{"name", name}, {"labels", {{"app", "kafka"}, {"kafka_cr", "kafka"}, {"brokerId", std::to_string(id)}}}}},
                {"spec", {{"containers", {{{"name", "kafka"}, {"image", "kafka"}, {"volumeMounts", volume_mounts}}}},
                          {"volumes", volumes}}},
                {"status", {{"phase", "Running"}, {"conditions", {{{"type", "Ready"}, {"status", "True"}}}}}}};
    store.create(pods, "kafka", pod);
  }

  bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds limit = 5s) {
    for (auto end = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < end;) {
      if (cond())
        return true;
      std::this_thread::sleep_for(10ms);
    }
    return cond();
  }

  sim_cluster_view view() { return kafka->view("kafka", "kafka"); }

  void brokers(std::vector<int> ids, std::vector<std::string> mounts = {"/kafka-logs"}) {
    for (int id : ids)
      add_broker(id, mounts);
    ASSERT_TRUE(eventually([&] { return view().brokers.size() == ids.size() && view().down().empty(); }));
  }

  template <class T, class Call>
  ccapi::cc_result<T> sync(Call call) {
    std::promise<ccapi::cc_result<T>> p;
    auto f = p.get_future();
    call([&](ccapi::cc_result<T> r) { p.set_value(std::move(r)); });
    if (f.wait_for(10s) != std::future_status::ready)
      throw std::runtime_error("no answer within 10 s");
    return f.get();
  }

  ccapi::cc_result<ccapi::operation_result> remove_broker(int32_t id) {
    return sync<ccapi::operation_result>([&](auto cb) { client->remove_broker({id}, {}, cb); });
  }

  ccapi::task_status status_of(const std::string& id) {
    auto r = sync<std::vector<ccapi::user_task>>([&](auto cb) { client->user_tasks({id}, cb); });
    return r.is_ok() && r.value().size() == 1 ? r.value().front().status : ccapi::task_status::unknown;
  }

  /// Every partition has `rf` distinct replicas and its ISR within them.
  void expect_consistent(size_t rf) {
    for (const auto& t : view().topics)
      for (const auto& p : t.partitions) {
        EXPECT_EQ(p.replicas.size(), rf) << t.name << "-" << p.partition;
        EXPECT_EQ(std::set<int32_t>(p.replicas.begin(), p.replicas.end()).size(), p.replicas.size());
        for (auto r : p.isr)
          EXPECT_NE(std::find(p.replicas.begin(), p.replicas.end(), r), p.replicas.end());
      }
  }

  /// Topics with data, so that moves take a few ticks.
  void topics_with_data(int32_t partitions) {
    ASSERT_TRUE(kafka->create_topic("kafka", "kafka", {"orders", partitions, 2, 2, 1024 * 1024}).is_ok());
    ASSERT_TRUE(kafka->create_topic("kafka", "kafka", {"events", partitions, 2, 2, 512 * 1024}).is_ok());
    std::this_thread::sleep_for(300ms);
  }
};

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
