// The decoders of the read endpoints: state, kafka_cluster_state, load. (Operations, user tasks and
// errors are in cc_task_responses.cpp.)
#include "integrations/cruisecontrol/cc_responses.hpp"

#include <algorithm>
#include <map>

#include "integrations/cruisecontrol/detail/json_fields.hpp"

namespace kactor::integrations::cruisecontrol {

using namespace detail;

namespace {

monitor_state read_monitor(const json& o, const std::string& p) {
  monitor_state m;
  m.state = string_at(o, p, "state");
  // CC names the count of valid windows numMonitoredWindows; numValidWindows is accepted as a fallback.
  m.num_monitored_windows = int32_at(o, p, "numMonitoredWindows", int32_at(o, p, "numValidWindows"));
  m.monitoring_coverage_pct = double_at(o, p, "monitoringCoveragePct");
  m.num_valid_partitions = int32_at(o, p, "numValidPartitions");
  m.num_total_partitions = int32_at(o, p, "numTotalPartitions");
  m.num_flawed_partitions = int32_at(o, p, "numFlawedPartitions");
  m.training_pct = double_at(o, p, "trainingPct");
  m.trained = bool_at(o, p, "trained");
  m.loading_progress_pct = optional_double_at(o, p, "loadingProgressPct");
  m.bootstrap_progress_pct = optional_double_at(o, p, "bootstrapProgressPct");
  m.error = string_at(o, p, "error");
  return m;
}

executor_state read_executor(const json& o, const std::string& p) {
  executor_state e;
  e.state = string_at(o, p, "state");
  e.triggered_user_task_id = string_at(o, p, "triggeredUserTaskId");
  e.triggered_self_healing_task_id = string_at(o, p, "triggeredSelfHealingTaskId");
  e.triggered_task_reason = string_at(o, p, "triggeredTaskReason");
  e.num_total_partition_movements = int32_at(o, p, "numTotalPartitionMovements");
  e.num_finished_partition_movements = int32_at(o, p, "numFinishedPartitionMovements");
  e.num_in_progress_partition_movements = int32_at(o, p, "numInProgressPartitionMovements");
  e.num_pending_partition_movements = int32_at(o, p, "numPendingPartitionMovements");
  e.num_total_leadership_movements = int32_at(o, p, "numTotalLeadershipMovements");
  e.num_finished_leadership_movements = int32_at(o, p, "numFinishedLeadershipMovements");
  e.total_data_to_move_mb = int_at(o, p, "totalDataToMove");
  e.finished_data_movement_mb = int_at(o, p, "finishedDataMovement");
  e.recently_removed_brokers = ints_at(o, p, "recentlyRemovedBrokers");
  e.recently_demoted_brokers = ints_at(o, p, "recentlyDemotedBrokers");
  return e;
}

analyzer_state read_analyzer(const json& o, const std::string& p) {
  analyzer_state a;
  a.is_proposal_ready = bool_at(o, p, "isProposalReady");
  a.ready_goals = strings_at(o, p, "readyGoals");
  return a;
}

anomaly_detector_state read_anomaly_detector(const json& o, const std::string& p) {
  anomaly_detector_state a;
  a.self_healing_enabled = strings_at(o, p, "selfHealingEnabled");
  a.self_healing_disabled = strings_at(o, p, "selfHealingDisabled");
  a.balancedness_score = double_at(o, p, "balancednessScore");
  a.recent_broker_failures = count_at(o, p, "recentBrokerFailures");
  a.recent_goal_violations = count_at(o, p, "recentGoalViolations");
  a.recent_disk_failures = count_at(o, p, "recentDiskFailures");
  a.recent_metric_anomalies = count_at(o, p, "recentMetricAnomalies");
  if (const json* m = object_at(o, p, "metrics"))
    a.ongoing_anomaly_duration_ms = int_at(*m, join(p, "metrics"), "ongoingAnomalyDurationMs");
  return a;
}

partition_state read_partition(const json& o, const std::string& p) {
  partition_state s;
  s.topic = string_at(o, p, "topic");
  s.partition = int32_at(o, p, "partition");
  s.leader = int32_at(o, p, "leader", -1);
  s.replicas = ints_at(o, p, "replicas");
  s.in_sync = ints_at(o, p, "in-sync");
  s.out_of_sync = ints_at(o, p, "out-of-sync");
  s.offline = ints_at(o, p, "offline");
  s.min_isr = int32_at(o, p, "min-isr");
  return s;
}

std::vector<partition_state> read_partitions(const json& o, const std::string& p, std::string_view key) {
  std::vector<partition_state> out;
  if (const json* a = array_at(o, p, key))
    for (size_t i = 0; i < a->size(); ++i)
      out.push_back(read_partition((*a)[i], join(p, key) + "[" + std::to_string(i) + "]"));
  return out;
}

/// Calls `f(broker, value, path)` for each entry of the per-broker map `key` of KafkaBrokerState.
template <class F>
void for_each_broker(const json& o, const std::string& p, std::string_view key,
                     std::map<int32_t, broker_cluster_state>& brokers, F f) {
  const json* m = object_at(o, p, key);
  if (!m)
    return;
  for (const auto& [k, v] : m->items()) {
    std::string path = join(p, key) + "." + k;
    int32_t id = broker_id_key(k, path);
    auto& b = brokers[id];
    b.id = id;
    f(b, v, path);
  }
}

kafka_cluster_state read_cluster_state(const json& doc) {
  const json* bs = object_at(doc, "", "KafkaBrokerState");
  if (!bs)
    throw field_failure("KafkaBrokerState: missing");
  const std::string p = "KafkaBrokerState";
  std::map<int32_t, broker_cluster_state> brokers;
  auto count = [](int32_t broker_cluster_state::*field) {
    return [field](broker_cluster_state& b, const json& v, const std::string& path) { b.*field = to_int32(v, path); };
  };
  auto dirs = [](std::vector<std::string> broker_cluster_state::*field) {
    return [field](broker_cluster_state& b, const json& v, const std::string& path) { b.*field = to_strings(v, path); };
  };
  for_each_broker(*bs, p, "ReplicaCountByBrokerId", brokers, count(&broker_cluster_state::replicas));
  for_each_broker(*bs, p, "LeaderCountByBrokerId", brokers, count(&broker_cluster_state::leaders));
  for_each_broker(*bs, p, "OutOfSyncCountByBrokerId", brokers, count(&broker_cluster_state::out_of_sync));
  for_each_broker(*bs, p, "OfflineReplicaCountByBrokerId", brokers, count(&broker_cluster_state::offline_replicas));
  for_each_broker(*bs, p, "OnlineLogDirsByBrokerId", brokers, dirs(&broker_cluster_state::online_log_dirs));
  for_each_broker(*bs, p, "OfflineLogDirsByBrokerId", brokers, dirs(&broker_cluster_state::offline_log_dirs));
  for_each_broker(*bs, p, "IsController", brokers, [](broker_cluster_state& b, const json& v, const std::string& path) {
    if (!v.is_boolean())
      throw field_failure(path + ": expected a boolean, got " + v.type_name());
    b.is_controller = v.get<bool>();
  });
  kafka_cluster_state out;
  for (auto& [id, b] : brokers)
    out.brokers.push_back(std::move(b));
  if (const json* ps = object_at(doc, "", "KafkaPartitionState")) {
    const std::string pp = "KafkaPartitionState";
    out.offline = read_partitions(*ps, pp, "offline");
    out.with_offline_replicas = read_partitions(*ps, pp, "with-offline-replicas");
    out.under_replicated = read_partitions(*ps, pp, "urp");
    out.under_min_isr = read_partitions(*ps, pp, "under-min-isr");
  }
  return out;
}

broker_state to_broker_state(const std::string& s) {
  if (s == "ALIVE")
    return broker_state::alive;
  if (s == "NEW")
    return broker_state::new_broker;
  if (s == "DEAD")
    return broker_state::dead;
  if (s == "DEMOTED")
    return broker_state::demoted;
  if (s == "BAD_DISKS")
    return broker_state::bad_disks;
  return broker_state::unknown;
}

disk_load read_disk(const std::string& dir, const json& o, const std::string& p) {
  disk_load d;
  d.log_dir = dir;
  // A dead disk has "DEAD" where the numbers would be.
  for (const char* key : {"DiskMB", "DiskPct"})
    if (const json* v = member(o, p, key); v && v->is_string() && v->get<std::string>() == "DEAD")
      d.dead = true;
  if (!d.dead) {
    d.disk_mb = double_at(o, p, "DiskMB");
    d.disk_pct = double_at(o, p, "DiskPct");
  }
  d.replicas = int32_at(o, p, "NumReplicas");
  d.leaders = int32_at(o, p, "NumLeaderReplicas");
  return d;
}

broker_load read_broker_load(const json& o, const std::string& p) {
  broker_load b;
  const json* id = member(o, p, "Broker");
  if (!id)
    throw field_failure(join(p, "Broker") + ": missing");
  b.id = to_int32(*id, join(p, "Broker"));
  b.host = string_at(o, p, "Host");
  b.rack = string_at(o, p, "Rack");
  b.state = to_broker_state(string_at(o, p, "BrokerState"));
  b.replicas = int32_at(o, p, "Replicas");
  b.leaders = int32_at(o, p, "Leaders");
  b.disk_mb = double_at(o, p, "DiskMB");
  b.disk_pct = double_at(o, p, "DiskPct");
  b.disk_capacity_mb = double_at(o, p, "DiskCapacityMB");
  b.cpu_pct = double_at(o, p, "CpuPct");
  b.leader_nw_in_rate = double_at(o, p, "LeaderNwInRate");
  b.follower_nw_in_rate = double_at(o, p, "FollowerNwInRate");
  b.nw_out_rate = double_at(o, p, "NwOutRate");
  if (const json* disks = object_at(o, p, "DiskState")) {
    b.disk_state = true;
    for (const auto& [dir, v] : disks->items())
      b.disks.push_back(read_disk(dir, v, join(join(p, "DiskState"), dir)));
  }
  return b;
}

} // namespace

namespace detail {

std::vector<broker_load> read_load(const json& o, const std::string& p) {
  const json* a = array_at(o, p, "brokers");
  if (!a)
    throw field_failure(join(p, "brokers") + ": missing");
  std::vector<broker_load> out;
  for (size_t i = 0; i < a->size(); ++i)
    out.push_back(read_broker_load((*a)[i], join(p, "brokers") + "[" + std::to_string(i) + "]"));
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.id < y.id; });
  return out;
}

} // namespace detail

cc_result<cc_state> parse_state(std::string_view body) {
  return guarded<cc_state>([&] {
    json doc = parse_object(body);
    cc_state s;
    if (const json* o = object_at(doc, "", "MonitorState"))
      s.monitor = read_monitor(*o, "MonitorState");
    if (const json* o = object_at(doc, "", "ExecutorState"))
      s.executor = read_executor(*o, "ExecutorState");
    if (const json* o = object_at(doc, "", "AnalyzerState"))
      s.analyzer = read_analyzer(*o, "AnalyzerState");
    if (const json* o = object_at(doc, "", "AnomalyDetectorState"))
      s.anomaly_detector = read_anomaly_detector(*o, "AnomalyDetectorState");
    if (!s.monitor && !s.executor && !s.analyzer && !s.anomaly_detector)
      throw field_failure("no MonitorState, ExecutorState, AnalyzerState or AnomalyDetectorState in the answer");
    return s;
  });
}

cc_result<kafka_cluster_state> parse_kafka_cluster_state(std::string_view body) {
  return guarded<kafka_cluster_state>([&] { return read_cluster_state(parse_object(body)); });
}

cc_result<std::vector<broker_load>> parse_load(std::string_view body) {
  return guarded<std::vector<broker_load>>([&] { return read_load(parse_object(body), ""); });
}

} // namespace kactor::integrations::cruisecontrol
