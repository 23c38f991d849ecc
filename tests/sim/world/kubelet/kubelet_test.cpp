#include "sim/world/kubelet/kubelet.hpp"

#include <gtest/gtest.h>

using namespace kactor::sim;
using namespace std::chrono_literals;

namespace {

class kubelet_test : public ::testing::Test {
protected:
  std::shared_ptr<resource_registry> reg = std::make_shared<resource_registry>();
  object_store store{reg, {}};
  resource_type pods = *reg->find("", "v1", "pods");
  resource_type pvcs = *reg->find("", "v1", "persistentvolumeclaims");
  kubelet_options opts = [] {
    kubelet_options o;
    o.nodes = {{"node-1", "zone-a"}, {"node-2", "zone-b"}};
    o.start_delay = 1s;
    o.ready_delay = 2s;
    o.terminate_delay = 1s;
    return o;
  }();
  kubelet k{store, *reg, opts};
  kubelet::time_point t0 = std::chrono::steady_clock::time_point{} + 1000s;

  void SetUp() override {
    store.create(*reg->find("", "v1", "namespaces"), "", {{"metadata", {{"name", "kafka"}}}});
    k.register_nodes();
  }

  json pod(const std::string& name, json spec_extra = json::object()) {
    json spec = {{"containers", {{{"name", "kafka"}, {"image", "kafka"}}}}};
    spec.update(spec_extra);
    return {{"metadata", {{"name", name}, {"labels", {{"app", "kafka"}}}}}, {"spec", spec}};
  }

  json get(const std::string& name) { return store.get(pods, "kafka", name).object; }

  /// PVC "data" (10Gi) and pod "p" mounting it.
  void create_claim_and_pod() {
    json claim = {{"metadata", {{"name", "data"}}},
                  {"spec", {{"accessModes", {"ReadWriteOnce"}}, {"resources", {{"requests", {{"storage", "10Gi"}}}}}}}};
    store.create(pvcs, "kafka", claim);
    store.create(pods, "kafka", pod("p", {{"volumes", {{{"name", "d"}, {"persistentVolumeClaim", {{"claimName", "data"}}}}}}}));
  }

  std::string ready(const std::string& name) {
    for (const auto& c : get(name)["status"].value("conditions", json::array()))
      if (c["type"] == "Ready")
        return c["status"];
    return "";
  }
};

} // namespace

TEST_F(kubelet_test, pod_goes_pending_running_ready) {
  store.create(pods, "kafka", pod("p"));
  k.step(t0);
  EXPECT_FALSE(get("p")["spec"].value("nodeName", "").empty());
  EXPECT_EQ(get("p")["status"]["phase"], "Pending");
  k.step(t0 + 1500ms);
  EXPECT_EQ(get("p")["status"]["phase"], "Running");
  EXPECT_EQ(ready("p"), "False");
  k.step(t0 + 4s);
  EXPECT_EQ(ready("p"), "True");
  EXPECT_EQ(store.list(*reg->find("", "v1", "nodes"), "", {}, {}).items.size(), 2u);
}

TEST_F(kubelet_test, node_selector_and_anti_affinity_are_honoured) {
  store.create(pods, "kafka", pod("a", {{"nodeSelector", {{"topology.kubernetes.io/zone", "zone-b"}}}}));
  k.step(t0);
  EXPECT_EQ(get("a")["spec"]["nodeName"], "node-2");
  json anti = {{"affinity", {{"podAntiAffinity", {{"requiredDuringSchedulingIgnoredDuringExecution",
                                                  {{{"labelSelector", {{"matchLabels", {{"app", "kafka"}}}}},
                                                    {"topologyKey", "kubernetes.io/hostname"}}}}}}}}};
  store.create(pods, "kafka", pod("b", anti));
  store.create(pods, "kafka", pod("c", anti));
  k.step(t0);
  k.step(t0);
  EXPECT_EQ(get("b")["spec"]["nodeName"], "node-1");
  // No node is left for c: it stays Pending with the scheduler's reason.
  EXPECT_EQ(get("c")["spec"].value("nodeName", ""), "");
  auto cond = get("c")["status"]["conditions"][0];
  EXPECT_EQ(cond["reason"], "Unschedulable");
  EXPECT_NE(cond["message"].get<std::string>().find("anti-affinity"), std::string::npos);
}

TEST_F(kubelet_test, graceful_termination_then_removal) {
  store.create(pods, "kafka", pod("p"));
  k.step(t0);
  k.step(t0 + 4s);
  store.remove(pods, "kafka", "p", {});
  EXPECT_TRUE(get("p")["metadata"].contains("deletionTimestamp"));
  k.step(t0 + 5s);
  EXPECT_FALSE(store.get(pods, "kafka", "p").error);
  k.step(t0 + 6500ms);
  EXPECT_EQ(store.get(pods, "kafka", "p").error->code, 404);
}

TEST_F(kubelet_test, killed_container_and_node_down) {
  store.create(pods, "kafka", pod("p"));
  k.step(t0);
  k.step(t0 + 4s);
  auto node = get("p")["spec"]["nodeName"].get<std::string>();
  ASSERT_TRUE(k.set_node_ready(node, false));
  k.step(t0 + 5s);
  EXPECT_EQ(ready("p"), "False");
  ASSERT_TRUE(k.set_node_ready(node, true));
  k.step(t0 + 6s);
  EXPECT_EQ(ready("p"), "True");
  ASSERT_TRUE(k.kill_container("kafka", "p"));
  k.step(t0 + 7s);
  EXPECT_EQ(get("p")["status"]["phase"], "Failed");
  EXPECT_EQ(get("p")["status"]["containerStatuses"][0]["restartCount"], 1);
  EXPECT_FALSE(k.kill_container("kafka", "nope"));
}

TEST_F(kubelet_test, pvcs_bind_and_grow) {
  create_claim_and_pod();
  k.step(t0);
  k.step(t0);
  auto bound = store.get(pvcs, "kafka", "data").object;
  EXPECT_EQ(bound["status"]["phase"], "Bound");
  EXPECT_EQ(bound["status"]["capacity"]["storage"], "10Gi");
  EXPECT_FALSE(bound["spec"].value("volumeName", "").empty());
  bound["spec"]["resources"]["requests"]["storage"] = "20Gi";
  ASSERT_FALSE(store.update(pvcs, "kafka", "data", bound, false).error);
  k.step(t0);
  EXPECT_EQ(store.get(pvcs, "kafka", "data").object["status"]["capacity"]["storage"], "20Gi");
}

TEST_F(kubelet_test, failed_disk_terminates_its_pods_until_repaired) {
  json claim = {{"metadata", {{"name", "data"}}}, {"spec", {{"resources", {{"requests", {{"storage", "1Gi"}}}}}}}};
  store.create(pvcs, "kafka", claim);
  store.create(pods, "kafka", pod("p", {{"volumes", {{{"name", "d"}, {"persistentVolumeClaim", {{"claimName", "data"}}}}}}}));
  store.create(pods, "kafka", pod("q"));
  k.step(t0);
  k.step(t0 + 4s);
  ASSERT_TRUE(k.set_disk_failed("kafka", "data", true));
  k.step(t0 + 5s);
  EXPECT_EQ(get("p")["status"]["phase"], "Failed");
  EXPECT_EQ(get("p")["status"]["containerStatuses"][0]["state"]["terminated"]["reason"], "DiskFailure");
  EXPECT_EQ(get("q")["status"]["phase"], "Running");
  EXPECT_FALSE(k.set_disk_failed("kafka", "nope", true));
}

// Thousands of pods and volumes: a step over objects already in the state it implies writes nothing.
TEST_F(kubelet_test, a_settled_pod_and_volume_are_not_written_again) {
  create_claim_and_pod();
  k.step(t0);
  k.step(t0 + 1500ms);
  k.step(t0 + 4s);
  ASSERT_EQ(ready("p"), "True");
  auto writes = store.write_count();
  k.step(t0 + 5s);
  k.step(t0 + 6s);
  EXPECT_EQ(store.write_count(), writes);
  // A change still gets written: the volume grows.
  auto bound = store.get(pvcs, "kafka", "data").object;
  bound["spec"]["resources"]["requests"]["storage"] = "20Gi";
  ASSERT_FALSE(store.update(pvcs, "kafka", "data", bound, false).error);
  k.step(t0 + 7s);
  EXPECT_EQ(store.get(pvcs, "kafka", "data").object["status"]["capacity"]["storage"], "20Gi");
}

// 10,000 brokers: a settled pod costs a step nothing; a changed one is read, and only it.
TEST_F(kubelet_test, a_step_reads_only_the_pods_with_something_to_do) {
  for (int i = 0; i < 20; ++i)
    store.create(pods, "kafka", pod("p" + std::to_string(i)));
  k.step(t0);
  EXPECT_EQ(k.pods_read_last_step(), 20u);
  k.step(t0 + 1500ms);
  k.step(t0 + 4s);
  k.step(t0 + 5s); // reads what its own status writes changed
  ASSERT_EQ(ready("p7"), "True");
  k.step(t0 + 6s);
  EXPECT_EQ(k.pods_read_last_step(), 0u);
  // Deleted: read until it is gone, then never again.
  ASSERT_FALSE(store.remove(pods, "kafka", "p7", {}).error);
  k.step(t0 + 7s);
  EXPECT_EQ(k.pods_read_last_step(), 1u);
  k.step(t0 + 9s);
  EXPECT_TRUE(store.get(pods, "kafka", "p7").error);
  k.step(t0 + 10s);
  k.step(t0 + 11s);
  EXPECT_EQ(k.pods_read_last_step(), 0u);
  // A fault reads every pod once: the node's pods go NotReady.
  ASSERT_TRUE(k.set_node_ready(get("p3")["spec"]["nodeName"], false));
  k.step(t0 + 12s);
  EXPECT_EQ(k.pods_read_last_step(), 19u);
  EXPECT_EQ(ready("p3"), "False");
}

// As kube-scheduler's VolumeBinding plugin: a pod whose claim does not exist is not scheduled.
TEST_F(kubelet_test, a_pod_whose_claim_does_not_exist_is_not_scheduled) {
  store.create(pods, "kafka", pod("p", {{"volumes", {{{"name", "d"}, {"persistentVolumeClaim", {{"claimName", "data"}}}}}}}));
  k.step(t0);
  EXPECT_EQ(get("p")["spec"].value("nodeName", ""), "");
  auto cond = get("p")["status"]["conditions"][0];
  EXPECT_EQ(cond["reason"], "Unschedulable");
  EXPECT_NE(cond["message"].get<std::string>().find("persistentvolumeclaim \"data\" not found"), std::string::npos)
    << cond;
  json claim = {{"metadata", {{"name", "data"}}}, {"spec", {{"resources", {{"requests", {{"storage", "1Gi"}}}}}}}};
  store.create(pvcs, "kafka", claim);
  k.step(t0 + 1s);
  EXPECT_FALSE(get("p")["spec"].value("nodeName", "").empty());
}

// As the real kubelet: a missing ConfigMap or Secret volume holds the pod in ContainerCreating (it retries
// MountVolume.SetUp) until the object exists; an optional one does not; a running pod keeps running when
// the object goes away.
TEST_F(kubelet_test, a_missing_configmap_or_secret_holds_the_pod_until_it_exists) {
  auto configmaps = *reg->find("", "v1", "configmaps");
  auto secrets = *reg->find("", "v1", "secrets");
  store.create(pods, "kafka",
               pod("p", {{"volumes",
                          {{{"name", "config"}, {"configMap", {{"name", "broker-0"}}}},
                           {{"name", "certs"}, {"secret", {{"secretName", "tls"}}}},
                           {{"name", "extra"}, {"configMap", {{"name", "absent"}, {"optional", true}}}}}}}));
  k.step(t0);
  ASSERT_FALSE(get("p")["spec"].value("nodeName", "").empty());
  k.step(t0 + 10s);
  auto status = get("p")["status"];
  EXPECT_EQ(status["phase"], "Pending");
  EXPECT_EQ(status["containerStatuses"][0]["state"]["waiting"]["reason"], "ContainerCreating");
  EXPECT_NE(status.dump().find("configmap \\\"broker-0\\\" not found"), std::string::npos) << status;
  store.create(configmaps, "kafka", {{"metadata", {{"name", "broker-0"}}}, {"data", {{"k", "v"}}}});
  k.step(t0 + 11s);
  EXPECT_EQ(get("p")["status"]["phase"], "Pending");
  EXPECT_NE(get("p")["status"].dump().find("secret \\\"tls\\\" not found"), std::string::npos) << get("p")["status"];
  store.create(secrets, "kafka", {{"metadata", {{"name", "tls"}}}, {"data", {{"k", "dg=="}}}});
  k.step(t0 + 11500ms);
  EXPECT_EQ(get("p")["status"]["phase"], "Pending"); // start_delay (1 s) counts from the mount
  k.step(t0 + 12500ms);
  EXPECT_EQ(get("p")["status"]["phase"], "Running");
  store.remove(configmaps, "kafka", "broker-0", {});
  k.step(t0 + 16s);
  EXPECT_EQ(ready("p"), "True");
}

// A Deployment becomes Available once what its template mounts exists and its pods would be Ready; a new
// generation (a changed template, strategy Recreate) is unavailable for that long again.
TEST_F(kubelet_test, a_deployment_becomes_available_after_its_volumes_and_delays) {
  auto deployments = *reg->find("apps", "v1", "deployments");
  auto configmaps = *reg->find("", "v1", "configmaps");
  json d = {{"metadata", {{"name", "cc"}}},
            {"spec",
             {{"replicas", 1},
              {"selector", {{"matchLabels", {{"app", "cc"}}}}},
              {"template",
               {{"metadata", {{"labels", {{"app", "cc"}}}}},
                {"spec", {{"containers", {{{"name", "cc"}, {"image", "cc"}}}},
                          {"volumes", {{{"name", "config"}, {"configMap", {{"name", "cc-config"}}}}}}}}}}}}};
  ASSERT_FALSE(store.create(deployments, "kafka", d).error);
  auto available = [&] { return store.get(deployments, "kafka", "cc").object["status"].value("availableReplicas", 0); };
  k.step(t0);
  k.step(t0 + 10s);
  EXPECT_EQ(available(), 0);
  EXPECT_NE(store.get(deployments, "kafka", "cc").object["status"].dump().find("configmap \\\"cc-config\\\" not found"),
            std::string::npos);
  store.create(configmaps, "kafka", {{"metadata", {{"name", "cc-config"}}}, {"data", {{"k", "v"}}}});
  k.step(t0 + 11s);
  k.step(t0 + 13s);
  EXPECT_EQ(available(), 0) << "start 1 s + ready 2 s from the mount";
  k.step(t0 + 14s);
  EXPECT_EQ(available(), 1);
  auto cur = store.get(deployments, "kafka", "cc").object;
  cur["spec"]["template"]["metadata"]["annotations"]["kactor.io/config-hash"] = "2";
  ASSERT_FALSE(store.update(deployments, "kafka", "cc", cur, false).error);
  k.step(t0 + 15s);
  EXPECT_EQ(available(), 0) << "a new generation is recreated";
  k.step(t0 + 18s);
  EXPECT_EQ(available(), 1);
  EXPECT_EQ(store.get(deployments, "kafka", "cc").object["status"]["observedGeneration"], 2);
}
