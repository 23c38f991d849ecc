// The fixture of the simulated Cruise Control's tests: the simulated Kafka on a bare store (broker pods made
// up by hand, no kubelet), the simulated Cruise Control on loopback and the real REST client against it.
// Bounded: every wait gives up after a few seconds.
#pragma once

#include <atomic>
#include <functional>
#include <future>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "integrations/cruisecontrol/cc_client.hpp"
#include "sim/world/cruisecontrol/sim_cruise_control.hpp"

namespace kactor::testing {

using namespace kactor::sim;
using namespace kactor::integrations;
using namespace std::chrono_literals;
namespace ccapi = kactor::integrations::cruisecontrol;

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

  /// Takes broker `id` down (its pod deleted) and waits until the simulated Kafka sees it down.
  void take_down(int id) {
    store.remove(pods, "kafka", "kafka-" + std::to_string(id), {});
    ASSERT_TRUE(eventually([&] { return !view().brokers.at(id).up; }));
  }

  /// Brings broker `id` back (its pod and ConfigMap created again).
  void bring_back(int id) {
    auto name = "kafka-config-" + std::to_string(id);
    store.remove(configmaps, "kafka", name, {});
    add_broker(id);
    ASSERT_TRUE(eventually([&] { return view().brokers.at(id).up; }));
  }
};

} // namespace kactor::testing
