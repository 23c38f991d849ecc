// Rolling restarts and live configuration, end to end: the operator against the simulated control plane
// and the simulated Kafka, with a checker on every change of Kafka's state.
#include "tests/actors/operator_fixture.hpp"

namespace kactor {
namespace {

using namespace kactor::testing;
namespace kafka = integrations::kafka;

/// Watches every state change of the simulated Kafka: partitions below min.insync.replicas and how many
/// brokers were down at once.
struct kafka_checker {
  std::mutex mutex;
  size_t max_down = 0;
  std::vector<std::string> below_min_isr;
  std::vector<std::string> down_while_catching_up; ///< a broker went down while another was not back in its ISRs
  bool armed = false;
  std::vector<int32_t> last_down;
  void operator()(const sim::sim_cluster_view& v) {
    std::lock_guard lock(mutex);
    max_down = std::max(max_down, v.down().size());
    for (const auto& p : v.below_min_isr())
      below_min_isr.push_back(p + " with brokers down: " + std::to_string(v.down().size()));
    auto down = v.down();
    bool newly_down = std::any_of(down.begin(), down.end(), [&](int32_t id) {
      return std::find(last_down.begin(), last_down.end(), id) == last_down.end();
    });
    if (armed && newly_down)
      for (const auto& t : v.topics)
        for (const auto& p : t.partitions)
          for (auto r : p.replicas)
            if (p.leader >= 0 && v.brokers.at(r).up && std::find(p.isr.begin(), p.isr.end(), r) == p.isr.end())
              down_while_catching_up.push_back("broker " + std::to_string(r) + " not in the ISR of " + t.name + "-"
                                               + std::to_string(p.partition));
    last_down = down;
  }
};

class Roll : public Operator {
protected:
  Roll() {
    plane_options.kubelet.nodes.clear();
    for (int i = 1; i <= 6; ++i)
      plane_options.kubelet.nodes.push_back({"node-" + std::to_string(i), std::string{"zone-"} + char('a' + (i - 1) % 3)});
  }

  /// The sample with brokers 0..n-1, started and converged, with RF 3 / min.isr 2 topics.
  void start_cluster(int n) {
    plane->kafka().on_change([this](const sim::sim_cluster_view& v) { checker(v); });
    start_operator();
    create_converged_cluster(n);
    if (HasFatalFailure())
      return;
    ASSERT_TRUE(plane->kafka().create_topic(ns, "kafka", {"orders", 12, 3, 2, 0}).is_ok());
    ASSERT_TRUE(plane->kafka().create_topic(ns, "kafka", {"payments", 6, 3, 2, 0}).is_ok());
    ASSERT_TRUE(eventually([&] { return plane->kafka().view(ns, "kafka").under_replicated().empty(); }));
    std::lock_guard lock(checker.mutex);
    checker.max_down = 0; // creation brought every broker up at once; the roll starts from here
    checker.armed = true;
  }

  json condition(const std::string& type) {
    for (const auto& c : cr().value("status", json::object()).value("conditions", json::array()))
      if (c["type"] == type)
        return c;
    return json::object();
  }

  bool all_restarted(int n, size_t times = 2) {
    for (int id = 0; id < n; ++id)
      if (history.count("kafka-" + std::to_string(id)) != times)
        return false;
    return true;
  }

  kafka::config_description broker_config(int id) {
    std::optional<kafka::config_description> out;
    plane->kafka().admin(ns, "kafka")->describe_configs(kafka::config_resource::broker(id), [&](auto r) {
      if (r.is_ok())
        out = r.value();
    });
    return out.value_or(kafka::config_description{});
  }

  kafka_checker checker;
};

TEST_F(Roll, SixBrokersRollOneAtATimeAndNoPartitionFallsBelowMinIsr) {
  start_cluster(6);
  std::set<std::string> reasons;
  change_spec([](json& spec) { spec["readOnlyConfig"] = spec.value("readOnlyConfig", "") + "\nlog.retention.check.interval.ms=1000\n"; });
  ASSERT_TRUE(eventually([&] {
    auto c = condition("RollingUpgrade");
    if (c.value("reason", "") == "Restarting" || c.value("reason", "") == "Waiting")
      reasons.insert(c.value("message", ""));
    return all_restarted(6) && converged(6);
  }, 60s)) << dump();
  std::lock_guard lock(checker.mutex);
  EXPECT_TRUE(checker.below_min_isr.empty()) << checker.below_min_isr.front();
  EXPECT_EQ(checker.max_down, 1u);
  EXPECT_TRUE(checker.down_while_catching_up.empty())
      << "the next broker went down before the restarted one caught up: " << checker.down_while_catching_up.front();
  EXPECT_FALSE(reasons.empty()) << "the RollingUpgrade condition said why brokers waited";
  EXPECT_EQ(condition("RollingUpgrade").value("reason", ""), "Done");
  EXPECT_FALSE(cr()["status"].value("/rollingUpgradeStatus/lastSuccess"_json_pointer, json("")).get<std::string>().empty());
}

TEST_F(Roll, ABrokerThatNeverBecomesReadyStopsTheRollAndNothingElseRestarts) {
  operator_options.settings.roll_timeout = 2s;
  start_cluster(3);
  change_spec([](json& spec) { spec["readOnlyConfig"] = spec.value("readOnlyConfig", "") + "\nlog.retention.check.interval.ms=1000\n"; });
  // Broker 1 will not come back from its restart.
  ASSERT_TRUE(eventually([&] { return history.count("kafka-1") == 2 || history.count("kafka-0") == 2 || history.count("kafka-2") == 2; }));
  std::string first;
  for (auto pod : {"kafka-0", "kafka-1", "kafka-2"})
    if (history.count(pod) == 2)
      first = pod;
  plane->kubelet().hold_not_ready(ns, first, true);
  ASSERT_TRUE(eventually([&] { return condition("RollingUpgrade").value("reason", "") == "Stopped"; }, 20s)) << dump();
  EXPECT_NE(condition("RollingUpgrade").value("message", "").find("did not become Ready and rejoin its partitions' ISRs within 2 s"),
            std::string::npos) << condition("RollingUpgrade").dump();
  std::this_thread::sleep_for(1s);
  for (auto pod : {"kafka-0", "kafka-1", "kafka-2"})
    EXPECT_EQ(history.count(pod), pod == first ? 2u : 1u) << pod;
  EXPECT_EQ(cr()["status"]["state"], "ClusterRollingUpgrading");
  k8s::list_options lo;
  lo.field_selector = "reason=RollStopped";
  auto events = client->list_sync(k8s::resources::events(), ns, lo);
  ASSERT_TRUE(events.is_ok());
  EXPECT_EQ(events.value()["items"].size(), 1u);
  // Fixed: the roll goes on by itself.
  plane->kubelet().hold_not_ready(ns, first, false);
  ASSERT_TRUE(eventually([&] { return all_restarted(3) && converged(); }, 30s)) << dump();
  std::lock_guard lock(checker.mutex);
  EXPECT_TRUE(checker.below_min_isr.empty());
}

TEST_F(Roll, DynamicConfigAppliesLiveAndARefusedValueRestartsNothing) {
  start_cluster(3);
  change_spec([](json& spec) {
    spec["brokers"][1]["brokerConfig"]["config"] = "num.io.threads=16\n";
    spec["clusterWideConfig"] = "log.retention.ms=3600000\n";
  });
  ASSERT_TRUE(eventually([&] {
    auto c = broker_config(1);
    auto* e = c.find("num.io.threads");
    return e && e->value == "16" && condition("DynamicConfigApplied").value("status", "") == "True";
  })) << dump();
  EXPECT_EQ(broker_config(1).find("num.io.threads")->source, kafka::config_source::dynamic_broker);
  EXPECT_EQ(broker_config(0).find("log.retention.ms")->source, kafka::config_source::dynamic_default_broker);
  EXPECT_TRUE(all_restarted(3, 1)) << "a dynamic-only change restarts no pod";

  change_spec([](json& spec) { spec["brokers"][2]["brokerConfig"]["config"] = "num.io.threads=many\n"; });
  ASSERT_TRUE(eventually([&] { return condition("DynamicConfigApplied").value("reason", "") == "Rejected"; })) << dump();
  EXPECT_EQ(condition("DynamicConfigApplied")["message"],
            "broker 2: Invalid value many for configuration num.io.threads: Not a number of type INT");
  EXPECT_EQ(cr()["status"]["brokersState"]["2"]["perBrokerConfigurationState"], "PerBrokerConfigError");
  std::this_thread::sleep_for(500ms);
  EXPECT_TRUE(all_restarted(3, 1)) << "a refused value restarts nothing";

  // Mixed: a read-only change for broker 0 alone and a dynamic one for everybody.
  change_spec([](json& spec) {
    spec["brokers"][0]["readOnlyConfig"] = "auto.create.topics.enable=true\n";
    spec["brokers"][2]["brokerConfig"]["config"] = "num.io.threads=12\n";
    spec["clusterWideConfig"] = "log.retention.ms=7200000\n";
  });
  ASSERT_TRUE(eventually([&] {
    return history.count("kafka-0") == 2 && converged() && condition("DynamicConfigApplied").value("status", "") == "True";
  })) << dump();
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(history.count("kafka-1"), 1u);
  EXPECT_EQ(history.count("kafka-2"), 1u);
  EXPECT_EQ(broker_config(2).find("num.io.threads")->value, "12");
  EXPECT_EQ(broker_config(1).find("log.retention.ms")->value, "7200000");
}

TEST_F(Roll, AnOperatorKilledMidRollResumesAndRestartsNoBrokerTwice) {
  start_cluster(4);
  change_spec([](json& spec) { spec["readOnlyConfig"] = spec.value("readOnlyConfig", "") + "\nlog.retention.check.interval.ms=1000\n"; });
  ASSERT_TRUE(eventually([&] {
    int restarted = 0;
    for (int id = 0; id < 4; ++id)
      restarted += history.count("kafka-" + std::to_string(id)) == 2;
    return restarted >= 2;
  }, 30s));
  op->stop();
  op.reset();
  start_operator();
  ASSERT_TRUE(eventually([&] { return all_restarted(4) && converged(4); }, 60s)) << dump();
  std::this_thread::sleep_for(500ms);
  EXPECT_TRUE(all_restarted(4)) << "every broker restarted exactly once across the operator restart";
  std::lock_guard lock(checker.mutex);
  EXPECT_TRUE(checker.below_min_isr.empty());
  EXPECT_EQ(checker.max_down, 1u);
}

} // namespace
} // namespace kactor
