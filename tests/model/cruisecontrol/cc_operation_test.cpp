#include "model/cruisecontrol/cc_operation_io.hpp"
#include "model/cruisecontrol/cc_schedule.hpp"
#include "model/alerts/alert_action.hpp"

#include <gtest/gtest.h>

namespace kactor::model {
namespace {

cc_operation op(const std::string& name, cc_operation_kind kind, const std::string& state = "", const std::string& created = "") {
  cc_operation o;
  o.name = name;
  o.kind = kind;
  o.state = state;
  o.task_id = state.empty() ? "" : "t-" + name;
  o.creation_timestamp = created;
  return o;
}

TEST(CcOperation, RenderedParsesBackAndStatusKeepsFailedTasks) {
  kafka_cluster c;
  c.metadata.name = "kafka";
  c.metadata.namespace_ = "ns";
  c.spec.cruise_control.operation_ttl_seconds_after_finished = 300;
  cc_operation_request r{"kafka-remove-broker-1", cc_operation_kind::remove_broker, {{"brokerid", "1,2"}}};
  auto object = render_cc_operation(c, r);
  EXPECT_EQ(object["metadata"]["labels"]["kafka_cr"], "kafka");
  EXPECT_EQ(object["spec"]["ttlSecondsAfterFinished"], 300);
  auto parsed = parse_cc_operation(object);
  ASSERT_TRUE(parsed.is_ok()) << parsed.error().message();
  EXPECT_EQ(parsed.value().kind, cc_operation_kind::remove_broker);
  EXPECT_EQ(parsed.value().brokers(), (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(parsed.value().error_policy, "retry");

  auto status = render_cc_operation_status(parsed.value(), {"t1", "CompletedWithError", "boom", "", 500, {}, true}, json{},
                                           "2026-11-26T10:00:00Z");
  EXPECT_EQ(status["currentTask"]["operation"], "remove_broker");
  EXPECT_EQ(status["currentTask"]["finished"], "2026-11-26T10:00:00Z");
  EXPECT_EQ(status["retryCount"], 0);
  auto retried = render_cc_operation_status(parsed.value(), {"t2", "Active", "", "", 200, {}, true}, status, "2026-11-26T10:01:00Z");
  EXPECT_EQ(retried["retryCount"], 1);
  ASSERT_EQ(retried["failedTasks"].size(), 1u);
  EXPECT_EQ(retried["failedTasks"][0]["id"], "t1");
  EXPECT_EQ(retried["currentTask"]["id"], "t2");
  EXPECT_FALSE(retried["currentTask"].contains("finished"));
  object["status"] = retried;
  EXPECT_EQ(parse_cc_operation(object).value().task_id, "t2");
}

TEST(CcOperation, AnUnknownOperationIsRefusedNamingTheField) {
  json object = {{"metadata", {{"name", "x"}}}, {"status", {{"currentTask", {{"operation", "explode"}}}}}};
  auto parsed = parse_cc_operation(object);
  ASSERT_FALSE(parsed.is_ok());
  EXPECT_NE(parsed.error().message().find("status.currentTask.operation"), std::string::npos);
}

// The object is anyone's to edit: a wrong type never throws; for the operation and its parameters the
// error names the field, elsewhere the field reads as absent.
TEST(CcOperation, FieldsOfAnotherTypeNameTheFieldOrReadAsAbsent) {
  json object = {{"metadata", {{"name", "x"}, {"annotations", {{cc_operation_annotation, json::array({"rebalance"})}}}}}};
  auto parsed = parse_cc_operation(object);
  ASSERT_FALSE(parsed.is_ok());
  EXPECT_EQ(parsed.error().message(), "metadata.annotations[kactor.io/operation]: expected a string, got array");
  object["metadata"]["annotations"] = {{cc_operation_annotation, "rebalance"}, {cc_parameters_annotation, {{"a", 1}}}};
  parsed = parse_cc_operation(object);
  ASSERT_FALSE(parsed.is_ok());
  EXPECT_EQ(parsed.error().message(), "metadata.annotations[kactor.io/parameters]: expected a string, got object");
  object["metadata"]["annotations"].erase(cc_parameters_annotation);
  object["metadata"]["labels"] = "pause";
  object["spec"] = json::array();
  object["status"] = {{"retryCount", "2"}, {"currentTask", "remove_disks"}};
  parsed = parse_cc_operation(object);
  ASSERT_TRUE(parsed.is_ok()) << parsed.error().message();
  EXPECT_EQ(parsed.value().retry_count, 0);
  EXPECT_FALSE(parsed.value().paused);
  EXPECT_EQ(parsed.value().error_policy, "retry");
}

TEST(CcSchedule, PriorityOrderOneAtATimeAndBackoff) {
  cc_schedule_inputs in;
  in.now = rfc3339_seconds("2026-11-26T10:00:00Z");
  in.operations = {op("reb", cc_operation_kind::rebalance, "", "2026-11-26T09:00:00Z"),
                   op("rm", cc_operation_kind::remove_broker, "", "2026-11-26T09:30:00Z"),
                   op("add", cc_operation_kind::add_broker, "", "2026-11-26T09:40:00Z")};
  EXPECT_EQ(schedule_cc_operations(in).submit, "add");
  in.operations[2].state = "InExecution";
  in.operations[2].task_id = "t";
  auto s = schedule_cc_operations(in);
  EXPECT_FALSE(s.submit) << "one execution at a time";
  EXPECT_EQ(s.poll, std::vector<std::string>{"add"});
  in.operations[2].state = "Completed";
  in.operations[1].state = "CompletedWithError";
  in.operations[1].finished = "2026-11-26T09:59:55Z";
  s = schedule_cc_operations(in);
  EXPECT_EQ(s.submit, "reb") << "the failed one backs off";
  ASSERT_TRUE(s.next_retry);
  in.now += 60;
  EXPECT_EQ(schedule_cc_operations(in).submit, "rm");
  in.operations[1].paused = true;
  EXPECT_EQ(schedule_cc_operations(in).submit, "reb");
}

TEST(CcSchedule, FinishedOperationsExpireAfterTheirTtl) {
  cc_schedule_inputs in;
  in.now = rfc3339_seconds("2026-11-26T10:00:00Z");
  auto done = op("done", cc_operation_kind::add_broker, "Completed");
  done.finished = "2026-11-26T09:58:00Z";
  done.ttl_seconds_after_finished = 60;
  in.operations = {done};
  EXPECT_EQ(schedule_cc_operations(in).expire, std::vector<std::string>{"done"});
  in.operations[0].ttl_seconds_after_finished = 600;
  EXPECT_TRUE(schedule_cc_operations(in).expire.empty());
}

} // namespace
} // namespace kactor::model
