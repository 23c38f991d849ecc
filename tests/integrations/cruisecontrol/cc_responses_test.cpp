// The decoders on Cruise Control's recorded answers (Strimzi's mocks in shared/fixtures/cruise-control):
// every file goes through the decoder its name calls for, a few are checked value by value; then the
// hand-written answers the recordings lack (data/), the error kinds, and bodies CC never sends.
#include "integrations/cruisecontrol/cc_responses.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "tests/integrations/cruisecontrol/cc_test_files.hpp"

namespace kactor::integrations::cruisecontrol {
namespace {

namespace fs = std::filesystem;

const fs::path mocks = fs::path{KACTOR_FIXTURES_DIR} / "cruise-control" / "strimzi-mocks";

using test::data;
using test::has;
using test::mock;
using test::read;

TEST(CcResponses, EveryRecordedAnswerDecodesWithTheParserItsNameCallsFor) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(mocks)) {
    std::string name = entry.path().filename().string();
    std::string body = read(entry.path());
    SCOPED_TRACE(name);
    ++files;
    if (has(name, "error") || has(name, "failure") || name == "CC-Broker-not-exist.json") {
      auto e = parse_error(500, body);
      EXPECT_FALSE(e.message.empty());
      EXPECT_FALSE(has(e.message, "\n")) << "only errorMessage's first line";
      EXPECT_FALSE(has(e.message, "\tat ")) << "no stack trace";
    } else if (name.starts_with("CC-State")) {
      auto r = parse_state(body);
      ASSERT_TRUE(r.is_ok()) << r.error().to_string();
      EXPECT_TRUE(r.value().monitor && r.value().executor && r.value().analyzer && r.value().anomaly_detector);
    } else if (has(name, "User-task") || has(name, "user-tasks")) {
      auto r = parse_user_tasks(body);
      ASSERT_TRUE(r.is_ok()) << r.error().to_string();
    } else if (has(name, "in-progress")) {
      auto r = parse_operation_result(202, body, "t");
      ASSERT_TRUE(r.is_ok()) << r.error().to_string();
      EXPECT_TRUE(r.value().still_computing());
      EXPECT_FALSE(r.value().progress.empty());
    } else if (has(name, "Rebalance") || has(name, "topic-config") || name == "CC-Stop.json") {
      auto r = parse_operation_result(200, body, "t");
      ASSERT_TRUE(r.is_ok()) << r.error().to_string();
      EXPECT_TRUE(r.value().summary || !r.value().message.empty());
    } else {
      ADD_FAILURE() << "no decoder known for " << name;
    }
  }
  EXPECT_GE(files, 24);
}

TEST(CcResponses, StateValues) {
  auto r = parse_state(mock("CC-State.json"));
  ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  const auto& s = r.value();
  EXPECT_EQ(s.monitor->state, "RUNNING");
  EXPECT_EQ(s.monitor->num_monitored_windows, 1);
  EXPECT_DOUBLE_EQ(s.monitor->monitoring_coverage_pct, 100.0);
  EXPECT_EQ(s.monitor->num_total_partitions, 65);
  EXPECT_EQ(s.monitor->num_valid_partitions, 65);
  EXPECT_FALSE(s.monitor->trained);
  EXPECT_TRUE(s.executor->idle());
  EXPECT_TRUE(s.analyzer->is_proposal_ready);
  EXPECT_EQ(s.analyzer->ready_goals.size(), 15u);
  EXPECT_EQ(s.anomaly_detector->self_healing_disabled.size(), 4u);
  EXPECT_TRUE(s.anomaly_detector->self_healing_enabled.empty());
  EXPECT_DOUBLE_EQ(s.anomaly_detector->balancedness_score, 100.0);

  auto busy = parse_state(mock("CC-State-inExecution.json"));
  ASSERT_TRUE(busy.is_ok());
  const auto& e = *busy.value().executor;
  EXPECT_FALSE(e.idle());
  EXPECT_EQ(e.state, "INTER_BROKER_REPLICA_MOVEMENT_TASK_IN_PROGRESS");
  EXPECT_EQ(e.triggered_user_task_id, "0230d401-6a36-430e-9858-fac8f2edde93");
  EXPECT_EQ(e.num_total_partition_movements, 20);
  EXPECT_EQ(e.num_pending_partition_movements, 15);
  EXPECT_EQ(e.num_in_progress_partition_movements, 5);
  EXPECT_EQ(e.total_data_to_move_mb, 100);
  EXPECT_EQ(e.finished_data_movement_mb, 20);

  auto not_ready = parse_state(mock("CC-State-proposal-not-ready.json"));
  ASSERT_TRUE(not_ready.is_ok());
  EXPECT_FALSE(not_ready.value().analyzer->is_proposal_ready);
  EXPECT_TRUE(not_ready.value().analyzer->ready_goals.empty());
  EXPECT_EQ(not_ready.value().monitor->num_total_partitions, 2065);
}

TEST(CcResponses, OptimizationResultAndProgress) {
  auto r = parse_operation_result(200, mock("CC-Rebalance-no-goals.json"), "task-1");
  ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  EXPECT_EQ(r.value().task_id, "task-1");
  EXPECT_FALSE(r.value().still_computing());
  ASSERT_TRUE(r.value().summary);
  EXPECT_EQ(r.value().summary->num_replica_movements, 31);
  EXPECT_EQ(r.value().summary->num_leader_movements, 12);
  EXPECT_NEAR(r.value().summary->balancedness_before, 79.747, 0.001);
  EXPECT_TRUE(has(r.value().summary->json, "\"numReplicaMovements\":31"));
  ASSERT_EQ(r.value().load_after.size(), 3u);
  EXPECT_EQ(r.value().load_after[2].id, 2);
  EXPECT_EQ(r.value().load_after[2].replicas, 45);
  EXPECT_EQ(r.value().load_after[2].leaders, 33);
  EXPECT_EQ(r.value().load_after[2].state, broker_state::alive);

  auto to = parse_operation_result(200, mock("TO-topic-config-success.json"), "");
  ASSERT_TRUE(to.is_ok()) << to.error().to_string();
  EXPECT_EQ(to.value().summary->provision_status, "RIGHT_SIZED");
  EXPECT_EQ(to.value().summary->data_to_move_mb, 4826);
  EXPECT_EQ(to.value().load_after.front().rack, "localhost");

  auto p = parse_operation_result(202, mock("CC-Rebalance-no-goals-in-progress.json"), "task-2");
  ASSERT_TRUE(p.is_ok()) << p.error().to_string();
  EXPECT_TRUE(p.value().still_computing());
  EXPECT_TRUE(p.value().accepted);
  EXPECT_FALSE(p.value().summary);
  ASSERT_EQ(p.value().progress.size(), 1u);
  EXPECT_EQ(p.value().progress[0].operation, "Rebalance");
  ASSERT_EQ(p.value().progress[0].steps.size(), 2u);
  EXPECT_EQ(p.value().progress[0].steps[1].step, "WAITING_FOR_CLUSTER_MODEL");
  EXPECT_EQ(p.value().progress[0].steps[1].time_ms, 461);

  auto stop = parse_operation_result(200, mock("CC-Stop.json"), "");
  ASSERT_TRUE(stop.is_ok());
  EXPECT_EQ(stop.value().message, "Proposal execution stopped.");
}

TEST(CcResponses, UserTasks) {
  auto done = parse_user_tasks(mock("CC-User-task-rebalance-no-goals-Completed.json"));
  ASSERT_TRUE(done.is_ok()) << done.error().to_string();
  ASSERT_EQ(done.value().size(), 1u);
  const auto& t = done.value()[0];
  EXPECT_EQ(t.id, "rebalance-no-goals-response");
  EXPECT_EQ(t.status, task_status::completed);
  EXPECT_EQ(t.start_ms, 1579874383374);
  EXPECT_EQ(t.client_identity, "127.0.0.1");
  EXPECT_EQ(t.request_url, "POST /kafkacruisecontrol/rebalance?json=true&dryrun=true&verbose=false");
  EXPECT_EQ(t.endpoint, "rebalance");
  EXPECT_EQ(t.request_params, (std::map<std::string, std::string>{{"json", "true"}, {"dryrun", "true"}, {"verbose", "false"}}));
  ASSERT_TRUE(t.summary) << "originalResponse is a JSON string holding the OptimizationResult";
  EXPECT_EQ(t.summary->num_replica_movements, 31);

  auto failed = parse_user_tasks(mock("CC-User-task-rebalance-no-goals-CompletedWithError.json"));
  ASSERT_TRUE(failed.is_ok());
  EXPECT_EQ(failed.value()[0].status, task_status::completed_with_error);
  EXPECT_EQ(failed.value()[0].original_response, "COMPLETED_WITH_ERROR");
  EXPECT_FALSE(failed.value()[0].summary);

  auto active = parse_user_tasks(mock("CC-User-task-rebalance-no-goals-Active.json"));
  ASSERT_TRUE(active.is_ok());
  EXPECT_EQ(active.value()[0].status, task_status::active);
  EXPECT_EQ(active.value()[0].status_text, "Active");

  auto running = parse_user_tasks(mock("CC-User-task-rebalance-no-goals-InExecution.json"));
  ASSERT_TRUE(running.is_ok());
  EXPECT_EQ(running.value()[0].status, task_status::in_execution);

  auto empty = parse_user_tasks(mock("CC-User-task-status-empty.json"));
  ASSERT_TRUE(empty.is_ok());
  EXPECT_TRUE(empty.value().empty());

  // originalResponse as an object, holding an error: both are read.
  auto obj = parse_user_tasks(R"({"userTasks":[{"UserTaskId":"a","Status":"CompletedWithError","StartMs":5,
      "originalResponse":{"errorMessage":"Error processing POST request '/rebalance' due to: 'boom'.\nmore"}}]})");
  ASSERT_TRUE(obj.is_ok()) << obj.error().to_string();
  EXPECT_EQ(obj.value()[0].error_message, "Error processing POST request '/rebalance' due to: 'boom'.");
  EXPECT_EQ(obj.value()[0].start_ms, 5);
}

TEST(CcResponses, ErrorKinds) {
  auto windows = parse_error(500, mock("CC-Rebalance-NotEnoughValidWindows-error.json"));
  EXPECT_EQ(windows.what, cc_error::kind::not_ready) << windows.message;
  EXPECT_EQ(parse_error(500, mock("TO-topic-config-failure.json")).what, cc_error::kind::not_ready);

  auto broker = parse_error(500, mock("CC-Broker-not-exist.json"));
  EXPECT_EQ(broker.what, cc_error::kind::bad_request);
  EXPECT_TRUE(has(broker.message, "Broker [3] does not exist.")) << broker.message;
  EXPECT_EQ(broker.http_status, 500);
  EXPECT_EQ(parse_error(500, mock("CC-Rebalance-bad-goals-error.json")).what, cc_error::kind::bad_request);

  EXPECT_EQ(parse_error(500, mock("CC-State-fetch-error.json")).what, cc_error::kind::server_error);
  auto fetch = parse_error(500, mock("CC-User-task-status-fetch-error.json"));
  EXPECT_EQ(fetch.what, cc_error::kind::server_error);
  EXPECT_EQ(fetch.message, "Error processing GET request '/user_tasks' due to: 'Error happened in fetching "
                           "response for task 9730e4fb-ea41-4e2d-b053-9be2310589b5'.");

  auto full = parse_error(500, R"({"errorMessage":"There are already 5 active user tasks, which has reached the )"
                               R"(servlet capacity.","version":1})");
  EXPECT_EQ(full.what, cc_error::kind::busy);
  EXPECT_EQ(parse_error(429, "").what, cc_error::kind::busy);
  EXPECT_EQ(parse_error(503, "Service Unavailable").what, cc_error::kind::busy);
  EXPECT_EQ(parse_error(502, "Bad Gateway").what, cc_error::kind::unavailable);
  EXPECT_EQ(parse_error(400, R"({"errorMessage":"Unsupported goal","version":1})").what,
            cc_error::kind::bad_request);
  auto unknown = parse_error(500, R"({"errorMessage":"Error processing POST request '/rebalance' due to: )"
                                  R"('java.lang.IllegalArgumentException: UserTask 0000 is an invalid )"
                                  R"(User-Task-ID'."})");
  EXPECT_EQ(unknown.what, cc_error::kind::not_found);
  auto html = parse_error(500, "\n<html><body>Internal error</body></html>\n<p>x</p>");
  EXPECT_EQ(html.what, cc_error::kind::server_error);
  EXPECT_EQ(html.message, "<html><body>Internal error</body></html>");
  EXPECT_EQ(parse_error(500, "").message, "HTTP 500");
}

TEST(CcResponses, KafkaClusterState) {
  auto r = parse_kafka_cluster_state(data("kafka_cluster_state.json"));
  ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  const auto& s = r.value();
  ASSERT_EQ(s.brokers.size(), 3u);
  EXPECT_EQ(s.brokers[0].id, 0);
  EXPECT_EQ(s.brokers[0].replicas, 45);
  EXPECT_EQ(s.brokers[0].leaders, 23);
  EXPECT_TRUE(s.find(1)->is_controller);
  EXPECT_EQ(s.find(2)->out_of_sync, 1);
  EXPECT_EQ(s.find(2)->offline_replicas, 1);
  EXPECT_EQ(s.find(2)->offline_log_dirs, std::vector<std::string>{"/var/lib/kafka/data-1/kafka-log2"});
  EXPECT_EQ(s.find(2)->online_log_dirs, std::vector<std::string>{"/var/lib/kafka/data-0/kafka-log2"});
  EXPECT_EQ(s.find(7), nullptr);
  ASSERT_EQ(s.under_replicated.size(), 1u);
  EXPECT_EQ(s.under_replicated[0].topic, "orders");
  EXPECT_EQ(s.under_replicated[0].out_of_sync, std::vector<int32_t>{2});
  EXPECT_EQ(s.under_replicated[0].min_isr, 2);
  EXPECT_TRUE(s.offline.empty());
}

TEST(CcResponses, Load) {
  auto r = parse_load(data("load.json"));
  ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  const auto& b = r.value();
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0].id, 0) << "sorted by id";
  EXPECT_EQ(b[0].state, broker_state::alive);
  EXPECT_EQ(b[0].host, "kafka-0.kafka-headless.kafka.svc");
  EXPECT_EQ(b[0].replicas, 44);
  EXPECT_DOUBLE_EQ(b[0].disk_capacity_mb, 500000.0);
  ASSERT_EQ(b[0].disks.size(), 2u);
  EXPECT_EQ(b[0].disks[0].log_dir, "/var/lib/kafka/data-0/kafka-log0");
  EXPECT_EQ(b[0].disks[0].replicas, 38);
  EXPECT_TRUE(b[0].disk_state);
  EXPECT_EQ(b[1].state, broker_state::dead);
  EXPECT_FALSE(b[1].disk_state) << "no DiskState: no per-disk data, not zero replicas on every disk";
  EXPECT_TRUE(b[1].disks.empty());
  EXPECT_EQ(b[2].state, broker_state::bad_disks);
  EXPECT_TRUE(b[2].disks[1].dead);
  EXPECT_FALSE(b[2].disks[0].dead);
  EXPECT_EQ(b[3].state, broker_state::new_broker);
  EXPECT_STREQ(to_string(b[3].state), "NEW");
}

// Without populate_disk_info=true CC sends no DiskState at all: that is "no disk data", never "empty disks".
TEST(CcResponses, LoadWithoutDiskStateSaysSo) {
  auto r = parse_load(R"({"brokers":[{"Broker":1,"BrokerState":"ALIVE","Replicas":7},
                                     {"Broker":2,"BrokerState":"ALIVE","Replicas":5,"DiskState":{}}]})");
  ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  ASSERT_EQ(r.value().size(), 2u);
  EXPECT_FALSE(r.value()[0].disk_state);
  EXPECT_TRUE(r.value()[0].disks.empty());
  EXPECT_EQ(r.value()[0].replicas, 7);
  EXPECT_TRUE(r.value()[1].disk_state) << "an empty DiskState was sent: per-disk data, with no disk";
}

TEST(CcResponses, DecodeErrorsNameTheField) {
  auto expect_decode = [](const auto& r, const std::string& part) {
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.error().what, cc_error::kind::decode);
    EXPECT_TRUE(has(r.error().message, part)) << r.error().message;
  };
  expect_decode(parse_state(R"({"MonitorState":{"numMonitoredWindows":"many"}})"), "MonitorState.numMonitoredWindows");
  expect_decode(parse_state(R"({"ExecutorState":{"recentlyRemovedBrokers":[1,"x"]}})"),
                "ExecutorState.recentlyRemovedBrokers[1]");
  expect_decode(parse_state("{}"), "no MonitorState");
  expect_decode(parse_state("[1,2]"), "expected an object");
  expect_decode(parse_state("<html>"), "not JSON");
  expect_decode(parse_user_tasks(R"({"userTasks":[{"StartMs":"12a"}]})"), "userTasks[0].StartMs");
  expect_decode(parse_user_tasks(R"({"version":1})"), "userTasks: missing");
  expect_decode(parse_kafka_cluster_state(R"({"KafkaBrokerState":{"ReplicaCountByBrokerId":{"b0":3}}})"),
                "ReplicaCountByBrokerId.b0");
  expect_decode(parse_kafka_cluster_state(R"({"KafkaBrokerState":{"IsController":{"0":1}}})"), "IsController.0");
  expect_decode(parse_load(R"({"brokers":[{"Host":"h"}]})"), "brokers[0].Broker: missing");
  expect_decode(parse_load(R"({"brokers":[{"Broker":1,"DiskMB":"lots"}]})"), "brokers[0].DiskMB");
  expect_decode(parse_load(R"({"brokers":[{"Broker":99999999999}]})"), "out of range");
  expect_decode(parse_operation_result(202, R"({"version":1})", "t"), "progress: missing");
  expect_decode(parse_operation_result(200, R"({"summary":{"numReplicaMovements":1.5}})", "t"),
                "summary.numReplicaMovements");
  // Unknown fields, nulls and whole doubles are fine.
  auto ok = parse_state(R"({"MonitorState":{"state":"SAMPLING","numMonitoredWindows":3.0,"future":{"x":[1]},
                            "error":null},"version":2})");
  ASSERT_TRUE(ok.is_ok()) << ok.error().to_string();
  EXPECT_EQ(ok.value().monitor->num_monitored_windows, 3);
  EXPECT_FALSE(ok.value().executor);
  auto odd = parse_operation_result(302, "", "t");
  ASSERT_FALSE(odd.is_ok());
  EXPECT_EQ(odd.error().http_status, 302);
}

} // namespace
} // namespace kactor::integrations::cruisecontrol

namespace kactor::integrations::cruisecontrol {
namespace {

TEST(CcResponses, RequestUrlsSplitIntoEndpointAndDecodedQuery) {
  std::string endpoint;
  std::map<std::string, std::string> params;
  split_request_url("POST /kafkacruisecontrol/remove_disks?brokerid_and_logdirs=4-%2Fkafka-logs2%2C4-/kafka-logs3&dryrun=false&json",
                    endpoint, params);
  EXPECT_EQ(endpoint, "remove_disks");
  EXPECT_EQ(params["brokerid_and_logdirs"], "4-/kafka-logs2,4-/kafka-logs3");
  EXPECT_EQ(params["dryrun"], "false");
  EXPECT_EQ(params.count("json"), 1u);
  // No query: no parameters; no URL at all: no endpoint.
  split_request_url("POST /x/rebalance", endpoint, params);
  EXPECT_EQ(endpoint, "rebalance");
  EXPECT_TRUE(params.empty());
  split_request_url("", endpoint, params);
  EXPECT_EQ(endpoint, "");
  EXPECT_TRUE(params.empty());
}

} // namespace
} // namespace kactor::integrations::cruisecontrol
