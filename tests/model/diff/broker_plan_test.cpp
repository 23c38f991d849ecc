#include "model/diff/broker_plan.hpp"

#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "model/properties.hpp"
#include "model/render/metadata.hpp"

using namespace kactor::model;
using namespace kactor::testing;

namespace {

using wk = broker_write::kind;

kafka_cluster cluster() {
  auto c = sample("simplekafkacluster.yaml");
  c.metadata.namespace_ = "kafka";
  c.metadata.uid = "6d1c2b4e-0000-4000-8000-000000000001";
  return c;
}

broker_objects render(const kafka_cluster& c, int32_t id = 0) {
  auto state = render_cluster(c);
  EXPECT_TRUE(state.is_ok()) << state.error().to_string();
  return state.is_ok() ? state->brokers.at(id) : broker_objects{};
}

// Server-assigned metadata and another controller's label, as on every object read back.
json with_server_metadata(json obj) {
  auto& meta = obj["metadata"];
  meta["uid"] = "uid-" + meta["name"].get<std::string>();
  meta["resourceVersion"] = "812";
  meta["creationTimestamp"] = "2024-05-01T10:00:00Z";
  meta["labels"]["team.example.com/owner"] = "platform";
  return obj;
}

json running_pod(const json& desired, bool ready = true) {
  json pod = with_server_metadata(desired);
  pod["spec"]["nodeName"] = "node-1";
  pod["spec"]["schedulerName"] = "default-scheduler";
  pod["status"]
      = {{"phase", "Running"},
         {"podIP", "10.244.1.7"},
         {"conditions",
          {{{"type", "PodScheduled"}, {"status", "True"}}, {{"type", "Ready"}, {"status", ready ? "True" : "False"}}}},
         {"containerStatuses",
          {{{"name", "kafka"},
            {"ready", ready},
            {"restartCount", 0},
            {"state", {{"running", {{"startedAt", "2024-05-01T10:00:05Z"}}}}}}}}};
  return pod;
}

json bound_pvc(const json& desired) {
  json pvc = with_server_metadata(desired);
  pvc["spec"]["storageClassName"] = "standard";
  pvc["spec"]["volumeName"] = "pv-" + desired["metadata"]["name"].get<std::string>();
  pvc["status"] = {{"phase", "Bound"}, {"capacity", desired["spec"]["resources"]["requests"]}};
  return pvc;
}

// Everything of `d` as the API server holds it once created and running.
broker_observed observed_from(const broker_objects& d, bool ready = true) {
  broker_observed o;
  o.pod = running_pod(d.pod, ready);
  o.configmap = with_server_metadata(d.configmap);
  if (d.service) {
    o.service = with_server_metadata(*d.service);
    o.service["spec"]["clusterIP"] = "10.96.0.21";
    o.service["spec"]["sessionAffinity"] = "None";
  }
  for (const auto& pvc : d.pvcs)
    o.pvcs[pvc["metadata"]["name"].get<std::string>()] = bound_pvc(pvc);
  return o;
}

void set_storage(kafka_cluster& c, const char* size) {
  (*c.spec.broker_config_groups["default"].storage_configs[0].pvc_spec)["resources"]["requests"]["storage"] = size;
}

} // namespace

TEST(broker_plan, unchanged_spec_with_a_ready_pod_is_in_sync_and_writes_nothing) {
  auto d = render(cluster());
  ASSERT_TRUE(d.service.has_value());
  ASSERT_EQ(d.pvcs.size(), 1u);
  for (bool permitted : {false, true}) {
    auto plan = plan_broker(d, observed_from(d), permitted);
    EXPECT_TRUE(plan.writes.empty()) << plan.writes[0].reason;
    EXPECT_TRUE(plan.in_sync);
    EXPECT_TRUE(plan.pod_ready);
    EXPECT_FALSE(plan.restarting);
    EXPECT_FALSE(plan.wants_permit);
    EXPECT_TRUE(plan.refusals.empty());
    EXPECT_EQ(plan.waiting_for, "");
  }
}

TEST(broker_plan, a_new_broker_gets_its_configmap_and_pvcs_before_its_pod) {
  auto d = render(cluster());
  auto first = plan_broker(d, broker_observed{}, false);
  ASSERT_EQ(first.writes.size(), 3u);
  EXPECT_EQ(first.writes[0].resource, resource_kind::configmap);
  EXPECT_EQ(first.writes[1].resource, resource_kind::persistent_volume_claim);
  EXPECT_EQ(first.writes[2].resource, resource_kind::service);
  for (const auto& w : first.writes)
    EXPECT_EQ(w.what, wk::create);
  EXPECT_EQ(first.writes[0].object, d.configmap);
  EXPECT_EQ(first.waiting_for, "ConfigMap kafka-config-0 to exist, PVC kafka-0-kafka-logs to exist");
  EXPECT_FALSE(first.in_sync);

  // One PVC still missing: still no pod.
  auto o = observed_from(d);
  o.pod = json{};
  auto without_pvc = o;
  without_pvc.pvcs.clear();
  auto second = plan_broker(d, without_pvc, false);
  ASSERT_EQ(second.writes.size(), 1u);
  EXPECT_EQ(second.writes[0].resource, resource_kind::persistent_volume_claim);
  EXPECT_EQ(second.waiting_for, "PVC kafka-0-kafka-logs to exist");

  auto third = plan_broker(d, o, false);
  ASSERT_EQ(third.writes.size(), 1u);
  EXPECT_EQ(third.writes[0].what, wk::create);
  EXPECT_EQ(third.writes[0].resource, resource_kind::pod);
  EXPECT_EQ(third.writes[0].name, "kafka-0");
  EXPECT_EQ(third.writes[0].reason, "pod missing");
  EXPECT_EQ(third.writes[0].object, d.pod);
  EXPECT_FALSE(third.restarting);
}

TEST(broker_plan, a_pod_is_not_created_against_a_stale_configmap) {
  auto d = render(cluster());
  auto o = observed_from(d);
  o.pod = json{};
  o.configmap["data"]["broker-config"] = "broker.id=0\n";
  auto plan = plan_broker(d, o, true);
  ASSERT_EQ(plan.writes.size(), 1u);
  EXPECT_EQ(plan.writes[0].what, wk::update);
  EXPECT_EQ(plan.writes[0].resource, resource_kind::configmap);
  EXPECT_EQ(plan.waiting_for, "ConfigMap kafka-config-0 to be updated");
  EXPECT_TRUE(plan.restarting); // the permit holder's pod is gone and not back yet
}

TEST(broker_plan, a_changed_revision_without_a_permit_asks_for_one_and_leaves_the_pod_alone) {
  auto before = cluster(), after = cluster();
  after.spec.cluster_image = "ghcr.io/adobe/koperator/kafka:2.13-3.9.2";
  auto old_objects = render(before), d = render(after);
  ASSERT_NE(old_objects.revision, d.revision);
  auto plan = plan_broker(d, observed_from(old_objects), false);
  EXPECT_TRUE(plan.writes.empty());
  EXPECT_TRUE(plan.wants_permit);
  EXPECT_FALSE(plan.restarting);
  EXPECT_FALSE(plan.in_sync);
  EXPECT_TRUE(plan.pod_ready); // still serving with the old revision
}

TEST(broker_plan, a_changed_revision_with_a_permit_deletes_the_pod_by_uid) {
  auto before = cluster(), after = cluster();
  after.spec.brokers[0].read_only_config = "num.io.threads=16\n";
  auto o = observed_from(render(before));
  auto d = render(after);
  o.configmap = with_server_metadata(d.configmap); // the ConfigMap is already current
  auto plan = plan_broker(d, o, true);
  ASSERT_EQ(plan.writes.size(), 1u);
  EXPECT_EQ(plan.writes[0].what, wk::delete_pod);
  EXPECT_EQ(plan.writes[0].name, "kafka-0");
  EXPECT_EQ(plan.writes[0].uid, "uid-kafka-0");
  EXPECT_EQ(plan.writes[0].reason, "revision changed");
  EXPECT_TRUE(plan.restarting);
  EXPECT_FALSE(plan.wants_permit);
  EXPECT_FALSE(plan.in_sync);
}

TEST(broker_plan, a_terminated_kafka_container_is_replaced_without_a_permit) {
  auto d = render(cluster());
  auto o = observed_from(d);
  o.pod["status"]["containerStatuses"][0]["state"]
      = {{"terminated", {{"exitCode", 137}, {"reason", "Error"}, {"finishedAt", "2024-05-01T11:00:00Z"}}}};
  EXPECT_TRUE(pod_has_failed(o.pod));
  auto plan = plan_broker(d, o, false);
  ASSERT_EQ(plan.writes.size(), 1u);
  EXPECT_EQ(plan.writes[0].what, wk::delete_pod);
  EXPECT_EQ(plan.writes[0].uid, "uid-kafka-0");
  EXPECT_EQ(plan.writes[0].reason, "container terminated");
  EXPECT_TRUE(plan.restarting);
  EXPECT_FALSE(plan.wants_permit);
  EXPECT_FALSE(plan.pod_ready);
}

TEST(broker_plan, a_failed_pod_is_replaced_without_a_permit) {
  auto d = render(cluster());
  auto o = observed_from(d);
  o.pod["status"] = {{"phase", "Failed"}, {"reason", "Evicted"}};
  auto plan = plan_broker(d, o, false);
  ASSERT_EQ(plan.writes.size(), 1u);
  EXPECT_EQ(plan.writes[0].reason, "pod failed");
  EXPECT_TRUE(plan.restarting);
}

TEST(broker_plan, a_terminating_pod_is_waited_for) {
  auto before = cluster(), after = cluster();
  after.spec.cluster_image = "ghcr.io/adobe/koperator/kafka:2.13-3.9.2";
  auto o = observed_from(render(before));
  o.pod["metadata"]["deletionTimestamp"] = "2024-05-01T11:00:00Z";
  o.pod["status"]["containerStatuses"][0]["state"] = {{"terminated", {{"exitCode", 143}}}};
  auto plan = plan_broker(render(after), o, true);
  EXPECT_TRUE(plan.writes.empty());
  EXPECT_TRUE(plan.restarting);
  EXPECT_FALSE(plan.in_sync);
  EXPECT_EQ(plan.waiting_for, "pod kafka-0 to terminate");
}

TEST(broker_plan, a_restart_is_unfinished_until_the_new_pod_is_ready) {
  auto d = render(cluster());
  auto o = observed_from(d, false);
  auto holding = plan_broker(d, o, true);
  EXPECT_TRUE(holding.writes.empty());
  EXPECT_TRUE(holding.restarting);
  EXPECT_FALSE(holding.pod_ready);
  EXPECT_FALSE(holding.in_sync);
  EXPECT_EQ(holding.waiting_for, "pod kafka-0 to become Ready");
  EXPECT_FALSE(plan_broker(d, o, false).restarting);

  o.pod["status"] = {{"phase", "Pending"}};
  o.pod["spec"].erase("nodeName");
  EXPECT_EQ(plan_broker(d, o, false).waiting_for, "pod kafka-0 to be scheduled");
}

TEST(broker_plan, a_larger_disk_grows_the_pvc_without_a_restart) {
  auto before = cluster(), after = cluster();
  set_storage(after, "20Gi");
  auto d = render(after);
  auto plan = plan_broker(d, observed_from(render(before)), false);
  ASSERT_EQ(plan.writes.size(), 1u);
  EXPECT_EQ(plan.writes[0].what, wk::grow_pvc);
  EXPECT_EQ(plan.writes[0].resource, resource_kind::persistent_volume_claim);
  EXPECT_EQ(plan.writes[0].name, "kafka-0-kafka-logs");
  EXPECT_EQ(plan.writes[0].object, (json{{"spec", {{"resources", {{"requests", {{"storage", "20Gi"}}}}}}}}));
  EXPECT_FALSE(plan.wants_permit);
  EXPECT_FALSE(plan.in_sync);
}

TEST(broker_plan, a_smaller_disk_is_refused_and_the_pvc_left_alone) {
  auto before = cluster(), after = cluster();
  set_storage(before, "20Gi");
  set_storage(after, "10Gi");
  auto plan = plan_broker(render(after), observed_from(render(before)), false);
  EXPECT_TRUE(plan.writes.empty());
  ASSERT_EQ(plan.refusals.size(), 1u);
  EXPECT_EQ(plan.refusals[0], "PVC kafka-0-kafka-logs: shrinking 20Gi to 10Gi is not possible");
  EXPECT_TRUE(plan.in_sync); // nothing can be written for it
}

TEST(broker_plan, a_configmap_change_updates_it_in_place_keeping_server_fields) {
  auto before = cluster(), after = cluster();
  // log4j.properties is read from the mounted ConfigMap; its text is not part of the pod revision.
  before.spec.brokers[0].config.emplace().log4j_config = "log4j.rootLogger=INFO, stdout\n";
  after.spec.brokers[0].config.emplace().log4j_config = "log4j.rootLogger=DEBUG, stdout\n";
  auto d = render(after);
  auto old_objects = render(before);
  ASSERT_EQ(old_objects.revision, d.revision);
  auto plan = plan_broker(d, observed_from(old_objects), false);
  ASSERT_EQ(plan.writes.size(), 1u);
  const auto& w = plan.writes[0];
  EXPECT_EQ(w.what, wk::update);
  EXPECT_EQ(w.resource, resource_kind::configmap);
  EXPECT_EQ(w.name, "kafka-config-0");
  EXPECT_EQ(w.reason, "configmap changed: data.log4j.properties");
  EXPECT_EQ(w.object["metadata"]["resourceVersion"], "812");
  EXPECT_EQ(w.object["metadata"]["uid"], "uid-kafka-config-0");
  EXPECT_EQ(w.object["metadata"]["labels"]["team.example.com/owner"], "platform");
  EXPECT_EQ(w.object["data"], d.configmap["data"]);
  EXPECT_FALSE(plan.in_sync);
  EXPECT_FALSE(plan.wants_permit);
}

TEST(broker_plan, a_read_only_key_updates_the_configmap_first_then_asks_for_a_restart) {
  auto before = cluster(), after = cluster();
  after.spec.brokers[0].read_only_config = "num.io.threads=16\n";
  auto plan = plan_broker(render(after), observed_from(render(before)), true);
  ASSERT_EQ(plan.writes.size(), 1u) << "no restart onto a stale ConfigMap, even with a permit";
  EXPECT_EQ(plan.writes[0].what, wk::update);
  EXPECT_EQ(plan.writes[0].reason, "configmap changed: data.broker-config");
  EXPECT_NE(plan.writes[0].object["data"]["broker-config"].get<std::string>().find("num.io.threads=16"),
            std::string::npos);
  EXPECT_FALSE(plan.wants_permit) << "a broker whose ConfigMap write fails must not hold a permit";
  // Once the ConfigMap is current, the restart is asked for.
  auto observed = observed_from(render(before));
  observed.configmap = observed_from(render(after)).configmap;
  auto next = plan_broker(render(after), observed, false);
  EXPECT_TRUE(next.writes.empty());
  EXPECT_TRUE(next.wants_permit);
}

TEST(broker_plan, a_service_edited_by_hand_is_restored_keeping_its_cluster_ip) {
  auto d = render(cluster());
  auto o = observed_from(d);
  o.service["spec"]["selector"].erase("brokerId");
  auto plan = plan_broker(d, o, false);
  ASSERT_EQ(plan.writes.size(), 1u);
  EXPECT_EQ(plan.writes[0].what, wk::update);
  EXPECT_EQ(plan.writes[0].resource, resource_kind::service);
  EXPECT_EQ(plan.writes[0].object["spec"]["clusterIP"], "10.96.0.21");
  EXPECT_EQ(plan.writes[0].object["spec"]["selector"]["brokerId"], "0");
  EXPECT_EQ(plan.writes[0].object["metadata"]["resourceVersion"], "812");
}

TEST(broker_plan, without_a_per_broker_service_none_is_written) {
  auto c = cluster();
  c.spec.headless_service_enabled = true;
  auto d = render(c);
  ASSERT_FALSE(d.service.has_value());
  auto plan = plan_broker(d, observed_from(d), false);
  EXPECT_TRUE(plan.writes.empty());
  EXPECT_TRUE(plan.in_sync);
}

TEST(broker_plan, a_pod_without_a_revision_annotation_needs_a_restart) {
  auto d = render(cluster());
  auto o = observed_from(d);
  o.pod["metadata"]["annotations"].erase(revision_annotation); // e.g. a pod Koperator created
  EXPECT_TRUE(plan_broker(d, o, false).wants_permit);
}

TEST(broker_plan, readiness_and_failure_are_read_from_the_pod_status) {
  auto d = render(cluster());
  EXPECT_TRUE(pod_is_ready(running_pod(d.pod, true)));
  EXPECT_FALSE(pod_is_ready(running_pod(d.pod, false)));
  EXPECT_FALSE(pod_is_ready(d.pod)); // no status yet
  EXPECT_FALSE(pod_is_ready(json{}));
  EXPECT_FALSE(pod_has_failed(running_pod(d.pod)));
  EXPECT_FALSE(pod_has_failed(json{}));
  auto sidecar_done = running_pod(d.pod);
  sidecar_done["status"]["containerStatuses"].push_back(
      {{"name", "sidecar"}, {"state", {{"terminated", json::object()}}}});
  EXPECT_FALSE(pod_has_failed(sidecar_done));
}

namespace {

// The sample with rackAwareness on the zone label and no nodeSelector: the node gives the rack.
kafka_cluster zoned_cluster() {
  auto c = cluster();
  c.spec.rack_awareness_labels = {"topology.kubernetes.io/zone"};
  return c;
}

std::string broker_rack(const json& configmap) {
  auto props = parse_properties(configmap["data"]["broker-config"].get<std::string>());
  EXPECT_TRUE(props.is_ok());
  auto it = props->find("broker.rack");
  return it == props->end() ? "" : it->second;
}

const broker_write* write_of(const broker_plan& p, resource_kind r, wk what) {
  for (const auto& w : p.writes)
    if (w.resource == r && w.what == what)
      return &w;
  return nullptr;
}

} // namespace

TEST(broker_plan, a_rack_from_the_node_comes_after_the_pod_is_scheduled) {
  auto d = render(zoned_cluster());
  ASSERT_EQ(d.rack_labels, std::vector<std::string>{"topology.kubernetes.io/zone"});
  EXPECT_EQ(broker_rack(d.configmap), "") << "not known when rendering";

  // New broker: PVCs and the pod first; the ConfigMap waits for the node.
  broker_observed o;
  auto p = plan_broker(d, o, false);
  EXPECT_EQ(write_of(p, resource_kind::configmap, wk::create), nullptr);
  ASSERT_NE(write_of(p, resource_kind::persistent_volume_claim, wk::create), nullptr);
  EXPECT_NE(p.waiting_for.find("PVC"), std::string::npos) << p.waiting_for;
  for (const auto& pvc : d.pvcs)
    o.pvcs[pvc["metadata"]["name"].get<std::string>()] = bound_pvc(pvc);
  if (d.service)
    o.service = with_server_metadata(*d.service);
  p = plan_broker(d, o, false);
  auto* pod = write_of(p, resource_kind::pod, wk::create);
  ASSERT_NE(pod, nullptr) << p.waiting_for;
  EXPECT_FALSE(pod->object["spec"].contains("affinity") && pod->object["spec"]["affinity"].contains("nodeAffinity"))
      << "no rack to stay in yet";

  // Created, not scheduled yet: nothing to do but wait.
  o.pod = with_server_metadata(d.pod);
  o.pod["status"] = {{"phase", "Pending"}};
  p = plan_broker(d, o, false);
  EXPECT_TRUE(p.writes.empty());
  EXPECT_EQ(p.node_to_read, "");
  EXPECT_NE(p.waiting_for.find("to be scheduled"), std::string::npos) << p.waiting_for;

  // Scheduled: the node's labels are asked for, then the ConfigMap is created with its zone.
  o.pod["spec"]["nodeName"] = "node-2";
  p = plan_broker(d, o, false);
  EXPECT_EQ(p.node_to_read, "node-2");
  EXPECT_TRUE(p.writes.empty());
  EXPECT_FALSE(p.in_sync);
  o.node_labels = {{"kubernetes.io/hostname", "node-2"}, {"topology.kubernetes.io/zone", "zone-b"}};
  p = plan_broker(d, o, false);
  EXPECT_EQ(p.node_to_read, "");
  auto* cm = write_of(p, resource_kind::configmap, wk::create);
  ASSERT_NE(cm, nullptr);
  EXPECT_EQ(broker_rack(cm->object), "zone-b");
  EXPECT_EQ(p.rack, "zone-b");

  // Running with it: in sync, no write again, no restart (the revision does not hold the rack).
  o = observed_from(d);
  o.pod["spec"]["nodeName"] = "node-2";
  o.configmap = with_server_metadata(cm->object);
  o.node_labels = {{"topology.kubernetes.io/zone", "zone-b"}};
  p = plan_broker(d, o, false);
  EXPECT_TRUE(p.writes.empty()) << p.writes[0].reason;
  EXPECT_TRUE(p.in_sync);
  EXPECT_EQ(p.rack, "zone-b");

  // Before the node was read again (a restarted actor): the ConfigMap keeps its rack.
  o.node_labels = nullptr;
  p = plan_broker(d, o, false);
  EXPECT_TRUE(p.writes.empty());
  EXPECT_EQ(p.node_to_read, "node-2");
  EXPECT_EQ(p.rack, "zone-b");

  // The pod is gone (deleted, failed): its successor is required onto the same zone.
  o.pod = nullptr;
  p = plan_broker(d, o, false);
  pod = write_of(p, resource_kind::pod, wk::create);
  ASSERT_NE(pod, nullptr) << p.waiting_for;
  auto terms = pod->object["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"];
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms[0]["matchExpressions"],
            json::parse(R"([{"key":"topology.kubernetes.io/zone","operator":"In","values":["zone-b"]}])"));
  EXPECT_EQ(pod->object["metadata"]["annotations"][revision_annotation], d.revision);
}

TEST(broker_plan, a_rack_pinned_by_the_node_selector_is_rendered_and_read_by_no_node) {
  auto c = zoned_cluster();
  for (auto& b : c.spec.brokers)
    if (b.id == 0) {
      if (!b.config)
        b.config.emplace();
      b.config->node_selector["topology.kubernetes.io/zone"] = "zone-a";
    }
  auto d = render(c);
  EXPECT_TRUE(d.rack_labels.empty());
  EXPECT_EQ(broker_rack(d.configmap), "zone-a");
  auto o = observed_from(d);
  auto p = plan_broker(d, o, false);
  EXPECT_TRUE(p.in_sync);
  EXPECT_EQ(p.node_to_read, "");
  EXPECT_EQ(p.rack, "zone-a");
}

TEST(broker_plan, turning_rack_awareness_on_writes_the_rack_then_restarts) {
  auto before = render(cluster());
  auto o = observed_from(before);
  auto d = render(zoned_cluster());
  EXPECT_NE(d.revision, before.revision) << "the rack's source is a reason to restart";
  auto p = plan_broker(d, o, true);
  EXPECT_EQ(p.node_to_read, "node-1");
  EXPECT_EQ(write_of(p, resource_kind::pod, wk::delete_pod), nullptr) << "not before the rack is written";
  o.node_labels = {{"topology.kubernetes.io/zone", "zone-a"}};
  p = plan_broker(d, o, true);
  auto* cm = write_of(p, resource_kind::configmap, wk::update);
  ASSERT_NE(cm, nullptr);
  EXPECT_EQ(broker_rack(cm->object), "zone-a");
  EXPECT_EQ(write_of(p, resource_kind::pod, wk::delete_pod), nullptr) << "after the ConfigMap update lands";
  o.configmap = with_server_metadata(cm->object);
  p = plan_broker(d, o, true);
  EXPECT_NE(write_of(p, resource_kind::pod, wk::delete_pod), nullptr) << p.waiting_for;
}
