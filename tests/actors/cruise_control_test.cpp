// Graceful scaling and disks through Cruise Control, end to end: the operator against the simulated
// control plane, Kafka and Cruise Control, with a checker on every change of Kafka's state.
#include "tests/actors/operator_fixture.hpp"

#include <future>

#include "integrations/cruisecontrol/cc_client.hpp"

namespace kactor {
namespace {

using namespace kactor::testing;
namespace ccapi = integrations::cruisecontrol;

/// Every state change of the simulated Kafka: partitions offline or below min.insync.replicas, and the
/// replicas broker `watched` held when its pod was first seen being deleted.
struct drain_checker {
  std::mutex mutex;
  std::vector<std::string> problems;
  int32_t watched = -1;
  std::optional<int32_t> replicas_when_deleted;
  void operator()(const sim::sim_cluster_view& v) {
    std::lock_guard lock(mutex);
    for (const auto& p : v.below_min_isr())
      problems.push_back(p + " below min.insync.replicas");
    for (const auto& p : v.offline())
      problems.push_back(p + " offline");
    auto b = v.brokers.find(watched);
    if (b != v.brokers.end() && !b->second.up && !replicas_when_deleted)
      replicas_when_deleted = b->second.replicas;
  }
};

class CruiseControl : public Operator {
protected:
  CruiseControl() {
    // Data takes a while to move, so that faults can land mid-drain.
    plane_options.kafka.move_bytes_per_second = 4.0 * 1024 * 1024;
  }

  /// The sample with brokers 0..n-1, converged, with RF 2 / min.isr 1 topics holding some data.
  void start_cluster(int n, bool with_data = true) {
    plane->kafka().on_change([this](const sim::sim_cluster_view& v) { checker(v); });
    start_operator();
    create_converged_cluster(n);
    if (HasFatalFailure())
      return;
    int64_t rate = with_data ? 2 * 1024 * 1024 : 0;
    ASSERT_TRUE(plane->kafka().create_topic(ns, "kafka", {"orders", 12, 2, 1, rate}).is_ok());
    ASSERT_TRUE(plane->kafka().create_topic(ns, "kafka", {"payments", 6, 2, 1, rate}).is_ok());
    std::this_thread::sleep_for(500ms); // some data to move
  }

  std::vector<sim::received_operation> operations(const std::string& endpoint) {
    std::vector<sim::received_operation> out;
    for (auto& o : plane->cruise_control().operations(ns, "kafka"))
      if (o.endpoint == endpoint && !o.user_task_id.empty())
        out.push_back(std::move(o));
    return out;
  }

  std::string broker_state(int id) {
    auto st = cr().value("status", json::object());
    return st.value("brokersState", json::object()).value(std::to_string(id), json::object())
        .value("gracefulActionState", json::object()).value("cruiseControlState", "");
  }

  std::string volume_state(int id, const std::string& mount) {
    auto st = cr().value("status", json::object());
    return st.value("brokersState", json::object()).value(std::to_string(id), json::object())
        .value("gracefulActionState", json::object()).value("volumeStates", json::object())
        .value(mount, json::object()).value("cruiseControlVolumeState", "");
  }

  int32_t replicas_on(int id) {
    auto v = plane->kafka().view(ns, "kafka");
    auto b = v.brokers.find(id);
    return b == v.brokers.end() ? 0 : b->second.replicas;
  }

  bool broker_gone(int id) {
    auto sel = "brokerId=" + std::to_string(id);
    return count(k8s::resources::pods(), sel) == 0 && count(k8s::resources::persistent_volume_claims(), sel) == 0
           && count(k8s::resources::configmaps(), sel) == 0 && count(k8s::resources::services(), sel) == 0
           && !cr()["status"]["brokersState"].contains(std::to_string(id));
  }

  void expect_no_problems() {
    std::lock_guard lock(checker.mutex);
    EXPECT_TRUE(checker.problems.empty()) << checker.problems.front();
  }

  drain_checker checker;
};

TEST_F(CruiseControl, RemovingBroker1Of3DrainsItFirstAndTouchesNoOtherBroker) {
  start_cluster(3);
  {
    std::lock_guard lock(checker.mutex);
    checker.watched = 1;
  }
  ASSERT_GT(replicas_on(1), 0);
  auto before = pod_uids();
  // Broker 1 leaving changes capacity.json, which rolls kactor's Cruise Control: not while it drains.
  auto generation = [&] {
    auto d = client->get_sync(k8s::resources::deployments(), ns, "kafka-cruisecontrol");
    return d.is_ok() ? d.value()["metadata"].value("generation", int64_t{0}) : int64_t{-1};
  };
  auto unfinished = [&] {
    for (const auto& o : items(k8s::resources::cruise_control_operations()))
      if (o.value("/status/currentTask/state"_json_pointer, json("")) != "Completed")
        return true;
    return false;
  };
  auto g0 = generation();
  ASSERT_GT(g0, 0);
  bool rolled_mid_drain = false;
  change_spec([](json& spec) { spec["brokers"].erase(1); });
  ASSERT_TRUE(eventually([&] {
    rolled_mid_drain |= generation() != g0 && unfinished();
    return broker_gone(1);
  }, 60s)) << dump();
  EXPECT_FALSE(rolled_mid_drain) << "Cruise Control was restarted while it drained broker 1";
  ASSERT_TRUE(eventually([&] { return generation() > g0; })) << "the new capacity rolls it afterwards";
  {
    std::lock_guard lock(checker.mutex);
    ASSERT_TRUE(checker.replicas_when_deleted.has_value());
    EXPECT_EQ(*checker.replicas_when_deleted, 0) << "broker 1 went down while it still held replicas";
  }
  expect_no_problems();
  auto after = pod_uids();
  EXPECT_EQ(after["kafka-0"], before["kafka-0"]);
  EXPECT_EQ(after["kafka-2"], before["kafka-2"]);
  EXPECT_EQ(operations("remove_broker").size(), 1u);
  EXPECT_EQ(operations("remove_broker")[0].params.at("brokerid"), "1");
  ASSERT_TRUE(eventually([&] { return converged(2); })) << dump();
}

// The sample names no cruiseControlEndpoint: kactor deploys Cruise Control (Koperator's objects), and the
// simulated one answers only behind that Deployment's available replica, so every drain in this file goes
// through it. A bigger disk changes capacity.json: Cruise Control is rolled, no broker.
TEST_F(CruiseControl, WithoutAnEndpointKactorDeploysCruiseControlAndAResizeRollsOnlyIt) {
  start_cluster(3, false);
  auto deployments = k8s::resources::deployments();
  auto deployment = [&] { return client->get_sync(deployments, ns, "kafka-cruisecontrol"); };
  ASSERT_TRUE(eventually([&] {
    auto d = deployment();
    return d.is_ok() && d.value().value("/status/availableReplicas"_json_pointer, json(0)) == 1;
  })) << dump();
  EXPECT_TRUE(client->get_sync(k8s::resources::services(), ns, "kafka-cruisecontrol-svc").is_ok());
  auto config = client->get_sync(k8s::resources::configmaps(), ns, "kafka-cruisecontrol-config");
  ASSERT_TRUE(config.is_ok());
  auto capacity = json::parse(config.value()["data"]["capacity.json"].get<std::string>());
  std::set<std::string> ids;
  for (const auto& b : capacity["brokerCapacities"])
    ids.insert(b["brokerId"].get<std::string>());
  EXPECT_EQ(ids, (std::set<std::string>{"-1", "0", "1", "2"}));
  auto before = pod_uids();
  auto generation = deployment().value()["metadata"].value("generation", 0);
  change_spec([](json& spec) {
    spec["brokerConfigGroups"]["default"]["storageConfigs"][0]["pvcSpec"]["resources"]["requests"]["storage"] = "20Gi";
  });
  ASSERT_TRUE(eventually([&] {
    auto cm = client->get_sync(k8s::resources::configmaps(), ns, "kafka-cruisecontrol-config");
    return cm.is_ok() && cm.value()["data"]["capacity.json"].get<std::string>().find("20480") != std::string::npos
           && deployment().value()["metadata"].value("generation", 0) > generation;
  })) << dump();
  ASSERT_TRUE(eventually([&] { return converged(3); })) << dump();
  EXPECT_EQ(pod_uids(), before) << "a new capacity restarts Cruise Control, never a broker";
  // An endpoint set: kactor's Cruise Control goes.
  change_spec([](json& spec) { spec["cruiseControlConfig"]["cruiseControlEndpoint"] = "cruise-control.kafka.svc:8090"; });
  ASSERT_TRUE(eventually([&] { return !deployment().is_ok(); })) << dump();
  EXPECT_FALSE(client->get_sync(k8s::resources::services(), ns, "kafka-cruisecontrol-svc").is_ok());
}

TEST_F(CruiseControl, ABrokerPutBackAfterItsRemovalComesBackAndGetsData) {
  start_cluster(3, false);
  change_spec([](json& spec) { spec["brokers"].erase(1); });
  ASSERT_TRUE(eventually([&] { return broker_gone(1); }, 60s)) << dump();
  change_spec([](json& spec) { spec["brokers"].push_back({{"id", 1}, {"brokerConfigGroup", "default"}}); });
  ASSERT_TRUE(eventually([&] { return broker_state(1) == "GracefulUpscaleSucceeded" && converged(3); }, 60s)) << dump();
  EXPECT_EQ(operations("add_broker").size(), 1u);
  EXPECT_GT(replicas_on(1), 0);
}

TEST_F(CruiseControl, ACruiseControlRestartMidDrainDeletesNothingEarlyAndTheDrainCompletes) {
  start_cluster(3);
  change_spec([](json& spec) { spec["brokers"].erase(1); });
  ASSERT_TRUE(eventually([&] { return broker_state(1) == "GracefulDownscaleRunning"; })) << dump();
  plane->cruise_control().restart(ns, "kafka");
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(count(k8s::resources::pods(), "brokerId=1"), 1u) << "nothing deleted on a task Cruise Control forgot";
  ASSERT_TRUE(eventually([&] { return broker_gone(1); }, 90s)) << dump();
  EXPECT_EQ(replicas_on(1), 0);
  EXPECT_GE(operations("remove_broker").size(), 2u) << "the forgotten task was resubmitted";
  expect_no_problems();
  // The forgotten task is on record, never counted as a success.
  bool unknown_recorded = false;
  for (const auto& o : items(k8s::resources::cruise_control_operations()))
    for (const auto& t : o.value("/status/failedTasks"_json_pointer, json::array()))
      unknown_recorded = unknown_recorded || t.value("state", "") == "Unknown";
  EXPECT_TRUE(unknown_recorded);
}

TEST_F(CruiseControl, AnOperatorKilledMidDrainResumesFromTheOperationAndDuplicatesNothing) {
  start_cluster(3);
  change_spec([](json& spec) { spec["brokers"].erase(1); });
  ASSERT_TRUE(eventually([&] { return broker_state(1) == "GracefulDownscaleRunning"; })) << dump();
  op->stop();
  op.reset();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(count(k8s::resources::pods(), "brokerId=1"), 1u);
  start_operator();
  ASSERT_TRUE(eventually([&] { return broker_gone(1); }, 60s)) << dump();
  EXPECT_EQ(operations("remove_broker").size(), 1u) << "the new operator adopted the running operation";
  expect_no_problems();
}

// Koperator #776: a leaving broker whose pod dies mid-drain must come back, or data whose only copy it
// holds can never be moved off. Here the operator that saw the broker in the spec is gone: the new one
// knows the broker only from its configuration backup in the status.
TEST_F(CruiseControl, ALeavingBrokersPodThatDiesMidDrainAfterAnOperatorRestartIsRecreatedAndDrained) {
  start_cluster(3);
  ASSERT_TRUE(plane->kafka().create_topic(ns, "kafka", {"solo", 6, 1, 1, 1024 * 1024}).is_ok()); // RF 1
  std::this_thread::sleep_for(300ms);
  change_spec([](json& spec) { spec["brokers"].erase(1); });
  ASSERT_TRUE(eventually([&] { return broker_state(1) == "GracefulDownscaleRunning"; })) << dump();
  ASSERT_TRUE(cr()["status"]["brokersState"]["1"].contains("configurationBackup"));
  op->stop();
  op.reset();
  k8s::delete_options now;
  now.grace_period_seconds = 0;
  ASSERT_TRUE(client->remove_sync(k8s::resources::pods(), ns, "kafka-1", now).is_ok());
  ASSERT_TRUE(eventually([&] { return count(k8s::resources::pods(), "brokerId=1") == 0; })) << dump();
  start_operator();
  ASSERT_TRUE(eventually([&] { return history.count("kafka-1") >= 2; }, 30s)) << "its pod is recreated\n" << dump();
  ASSERT_TRUE(eventually([&] { return broker_gone(1); }, 90s)) << dump();
  auto v = plane->kafka().view(ns, "kafka");
  EXPECT_TRUE(v.offline().empty()) << v.offline().front();
  for (const auto& t : v.topics)
    for (const auto& p : t.partitions)
      EXPECT_EQ(std::count(p.replicas.begin(), p.replicas.end(), 1), 0) << t.name << "-" << p.partition;
}

TEST_F(CruiseControl, ATaskWhoseIdCouldNotBeRecordedIsTakenOverNotSubmittedAgain) {
  start_cluster(3);
  // Every write of a CruiseControlOperation fails (a conflict: not retried by the client): Cruise Control
  // accepts the removal, but its task id cannot be recorded. Submitting again on the next pass would ask
  // twice for one intent.
  plane->api().set_api_faults({sim::api_fault_rule{"update", "cruisecontroloperations", "", 1.0, 409}});
  change_spec([](json& spec) { spec["brokers"].erase(1); });
  ASSERT_TRUE(eventually([&] { return !operations("remove_broker").empty(); }, 30s)) << dump();
  std::this_thread::sleep_for(1500ms); // several passes, each failing to record the task
  EXPECT_EQ(operations("remove_broker").size(), 1u);
  plane->api().set_api_faults({});
  ASSERT_TRUE(eventually([&] { return broker_gone(1); }, 60s)) << dump();
  // Taken over, never asked again while it ran. (A drain asked again after it ended is no duplicate: the
  // operator drains again when Kafka's metadata still names the broker — seen once under ASan's timing.)
  for (const auto& o : operations("remove_broker"))
    EXPECT_TRUE(o.same_as_unfinished.empty()) << "asked again while task " << o.same_as_unfinished << " ran";
  expect_no_problems();
}

TEST_F(CruiseControl, AddingTwoBrokersMakesExactlyOneAddBroker) {
  start_cluster(3, false);
  change_spec([](json& spec) {
    spec["brokers"].push_back({{"id", 3}, {"brokerConfigGroup", "default"}});
    spec["brokers"].push_back({{"id", 4}, {"brokerConfigGroup", "default"}});
  });
  ASSERT_TRUE(eventually([&] { return broker_state(3) == "GracefulUpscaleSucceeded" && broker_state(4) == "GracefulUpscaleSucceeded"; }, 60s))
      << dump();
  auto adds = operations("add_broker");
  ASSERT_EQ(adds.size(), 1u);
  EXPECT_EQ(adds[0].params.at("brokerid"), "3,4");
  EXPECT_GT(replicas_on(3), 0);
  EXPECT_GT(replicas_on(4), 0);
  EXPECT_TRUE(operations("rebalance").empty());
}

TEST_F(CruiseControl, ANewDiskOnBroker2RebalancesOnlyBroker2AndARemovedOneIsDrainedThenDeleted) {
  start_cluster(3);
  json disk = {{"mountPath", "/kafka-logs2"},
               {"pvcSpec", {{"accessModes", {"ReadWriteOnce"}}, {"resources", {{"requests", {{"storage", "10Gi"}}}}}}}};
  change_spec([&](json& spec) {
    auto& b = spec["brokers"][2];
    b["brokerConfig"]["storageConfigs"] = json::array({disk});
  });
  ASSERT_TRUE(eventually([&] { return volume_state(2, "/kafka-logs2") == "GracefulDiskRebalanceSucceeded"; }, 60s)) << dump();
  auto rebalances = operations("rebalance");
  ASSERT_EQ(rebalances.size(), 1u);
  EXPECT_EQ(rebalances[0].params.at("destination_broker_ids"), "2");
  EXPECT_EQ(rebalances[0].params.at("rebalance_disk"), "true");
  auto uids = pod_uids();

  // Remove it again: remove_disks first, then the restart without it, then the PVC goes.
  change_spec([&](json& spec) { spec["brokers"][2]["brokerConfig"].erase("storageConfigs"); });
  ASSERT_TRUE(eventually([&] { return !operations("remove_disks").empty(); }, 30s)) << dump();
  EXPECT_EQ(operations("remove_disks")[0].params.at("brokerid_and_logdirs"), "2-/kafka-logs2/kafka");
  ASSERT_TRUE(eventually([&] { return count(k8s::resources::persistent_volume_claims(), "brokerId=2") == 1; }, 60s)) << dump();
  ASSERT_TRUE(eventually([&] { return converged(3); })) << dump();
  auto after = pod_uids();
  EXPECT_EQ(after["kafka-0"], uids["kafka-0"]);
  EXPECT_EQ(after["kafka-1"], uids["kafka-1"]);
  EXPECT_NE(after["kafka-2"], uids["kafka-2"]) << "broker 2 restarted without the disk";
  expect_no_problems();
}

TEST_F(CruiseControl, DeletingARunningOperationStopsItsExecution) {
  start_cluster(3);
  change_spec([](json& spec) { spec["brokers"].erase(1); });
  std::string name, task;
  ASSERT_TRUE(eventually([&] {
    for (const auto& o : items(k8s::resources::cruise_control_operations()))
      if (o.value("/status/currentTask/state"_json_pointer, std::string{}) == "InExecution") {
        name = o["metadata"]["name"];
        task = o.value("/status/currentTask/id"_json_pointer, std::string{});
        return true;
      }
    return false;
  })) << dump();
  ASSERT_TRUE(operations("stop_proposal_execution").empty());
  ASSERT_TRUE(client->remove_sync(k8s::resources::cruise_control_operations(), ns, name).is_ok());
  ASSERT_TRUE(eventually([&] { return !operations("stop_proposal_execution").empty(); }, 10s))
      << "the deleted operation's execution was not stopped";
  // Cruise Control ended the task with an error (stopped), not Completed.
  ccapi::client_options co;
  co.endpoint = plane->cruise_control().url(ns, "kafka");
  auto cc = std::move(ccapi::make_cruise_control_client(co).value());
  std::promise<ccapi::cc_result<std::vector<ccapi::user_task>>> p;
  cc->user_tasks({task}, [&](ccapi::cc_result<std::vector<ccapi::user_task>> r) { p.set_value(std::move(r)); });
  auto f = p.get_future();
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  auto tasks = f.get();
  cc->stop();
  ASSERT_TRUE(tasks.is_ok()) << tasks.error().to_string();
  ASSERT_EQ(tasks.value().size(), 1u);
  EXPECT_EQ(tasks.value()[0].status, ccapi::task_status::completed_with_error);
  expect_no_problems();
}

TEST_F(CruiseControl, AnOperationDeletedBeforeItsTaskIdIsWrittenStillHasItsTaskStopped) {
  start_cluster(3);
  // The status write after the submit is slow: the operation is deleted before the operator has handled
  // that write (the window a 20 ms poll of the test above once won under ASan). The operator knows the task
  // from Cruise Control's answer, not from its own write, and stops it.
  plane->api().set_api_faults({sim::api_fault_rule{"update", "cruisecontroloperations", "", 1.0, 0, 2000}});
  change_spec([](json& spec) { spec["brokers"].erase(1); });
  ASSERT_TRUE(eventually([&] { return !operations("remove_broker").empty(); }, 30s)) << dump();
  auto ops = items(k8s::resources::cruise_control_operations());
  ASSERT_EQ(ops.size(), 1u) << dump();
  EXPECT_EQ(ops[0].value("/status/currentTask/id"_json_pointer, std::string{}), "") << "the write was not delayed";
  ASSERT_TRUE(client->remove_sync(k8s::resources::cruise_control_operations(), ns, ops[0]["metadata"]["name"]).is_ok());
  ASSERT_TRUE(eventually([&] { return !operations("stop_proposal_execution").empty(); }, 15s))
      << "the deleted operation's execution was not stopped";
  plane->api().set_api_faults({});
}

TEST_F(CruiseControl, WithCruiseControlDownAConfigChangeStillRollsAndARemovalWaits) {
  start_cluster(3, false);
  plane->cruise_control().set_down(ns, "kafka", true);
  auto before = pod_uids();
  change_spec([](json& spec) {
    spec["brokers"].erase(2);
    spec["brokers"][0]["readOnlyConfig"] = "log.retention.check.interval.ms=1000\n";
  });
  ASSERT_TRUE(eventually([&] {
    auto uids = pod_uids();
    auto b0 = cr()["status"]["brokersState"].value("0", json::object());
    return uids.count("kafka-0") && uids["kafka-0"] != before["kafka-0"] && b0.value("configurationState", "") == "ConfigInSync";
  }, 60s)) << dump();
  EXPECT_EQ(pod_uids()["kafka-2"], before["kafka-2"]) << "no drain, no deletion";
  bool said_so = false;
  for (const auto& c : cr()["status"].value("conditions", json::array()))
    said_so = said_so || (c["type"] == "CruiseControl" && c["status"] == "False");
  EXPECT_TRUE(said_so) << dump();
  plane->cruise_control().set_down(ns, "kafka", false);
  ASSERT_TRUE(eventually([&] { return broker_gone(2); }, 60s)) << dump();
}


TEST_F(CruiseControl, ASecuredCruiseControlIsReachedWithTheCredentialsSecretTheSpecNames) {
  // webserver.security.enable with basic authentication: without credentials every request is refused.
  plane->cruise_control().require_basic_auth(ns, "kafka", "admin", "s3cret");
  start_cluster(3, false);
  auto before = pod_uids();
  const std::string endpoint = "https://cruise-control.kafka.svc:8090";
  change_spec([&](json& spec) {
    spec["cruiseControlConfig"]["cruiseControlEndpoint"] = endpoint;
    spec["cruiseControlConfig"]["credentialsSecretRef"] = {{"name", "cc-admin"}};
    spec["brokers"].erase(2);
  });
  auto warned = [&](const std::string& reason, const std::string& part) {
    for (const auto& e : items(k8s::resources::events()))
      if (e.value("reason", "") == reason && e.value("message", "").find(part) != std::string::npos)
        return true;
    return false;
  };
  ASSERT_TRUE(eventually([&] { return warned("CruiseControlCredentials", "cannot read Secret cc-admin: NotFound"); }, 10s)) << dump();
  EXPECT_GT(plane->cruise_control().unauthorized_requests(ns, "kafka"), 0) << "anonymous requests were refused";
  EXPECT_EQ(pod_uids()["kafka-2"], before["kafka-2"]) << "no drain without Cruise Control: nothing deleted";
  EXPECT_TRUE(operations("remove_broker").empty());

  // A Secret without the password: named in the warning by key, never by value.
  json secret{{"apiVersion", "v1"}, {"kind", "Secret"}, {"metadata", {{"name", "cc-admin"}}},
              {"type", "kubernetes.io/basic-auth"}, {"data", {{"username", "YWRtaW4="}}}}; // admin
  ASSERT_TRUE(client->create_sync(k8s::resources::secrets(), ns, secret).is_ok());
  ASSERT_TRUE(eventually([&] { return warned("CruiseControlCredentials", "Secret cc-admin: key password: missing"); }, 10s))
      << dump();
  // The password, pinned to another Cruise Control than the cluster's: not sent.
  auto update_secret = [&](json data) {
    auto current = client->get_sync(k8s::resources::secrets(), ns, "cc-admin").value();
    current["stringData"] = std::move(data);
    ASSERT_TRUE(client->update_sync(k8s::resources::secrets(), ns, current).is_ok());
  };
  update_secret({{"password", "s3cret"}, {"endpoint", "https://elsewhere.example.com:8090"}});
  ASSERT_TRUE(eventually([&] { return warned("CruiseControlClient", "the credentials are for https://elsewhere.example.com:8090"); }, 10s))
      << dump();
  EXPECT_EQ(pod_uids()["kafka-2"], before["kafka-2"]);

  update_secret({{"endpoint", endpoint}});
  ASSERT_TRUE(eventually([&] { return broker_gone(2); }, 60s)) << dump();
  EXPECT_EQ(operations("remove_broker").size(), 1u);
  for (const auto& e : items(k8s::resources::events()))
    EXPECT_EQ(e.value("message", "").find("s3cret"), std::string::npos) << e.dump();
  auto refused = plane->cruise_control().unauthorized_requests(ns, "kafka");
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(plane->cruise_control().unauthorized_requests(ns, "kafka"), refused) << "the anonymous client is gone";
  expect_no_problems();
}

} // namespace
} // namespace kactor
