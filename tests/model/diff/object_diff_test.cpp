#include "model/diff/object_diff.hpp"

#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "model/render/desired_state.hpp"

using namespace kactor::model;
using namespace kactor::testing;

namespace {

desired_state rendered_sample() {
  auto c = sample("simplekafkacluster.yaml");
  c.metadata.namespace_ = "kafka";
  c.metadata.uid = "6d1c2b4e-0000-4000-8000-000000000001";
  auto state = render_cluster(c);
  EXPECT_TRUE(state.is_ok()) << state.error().to_string();
  return state.is_ok() ? *state : desired_state{};
}

// What the API server returns for an object kactor created: server-assigned metadata, defaulted spec
// fields, another controller's label and annotation, and a status.
json as_observed(json obj) {
  auto& meta = obj["metadata"];
  meta["uid"] = "uid-" + meta["name"].get<std::string>();
  meta["resourceVersion"] = "4711";
  meta["creationTimestamp"] = "2024-05-01T10:00:00Z";
  meta["labels"]["team.example.com/owner"] = "platform";
  meta["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] = "{}";
  meta["managedFields"] = json::array({{{"manager", "kactor"}, {"operation", "Update"}}});
  if (obj["kind"] == "Service") {
    obj["spec"]["clusterIP"] = "10.96.0.17";
    obj["spec"]["clusterIPs"] = {"10.96.0.17"};
    obj["spec"]["sessionAffinity"] = "None";
    obj["spec"]["ipFamilies"] = {"IPv4"};
    obj["status"] = {{"loadBalancer", json::object()}};
  }
  if (obj["kind"] == "PersistentVolumeClaim") {
    obj["spec"]["storageClassName"] = "standard";
    obj["spec"]["volumeMode"] = "Filesystem";
    obj["spec"]["volumeName"] = "pv-123";
    obj["status"] = {{"phase", "Bound"}, {"capacity", {{"storage", "10Gi"}}}};
  }
  return obj;
}

json pvc_of_size(const char* size) {
  return {{"metadata", {{"name", "kafka-0-kafka-logs"}}},
          {"spec", {{"accessModes", {"ReadWriteOnce"}}, {"resources", {{"requests", {{"storage", size}}}}}}}};
}

} // namespace

TEST(object_diff, unchanged_spec_never_needs_an_update) {
  auto state = rendered_sample();
  auto all = state.all();
  ASSERT_GT(all.size(), 5u);
  for (const auto& desired : all) {
    auto observed = as_observed(desired);
    EXPECT_FALSE(needs_update(desired, observed)) << first_difference(desired, observed);
    EXPECT_EQ(first_difference(desired, observed), "");
    EXPECT_EQ(plan_object(desired, observed), object_action::none) << desired["metadata"]["name"];
  }
}

TEST(object_diff, names_the_first_differing_field) {
  auto state = rendered_sample();
  const auto& b0 = state.brokers.at(0);
  auto cm = as_observed(b0.configmap);
  cm["data"]["broker-config"] = "broker.id=7\n";
  EXPECT_TRUE(needs_update(b0.configmap, cm));
  EXPECT_EQ(first_difference(b0.configmap, cm), "data.broker-config");

  auto svc = as_observed(*b0.service);
  svc["spec"]["ports"][1]["port"] = 1;
  EXPECT_EQ(first_difference(*b0.service, svc), "spec.ports[1].port");

  auto unlabelled = as_observed(*b0.service);
  unlabelled["metadata"]["labels"].erase("brokerId");
  EXPECT_EQ(first_difference(*b0.service, unlabelled), "metadata.labels.brokerId");
}

TEST(object_diff, an_extra_array_element_is_a_difference_an_extra_field_is_not) {
  json desired = {{"spec", {{"ports", {{{"port", 1}}}}}}};
  json extra_field = {{"spec", {{"ports", {{{"port", 1}, {"nodePort", 30001}}}}}}};
  json extra_element = {{"spec", {{"ports", {{{"port", 1}}, {{"port", 2}}}}}}};
  EXPECT_FALSE(needs_update(desired, extra_field));
  EXPECT_TRUE(needs_update(desired, extra_element));
  EXPECT_EQ(first_difference(desired, extra_element), "spec.ports");
}

TEST(object_diff, numbers_compare_by_value_and_type_otherwise) {
  EXPECT_FALSE(needs_update(json{{"a", 1}}, json{{"a", 1.0}}));
  EXPECT_FALSE(needs_update(json{{"a", 1.0}}, json{{"a", 1u}}));
  EXPECT_TRUE(needs_update(json{{"a", 1}}, json{{"a", 1.5}}));
  EXPECT_TRUE(needs_update(json{{"a", 1}}, json{{"a", "1"}}));
  EXPECT_TRUE(needs_update(json{{"a", true}}, json{{"a", "true"}}));
}

TEST(object_diff, null_in_desired_means_absent_and_root_mismatch_is_a_dot) {
  EXPECT_FALSE(needs_update(json{{"a", nullptr}}, json::object()));
  EXPECT_TRUE(needs_update(json{{"a", nullptr}}, json{{"a", 1}}));
  EXPECT_EQ(first_difference(json{{"a", 1}}, json{}), ".");
  EXPECT_EQ(plan_object(json{{"a", 1}}, json{}), object_action::create);
}

TEST(object_diff, merged_for_update_keeps_server_fields_and_writes_every_rendered_one) {
  auto state = rendered_sample();
  const auto& desired = *state.brokers.at(0).service;
  auto observed = as_observed(desired);
  observed["spec"]["ports"].push_back({{"name", "stray"}, {"port", 1}});
  observed["metadata"]["labels"]["brokerId"] = "9";
  ASSERT_EQ(plan_object(desired, observed), object_action::update);

  auto merged = merged_for_update(desired, observed);
  EXPECT_EQ(merged["metadata"]["resourceVersion"], "4711");
  EXPECT_EQ(merged["metadata"]["uid"], observed["metadata"]["uid"]);
  EXPECT_EQ(merged["spec"]["clusterIP"], "10.96.0.17");
  EXPECT_EQ(merged["metadata"]["labels"]["team.example.com/owner"], "platform");
  EXPECT_EQ(merged["metadata"]["labels"]["brokerId"], "0");
  // Arrays are kactor's whole: the stray port is gone.
  EXPECT_EQ(merged["spec"]["ports"], desired["spec"]["ports"]);
  EXPECT_FALSE(needs_update(desired, merged));
}

TEST(object_diff, merged_for_update_removes_fields_desired_as_null) {
  auto merged = merged_for_update(json{{"a", nullptr}, {"b", {{"c", 2}}}}, json{{"a", 1}, {"b", {{"d", 3}}}});
  EXPECT_EQ(merged, (json{{"b", {{"c", 2}, {"d", 3}}}}));
}

TEST(object_diff, pvc_sizes_compare_as_quantities) {
  EXPECT_EQ(plan_pvc(pvc_of_size("10Gi"), json{}), pvc_action::create);
  EXPECT_EQ(plan_pvc(pvc_of_size("10Gi"), as_observed(pvc_of_size("10Gi"))), pvc_action::none);
  EXPECT_EQ(plan_pvc(pvc_of_size("10Gi"), as_observed(pvc_of_size("10240Mi"))), pvc_action::none);
  EXPECT_EQ(plan_pvc(pvc_of_size("20Gi"), as_observed(pvc_of_size("10Gi"))), pvc_action::grow);
  EXPECT_EQ(plan_pvc(pvc_of_size("10Gi"), as_observed(pvc_of_size("20Gi"))), pvc_action::refuse_shrink);
  // 10G is decimal (10^10 bytes), less than 10Gi (2^30 * 10): growing, not equal.
  EXPECT_EQ(plan_pvc(pvc_of_size("10Gi"), as_observed(pvc_of_size("10G"))), pvc_action::grow);
}

TEST(object_diff, pvc_left_alone_when_a_size_does_not_parse_or_only_the_class_differs) {
  EXPECT_EQ(plan_pvc(pvc_of_size("ten gigs"), as_observed(pvc_of_size("10Gi"))), pvc_action::none);
  EXPECT_EQ(plan_pvc(pvc_of_size("10Gi"), as_observed(pvc_of_size("10Qi"))), pvc_action::none);
  auto desired = pvc_of_size("10Gi");
  desired["spec"]["storageClassName"] = "fast";
  // Immutable on a bound PVC: nothing could be written, so nothing is planned.
  EXPECT_EQ(plan_pvc(desired, as_observed(pvc_of_size("10Gi"))), pvc_action::none);
}

// Objects the spec asked for once: gone from the desired set, still in the cluster.
TEST(object_diff, stale_cluster_objects_are_only_kactors_own_that_the_spec_dropped) {
  auto c = sample("simplekafkacluster.yaml");
  c.metadata.namespace_ = "kafka";
  c.metadata.uid = "6d1c2b4e-0000-4000-8000-000000000001";
  ASSERT_TRUE(c.spec.monitoring.has_value());
  auto with_monitoring = render_cluster_objects(c);
  auto observed_configmaps = [&](const std::vector<json>& objects) {
    std::vector<json> out;
    for (const auto& o : objects)
      if (o["kind"] == "ConfigMap" && o["metadata"]["name"] == "kafka-kafka-jmx-exporter") {
        auto listed = as_observed(o);
        listed.erase("kind"); // list items carry no kind
        out.push_back(listed);
      }
    return out;
  };
  auto cms = observed_configmaps(with_monitoring);
  ASSERT_EQ(cms.size(), 1u);
  EXPECT_TRUE(stale_cluster_objects(c, with_monitoring, resource_kind::configmap, cms).empty());

  auto without = c;
  without.spec.monitoring.reset();
  auto desired = render_cluster_objects(without);
  auto stale = stale_cluster_objects(without, desired, resource_kind::configmap, cms);
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0]["metadata"]["name"], "kafka-kafka-jmx-exporter");
  // The same name under another kind is not this one.
  EXPECT_TRUE(stale_cluster_objects(without, desired, resource_kind::service, cms).empty());

  // Not controlled by this cluster (a user's, another cluster's, or only owned): stays.
  auto users = cms;
  users[0]["metadata"].erase("ownerReferences");
  EXPECT_TRUE(stale_cluster_objects(without, desired, resource_kind::configmap, users).empty());
  auto others = cms;
  others[0]["metadata"]["ownerReferences"][0]["uid"] = "another-cluster";
  EXPECT_TRUE(stale_cluster_objects(without, desired, resource_kind::configmap, others).empty());
  auto owned_only = cms;
  owned_only[0]["metadata"]["ownerReferences"][0]["controller"] = false;
  EXPECT_TRUE(stale_cluster_objects(without, desired, resource_kind::configmap, owned_only).empty());
  // A name kactor never renders for a cluster (a broker's ConfigMap, anything else): stays.
  auto broker_cm = cms;
  broker_cm[0]["metadata"]["name"] = "kafka-config-0";
  EXPECT_TRUE(stale_cluster_objects(without, desired, resource_kind::configmap, broker_cm).empty());
  // Without a uid (never stored) nothing is stale; malformed items are skipped.
  auto unstored = without;
  unstored.metadata.uid.clear();
  EXPECT_TRUE(stale_cluster_objects(unstored, desired, resource_kind::configmap, cms).empty());
  EXPECT_TRUE(stale_cluster_objects(without, desired, resource_kind::configmap, {json(nullptr), json::array(), json{{"metadata", 3}}}).empty());

  // headlessServiceEnabled turned over: the Service of the other name goes.
  auto services = [&](const kafka_cluster& k) {
    std::vector<json> out;
    for (const auto& o : render_cluster_objects(k))
      if (o["kind"] == "Service")
        out.push_back(as_observed(o));
    return out;
  };
  auto flipped = c;
  flipped.spec.headless_service_enabled = !c.spec.headless_service_enabled;
  auto gone = stale_cluster_objects(flipped, render_cluster_objects(flipped), resource_kind::service, services(c));
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0]["metadata"]["name"], c.spec.headless_service_enabled ? "kafka-headless" : "kafka-all-broker");
}
