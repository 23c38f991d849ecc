// kactor's actors + the real Kubernetes client + the simulated control plane (API server and kubelet),
// over loopback: the scenarios of brokers owned one by one.
#include "tests/actors/operator_fixture.hpp"

#include "actors/kube_access.hpp"

namespace kactor {
namespace {

using namespace kactor::testing;

TEST_F(Operator, CreatesEveryObjectAndReportsRunning) {
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); })) << cr().value("status", json{}).dump(2);
  EXPECT_EQ(count(k8s::resources::pods(), "app=kafka,kafka_cr=kafka"), 3u);
  EXPECT_EQ(count(k8s::resources::configmaps(), "app=kafka,kafka_cr=kafka,brokerId"), 3u);
  // The sample has monitoringConfig: the JMX exporter's rules, one ConfigMap for the cluster.
  EXPECT_EQ(count(k8s::resources::configmaps(), "app=kafka,kafka_cr=kafka,!brokerId"), 1u);
  EXPECT_EQ(count(k8s::resources::persistent_volume_claims(), "app=kafka,kafka_cr=kafka"), 3u);
  EXPECT_GE(count(k8s::resources::services(), "app=kafka,kafka_cr=kafka"), 1u);
  for (const auto& p : items(k8s::resources::pods())) {
    bool ready = false;
    for (const auto& c : p["status"].value("conditions", json::array()))
      ready |= c["type"] == "Ready" && c["status"] == "True";
    EXPECT_TRUE(ready) << p["metadata"]["name"];
  }
  auto status = cr()["status"];
  EXPECT_EQ(status["brokersState"]["1"]["configurationState"], "ConfigInSync");
  EXPECT_FALSE(status["brokersState"]["1"].value("image", "").empty());
  auto fins = cr()["metadata"].value("finalizers", json::array());
  EXPECT_NE(std::find(fins.begin(), fins.end(), "kactor.io/finalizer"), fins.end());
}

TEST_F(Operator, ChangingOneBrokerRestartsOnlyThatBroker) {
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); }));
  auto before = pod_uids();
  change_spec([](json& spec) { spec["brokers"][1]["brokerConfig"]["resourceRequirements"] = {{"requests", {{"cpu", "1500m"}}}}; });
  ASSERT_TRUE(eventually([&] { return pod_uids()["kafka-1"] != before["kafka-1"] && converged(); })) << dump();
  auto after = pod_uids();
  EXPECT_EQ(after["kafka-0"], before["kafka-0"]);
  EXPECT_EQ(after["kafka-2"], before["kafka-2"]);
  EXPECT_EQ(history.count("kafka-1"), 2u) << "restarted exactly once";
}

TEST_F(Operator, AddingADiskToOneBrokerTouchesOnlyIt) {
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); }));
  auto before = pod_uids();
  change_spec([](json& spec) {
    spec["brokers"][2]["brokerConfig"]["storageConfigs"] = json::array(
        {{{"mountPath", "/kafka-logs2"},
          {"pvcSpec", {{"accessModes", {"ReadWriteOnce"}}, {"resources", {{"requests", {{"storage", "10Gi"}}}}}}}}});
  });
  ASSERT_TRUE(eventually([&] { return pod_uids()["kafka-2"] != before["kafka-2"] && converged(); })) << dump();
  EXPECT_EQ(count(k8s::resources::persistent_volume_claims(), "brokerId=2"), 2u);
  EXPECT_EQ(count(k8s::resources::persistent_volume_claims(), "brokerId=0"), 1u);
  auto after = pod_uids();
  EXPECT_EQ(after["kafka-0"], before["kafka-0"]);
  EXPECT_EQ(after["kafka-1"], before["kafka-1"]);
}

TEST_F(Operator, DeletedPodIsRecreatedAlone) {
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); }));
  auto before = pod_uids();
  k8s::delete_options now;
  now.grace_period_seconds = 0;
  ASSERT_TRUE(client->remove_sync(k8s::resources::pods(), ns, "kafka-1", now).is_ok());
  ASSERT_TRUE(eventually([&] {
    auto u = pod_uids();
    return u.count("kafka-1") && u["kafka-1"] != before["kafka-1"] && converged();
  }));
  auto after = pod_uids();
  EXPECT_EQ(after["kafka-0"], before["kafka-0"]);
  EXPECT_EQ(after["kafka-2"], before["kafka-2"]);
  EXPECT_EQ(after.size(), 3u);
}

TEST_F(Operator, AKilledContainerIsHealedWithoutAPermit) {
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); }));
  auto before = pod_uids();
  ASSERT_TRUE(plane->kubelet().kill_container(ns, "kafka-0"));
  ASSERT_TRUE(eventually([&] { return pod_uids()["kafka-0"] != before["kafka-0"] && converged(); })) << dump();
  EXPECT_EQ(pod_uids()["kafka-2"], before["kafka-2"]);
}

TEST_F(Operator, ACrashedBrokerActorRestartsAloneWithoutDuplicates) {
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); }));
  auto before = pod_uids();
  auto writes = plane->api().store().write_count();
  op->inject_crash(ns, "kafka", 1);
  std::this_thread::sleep_for(500ms); // the actor dies and is respawned
  // The others keep working: a change to broker 0 goes through.
  change_spec([](json& spec) { spec["brokers"][0]["brokerConfig"]["resourceRequirements"] = {{"requests", {{"cpu", "1200m"}}}}; });
  ASSERT_TRUE(eventually([&] { return pod_uids()["kafka-0"] != before["kafka-0"] && converged(); })) << dump();
  auto after = pod_uids();
  EXPECT_EQ(after["kafka-1"], before["kafka-1"]) << "the respawned actor adopted its pod";
  EXPECT_EQ(after.size(), 3u);
  EXPECT_EQ(count(k8s::resources::persistent_volume_claims(), "app=kafka"), 3u);
  EXPECT_EQ(count(k8s::resources::configmaps(), "app=kafka,brokerId"), 3u);
  EXPECT_GT(plane->api().store().write_count(), writes);
}

TEST_F(Operator, ABrokerWhoseApiFailsDoesNotHoldUpTheOthers) {
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); }));
  auto before = pod_uids();
  // Every write and read of broker 1's objects fails; a change needing every broker to restart.
  plane->api().set_api_faults({{"", "pods", "kafka-1", 1.0, 500},
                               {"", "configmaps", "kafka-config-1", 1.0, 500},
                               {"", "persistentvolumeclaims", "kafka-1-*", 1.0, 500}});
  change_spec([](json& spec) { spec["readOnlyConfig"] = spec.value("readOnlyConfig", "") + "\nnum.io.threads=9\n"; });
  ASSERT_TRUE(eventually([&] {
    auto u = pod_uids();
    auto st = cr().value("status", json::object());
    return u["kafka-0"] != before["kafka-0"] && u["kafka-2"] != before["kafka-2"] &&
           st["brokersState"]["0"].value("configurationState", "") == "ConfigInSync" &&
           st["brokersState"]["2"].value("configurationState", "") == "ConfigInSync";
  })) << cr()["status"].dump(2);
  EXPECT_EQ(pod_uids()["kafka-1"], before["kafka-1"]);
  EXPECT_EQ(cr()["status"]["brokersState"]["1"]["configurationState"], "ConfigOutOfSync");
  plane->api().set_api_faults({});
  ASSERT_TRUE(eventually([&] { return pod_uids()["kafka-1"] != before["kafka-1"] && converged(); })) << dump();
}

TEST_F(Operator, ARestartedOperatorResumesAndRestartsNothingTwice) {
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); }));
  auto before = pod_uids();
  change_spec([](json& spec) { spec["brokers"][1]["brokerConfig"]["resourceRequirements"] = {{"requests", {{"cpu", "1500m"}}}}; });
  // Stop the operator as soon as broker 1's restart has begun.
  ASSERT_TRUE(eventually([&] {
    auto p = client->get_sync(k8s::resources::pods(), ns, "kafka-1");
    return !p.is_ok() || p.value()["metadata"].contains("deletionTimestamp") || p.value()["metadata"]["uid"] != before["kafka-1"];
  }, 10s));
  op->stop();
  op.reset();
  start_operator();
  ASSERT_TRUE(eventually([&] { return pod_uids()["kafka-1"] != before["kafka-1"] && converged(); })) << dump();
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(history.count("kafka-1"), 2u) << "restarted exactly once across the operator restart";
  EXPECT_EQ(history.count("kafka-0"), 1u);
  EXPECT_EQ(history.count("kafka-2"), 1u);
}

// Found at 20 × 30 brokers: a pass between a create's answer and its watch event created the object again
// (1,800 409 AlreadyExists of 5,450 requests). Every object is created once.
TEST_F(Operator, CreatesEachObjectOnceAlthoughTheCacheLags) {
  start_operator();
  create_converged_cluster(6);
  std::map<std::string, uint64_t> created, refused;
  for (const auto& [key, s] : op->metrics().snapshot())
    if (std::get<0>(key) == "create")
      (std::get<2>(key) == 409 ? refused : created)[std::get<1>(key)] += s.count;
  for (const char* resource : {"pods", "persistentvolumeclaims"})
    EXPECT_EQ(created[resource], 6u) << resource;
  EXPECT_EQ(created["configmaps"], 8u) << "one a broker, the cluster's JMX exporter rules, Cruise Control's config";
  EXPECT_TRUE(refused.empty()) << json(refused).dump();
}

TEST_F(Operator, IdleResyncsWriteNothing) {
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); }));
  std::this_thread::sleep_for(500ms); // let the last status write land
  auto writes = plane->api().store().write_count();
  std::this_thread::sleep_for(3s);    // 15 resync periods of 200 ms
  EXPECT_EQ(plane->api().store().write_count(), writes);
}

// A cluster-level object the spec stops asking for goes; the brokers are not touched.
TEST_F(Operator, ClusterObjectsTheSpecNoLongerAsksForAreDeleted) {
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); }));
  ASSERT_EQ(count(k8s::resources::configmaps(), "app=kafka,kafka_cr=kafka,!brokerId"), 1u);
  auto services = count(k8s::resources::services(), "app=kafka,kafka_cr=kafka,!brokerId");
  ASSERT_GE(services, 1u);
  // The cluster's exporter ConfigMap goes with monitoringConfig, and the headless Service gives way to the
  // all-broker one (or the other way round); one of those names not controlled by the cluster would stay
  // (tests/model/diff/object_diff_test.cpp).
  bool headless = cr()["spec"].value("headlessServiceEnabled", false);
  change_spec([&](json& spec) {
    spec.erase("monitoringConfig");
    spec["headlessServiceEnabled"] = !headless;
  });
  ASSERT_TRUE(eventually([&] {
    return count(k8s::resources::configmaps(), "app=kafka,kafka_cr=kafka,!brokerId") == 0
           && count(k8s::resources::services(), "app=kafka,kafka_cr=kafka,!brokerId") == 1 && converged();
  })) << dump();
  for (const auto& svc : items(k8s::resources::services()))
    if (!svc["metadata"].value("labels", json::object()).contains("brokerId") && svc["metadata"]["labels"]["app"] == "kafka")
      EXPECT_EQ(svc["metadata"]["name"], headless ? "kafka-all-broker" : "kafka-headless");
  EXPECT_EQ(count(k8s::resources::configmaps(), "app=kafka,kafka_cr=kafka,brokerId"), 3u);
}

// rackAwareness without a nodeSelector: each broker's rack is the zone of the node the scheduler picked,
// written into its ConfigMap before the kubelet can start it (no restart), and Kafka runs with it.
TEST_F(Operator, ABrokerPlacedByTheSchedulerGetsItsNodesZoneAsRack) {
  start_operator();
  auto c = sample();
  c["spec"]["rackAwareness"] = {{"labels", {"topology.kubernetes.io/zone"}}};
  create_cluster(c);
  ASSERT_TRUE(eventually([&] { return converged(); })) << dump();
  std::map<std::string, std::string> zone_of;
  auto nodes = client->list_sync(k8s::resources::nodes(), "");
  ASSERT_TRUE(nodes.is_ok());
  for (const auto& n : nodes.value()["items"])
    zone_of[n["metadata"]["name"]] = n["metadata"]["labels"].value("topology.kubernetes.io/zone", "");
  auto kafka = plane->kafka().view(ns, "kafka");
  auto status = cr()["status"];
  ASSERT_EQ(items(k8s::resources::pods()).size(), 3u);
  for (const auto& p : items(k8s::resources::pods())) {
    auto id = p["metadata"]["labels"]["brokerId"].get<std::string>();
    auto zone = zone_of[p["spec"]["nodeName"].get<std::string>()];
    ASSERT_FALSE(zone.empty());
    auto cm = client->get_sync(k8s::resources::configmaps(), ns, "kafka-config-" + id);
    ASSERT_TRUE(cm.is_ok());
    EXPECT_NE(cm.value()["data"]["broker-config"].get<std::string>().find("broker.rack=" + zone + "\n"), std::string::npos)
        << cm.value()["data"]["broker-config"];
    EXPECT_EQ(kafka.brokers[std::stoi(id)].rack, zone);
    EXPECT_EQ(status["brokersState"][id]["rackAwarenessState"], "Configured");
    EXPECT_EQ(history.count(p["metadata"]["name"].get<std::string>()), 1u) << "started once, with its rack";
  }
}

TEST_F(Operator, AnInvalidSpecChangesNothingAndSaysWhere) {
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); }));
  auto before = pod_uids();
  change_spec([](json& spec) { spec["brokers"][2]["id"] = 1; });
  ASSERT_TRUE(eventually([&] {
    for (const auto& c : cr().value("status", json::object()).value("conditions", json::array()))
      if (c["type"] == "SpecValid" && c["status"] == "False")
        return c.value("message", "").find("spec.brokers[2].id") != std::string::npos;
    return false;
  })) << cr()["status"].dump(2);
  ASSERT_TRUE(eventually([&] {
    for (const auto& e : items(k8s::resources::events()))
      if (e.value("reason", "") == "InvalidSpec" && e.value("message", "").find("spec.brokers[2].id") != std::string::npos)
        return true;
    return false;
  }));
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(pod_uids(), before);
}

TEST_F(Operator, PvcsGrowButNeverShrink) {
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); }));
  auto before = pod_uids();
  auto size_of = [&](const std::string& pvc) {
    return client->get_sync(k8s::resources::persistent_volume_claims(), ns, pvc).value()["spec"]["resources"]["requests"]["storage"];
  };
  change_spec([](json& spec) {
    spec["brokers"][0]["brokerConfig"]["storageConfigs"] = json::array(
        {{{"mountPath", "/kafka-logs"},
          {"pvcSpec", {{"accessModes", {"ReadWriteOnce"}}, {"resources", {{"requests", {{"storage", "20Gi"}}}}}}}}});
  });
  ASSERT_TRUE(eventually([&] { return size_of("kafka-0-kafka-logs") == "20Gi"; })) << dump();
  EXPECT_EQ(size_of("kafka-1-kafka-logs"), "10Gi");
  change_spec([](json& spec) { spec["brokers"][0]["brokerConfig"]["storageConfigs"][0]["pvcSpec"]["resources"]["requests"]["storage"] = "5Gi"; });
  ASSERT_TRUE(eventually([&] {
    for (const auto& c : cr().value("status", json::object()).value("conditions", json::array()))
      if (c["type"] == "Progressing" && c.value("message", "").find("kafka-0-kafka-logs") != std::string::npos)
        return true;
    return false;
  })) << dump();
  EXPECT_EQ(size_of("kafka-0-kafka-logs"), "20Gi");
  EXPECT_EQ(pod_uids()["kafka-1"], before["kafka-1"]);
}

TEST_F(Operator, WithoutCruiseControlARemovedBrokerKeepsRunningAndWaitsToBeDrained) {
  with_cruise_control = false;
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); }));
  auto before = pod_uids();
  change_spec([](json& spec) { spec["brokers"].erase(2); });
  ASSERT_TRUE(eventually([&] {
    auto st = cr().value("status", json::object());
    return st["brokersState"]["2"]["gracefulActionState"].value("cruiseControlState", "") == "GracefulDownscaleRequired";
  })) << dump();
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(pod_uids(), before) << "nothing deleted without a drain";
  EXPECT_EQ(count(k8s::resources::persistent_volume_claims(), "brokerId=2"), 1u);
}

TEST_F(Operator, DeletingTheClusterRemovesTheFinalizerAndKeepsTheData) {
  start_operator();
  create_cluster();
  ASSERT_TRUE(eventually([&] { return converged(); }));
  ASSERT_TRUE(client->remove_sync(k8s::resources::kafka_clusters(), ns, "kafka").is_ok());
  ASSERT_TRUE(eventually([&] { return client->get_sync(k8s::resources::kafka_clusters(), ns, "kafka").is(k8s::api_error_kind::not_found); }))
      << dump();
  ASSERT_TRUE(eventually([&] { return count(k8s::resources::pods(), "app=kafka") == 0; }));
  EXPECT_EQ(count(k8s::resources::persistent_volume_claims(), "app=kafka"), 3u) << "PVCs are never garbage-collected";
}


// What a cluster pass reads of a cached object is kept in its summary, in the object's own shape; the rest
// (the bulk of a Pod) is not.
TEST(ClusterPassSummary, KeepsWhatAClusterPassReads) {
  json pvc = {{"metadata", {{"name", "kafka-1-logs"}, {"namespace", "kafka"}, {"uid", "u"},
                            {"labels", {{"kafka_cr", "kafka"}, {"brokerId", "1"}}},
                            {"annotations", {{"mountPath", "/kafka-logs"}, {"other", "x"}}}}},
              {"spec", {{"resources", {{"requests", {{"storage", "10Gi"}}}}}, {"accessModes", {"ReadWriteOnce"}},
                        {"storageClassName", "fast"}, {"volumeName", "pv-1"}}},
              {"status", {{"phase", "Bound"}}}};
  auto s = actors::cluster_pass_summary(pvc);
  EXPECT_EQ(s["metadata"]["labels"], json({{"kafka_cr", "kafka"}, {"brokerId", "1"}}));
  EXPECT_EQ(s["metadata"]["namespace"], "kafka");
  EXPECT_EQ(s["metadata"]["annotations"], json({{"mountPath", "/kafka-logs"}}));
  EXPECT_EQ(s["spec"]["resources"]["requests"]["storage"], "10Gi");
  EXPECT_EQ(s["spec"]["storageClassName"], "fast");
  EXPECT_FALSE(s["spec"].contains("volumeName"));
  EXPECT_FALSE(s.contains("status"));
  json pod = {{"metadata", {{"name", "kafka-1"}, {"labels", {{"brokerId", "1"}}}}},
              {"spec", {{"containers", {{{"name", "kafka"}, {"image", "kafka:3"},
                                         {"volumeMounts", {{{"name", "a"}, {"mountPath", "/a"}}, {{"name", "b"}, {"mountPath", "/b"}}}}}}}}}};
  auto p = actors::cluster_pass_summary(pod);
  EXPECT_EQ(p["spec"]["containers"][0]["volumeMounts"], json({{{"mountPath", "/a"}}, {{"mountPath", "/b"}}}));
  EXPECT_FALSE(p["spec"]["containers"][0].contains("image"));
}

} // namespace
} // namespace kactor
