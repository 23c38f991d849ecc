#include "model/render/cluster_status.hpp"

#include "model/broker_backup.hpp"

#include <gtest/gtest.h>

#include "../test_support.hpp"

using namespace kactor::model;
using namespace kactor::testing;

namespace {

const char* t1 = "2024-05-01T10:00:00Z";
const char* t2 = "2024-05-01T10:05:00Z";

broker_report settled_broker(int32_t id) {
  broker_report r;
  r.id = id;
  r.in_sync = true;
  r.pod_ready = true;
  r.image = "ghcr.io/adobe/koperator/kafka:2.13-3.9.1";
  r.version = "3.9.1";
  return r;
}

// The sample's three brokers, all in sync and Ready.
status_inputs settled(const kafka_cluster& c, const char* now = t1) {
  status_inputs in;
  for (const auto& b : c.spec.brokers)
    in.brokers[b.id] = settled_broker(b.id);
  in.now = now;
  return in;
}

const json& condition(const json& status, const std::string& type) {
  for (const auto& c : status["conditions"])
    if (c["type"] == type)
      return c;
  static const json none;
  ADD_FAILURE() << "no condition " << type;
  return none;
}

// The KafkaCluster CRD's status schema, as Koperator publishes it.
json status_schema() {
  auto docs
      = load_documents(read_file(fixtures_dir() / "koperator-crds" / "kafka.banzaicloud.io_kafkaclusters.yaml"), "crd");
  EXPECT_TRUE(docs.is_ok()) << docs.error().to_string();
  return docs->front()["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["status"];
}

void expect_required(const json& schema, const json& value, const std::string& where) {
  for (const auto& field : schema.value("required", json::array()))
    EXPECT_TRUE(value.contains(field.get<std::string>())) << where << " lacks " << field;
}

} // namespace

TEST(cluster_status, a_settled_cluster_is_running_in_koperators_shape) {
  auto c = sample("simplekafkacluster.yaml");
  auto st = render_cluster_status(c, settled(c), json{});
  EXPECT_EQ(st["state"], "ClusterRunning");
  EXPECT_EQ(st["alertCount"], 0);
  ASSERT_EQ(st["brokersState"].size(), 3u);
  const auto& b0 = st["brokersState"]["0"];
  EXPECT_EQ(b0["configurationState"], "ConfigInSync");
  EXPECT_EQ(b0["perBrokerConfigurationState"], "PerBrokerConfigInSync");
  EXPECT_EQ(b0["rackAwarenessState"], "");
  EXPECT_EQ(b0["image"], "ghcr.io/adobe/koperator/kafka:2.13-3.9.1");
  EXPECT_EQ(b0["version"], "3.9.1");
  EXPECT_EQ(b0["gracefulActionState"]["cruiseControlState"], "GracefulUpscaleSucceeded");
  EXPECT_EQ(b0["gracefulActionState"]["volumeStates"], json::object());
  EXPECT_EQ(condition(st, "Ready")["status"], "True");
  EXPECT_EQ(condition(st, "Ready")["reason"], "AllBrokersReady");
  EXPECT_EQ(condition(st, "SpecValid")["reason"], "Valid");
  EXPECT_EQ(condition(st, "Progressing")["status"], "False");
  EXPECT_EQ(condition(st, "Progressing")["reason"], "Idle");
  EXPECT_EQ(condition(st, "Ready")["lastTransitionTime"], t1);
}

TEST(cluster_status, has_every_field_the_crd_requires) {
  auto c = sample("simplekafkacluster.yaml");
  auto schema = status_schema();
  ASSERT_TRUE(schema.is_object());
  auto in = settled(c);
  in.brokers.erase(2); // not reported yet
  auto st = render_cluster_status(c, in, json{});
  expect_required(schema, st, "status");
  const auto& entry_schema = schema["properties"]["brokersState"]["additionalProperties"];
  for (const auto& [id, entry] : st["brokersState"].items()) {
    expect_required(entry_schema, entry, "brokersState." + id);
    expect_required(entry_schema["properties"]["gracefulActionState"], entry["gracefulActionState"],
                    "brokersState." + id + ".gracefulActionState");
    for (const auto& [key, value] : entry.items())
      EXPECT_TRUE(entry_schema["properties"].contains(key)) << key << " is not in the CRD";
  }
  EXPECT_EQ(st["brokersState"]["2"]["configurationState"], "ConfigOutOfSync");
}

TEST(cluster_status, an_unchanged_cluster_renders_byte_identical_json_at_a_later_time) {
  auto c = sample("simplekafkacluster.yaml");
  auto first = render_cluster_status(c, settled(c, t1), json{});
  auto second = render_cluster_status(c, settled(c, t2), first);
  EXPECT_EQ(second.dump(), first.dump());

  auto in = settled(c, t1);
  in.brokers[1].pod_ready = in.brokers[1].in_sync = false;
  auto busy = render_cluster_status(c, in, json{});
  in.now = t2;
  EXPECT_EQ(render_cluster_status(c, in, busy).dump(), busy.dump());
}

TEST(cluster_status, a_status_change_moves_only_that_conditions_transition_time) {
  auto c = sample("simplekafkacluster.yaml");
  auto first = render_cluster_status(c, settled(c, t1), json{});
  auto in = settled(c, t2);
  in.spec_errors = {{"spec.brokers[2].id", "duplicate broker id 1"}, {"spec.zkAddresses", "required"}};
  auto second = render_cluster_status(c, in, first);
  const auto& valid = condition(second, "SpecValid");
  EXPECT_EQ(valid["status"], "False");
  EXPECT_EQ(valid["reason"], "InvalidSpec");
  EXPECT_EQ(valid["message"], "spec.brokers[2].id: duplicate broker id 1; spec.zkAddresses: required");
  EXPECT_EQ(valid["lastTransitionTime"], t2);
  EXPECT_EQ(condition(second, "Ready"), condition(first, "Ready"));
  EXPECT_EQ(condition(second, "Progressing"), condition(first, "Progressing"));
  EXPECT_EQ(second["brokersState"], first["brokersState"]);
}

TEST(cluster_status, brokers_not_ready_keep_the_cluster_reconciling) {
  auto c = sample("simplekafkacluster.yaml");
  auto in = settled(c);
  in.brokers[0].pod_ready = in.brokers[0].in_sync = false;
  in.brokers[2].in_sync = false;
  auto st = render_cluster_status(c, in, json{});
  EXPECT_EQ(st["state"], "ClusterReconciling");
  EXPECT_EQ(st["brokersState"]["0"]["configurationState"], "ConfigOutOfSync");
  EXPECT_EQ(st["brokersState"]["2"]["perBrokerConfigurationState"], "PerBrokerConfigOutOfSync");
  const auto& ready = condition(st, "Ready");
  EXPECT_EQ(ready["status"], "False");
  EXPECT_EQ(ready["reason"], "BrokersNotReady");
  EXPECT_EQ(ready["message"], "brokers not ready: 0");
  EXPECT_EQ(condition(st, "Progressing")["reason"], "Reconciling");
  EXPECT_EQ(condition(st, "Progressing")["message"], "brokers reconciling: 0, 2");
}

TEST(cluster_status, a_held_permit_is_a_rolling_upgrade) {
  auto c = sample("simplekafkacluster.yaml");
  auto in = settled(c);
  in.brokers[1].pod_ready = in.brokers[1].in_sync = false;
  in.brokers[1].restarting = true;
  in.restarting = {1};
  in.roll_waiting[2] = "broker 1 to finish restarting";
  auto st = render_cluster_status(c, in, json{});
  EXPECT_EQ(st["state"], "ClusterRollingUpgrading");
  EXPECT_EQ(condition(st, "Progressing")["status"], "True");
  EXPECT_EQ(condition(st, "Progressing")["reason"], "RollingRestart");
  EXPECT_EQ(condition(st, "Progressing")["message"], "brokers restarting: 1");
  EXPECT_EQ(condition(st, "RollingUpgrade")["reason"], "Restarting");
  EXPECT_EQ(condition(st, "RollingUpgrade")["message"],
            "restarting: brokers 1; waiting: broker 2: broker 1 to finish restarting");

  // The roll ends: the condition stays as Done, and lastSuccess is stamped.
  auto done = render_cluster_status(c, settled(c, t2), st);
  EXPECT_EQ(done["state"], "ClusterRunning");
  EXPECT_EQ(condition(done, "RollingUpgrade")["reason"], "Done");
  EXPECT_EQ(done["rollingUpgradeStatus"]["lastSuccess"], t2);
  EXPECT_EQ(render_cluster_status(c, settled(c, t2), done), done) << "idle renders identical";

  in.restarting.clear();
  in.roll_stopped = "broker 1 did not become Ready within 300 s; the roll is stopped";
  auto stopped = render_cluster_status(c, in, json{});
  EXPECT_EQ(stopped["state"], "ClusterRollingUpgrading");
  EXPECT_EQ(condition(stopped, "RollingUpgrade")["status"], "False");
  EXPECT_EQ(condition(stopped, "RollingUpgrade")["reason"], "Stopped");
}

TEST(cluster_status, dynamic_config_states_when_an_admin_applies_them) {
  auto c = sample("simplekafkacluster.yaml");
  auto in = settled(c);
  EXPECT_EQ(render_cluster_status(c, in, json{})["conditions"].size(), 3u) << "no admin: no condition";
  in.dynamic_config_managed = true;
  in.cluster_config_state = "InSync";
  for (auto& [id, r] : in.brokers)
    r.config_state = "InSync";
  auto st = render_cluster_status(c, in, json{});
  EXPECT_EQ(condition(st, "DynamicConfigApplied")["status"], "True");
  in.brokers[1].config_state = "Error";
  in.brokers[1].config_error = "Invalid value many for configuration num.io.threads: Not a number of type INT";
  st = render_cluster_status(c, in, json{});
  EXPECT_EQ(st["brokersState"]["1"]["perBrokerConfigurationState"], "PerBrokerConfigError");
  EXPECT_EQ(st["brokersState"]["0"]["perBrokerConfigurationState"], "PerBrokerConfigInSync");
  EXPECT_EQ(condition(st, "DynamicConfigApplied")["reason"], "Rejected");
  EXPECT_EQ(condition(st, "DynamicConfigApplied")["message"],
            "broker 1: Invalid value many for configuration num.io.threads: Not a number of type INT");
  EXPECT_EQ(st["state"], "ClusterRunning") << "a refused value restarts nothing";
}

TEST(cluster_status, a_broker_removed_from_the_spec_is_to_be_drained) {
  auto c = sample("simplekafkacluster.yaml");
  auto in = settled(c);
  in.brokers[7] = settled_broker(7);
  in.brokers[7].removed_from_spec = true;
  auto st = render_cluster_status(c, in, json{});
  EXPECT_EQ(st["brokersState"]["7"]["gracefulActionState"]["cruiseControlState"], "GracefulDownscaleRequired");
  EXPECT_EQ(st["brokersState"]["0"]["gracefulActionState"]["cruiseControlState"], "GracefulUpscaleSucceeded");
  EXPECT_EQ(st["state"], "ClusterReconciling");
  EXPECT_EQ(condition(st, "Ready")["status"], "True"); // every broker of the spec serves
  EXPECT_EQ(condition(st, "Progressing")["message"], "brokers being removed: 7");
}

TEST(cluster_status, refusals_and_failed_writes_are_shown) {
  auto c = sample("simplekafkacluster.yaml");
  auto in = settled(c);
  in.brokers[2].refusals = {"PVC kafka-2-kafka-logs: shrinking 20Gi to 10Gi is not possible"};
  auto blocked = render_cluster_status(c, in, json{});
  EXPECT_EQ(blocked["state"], "ClusterRunning");
  EXPECT_EQ(condition(blocked, "Progressing")["reason"], "Blocked");
  EXPECT_EQ(condition(blocked, "Progressing")["message"],
            "nothing more can be done; broker 2: PVC kafka-2-kafka-logs: shrinking 20Gi to 10Gi is not possible");

  in.brokers[1].in_sync = false;
  in.brokers[1].last_error = "update configmaps/kafka-config-1: 409 Conflict";
  auto failing = render_cluster_status(c, in, json{});
  EXPECT_EQ(condition(failing, "Progressing")["message"],
            "brokers reconciling: 1; broker 1: update configmaps/kafka-config-1: 409 Conflict; "
            "broker 2: PVC kafka-2-kafka-logs: shrinking 20Gi to 10Gi is not possible");
}

TEST(cluster_status, fields_it_does_not_manage_are_kept) {
  auto c = sample("simplekafkacluster.yaml");
  json previous = {
      {"state", "ClusterReconciling"},
      {"alertCount", 3},
      {"cruiseControlTopicStatus", "CruiseControlTopicReady"},
      {"clusterID", "MkU3OEVBNTcwNTJENDM2Qk"},
      {"rollingUpgradeStatus", {{"errorCount", 1}, {"lastSuccess", "2024-04-30T09:00:00Z"}}},
      {"listenerStatuses",
       {{"internalListeners", {{"internal", {{{"name", "any-broker"}, {"address", "kafka:29092"}}}}}}}},
      {"somethingNew", {{"x", 1}}},
      {"brokersState",
       {{"0",
         {{"configurationState", "ConfigOutOfSync"},
          {"configurationBackup", "H4sIAAAA"},
          {"gracefulActionState",
           {{"cruiseControlState", "GracefulUpscaleRunning"},
            {"volumeStates", {{"/kafka-logs", {{"cruiseControlVolumeState", "GracefulDiskRebalanceSucceeded"}}}}}}}}},
        {"9", {{"configurationState", "ConfigInSync"}}}}},
      {"conditions", {{{"type", "CertificatesReady"}, {"status", "True"}, {"lastTransitionTime", t1}}}}};
  auto st = render_cluster_status(c, settled(c, t2), previous);
  for (const char* key : {"alertCount", "cruiseControlTopicStatus", "clusterID", "rollingUpgradeStatus",
                          "listenerStatuses", "somethingNew"})
    EXPECT_EQ(st[key], previous[key]) << key;
  EXPECT_EQ(st["state"], "ClusterRunning");
  const auto& b0 = st["brokersState"]["0"];
  EXPECT_EQ(b0["configurationState"], "ConfigInSync");
  EXPECT_EQ(b0["configurationBackup"], broker_backups(c).at(0)) << "a spec broker's backup is kactor's own (model/broker_backup)";
  EXPECT_EQ(b0["gracefulActionState"]["volumeStates"],
            previous["brokersState"]["0"]["gracefulActionState"]["volumeStates"]);
  EXPECT_FALSE(st["brokersState"].contains("9")); // neither in the spec nor reported
  ASSERT_EQ(st["conditions"].size(), 4u);
  EXPECT_EQ(st["conditions"][3], previous["conditions"][0]);
}

TEST(cluster_status, a_status_waits_for_every_brokers_report) {
  auto c = sample("simplekafkacluster.yaml");
  auto in = settled(c);
  EXPECT_TRUE(unreported_brokers(c, in.brokers).empty());
  in.brokers.erase(1);
  EXPECT_EQ(unreported_brokers(c, in.brokers), (std::vector<int32_t>{1}));
  // What writing then would do to a healthy cluster's status: Ready turns False for a broker that is fine.
  auto healthy = render_cluster_status(c, settled(c), json{});
  auto early = render_cluster_status(c, in, healthy);
  EXPECT_EQ(condition(early, "Ready")["status"], "False");
  // A report of a broker no longer in the spec does not count for one that is.
  in.brokers[7] = settled_broker(7);
  EXPECT_EQ(unreported_brokers(c, in.brokers), (std::vector<int32_t>{1}));
}
