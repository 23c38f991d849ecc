#include "model/alerts/alert_action.hpp"

#include <gtest/gtest.h>

#include "model/document.hpp"
#include "tests/model/test_support.hpp"

using namespace kactor::model;

namespace {

json cluster() {
  return load_documents(kactor::testing::base_cluster_yaml).value().at(0);
}

json pvc(const std::string& name, int broker, const std::string& mount, const std::string& size) {
  return {{"metadata", {{"name", name}, {"labels", {{"brokerId", std::to_string(broker)}}}, {"annotations", {{"mountPath", mount}}}}},
          {"spec", {{"resources", {{"requests", {{"storage", size}}}}}}}};
}

alert_context context() {
  alert_context ctx;
  ctx.cr = cluster();
  ctx.pvcs["kafka-1-kafka-logs"] = pvc("kafka-1-kafka-logs", 1, "/kafka-logs", "10Gi");
  ctx.now = "2026-03-01T10:20:00Z";
  ctx.largest_replication_factor = 2;
  ctx.largest_min_isr = 1;
  return ctx;
}

alert_occurrence alert(const std::string& command, std::map<std::string, std::string> labels = {},
                       std::map<std::string, std::string> annotations = {}) {
  annotations["command"] = command;
  labels["kafka_cr"] = "kafka";
  labels["namespace"] = "kafka";
  return {"3f2a9c1d7b6e5a40", "2026-03-01T10:15:30.123Z", labels, annotations};
}

} // namespace

TEST(alert_action, add_pvc_gives_that_broker_one_more_disk_and_records_the_alert) {
  auto ctx = context();
  auto a = alert("addPvc", {{"persistentvolumeclaim", "kafka-1-kafka-logs"}},
                 {{"mountPathPrefix", "/kafka-logs-extra"}, {"diskSize", "20Gi"}, {"storageClass", "fast"}});
  auto d = decide_alert(a, ctx);
  ASSERT_EQ(d.what, alert_decision::kind::act) << d.message;
  EXPECT_EQ(d.message, "addPvc: broker 1 gets disk /kafka-logs-extra-1 (20Gi) (annotations storageClass ignored: "
                       "spec.alertManagerConfig.allowedAnnotations does not list them)");
  const auto& added = d.cr["spec"]["brokers"][1]["brokerConfig"]["storageConfigs"][0];
  EXPECT_EQ(added["mountPath"], "/kafka-logs-extra-1");
  EXPECT_EQ(added["pvcSpec"]["resources"]["requests"]["storage"], "20Gi");
  EXPECT_FALSE(added["pvcSpec"].contains("storageClassName")) << "an alert picks no storage class unless the spec allows it";
  ctx.cr["spec"]["alertManagerConfig"]["allowedAnnotations"] = {"storageClass"};
  EXPECT_EQ(decide_alert(a, ctx).cr["spec"]["brokers"][1]["brokerConfig"]["storageConfigs"][0]["pvcSpec"]["storageClassName"],
            "fast");
  ctx.cr["spec"].erase("alertManagerConfig");
  EXPECT_FALSE(d.cr["spec"]["brokers"][0].contains("brokerConfig")) << "other brokers untouched";
  EXPECT_TRUE(acted_on(d.cr, a));
  // Written back, the same occurrence is never acted on again; a second disk gets the next suffix.
  ctx.cr = d.cr;
  EXPECT_EQ(decide_alert(a, ctx).what, alert_decision::kind::ignore);
  auto later = a;
  later.starts_at = "2026-03-01T11:00:00Z";
  ctx.now = "2026-03-01T11:00:00Z";
  auto second = decide_alert(later, ctx);
  ASSERT_EQ(second.what, alert_decision::kind::act) << second.message;
  EXPECT_EQ(second.message, "addPvc: broker 1 gets disk /kafka-logs-extra-2 (20Gi) (annotations storageClass ignored: "
                            "spec.alertManagerConfig.allowedAnnotations does not list them)");
  // A broker-level alert names the broker directly.
  auto by_broker = alert("addPvc", {{"brokerId", "2"}}, {{"mountPathPrefix", "/data"}, {"diskSize", "5Gi"}});
  by_broker.fingerprint = "0000000000000002";
  EXPECT_EQ(decide_alert(by_broker, ctx).message, "addPvc: broker 2 gets disk /data-1 (5Gi)");
}

TEST(alert_action, cooldown_and_pending_operations_skip_with_a_reason) {
  auto ctx = context();
  ctx.cr["metadata"]["annotations"][alerts_acted_on_annotation] = R"({"other@x":"2026-03-01T10:18:00Z"})";
  auto d = decide_alert(alert("upScale"), ctx);
  EXPECT_EQ(d.what, alert_decision::kind::skip);
  EXPECT_EQ(d.message, "upScale: cooling down for 180 s after the last action");
  ctx.cooldown_seconds = 60;
  EXPECT_EQ(decide_alert(alert("upScale"), ctx).what, alert_decision::kind::act);
  ctx.cr["status"]["brokersState"]["2"]["gracefulActionState"]["cruiseControlState"] = "GracefulDownscaleRequired";
  EXPECT_EQ(decide_alert(alert("upScale"), ctx).message,
            "upScale: waiting for pending operations (broker 2 is GracefulDownscaleRequired)");
  ctx.cr["status"]["brokersState"]["2"]["gracefulActionState"]["cruiseControlState"] = "GracefulUpscaleSucceeded";
  auto& volumes = ctx.cr["status"]["brokersState"]["1"]["gracefulActionState"]["volumeStates"];
  volumes["/kafka-logs"]["cruiseControlVolumeState"] = "GracefulDiskRebalanceSucceeded";
  volumes["/kafka-logs-1"]["cruiseControlVolumeState"] = "GracefulDiskRebalanceRunning";
  EXPECT_EQ(decide_alert(alert("addPvc", {{"brokerId", "1"}}, {{"mountPathPrefix", "/kafka-logs"}, {"diskSize", "5Gi"}}), ctx).message,
            "addPvc: waiting for pending operations (broker 1 disk /kafka-logs-1 is GracefulDiskRebalanceRunning)")
      << "the disk added for a full one is empty until its rebalance has run: no second disk meanwhile";
  volumes["/kafka-logs-1"]["cruiseControlVolumeState"] = "GracefulDiskRebalanceSucceeded";
  EXPECT_EQ(decide_alert(alert("upScale"), ctx).what, alert_decision::kind::act);
}

TEST(alert_action, up_and_down_scale_respect_their_limits) {
  auto ctx = context();
  auto up = decide_alert(alert("upScale", {}, {{"brokerConfigGroup", "default"}}), ctx);
  ASSERT_EQ(up.what, alert_decision::kind::act);
  EXPECT_EQ(up.cr["spec"]["brokers"][3], json({{"id", 3}, {"brokerConfigGroup", "default"}}));
  ctx.cr["spec"]["alertManagerConfig"]["upScaleLimit"] = 3;
  EXPECT_EQ(decide_alert(alert("upScale"), ctx).message, "upScale: upScaleLimit 3 reached");

  ctx.cr["spec"]["alertManagerConfig"].erase("upScaleLimit");
  for (int id = 3; id < int(default_up_scale_limit); ++id)
    ctx.cr["spec"]["brokers"].push_back({{"id", id}, {"brokerConfigGroup", "default"}});
  EXPECT_EQ(decide_alert(alert("upScale"), ctx).message, "upScale: upScaleLimit 10 (the default) reached")
      << "unset, the limit is safe, not unbounded";
  ctx.cr["spec"]["brokers"] = context().cr["spec"]["brokers"];
  ASSERT_EQ(ctx.cr["spec"]["brokers"].size(), 3u);

  auto down = decide_alert(alert("downScale", {{"brokerId", "1"}}), ctx);
  ASSERT_EQ(down.what, alert_decision::kind::act);
  EXPECT_EQ(down.cr["spec"]["brokers"].size(), 2u);
  EXPECT_EQ(decide_alert(alert("downScale"), ctx).message, "downScale: no brokerId label and Kafka's replica counts are unknown");
  ctx.replicas_per_broker = {{0, 10}, {1, 12}, {2, 4}};
  EXPECT_EQ(decide_alert(alert("downScale"), ctx).message, "downScale: broker 2 removed from the spec (drained before deletion)");
  ctx.cr["spec"]["alertManagerConfig"]["downScaleLimit"] = 3;
  EXPECT_EQ(decide_alert(alert("downScale"), ctx).message, "downScale: downScaleLimit 3 reached");
}

TEST(alert_action, resize_pvc_grows_the_brokers_disk) {
  auto ctx = context();
  auto d = decide_alert(alert("resizePvc", {{"persistentvolumeclaim", "kafka-1-kafka-logs"}}, {{"incrementBy", "10Gi"}}), ctx);
  ASSERT_EQ(d.what, alert_decision::kind::act) << d.message;
  const auto& s = d.cr["spec"]["brokers"][1]["brokerConfig"]["storageConfigs"][0];
  EXPECT_EQ(s["mountPath"], "/kafka-logs");
  EXPECT_EQ(s["pvcSpec"]["resources"]["requests"]["storage"], "21474836480");
}

TEST(alert_action, bad_alerts_are_skipped_naming_what_is_missing) {
  auto ctx = context();
  EXPECT_EQ(decide_alert(alert("addPvc", {{"persistentvolumeclaim", "nope"}}), ctx).message,
            "addPvc: PVC nope is not one of this cluster's");
  EXPECT_EQ(decide_alert(alert("addPvc", {{"persistentvolumeclaim", "kafka-1-kafka-logs"}}, {{"diskSize", "1Gi"}}), ctx).message,
            "addPvc: annotation mountPathPrefix missing");
  EXPECT_EQ(decide_alert(alert("reboot"), ctx).message, "unknown command \"reboot\"");
  auto no_command = alert("");
  no_command.annotations.clear();
  EXPECT_EQ(decide_alert(no_command, ctx).what, alert_decision::kind::ignore);
  EXPECT_EQ(rfc3339_seconds("1970-01-02T00:00:01Z"), 86401);
}

TEST(alert_action, edits_the_spec_refuses_are_skipped_naming_the_field) {
  auto ctx = context();
  std::map<std::string, std::string> disk = {{"mountPathPrefix", "/extra"}, {"diskSize", "1Gi"}};
  EXPECT_EQ(decide_alert(alert("addPvc", {{"brokerId", "9"}}, disk), ctx).message, "addPvc: spec.brokers: no broker with id 9");
  EXPECT_EQ(decide_alert(alert("addPvc", {{"brokerId", "one"}}, disk), ctx).message,
            "addPvc: label brokerId: \"one\" is not a broker id");
  EXPECT_EQ(decide_alert(alert("downScale", {{"brokerId", "9"}}), ctx).message, "downScale: spec.brokers: no broker with id 9");
  ctx.pvcs["kafka-7-kafka-logs"] = pvc("kafka-7-kafka-logs", 7, "/kafka-logs", "10Gi");
  EXPECT_EQ(decide_alert(alert("resizePvc", {{"persistentvolumeclaim", "kafka-7-kafka-logs"}}, {{"incrementBy", "1Gi"}}), ctx).message,
            "resizePvc: spec.brokers: no broker with id 7");
}

TEST(alert_action, an_alert_chooses_image_and_disks_only_where_the_spec_allows) {
  auto ctx = context();
  auto a = alert("upScale", {},
                 {{"image", "evil.example/kafka:latest"}, {"mountPath", "/big"}, {"diskSize", "1Pi"}, {"storageClass", "x"}});
  auto d = decide_alert(a, ctx);
  ASSERT_EQ(d.what, alert_decision::kind::act) << d.message;
  EXPECT_EQ(d.cr["spec"]["brokers"][3], json({{"id", 3}, {"brokerConfigGroup", "default"}})) << "the group's image and disks";
  EXPECT_EQ(d.message, "upScale: broker 3 added (annotations image, mountPath, diskSize, storageClass ignored: "
                       "spec.alertManagerConfig.allowedAnnotations does not list them)");
  ctx.cr["spec"]["alertManagerConfig"]["allowedAnnotations"] = {"image", "mountPath", "diskSize", "storageClass"};
  auto allowed = decide_alert(a, ctx);
  ASSERT_EQ(allowed.what, alert_decision::kind::act) << allowed.message;
  EXPECT_EQ(allowed.cr["spec"]["brokers"][3]["brokerConfig"]["image"], "evil.example/kafka:latest") << allowed.cr["spec"]["brokers"][3];
  EXPECT_EQ(allowed.message, "upScale: broker 3 added");
  // A hand-written, wrongly typed allow-list or limit allows nothing and throws nothing.
  ctx.cr["spec"]["alertManagerConfig"] = {{"allowedAnnotations", "image"}, {"upScaleLimit", "many"}};
  auto odd = decide_alert(a, ctx);
  ASSERT_EQ(odd.what, alert_decision::kind::act) << odd.message;
  EXPECT_FALSE(odd.cr["spec"]["brokers"][3].contains("brokerConfig")) << odd.cr["spec"]["brokers"][3];
  ctx.cr["spec"]["alertManagerConfig"] = "nonsense";
  EXPECT_EQ(decide_alert(a, ctx).what, alert_decision::kind::act);
}

TEST(alert_action, down_scale_never_goes_below_what_kafkas_replication_needs) {
  auto ctx = context(); // brokers 0, 1, 2
  ctx.largest_replication_factor.reset();
  auto unknown = decide_alert(alert("downScale", {{"brokerId", "1"}}), ctx);
  EXPECT_EQ(unknown.what, alert_decision::kind::skip);
  EXPECT_TRUE(unknown.needs_kafka);
  EXPECT_EQ(unknown.message, "downScale: Kafka's replication factors and min.insync.replicas are unknown");
  ctx.largest_replication_factor = 3;
  EXPECT_EQ(decide_alert(alert("downScale", {{"brokerId", "1"}}), ctx).message,
            "downScale: 2 brokers could not hold a partition of replication factor 3");
  ctx.largest_replication_factor = 2;
  ctx.largest_min_isr = 2;
  EXPECT_EQ(decide_alert(alert("downScale", {{"brokerId", "1"}}), ctx).message,
            "downScale: 2 brokers leave no room above min.insync.replicas 2 (one broker down would stop writes)");
  ctx.largest_min_isr = 1;
  EXPECT_EQ(decide_alert(alert("downScale", {{"brokerId", "1"}}), ctx).what, alert_decision::kind::act);
}

TEST(alert_action, a_hand_edited_acted_on_record_never_throws) {
  auto ctx = context();
  json rec = json::object();
  for (int i = 0; i < 120; ++i)
    rec["x" + std::to_string(i)] = i % 2 ? json("2026-03-01T09:00:00Z") : json(i);
  ctx.cr["metadata"]["annotations"][alerts_acted_on_annotation] = rec.dump();
  auto d = decide_alert(alert("upScale"), ctx);
  ASSERT_EQ(d.what, alert_decision::kind::act) << d.message;
  ctx.cr["status"] = {{"brokersState", {{"1", {{"gracefulActionState", 7}}}}}};
  EXPECT_EQ(decide_alert(alert("upScale"), ctx).what, alert_decision::kind::act);
}

// The KafkaCluster is written by users and other controllers: fields of another type anywhere decide_alert
// looks read as absent (or as their default) instead of throwing out of the alert actor's handler.
TEST(alert_action, a_cluster_with_fields_of_another_type_does_not_throw) {
  auto ctx = context();
  ctx.cr["metadata"]["annotations"][alerts_acted_on_annotation] = R"({"a@b": 5})";
  ctx.cr["spec"]["alertManagerConfig"] = {{"upScaleLimit", "3"}, {"downScaleLimit", json::object()}};
  ctx.cr["status"] = {{"brokersState", {{"1", "GracefulDownscaleRunning"}, {"2", {{"gracefulActionState", json::array()}}}}}};
  ctx.replicas_per_broker = {{0, 10}, {1, 12}, {2, 4}};
  auto up = decide_alert(alert("upScale", {}, {{"brokerConfigGroup", "default"}}), ctx);
  EXPECT_EQ(up.what, alert_decision::kind::act) << up.message << ": a string limit reads as unset (the default)";
  auto down = decide_alert(alert("downScale"), ctx);
  EXPECT_EQ(down.what, alert_decision::kind::act) << down.message;
  ctx.cr["status"] = "broken";
  ctx.cr["metadata"]["annotations"] = "not a map";
  EXPECT_EQ(decide_alert(alert("upScale", {}, {{"brokerConfigGroup", "default"}}), ctx).what, alert_decision::kind::act);
  auto odd_pvc = pvc("kafka-1-kafka-logs", 1, "/kafka-logs", "10Gi");
  odd_pvc["spec"]["resources"] = json::array({1});
  ctx.pvcs["kafka-1-kafka-logs"] = odd_pvc;
  auto resize = decide_alert(alert("resizePvc", {{"persistentvolumeclaim", "kafka-1-kafka-logs"}}, {{"incrementBy", "5Gi"}}), ctx);
  EXPECT_EQ(resize.what, alert_decision::kind::skip);
  EXPECT_EQ(resize.message, "resizePvc: the PVC has no size or mountPath");
}
