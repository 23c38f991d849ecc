// The simulated Cruise Control's JSON bodies, shaped as Cruise Control 2.5 writes them with json=true
// (fixtures/cruise-control/strimzi-mocks): state, kafka_cluster_state, load, OptimizationResult,
// progress, user_tasks and error bodies. Pure over their arguments.
#include <algorithm>

#include "sim/world/cruisecontrol/sim_cc_state.hpp"
#include "sim/world/integration_names.hpp"

namespace kactor::sim::cc {

namespace {

constexpr double mib = 1024.0 * 1024.0;

json partition_json(const kafka::topic_description& t, const kafka::partition_description& p,
                    const sim_cluster_view& v) {
  json in_sync = json::array(), out_of_sync = json::array(), offline = json::array();
  for (auto r : p.replicas) {
    bool up = v.brokers.count(r) && v.brokers.at(r).up;
    if (!up)
      offline.push_back(r);
    if (std::find(p.isr.begin(), p.isr.end(), r) != p.isr.end())
      in_sync.push_back(r);
    else
      out_of_sync.push_back(r);
  }
  return {{"topic", t.name}, {"partition", p.partition}, {"leader", p.leader}, {"replicas", p.replicas},
          {"in-sync", in_sync}, {"out-of-sync", out_of_sync}, {"offline", offline},
          {"min-isr", t.min_insync_replicas}};
}

std::string host_of(const sim_broker_view& b, const sim_cluster_view& v) {
  return (b.pod.empty() ? v.name + "-" + std::to_string(b.id) : b.pod) + "." + v.namespace_ + ".svc.cluster.local";
}

} // namespace

const char* to_string(task_state s) {
  switch (s) {
  case task_state::active: return "Active";
  case task_state::in_execution: return "InExecution";
  case task_state::completed: return "Completed";
  case task_state::completed_with_error: return "CompletedWithError";
  }
  return "Active";
}

std::string error_body(const std::string& method, const std::string& endpoint, const std::string& what) {
  std::string wrapped = "com.linkedin.kafka.cruisecontrol.exception.KafkaCruiseControlException: " + what;
  return json{{"errorMessage", "Error processing " + method + " request '/" + endpoint + "' due to: '" + wrapped + "'."},
              {"stackTrace", "java.util.concurrent.ExecutionException: " + wrapped +
                                 "\n\tat com.linkedin.kafka.cruisecontrol.servlet.handler.async.AbstractAsyncRequest"
                                 ".getResponse(AbstractAsyncRequest.java:57)\n"},
              {"version", 1}}
      .dump();
}

std::string state_body(const cc_cluster& c, const sim_cluster_view& v, bool warm, const task* executing) {
  int32_t partitions = 0;
  for (const auto& t : v.topics)
    partitions += int32_t(t.partitions.size());
  json monitor = {{"state", warm ? "RUNNING" : "SAMPLING"}, {"numMonitoredWindows", warm ? 1 : 0},
                  {"monitoringCoveragePct", warm ? 100.0 : 0.0}, {"numValidPartitions", warm ? partitions : 0},
                  {"numTotalPartitions", partitions}, {"numFlawedPartitions", 0}, {"trainingPct", 3.6},
                  {"trained", false}, {"reasonOfLatestPauseOrResume", "N/A"}};
  json executor = {{"state", "NO_TASK_IN_PROGRESS"}};
  if (executing) {
    bool leaders_only = executing->total_moves == 0;
    int32_t in_progress = int32_t(executing->running.size());
    executor = {{"state", leaders_only ? "LEADER_MOVEMENT_TASK_IN_PROGRESS"
                                       : "INTER_BROKER_REPLICA_MOVEMENT_TASK_IN_PROGRESS"},
                {"triggeredUserTaskId", executing->id},
                {"triggeredTaskReason", "No reason provided (Client: 127.0.0.1, Date: now)"},
                {"numTotalPartitionMovements", executing->total_moves},
                {"numFinishedPartitionMovements", executing->finished_moves},
                {"numInProgressPartitionMovements", in_progress},
                {"numPendingPartitionMovements", int32_t(executing->pending.size())},
                {"numTotalLeadershipMovements", executing->total_leader_moves},
                {"numFinishedLeadershipMovements", 0},
                {"totalDataToMove", 0},
                {"finishedDataMovement", 0}};
  }
  json removed = json::array();
  for (const auto& [id, since] : c.recently_removed)
    removed.push_back(id);
  executor["recentlyRemovedBrokers"] = removed;
  executor["recentlyDemotedBrokers"] = c.recently_demoted;
  json goals = json::array({"RackAwareGoal", "ReplicaCapacityGoal", "DiskCapacityGoal", "ReplicaDistributionGoal",
                            "DiskUsageDistributionGoal", "LeaderReplicaDistributionGoal"});
  json analyzer = {{"isProposalReady", warm}, {"readyGoals", warm ? goals : json::array()}};
  json anomaly = {{"selfHealingEnabled", json::array()},
                  {"selfHealingDisabled", {"BROKER_FAILURE", "DISK_FAILURE", "GOAL_VIOLATION", "METRIC_ANOMALY"}},
                  {"recentBrokerFailures", json::array()}, {"recentGoalViolations", json::array()},
                  {"recentDiskFailures", json::array()}, {"recentMetricAnomalies", json::array()},
                  {"balancednessScore", 100.0},
                  {"metrics", {{"meanTimeToStartFixMs", 0.0}, {"numSelfHealingStarted", 0}, {"ongoingAnomalyDurationMs", 0}}}};
  return json{{"MonitorState", monitor}, {"ExecutorState", executor}, {"AnalyzerState", analyzer},
              {"AnomalyDetectorState", anomaly}, {"version", 1}}
      .dump();
}

std::string kafka_cluster_state_body(const sim_cluster_view& v) {
  struct counts {
    int32_t replicas = 0, leaders = 0, out_of_sync = 0, offline = 0;
  };
  auto up = [&](int32_t id) {
    auto it = v.brokers.find(id);
    return it != v.brokers.end() && it->second.up;
  };
  // ClusterBrokerState.populateKafkaBrokerState: only partitions that have a leader count, so the replicas
  // of offline partitions are counted nowhere, and a dead broker holding only such replicas is not listed.
  std::map<int32_t, counts> listed;
  for (const auto& t : v.topics)
    for (const auto& p : t.partitions) {
      if (p.leader < 0)
        continue;
      for (auto r : p.replicas) {
        auto& n = listed[r];
        ++n.replicas;
        n.leaders += r == p.leader;
        n.out_of_sync += std::find(p.isr.begin(), p.isr.end(), r) == p.isr.end();
        n.offline += !up(r);
      }
    }
  for (const auto& [id, b] : v.brokers)
    if (b.up)
      listed[id]; // a live node of the metadata: listed, with zeros when it holds nothing
  json replicas = json::object(), leaders = json::object(), out_of_sync = json::object(), offline = json::object(),
       controller = json::object(), online_dirs = json::object(), offline_dirs = json::object();
  const std::vector<std::string> broker_dead{"broker_dead"};
  for (const auto& [id, n] : listed) {
    auto key = std::to_string(id);
    replicas[key] = n.replicas;
    leaders[key] = n.leaders;
    out_of_sync[key] = n.out_of_sync;
    offline[key] = n.offline;
    controller[key] = id == v.controller;
    // A dead broker's log dirs cannot be described: CC writes "broker_dead" as both its online and offline dir.
    online_dirs[key] = up(id) ? v.brokers.at(id).log_dirs : broker_dead;
    offline_dirs[key] = up(id) ? std::vector<std::string>{} : broker_dead;
  }
  json p_offline = json::array(), with_offline = json::array(), urp = json::array(), under_min = json::array();
  for (const auto& t : v.topics)
    for (const auto& p : t.partitions) {
      auto pj = partition_json(t, p, v);
      if (p.leader < 0)
        p_offline.push_back(pj);
      if (!pj["offline"].empty())
        with_offline.push_back(pj);
      if (p.isr.size() < p.replicas.size())
        urp.push_back(pj);
      if (int32_t(p.isr.size()) < t.min_insync_replicas)
        under_min.push_back(pj);
    }
  return json{{"KafkaBrokerState",
               {{"ReplicaCountByBrokerId", replicas}, {"LeaderCountByBrokerId", leaders},
                {"OutOfSyncCountByBrokerId", out_of_sync}, {"OfflineReplicaCountByBrokerId", offline},
                {"IsController", controller}, {"OnlineLogDirsByBrokerId", online_dirs},
                {"OfflineLogDirsByBrokerId", offline_dirs}, {"Summary", {{"Brokers", listed.size()}}}}},
              {"KafkaPartitionState",
               {{"offline", p_offline}, {"with-offline-replicas", with_offline}, {"urp", urp}, {"under-min-isr", under_min}}},
              {"version", 1}}
      .dump();
}

json load_json(const sim_cluster_view& v, const std::map<int32_t, int32_t>* replicas_after, bool disk_info) {
  std::map<int32_t, double> disk_mb;
  std::map<int32_t, std::map<std::string, std::pair<double, int32_t>>> dirs; // broker → dir → (MB, leaders)
  std::map<std::pair<std::string, int32_t>, int32_t> leader_of;
  for (const auto& t : v.topics)
    for (const auto& p : t.partitions)
      leader_of[{t.name, p.partition}] = p.leader;
  for (const auto& pl : v.placements)
    for (const auto& [b, dir] : pl.log_dirs) {
      disk_mb[b] += pl.bytes / mib;
      auto& d = dirs[b][dir];
      d.first += pl.bytes / mib;
      d.second += leader_of[{pl.topic, pl.partition}] == b;
    }
  json brokers = json::array(), hosts = json::array();
  for (const auto& [id, b] : v.brokers) {
    int32_t replicas = b.replicas;
    if (replicas_after)
      if (auto it = replicas_after->find(id); it != replicas_after->end())
        replicas = it->second;
    json entry = {{"Broker", id}, {"Host", host_of(b, v)}, {"Rack", b.rack}, {"BrokerState", b.up ? "ALIVE" : "DEAD"},
                  {"Replicas", replicas}, {"Leaders", b.leaders}, {"DiskMB", disk_mb[id]}, {"DiskPct", 0.0},
                  {"CpuPct", 1.0}, {"LeaderNwInRate", 0.0}, {"FollowerNwInRate", 0.0}, {"NwOutRate", 0.0},
                  {"PnwOutRate", 0.0}};
    // ClusterLoadParameters: populate_disk_info defaults to false, and then no per-disk figures at all.
    if (disk_info && b.log_dirs.size() > 1) {
      json disks = json::object();
      for (const auto& d : b.log_dirs) {
        auto& [mb, leaders] = dirs[id][d];
        disks[d] = {{"DiskMB", mb}, {"DiskPct", 0.0}, {"NumLeaderReplicas", leaders},
                    {"NumReplicas", b.replicas_by_log_dir.count(d) ? b.replicas_by_log_dir.at(d) : 0},
                    {"NumOfflineReplicas", 0}};
      }
      entry["DiskState"] = disks;
    }
    hosts.push_back({{"Host", entry["Host"]}, {"Replicas", replicas}, {"Leaders", b.leaders}, {"DiskMB", disk_mb[id]},
                     {"CpuPct", 1.0}, {"DiskPct", 0.0}});
    brokers.push_back(std::move(entry));
  }
  return {{"hosts", hosts}, {"brokers", brokers}, {"version", 1}};
}

std::string optimization_result(const proposal& p, const sim_cluster_view& v) {
  int32_t inter = 0, intra = 0;
  for (const auto& m : p.moves)
    (m.what == partition_move::kind::replica ? inter : intra)++;
  json summary = {{"numIntraBrokerReplicaMovements", intra}, {"excludedBrokersForLeadership", json::array()},
                  {"numReplicaMovements", inter}, {"onDemandBalancednessScoreAfter", 100.0},
                  {"onDemandBalancednessScoreBefore", p.moves.empty() ? 100.0 : 80.0},
                  {"intraBrokerDataToMoveMB", int64_t(p.intra_data_bytes / mib)}, {"recentWindows", 1},
                  {"dataToMoveMB", int64_t(p.data_bytes / mib)}, {"monitoredPartitionsPercentage", 100.0},
                  {"excludedTopics", json::array()}, {"numLeaderMovements", p.leader_movements},
                  {"excludedBrokersForReplicaMove", json::array()}};
  return json{{"summary", summary}, {"goalSummary", json::array()},
              {"loadAfterOptimization", load_json(v, &p.replicas_after, false)}, {"version", 1}}
      .dump();
}

std::string progress_body(const task& t) {
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - t.started).count();
  std::string op = t.endpoint == "rebalance" ? "Rebalance"
                   : t.endpoint == "add_broker" ? "AddBroker"
                   : t.endpoint == "remove_broker" ? "RemoveBroker"
                   : t.endpoint == "demote_broker" ? "DemoteBroker" : "RemoveDisks";
  json steps = json::array({{{"step", "PENDING"}, {"description", "Operation enqueued, waiting to be executed."},
                             {"completionPercentage", 100.0}, {"time-in-ms", 1}},
                            {{"step", "WAITING_FOR_CLUSTER_MODEL"},
                             {"description", "The job requires a cluster model and it is waiting to get the cluster model lock."},
                             {"completionPercentage", 100.0}, {"time-in-ms", elapsed}}});
  return json{{"version", 1}, {"progress", {{{"operation", op}, {"operationProgress", steps}}}}}.dump();
}

std::string user_tasks_body(const cc_cluster& c, const std::vector<std::string>& ids) {
  json out = json::array();
  for (const auto& t : c.tasks) {
    if (!ids.empty() && std::find(ids.begin(), ids.end(), t.id) == ids.end())
      continue;
    std::string original = t.state == task_state::active ? progress_body(t)
                           : !t.result.empty()           ? t.result
                           : !t.error_body.empty()       ? t.error_body
                                                         : "COMPLETED_WITH_ERROR";
    out.push_back({{"UserTaskId", t.id}, {"RequestURL", t.request_url}, {"ClientIdentity", t.client},
                   {"StartMs", std::to_string(t.start_ms)}, {"Status", to_string(t.state)},
                   {"originalResponse", original}});
  }
  return json{{"userTasks", out}, {"version", 1}}.dump();
}

} // namespace kactor::sim::cc
