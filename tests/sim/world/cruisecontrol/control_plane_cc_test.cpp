// The control plane's simulated Cruise Control: its URL, the shared REST clients of
// cruise_control_factory, and the fault and operations endpoints on the API server. Broker pods are
// created in the store and brought up by the kubelet.
#include "sim/world/control_plane.hpp"

#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "integrations/http/client.hpp"

using namespace kactor::sim;
using namespace kactor::integrations;
using namespace std::chrono_literals;
namespace ccapi = kactor::integrations::cruisecontrol;

namespace {

class SimCruiseControlPlane : public ::testing::Test {
protected:
  std::unique_ptr<control_plane> plane;
  std::unique_ptr<http::blocking_client> api;

  void SetUp() override {
    control_plane_options o;
    o.kubelet.start_delay = 20ms;
    o.kubelet.ready_delay = 20ms;
    o.kubelet.terminate_delay = 20ms;
    o.kubelet.tick = 10ms;
    o.kafka.tick = 10ms;
    o.kafka.catch_up = 50ms;
    plane = std::move(control_plane::start(o).value());
    http::client_options co;
    co.port = plane->api().port();
    api = http::make_blocking_client(co);
    auto& reg = plane->api().registry();
    plane->api().store().create(*reg.find("", "v1", "namespaces"), "", {{"metadata", {{"name", "kafka"}}}});
    for (int id : {0, 1, 2}) {
      json pod = {{"metadata", {{"name", "kafka-" + std::to_string(id)},
                                {"labels", {{"app", "kafka"}, {"kafka_cr", "kafka"}, {"brokerId", std::to_string(id)}}}}},
                  {"spec", {{"containers", {{{"name", "kafka"}, {"image", "kafka"}}}}}}};
      plane->api().store().create(*reg.find("", "v1", "pods"), "kafka", pod);
    }
    for (int i = 0; i < 500 && !(plane->kafka().view("kafka", "kafka").brokers.size() == 3 &&
                                 plane->kafka().view("kafka", "kafka").down().empty());
         ++i)
      std::this_thread::sleep_for(10ms);
    ASSERT_TRUE(plane->kafka().view("kafka", "kafka").down().empty());
  }
  void TearDown() override { plane->stop(); }

  ccapi::cc_result<ccapi::cc_state> state(ccapi::cruise_control& c) {
    std::promise<ccapi::cc_result<ccapi::cc_state>> p;
    auto f = p.get_future();
    c.state([&](ccapi::cc_result<ccapi::cc_state> r) { p.set_value(std::move(r)); });
    EXPECT_EQ(f.wait_for(10s), std::future_status::ready);
    return f.get();
  }
};

TEST_F(SimCruiseControlPlane, FactorySharesOneClientPerClusterAndFaultsComeOverHttp) {
  EXPECT_EQ(plane->cruise_control_url("kafka", "kafka"),
            "http://127.0.0.1:" + std::to_string(plane->cruise_control().port()) + "/kafka/kafka/kafkacruisecontrol");
  auto factory = plane->cruise_control_factory();
  auto a = factory({"kafka", "kafka", "http://ignored:8090"});
  auto b = factory({"kafka", "kafka", "http://other:8090"});
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a, b);
  EXPECT_NE(factory({"kafka", "other", ""}), a);
  ASSERT_TRUE(state(*a).is_ok());

  auto down = api->send("POST", "/sim/faults/cruise-control", R"({"namespace":"kafka","cluster":"kafka","action":"down"})");
  ASSERT_TRUE(down.is_ok());
  EXPECT_EQ(down.value().status, 200);
  EXPECT_TRUE(state(*a).is(ccapi::cc_error::kind::unavailable));
  api->send("POST", "/sim/faults/cruise-control", R"({"namespace":"kafka","cluster":"kafka","action":"up"})");
  ASSERT_TRUE(state(*a).is_ok());
  auto bad = api->send("POST", "/sim/faults/cruise-control", R"({"namespace":"kafka","cluster":"kafka","action":"nap"})");
  EXPECT_EQ(bad.value().status, 400);

  std::promise<ccapi::cc_result<ccapi::operation_result>> p;
  a->demote_broker({0}, {}, [&](auto r) { p.set_value(std::move(r)); });
  auto demoted = p.get_future().get();
  ASSERT_TRUE(demoted.is_ok()) << demoted.error().to_string();
  auto ops = api->send("GET", "/sim/cruise-control/operations?namespace=kafka&cluster=kafka");
  ASSERT_TRUE(ops.is_ok());
  auto doc = json::parse(ops.value().body);
  ASSERT_EQ(doc["operations"].size(), 1u) << ops.value().body;
  EXPECT_EQ(doc["operations"][0]["endpoint"], "demote_broker");
  EXPECT_EQ(doc["operations"][0]["userTaskId"], demoted.value().task_id);
}

} // namespace
