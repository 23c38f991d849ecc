// The simulated Kafka against a bare store: pods are made up and down by hand (no kubelet), and the
// data side must follow as a real Kafka does.
#include "sim/world/kafka/sim_kafka.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "sim/world/kafka/dynamic_configs.hpp"

using namespace kactor::sim;
using namespace kactor::integrations;
using namespace std::chrono_literals;

namespace {

class sim_kafka_test : public ::testing::Test {
protected:
  std::shared_ptr<resource_registry> reg = std::make_shared<resource_registry>();
  object_store store{reg, {}};
  resource_type pods = *reg->find("", "v1", "pods");
  resource_type configmaps = *reg->find("", "v1", "configmaps");
  std::unique_ptr<sim_kafka> kafka;

  void SetUp() override {
    store.create(*reg->find("", "v1", "namespaces"), "", {{"metadata", {{"name", "kafka"}}}});
    sim_kafka_options o;
    o.catch_up = 100ms;
    o.tick = 10ms;
    kafka = std::make_unique<sim_kafka>(store, *reg, o);
  }
  void TearDown() override { kafka->stop(); }

  void add_broker(int id, const std::string& rack = "", const std::string& pvc = "") {
    auto name = "kafka-" + std::to_string(id);
    std::string props = "broker.id=" + std::to_string(id) + "\nnum.io.threads=8\n" + (rack.empty() ? "" : "broker.rack=" + rack + "\n");
    store.create(configmaps, "kafka", {{"metadata", {{"name", "kafka-config-" + std::to_string(id)}}}, {"data", {{"broker-config", props}}}});
    json pod = {{"metadata",
                 {{"name", name},
                  {"labels", {{"app", "kafka"}, {"kafka_cr", "kafka"}, {"brokerId", std::to_string(id)}}}}},
                {"spec",
                 {{"containers", {{{"name", "kafka"}, {"image", "kafka"}}}},
                  {"volumes", {{{"name", "config"}, {"configMap", {{"name", "kafka-config-" + std::to_string(id)}}}}}}}}};
    if (!pvc.empty())
      pod["spec"]["volumes"].push_back({{"name", "data"}, {"persistentVolumeClaim", {{"claimName", pvc}}}});
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
    for (int i = 0; i < 300; ++i) {
      if (cond())
        return true;
      std::this_thread::sleep_for(10ms);
    }
    return cond();
  }

  sim_cluster_view view() { return kafka->view("kafka", "kafka"); }

  template <class T, class Call>
  kafka::admin_result<T> sync(Call call) {
    std::optional<kafka::admin_result<T>> out;
    call([&](kafka::admin_result<T> r) { out = std::move(r); });
    EXPECT_TRUE(out.has_value()) << "the simulation answers before the call returns";
    return std::move(*out);
  }

  void three_brokers_and_a_topic() {
    for (int id : {0, 1, 2})
      add_broker(id);
    ASSERT_TRUE(eventually([&] { return view().down().empty() && view().brokers.size() == 3; }));
    ASSERT_TRUE(kafka->create_topic("kafka", "kafka", {"orders", 6, 3, 2, 0}).is_ok());
  }
};

} // namespace

// A client in the cluster finds the brokers through cluster DNS: a bootstrap Service that does not exist
// does not resolve, and a port it does not expose refuses the connection (librdkafka's words).
TEST_F(sim_kafka_test, the_operators_admin_reaches_kafka_only_through_a_service_that_exists) {
  three_brokers_and_a_topic();
  auto admin = kafka->admin_factory()({"kafka", "kafka", "kafka-all-broker.kafka.svc.cluster.local:29092"});
  auto describe = [&] { return sync<kafka::cluster_description>([&](auto cb) { admin->describe_cluster(cb); }); };
  auto missing = describe();
  ASSERT_FALSE(missing.is_ok());
  EXPECT_NE(missing.error().message.find("Failed to resolve 'kafka-all-broker.kafka.svc.cluster.local:29092'"),
            std::string::npos) << missing.error().message;
  resource_type services = *reg->find("", "v1", "services");
  store.create(services, "kafka", {{"metadata", {{"name", "kafka-all-broker"}}},
                                   {"spec", {{"ports", {{{"name", "tcp-internal"}, {"port", 29093}}}}}}});
  auto refused = describe();
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.error().message.find("Connection refused"), std::string::npos) << refused.error().message;
  store.modify(services, "kafka", "kafka-all-broker", false, false, [](const json& cur) -> std::variant<json, api_error> {
    json next = cur;
    next["spec"]["ports"].push_back({{"name", "tcp-internal2"}, {"port", 29092}});
    return next;
  });
  auto found = describe();
  ASSERT_TRUE(found.is_ok()) << found.error().message;
  EXPECT_EQ(found.value().brokers.size(), 3u);
  // Any one reachable server of the list is enough, as for a Kafka client.
  auto listed = kafka->admin_factory()({"kafka", "kafka", "nowhere.kafka.svc:1,kafka-all-broker.kafka.svc:29092"});
  EXPECT_TRUE(sync<kafka::cluster_description>([&](auto cb) { listed->describe_cluster(cb); }).is_ok());
  auto none = kafka->admin_factory()({"kafka", "kafka", ""});
  auto empty = sync<kafka::cluster_description>([&](auto cb) { none->describe_cluster(cb); });
  ASSERT_FALSE(empty.is_ok());
  EXPECT_EQ(empty.error().message, "bootstrap.servers is empty");
}

TEST_F(sim_kafka_test, topic_replicas_round_robin_with_full_isr) {
  three_brokers_and_a_topic();
  auto v = view();
  ASSERT_EQ(v.topics.size(), 1u);
  ASSERT_EQ(v.topics[0].partitions.size(), 6u);
  EXPECT_EQ(v.topics[0].partitions[1].replicas, (std::vector<int32_t>{1, 2, 0}));
  EXPECT_EQ(v.topics[0].partitions[1].leader, 1);
  EXPECT_TRUE(v.under_replicated().empty());
  EXPECT_EQ(v.controller, 0);
  auto too_big = kafka->create_topic("kafka", "kafka", {"big", 1, 4, 2, 0});
  ASSERT_FALSE(too_big.is_ok());
  EXPECT_EQ(too_big.error().message, "Replication factor: 4 larger than available brokers: 3.");
}

TEST_F(sim_kafka_test, a_broker_down_leaves_isrs_and_rejoins_after_catch_up) {
  three_brokers_and_a_topic();
  std::vector<sim_cluster_view> seen;
  std::mutex m;
  kafka->on_change([&](const sim_cluster_view& v) {
    std::lock_guard lock(m);
    seen.push_back(v);
  });
  set_ready(1, false);
  ASSERT_TRUE(eventually([&] { return view().down() == std::vector<int32_t>{1}; }));
  auto v = view();
  for (const auto& p : v.topics[0].partitions) {
    EXPECT_EQ(p.isr.size(), 2u) << p.partition;
    EXPECT_NE(p.leader, 1);
  }
  EXPECT_EQ(v.under_replicated().size(), 6u);
  EXPECT_TRUE(v.below_min_isr().empty());
  set_ready(1, true);
  // Up at once, back in the ISRs (and leading partition 1 again) only after the catch-up delay.
  ASSERT_TRUE(eventually([&] { return view().down().empty(); }));
  ASSERT_TRUE(eventually([&] { return view().under_replicated().empty(); }));
  EXPECT_EQ(view().topics[0].partitions[1].leader, 1);
  EXPECT_EQ(view().brokers.at(1).restarts, 1);
  std::lock_guard lock(m);
  bool saw_up_but_behind = false;
  for (const auto& s : seen)
    saw_up_but_behind |= s.down().empty() && !s.under_replicated().empty();
  EXPECT_TRUE(saw_up_but_behind) << "observers see the state between coming up and catching up";
}

TEST_F(sim_kafka_test, losing_the_last_isr_member_takes_the_partition_offline_until_it_returns) {
  three_brokers_and_a_topic();
  for (int id : {0, 1, 2})
    set_ready(id, false);
  ASSERT_TRUE(eventually([&] { return view().down().size() == 3; }));
  EXPECT_EQ(view().offline().size(), 6u);
  EXPECT_EQ(view().controller, -1);
  auto r = sync<kafka::cluster_description>([&](auto cb) { kafka->admin("kafka", "kafka")->describe_cluster(cb); });
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error().what, kafka::admin_error::kind::unavailable);
  // Down in the order 0, 1, 2: broker 2 is the last ISR member of every partition. Broker 0 coming back
  // brings none online (no unclean election); broker 2 brings all, and broker 0 then catches up.
  set_ready(0, true);
  ASSERT_TRUE(eventually([&] { return view().down().size() == 2; }));
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ(view().offline().size(), 6u);
  set_ready(2, true);
  ASSERT_TRUE(eventually([&] { return view().offline().empty(); }));
  ASSERT_TRUE(eventually([&] { return view().topics[0].partitions[0].isr == std::vector<int32_t>{0, 2}; }));
}

TEST_F(sim_kafka_test, configs_static_dynamic_and_refusals) {
  three_brokers_and_a_topic();
  auto admin = kafka->admin("kafka", "kafka");
  auto d = sync<kafka::config_description>([&](auto cb) { admin->describe_configs(kafka::config_resource::broker(1), cb); });
  ASSERT_TRUE(d.is_ok());
  ASSERT_NE(d.value().find("num.io.threads"), nullptr);
  EXPECT_EQ(d.value().find("num.io.threads")->source, kafka::config_source::static_broker);

  auto bad = sync<kafka::done>([&](auto cb) {
    admin->incremental_alter_configs(kafka::config_resource::broker(1), {{kafka::config_op::kind::set, "num.io.threads", "many"}}, cb);
  });
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.error().message, "Invalid value many for configuration num.io.threads: Not a number of type INT");
  auto ro = sync<kafka::done>([&](auto cb) {
    admin->incremental_alter_configs(kafka::config_resource::cluster_default(),
                                     {{kafka::config_op::kind::set, "log.retention.ms", "1000"},
                                      {kafka::config_op::kind::set, "auto.create.topics.enable", "false"}}, cb);
  });
  ASSERT_FALSE(ro.is_ok());
  EXPECT_EQ(ro.error().message, "Cannot update these configs dynamically: Set(auto.create.topics.enable)");
  auto per_broker = sync<kafka::done>([&](auto cb) {
    admin->incremental_alter_configs(kafka::config_resource::cluster_default(), {{kafka::config_op::kind::set, "listeners", "X://:1"}}, cb);
  });
  ASSERT_FALSE(per_broker.is_ok());

  auto ok = sync<kafka::done>([&](auto cb) {
    admin->incremental_alter_configs(kafka::config_resource::broker(1), {{kafka::config_op::kind::set, "num.io.threads", "16"}}, cb);
  });
  ASSERT_TRUE(ok.is_ok());
  auto def = sync<kafka::done>([&](auto cb) {
    admin->incremental_alter_configs(kafka::config_resource::cluster_default(), {{kafka::config_op::kind::set, "log.retention.ms", "1000"}}, cb);
  });
  ASSERT_TRUE(def.is_ok());
  d = sync<kafka::config_description>([&](auto cb) { admin->describe_configs(kafka::config_resource::broker(1), cb); });
  EXPECT_EQ(d.value().find("num.io.threads")->value, "16");
  EXPECT_EQ(d.value().find("num.io.threads")->source, kafka::config_source::dynamic_broker);
  EXPECT_EQ(d.value().find("log.retention.ms")->source, kafka::config_source::dynamic_default_broker);
  auto removed = sync<kafka::done>([&](auto cb) {
    admin->incremental_alter_configs(kafka::config_resource::broker(1), {{kafka::config_op::kind::remove, "num.io.threads", ""}}, cb);
  });
  ASSERT_TRUE(removed.is_ok());
  d = sync<kafka::config_description>([&](auto cb) { admin->describe_configs(kafka::config_resource::broker(1), cb); });
  EXPECT_EQ(d.value().find("num.io.threads")->value, "8");
}

TEST_F(sim_kafka_test, metrics_are_labelled_per_broker) {
  three_brokers_and_a_topic();
  set_ready(2, false);
  ASSERT_TRUE(eventually([&] { return view().down().size() == 1; }));
  auto text = kafka->metrics();
  EXPECT_NE(text.find("kafka_server_replicamanager_partitioncount{kafka_cr=\"kafka\",namespace=\"kafka\",brokerId=\"0\",pod=\"kafka-0\"} 6"),
            std::string::npos) << text;
  EXPECT_NE(text.find("kafka_server_replicamanager_underreplicatedpartitions{kafka_cr=\"kafka\",namespace=\"kafka\",brokerId=\"0\",pod=\"kafka-0\"} 4"),
            std::string::npos) << text;
  EXPECT_EQ(text.find("brokerId=\"2\""), std::string::npos) << "a down broker is not scraped";
}

TEST_F(sim_kafka_test, metrics_are_only_series_a_real_cluster_exports) {
  // Broker 0 mounts a PVC, so the kubelet's volume series appear too.
  store.create(*reg->find("", "v1", "persistentvolumeclaims"), "kafka",
               {{"metadata", {{"name", "kafka-0-kafka-logs"}, {"labels", {{"kafka_cr", "kafka"}, {"brokerId", "0"}}}}},
                {"spec", {{"resources", {{"requests", {{"storage", "10Gi"}}}}}}}});
  add_broker(0, "", "kafka-0-kafka-logs");
  for (int id : {1, 2})
    add_broker(id);
  ASSERT_TRUE(eventually([&] { return view().down().empty() && view().brokers.size() == 3; }));
  ASSERT_TRUE(kafka->create_topic("kafka", "kafka", {"orders", 6, 3, 2, 0}).is_ok());
  ASSERT_TRUE(eventually([&] { return kafka->metrics().find("kubelet_volume_stats_") != std::string::npos; }));
  std::set<std::string> real;
  std::ifstream list(std::string{KACTOR_SOURCE_DIR} + "/deploy/prometheus/series.txt");
  ASSERT_TRUE(list) << "deploy/prometheus/series.txt";
  for (std::string line; std::getline(list, line);)
    if (!line.empty() && line[0] != '#')
      real.insert(line);
  std::istringstream text(kafka->metrics());
  std::set<std::string> exported;
  for (std::string line; std::getline(text, line);)
    if (line.rfind("# TYPE ", 0) == 0)
      exported.insert(line.substr(7, line.find(' ', 7) - 7));
  EXPECT_TRUE(exported.count("kubelet_volume_stats_available_bytes")) << "the disk rule's series";
  for (const auto& name : exported)
    EXPECT_TRUE(real.count(name)) << name << " is exported only by the simulation (not in deploy/prometheus/series.txt)";
  EXPECT_NE(kafka->metrics().find("kubelet_volume_stats_capacity_bytes{namespace=\"kafka\",persistentvolumeclaim=\"kafka-0-"),
            std::string::npos) << "the kubelet's labels: namespace and persistentvolumeclaim only";
}

TEST(dynamic_configs, per_listener_keys_follow_their_base) {
  EXPECT_FALSE(refuse_broker_config("listener.name.internal.ssl.keystore.location", "/x", true));
  EXPECT_TRUE(refuse_broker_config("listener.name.internal.ssl.keystore.location", "/x", false));
  EXPECT_TRUE(refuse_broker_config("unclean.leader.election.enable", "yes", false));
  EXPECT_FALSE(refuse_topic_config("retention.ms", "100"));
  EXPECT_TRUE(refuse_topic_config("retention.ms", "1e3"));
}
