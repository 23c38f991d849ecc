#include "model/cruisecontrol/cc_adopt.hpp"

#include <gtest/gtest.h>

#include "model/alerts/alert_action.hpp"

namespace kactor::model {
namespace {

cc_operation remove_broker(const std::string& brokers) {
  cc_operation o;
  o.name = "kafka-remove-broker";
  o.kind = cc_operation_kind::remove_broker;
  o.parameters = {{"brokerid", brokers}};
  o.creation_timestamp = "2026-11-26T10:00:00Z";
  return o;
}

int64_t ms(const std::string& t) { return rfc3339_seconds(t) * 1000; }

cc_known_task task(const std::string& id, const std::string& endpoint, std::map<std::string, std::string> params,
                   const std::string& state, int64_t start_ms) {
  params.emplace("dryrun", "false");
  return {id, endpoint, std::move(params), state, start_ms};
}

TEST(CcAdopt, SameIntentIgnoresOrderAndOtherParametersButNotTheBrokersOrADryRun) {
  auto op = remove_broker("1,2");
  EXPECT_TRUE(same_intent(op, task("a", "remove_broker", {{"brokerid", "2,1"}, {"json", "true"}}, "Active", 0)));
  EXPECT_FALSE(same_intent(op, task("a", "remove_broker", {{"brokerid", "1"}}, "Active", 0)));
  EXPECT_FALSE(same_intent(op, task("a", "add_broker", {{"brokerid", "1,2"}}, "Active", 0)));
  auto dry = task("a", "remove_broker", {{"brokerid", "1,2"}}, "Active", 0);
  dry.params["dryrun"] = "true";
  EXPECT_FALSE(same_intent(op, dry));
  dry.params.erase("dryrun"); // CC's default is a dry run
  EXPECT_FALSE(same_intent(op, dry));

  cc_operation disks;
  disks.kind = cc_operation_kind::remove_disks;
  disks.parameters = {{"brokerid_and_logdirs", "4-/kafka-logs2,4-/kafka-logs3"}};
  EXPECT_TRUE(same_intent(disks, task("d", "remove_disks", {{"brokerid_and_logdirs", "4-/kafka-logs3,4-/kafka-logs2"}}, "Active", 0)));
  EXPECT_FALSE(same_intent(disks, task("d", "remove_disks", {{"brokerid_and_logdirs", "4-/kafka-logs2"}}, "Active", 0)));

  cc_operation reb;
  reb.kind = cc_operation_kind::rebalance;
  reb.parameters = {{"destination_broker_ids", "3"}, {"rebalance_disk", "true"}};
  EXPECT_TRUE(same_intent(reb, task("r", "rebalance", {{"destination_broker_ids", "3"}, {"rebalance_disk", "true"}}, "Active", 0)));
  EXPECT_FALSE(same_intent(reb, task("r", "rebalance", {{"destination_broker_ids", "3"}}, "Active", 0)));
}

TEST(CcAdopt, ARunningTaskForTheIntentIsTakenOverAndNothingElse) {
  auto op = remove_broker("1");
  EXPECT_FALSE(task_to_adopt(op, {}).has_value());
  auto t = task_to_adopt(op, {task("other", "remove_broker", {{"brokerid", "2"}}, "Active", ms("2026-11-26T10:00:01Z")),
                              task("mine", "remove_broker", {{"brokerid", "1"}}, "InExecution", ms("2026-11-26T10:00:01Z"))});
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->id, "mine");
  EXPECT_EQ(t->state, "InExecution");
  // Running tasks are taken over whenever they started: the work is being done.
  EXPECT_TRUE(task_to_adopt(op, {task("old", "remove_broker", {{"brokerid", "1"}}, "Active", ms("2026-11-26T09:00:00Z"))}));
}

TEST(CcAdopt, AFinishedTaskCountsOnlyIfItAnsweredThisRequest) {
  auto op = remove_broker("1");
  // Completed before the operation existed: an older request's answer; the work must be asked for again.
  EXPECT_FALSE(task_to_adopt(op, {task("old", "remove_broker", {{"brokerid", "1"}}, "Completed", ms("2026-11-26T09:59:59Z"))}));
  auto t = task_to_adopt(op, {task("new", "remove_broker", {{"brokerid", "1"}}, "Completed", ms("2026-11-26T10:00:03Z"))});
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->id, "new");

  // A retry: never its own failed task, nor one that failed before; a task begun after the failure, yes.
  op.task_id = "failed";
  op.state = "CompletedWithError";
  op.finished = "2026-11-26T10:05:00Z";
  std::vector<cc_known_task> tasks = {task("failed", "remove_broker", {{"brokerid", "1"}}, "CompletedWithError", ms("2026-11-26T10:04:00Z")),
                                      task("earlier", "remove_broker", {{"brokerid", "1"}}, "CompletedWithError", ms("2026-11-26T10:01:00Z"))};
  EXPECT_FALSE(task_to_adopt(op, tasks).has_value());
  tasks.push_back(task("resubmitted", "remove_broker", {{"brokerid", "1"}}, "Completed", ms("2026-11-26T10:05:02Z")));
  tasks.push_back(task("resubmitted-older", "remove_broker", {{"brokerid", "1"}}, "Completed", ms("2026-11-26T10:05:01Z")));
  t = task_to_adopt(op, tasks);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->id, "resubmitted") << "the newest";
}

} // namespace
} // namespace kactor::model
