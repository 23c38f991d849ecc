#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "model/effective_broker.hpp"
#include "model/render/all_broker_service.hpp"
#include "model/render/desired_state.hpp"
#include "model/render/metadata.hpp"
#include "model/render/pod_disruption_budget.hpp"
#include "model/render/server_properties.hpp"

using namespace kactor::model;
using namespace kactor::testing;

namespace {

properties server_props(const kafka_cluster& c, int32_t id) {
  return render_server_properties(c, *make_effective_broker(c, id));
}

const json* find_kind(const std::vector<json>& objs, const std::string& kind, const std::string& name) {
  for (const auto& o : objs)
    if (o["kind"] == kind && o["metadata"]["name"] == name)
      return &o;
  return nullptr;
}

} // namespace

TEST(render, broker_objects_are_named_and_labelled_like_koperator) {
  auto state = render_cluster(base_cluster());
  ASSERT_TRUE(state.is_ok()) << state.error().to_string();
  const auto& b1 = state->brokers.at(1);
  EXPECT_EQ(b1.pod["metadata"]["name"], "kafka-1");
  EXPECT_EQ(b1.pod["metadata"]["labels"]["app"], "kafka");
  EXPECT_EQ(b1.pod["metadata"]["labels"]["kafka_cr"], "kafka");
  EXPECT_EQ(b1.pod["metadata"]["labels"]["brokerId"], "1");
  EXPECT_EQ(b1.configmap["metadata"]["name"], "kafka-config-1");
  ASSERT_EQ(b1.pvcs.size(), 1u);
  EXPECT_EQ(b1.pvcs[0]["metadata"]["name"], "kafka-1-kafka-logs");
  EXPECT_EQ(b1.pvcs[0]["metadata"]["annotations"]["mountPath"], "/kafka-logs");
  EXPECT_EQ(b1.service->at("metadata")["name"], "kafka-1");
  EXPECT_EQ(b1.service->at("spec")["selector"]["brokerId"], "1");
  auto all = state->all();
  EXPECT_NE(find_kind(all, "Service", "kafka-all-broker"), nullptr);
  EXPECT_EQ(find_kind(all, "Service", "kafka-headless"), nullptr);
}

TEST(render, owner_reference_only_with_a_uid) {
  auto c = base_cluster();
  auto without = render_broker(c, 0);
  EXPECT_FALSE(without->pod["metadata"].contains("ownerReferences"));
  c.metadata.uid = "abc";
  auto with = render_broker(c, 0);
  EXPECT_EQ(with->pod["metadata"]["ownerReferences"][0]["uid"], "abc");
  EXPECT_EQ(with->pod["metadata"]["ownerReferences"][0]["kind"], "KafkaCluster");
  EXPECT_EQ(with->pod["metadata"]["ownerReferences"][0]["controller"], true);
}

TEST(render, pvc_names_depend_only_on_the_mount_path) {
  EXPECT_EQ(storage_slug("/kafka-logs"), "kafka-logs");
  EXPECT_NE(storage_slug("/mnt/data"), storage_slug("/mnt-data"));
  EXPECT_EQ(storage_slug("/mnt/data"), storage_slug("/mnt/data"));
  auto c = base_cluster();
  c.spec.brokers[1].config.emplace().storage_configs = {
    {"/kafka-logs2", json{{"resources", {{"requests", {{"storage", "1Gi"}}}}}}, std::nullopt}};
  auto with_two = render_broker(c, 1);
  ASSERT_EQ(with_two->pvcs.size(), 2u);
  // Removing the first disk leaves the second one's name alone.
  c.spec.broker_config_groups["default"].storage_configs.clear();
  auto with_one = render_broker(c, 1);
  ASSERT_EQ(with_one->pvcs.size(), 1u);
  EXPECT_EQ(with_one->pvcs[0]["metadata"]["name"], with_two->pvcs[0]["metadata"]["name"]);
  EXPECT_EQ(with_one->pvcs[0]["metadata"]["name"], "kafka-1-kafka-logs2");
}

TEST(render, pod_mounts_every_disk_and_the_config) {
  auto c = sample("simplekafkacluster_2disk.yaml");
  auto b = render_broker(c, 0);
  ASSERT_TRUE(b);
  const auto& kafka = b->pod["spec"]["containers"][0];
  EXPECT_EQ(kafka["name"], "kafka");
  std::set<std::string> mounts;
  for (const auto& m : kafka["volumeMounts"])
    mounts.insert(m["mountPath"]);
  EXPECT_TRUE(mounts.contains("/config"));
  for (const auto& pvc : b->pvcs)
    EXPECT_TRUE(mounts.contains(pvc["metadata"]["annotations"]["mountPath"].get<std::string>()));
  EXPECT_EQ(b->pvcs.size(), 2u);
  auto props = server_props(c, 0);
  EXPECT_EQ(std::count(props["log.dirs"].begin(), props["log.dirs"].end(), ','), 1);
}

TEST(render, server_properties_zookeeper_mode) {
  auto c = base_cluster();
  auto p = server_props(c, 2);
  EXPECT_EQ(p["broker.id"], "2");
  EXPECT_EQ(p["zookeeper.connect"], "zk:2181/");
  EXPECT_EQ(p["listeners"], "INTERNAL://:29092,CONTROLLER://:29093");
  EXPECT_EQ(p["advertised.listeners"],
            "CONTROLLER://kafka-2.kafka.svc.cluster.local:29093,INTERNAL://kafka-2.kafka.svc.cluster.local:29092");
  EXPECT_EQ(p["listener.security.protocol.map"], "INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
  EXPECT_EQ(p["inter.broker.listener.name"], "INTERNAL");
  EXPECT_EQ(p["control.plane.listener.name"], "CONTROLLER");
  EXPECT_EQ(p["log.dirs"], "/kafka-logs/kafka");
  EXPECT_EQ(p["auto.create.topics.enable"], "false");
  EXPECT_EQ(p["cruise.control.metrics.reporter.bootstrap.servers"], "kafka-all-broker.kafka.svc.cluster.local:29092");
  EXPECT_FALSE(p.contains("node.id"));
}

TEST(render, generated_keys_win_over_read_only_config) {
  auto c = base_cluster();
  c.spec.brokers[0].read_only_config = "broker.id=99\nnum.io.threads=16\n";
  auto p = server_props(c, 0);
  EXPECT_EQ(p["broker.id"], "0");
  EXPECT_EQ(p["num.io.threads"], "16");
}

TEST(render, kraft_roles_listeners_and_voters) {
  auto c = sample("kraft/simplekafkacluster_kraft.yaml");
  c.metadata.namespace_ = "kafka";
  std::vector<int32_t> controllers, brokers;
  for (const auto& b : c.spec.brokers) {
    auto eb = make_effective_broker(c, b.id);
    ASSERT_TRUE(eb);
    (eb->is_controller() ? controllers : brokers).push_back(b.id);
  }
  ASSERT_FALSE(controllers.empty());
  ASSERT_FALSE(brokers.empty());
  auto pc = server_props(c, controllers[0]);
  EXPECT_EQ(pc["process.roles"], "controller");
  EXPECT_FALSE(pc.contains("advertised.listeners"));
  EXPECT_FALSE(pc.contains("broker.id"));
  EXPECT_EQ(pc["node.id"], std::to_string(controllers[0]));
  auto pb = server_props(c, brokers[0]);
  EXPECT_EQ(pb["controller.quorum.voters"], pc["controller.quorum.voters"]);
  EXPECT_EQ(std::count(pb["controller.quorum.voters"].begin(), pb["controller.quorum.voters"].end(), '@'),
            static_cast<long>(controllers.size()));
  EXPECT_FALSE(pb.contains("zookeeper.connect"));
  auto pod = render_broker(c, brokers[0])->pod;
  EXPECT_EQ(pod["metadata"]["labels"]["isBrokerNode"], "true");
  EXPECT_EQ(pod["metadata"]["labels"]["isControllerNode"], "false");
  bool has_cluster_id = false;
  for (const auto& e : pod["spec"]["containers"][0]["env"])
    has_cluster_id |= e["name"] == "CLUSTER_ID" && e["value"].get<std::string>().size() == 22;
  EXPECT_TRUE(has_cluster_id);
}

TEST(render, headless_service_replaces_per_broker_services) {
  auto c = base_cluster();
  c.spec.headless_service_enabled = true;
  auto state = render_cluster(c);
  auto all = state->all();
  const json* headless = find_kind(all, "Service", "kafka-headless");
  ASSERT_NE(headless, nullptr);
  EXPECT_EQ((*headless)["spec"]["clusterIP"], "None");
  EXPECT_EQ((*headless)["spec"]["publishNotReadyAddresses"], true);
  EXPECT_FALSE(state->brokers.at(0).service.has_value());
  EXPECT_EQ(state->brokers.at(0).pod["spec"]["subdomain"], "kafka-headless");
  EXPECT_NE(server_props(c, 0)["advertised.listeners"].find("INTERNAL://kafka-0.kafka-headless.kafka.svc.cluster.local:29092"),
            std::string::npos);
}

TEST(render, pdb_follows_koperator_budget_rule) {
  EXPECT_EQ(pdb_min_available("1", 3), 2);
  EXPECT_EQ(pdb_min_available("20%", 6), 5);
  EXPECT_EQ(pdb_min_available("100%", 3), 1);
  EXPECT_EQ(pdb_min_available("5", 3), 1);
  EXPECT_FALSE(pdb_min_available("abc", 3));
  auto c = base_cluster();
  EXPECT_FALSE(render_pod_disruption_budget(c));
  c.spec.disruption = disruption_budget{true, "1"};
  auto pdb = render_pod_disruption_budget(c);
  ASSERT_TRUE(pdb);
  EXPECT_EQ((*pdb)["spec"]["minAvailable"], 2);
  EXPECT_EQ((*pdb)["metadata"]["name"], "kafka-pdb");
}

TEST(render, one_broker_per_node_requires_anti_affinity) {
  auto c = base_cluster();
  c.spec.one_broker_per_node = true;
  auto pod = render_broker(c, 0)->pod;
  EXPECT_TRUE(pod["spec"]["affinity"]["podAntiAffinity"].contains("requiredDuringSchedulingIgnoredDuringExecution"));
  c.spec.one_broker_per_node = false;
  pod = render_broker(c, 0)->pod;
  EXPECT_TRUE(pod["spec"]["affinity"]["podAntiAffinity"].contains("preferredDuringSchedulingIgnoredDuringExecution"));
}

TEST(render, rack_from_node_selector) {
  auto c = base_cluster();
  c.spec.rack_awareness_labels = {"topology.kubernetes.io/zone"};
  c.spec.brokers[0].config.emplace().node_selector = {{"topology.kubernetes.io/zone", "eu-west-1a"}};
  EXPECT_EQ(server_props(c, 0)["broker.rack"], "eu-west-1a");
  EXPECT_FALSE(server_props(c, 1).contains("broker.rack"));
}

TEST(render, invalid_cluster_renders_nothing) {
  auto c = base_cluster();
  c.spec.brokers[1].id = 0;
  auto state = render_cluster(c);
  ASSERT_FALSE(state.is_ok());
  EXPECT_NE(state.error().message().find("spec.brokers[1].id: duplicate broker id 0"), std::string::npos);
}

TEST(render, kraft_controllers_resolve_through_the_controller_headless_service) {
  auto c = sample("kraft/simplekafkacluster_kraft.yaml");
  ASSERT_TRUE(c.spec.headless_service_enabled);
  auto state = render_cluster(c);
  ASSERT_TRUE(state.is_ok());
  auto all = state->all();
  const json* ctrl = find_kind(all, "Service", "kafka-controller-headless");
  ASSERT_NE(ctrl, nullptr);
  EXPECT_EQ((*ctrl)["spec"]["selector"]["isControllerNode"], "true");
  EXPECT_EQ(state->brokers.at(0).pod["spec"]["subdomain"], "kafka-controller-headless");
  EXPECT_EQ(state->brokers.at(100).pod["spec"]["subdomain"], "kafka-headless");
  auto voters = server_props(c, 100)["controller.quorum.voters"];
  EXPECT_NE(voters.find("0@kafka-0.kafka-controller-headless."), std::string::npos) << voters;
}

TEST(render, pvcs_are_not_owned_by_the_cluster) {
  auto c = base_cluster();
  c.metadata.uid = "abc";
  auto b = render_broker(c, 0);
  EXPECT_FALSE(b->pvcs[0]["metadata"].contains("ownerReferences"));
  EXPECT_TRUE(b->configmap["metadata"].contains("ownerReferences"));
}

// A broker actor keeps its objects as text between passes: the round trip changes nothing.
TEST(render, broker_objects_round_trip_through_text) {
  auto c = base_cluster();
  c.spec.headless_service_enabled = false;
  auto b = render_broker(c, 1);
  ASSERT_TRUE(b.is_ok());
  auto back = broker_objects_from_text(to_text(*b));
  ASSERT_TRUE(back.is_ok()) << back.error().to_string();
  EXPECT_EQ(back->all(), b->all());
  EXPECT_EQ(back->id, 1);
  EXPECT_EQ(back->revision, b->revision);
  EXPECT_TRUE(back->service.has_value());
  EXPECT_FALSE(broker_objects_from_text("{\"pod\":{}}").is_ok());
  EXPECT_FALSE(broker_objects_from_text("not json").is_ok());
}

// The digest changes exactly when the rendering can: spec, rendered metadata, clusterID, kept disks.
TEST(render, render_digest_follows_what_render_reads) {
  auto c = base_cluster();
  auto d = render_inputs_digest(c);
  auto status_only = c;
  status_only.metadata.resource_version = "999";
  status_only.status.state = "ClusterRunning";
  EXPECT_EQ(render_inputs_digest(status_only), d); // a status write re-renders nothing
  auto spec = c;
  spec.spec.brokers[0].broker_config_group = "other";
  EXPECT_NE(render_inputs_digest(spec), d);
  auto labelled = c;
  labelled.metadata.labels["team"] = "a";
  EXPECT_NE(render_inputs_digest(labelled), d);
  auto kraft_id = c;
  kraft_id.status.cluster_id = "abc";
  EXPECT_NE(render_inputs_digest(kraft_id), d);
  render_overrides keep;
  keep.keep[1].order = {"/kafka-logs", "/old"};
  EXPECT_EQ(broker_render_digest(d, 1, {}), broker_render_digest(d, 1, render_overrides{}));
  EXPECT_NE(broker_render_digest(d, 1, keep), broker_render_digest(d, 1, {}));
  EXPECT_EQ(broker_render_digest(d, 2, keep), broker_render_digest(d, 2, {})); // broker 1's disks only
  EXPECT_NE(broker_render_digest(d, 1, {}), broker_render_digest(d, 2, {}));
}

TEST(render, all_broker_address_is_the_all_broker_service_and_the_inner_listener_port) {
  auto c = base_cluster();
  const auto* inner = inner_broker_listener(c.spec);
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(all_broker_address(c), "kafka-all-broker.kafka.svc.cluster.local:" + std::to_string(inner->container_port));
  c.spec.kubernetes_cluster_domain = "example.org";
  EXPECT_EQ(all_broker_address(c).find("kafka-all-broker.kafka.svc.example.org:"), 0u) << all_broker_address(c);
  // headlessServiceEnabled (15 of Koperator's 19 samples): no all-broker Service is rendered, so the
  // address names the headless one, which is.
  c.spec.headless_service_enabled = true;
  EXPECT_EQ(all_broker_address(c), "kafka-headless.kafka.svc.example.org:" + std::to_string(inner->container_port));
  bool rendered = false;
  for (const auto& o : render_cluster_objects(c))
    rendered |= o["kind"] == "Service" && o["metadata"]["name"] == "kafka-headless";
  EXPECT_TRUE(rendered);
}
