// The typed answers of Cruise Control's read endpoints: state (monitor, executor, analyzer, anomaly
// detector), kafka_cluster_state (per-broker counts and log dirs, unhealthy partitions) and load (per-broker
// load). Plain data with std types only: Beast-, nlohmann- and CAF-free.
//
// Field names follow CC's JSON keys in snake_case; the JSON key is in each comment. Numbers CC does not
// send default to 0, strings to "".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kactor::integrations::cruisecontrol {

/// MonitorState: is there enough load history to compute proposals.
struct monitor_state {
  std::string state; ///< state: RUNNING, SAMPLING, PAUSED, BOOTSTRAPPING, TRAINING, LOADING, NOT_STARTED
  int32_t num_monitored_windows = 0; ///< numMonitoredWindows: windows with valid samples
  double monitoring_coverage_pct = 0; ///< monitoringCoveragePct
  int32_t num_valid_partitions = 0;   ///< numValidPartitions
  int32_t num_total_partitions = 0;   ///< numTotalPartitions
  int32_t num_flawed_partitions = 0;  ///< numFlawedPartitions
  double training_pct = 0;            ///< trainingPct
  bool trained = false;               ///< trained
  std::optional<double> loading_progress_pct;   ///< loadingProgressPct (LOADING only)
  std::optional<double> bootstrap_progress_pct; ///< bootstrapProgressPct (BOOTSTRAPPING only)
  std::string error;                            ///< error, when the monitor reports one
};

/// ExecutorState: what CC is moving now.
struct executor_state {
  std::string state; ///< state: NO_TASK_IN_PROGRESS, INTER_BROKER_REPLICA_MOVEMENT_TASK_IN_PROGRESS, ...
  std::string triggered_user_task_id;        ///< triggeredUserTaskId: the task being executed
  std::string triggered_self_healing_task_id; ///< triggeredSelfHealingTaskId
  std::string triggered_task_reason;         ///< triggeredTaskReason
  int32_t num_total_partition_movements = 0;       ///< numTotalPartitionMovements
  int32_t num_finished_partition_movements = 0;    ///< numFinishedPartitionMovements
  int32_t num_in_progress_partition_movements = 0; ///< numInProgressPartitionMovements
  int32_t num_pending_partition_movements = 0;     ///< numPendingPartitionMovements
  int32_t num_total_leadership_movements = 0;      ///< numTotalLeadershipMovements
  int32_t num_finished_leadership_movements = 0;   ///< numFinishedLeadershipMovements
  int64_t total_data_to_move_mb = 0;               ///< totalDataToMove
  int64_t finished_data_movement_mb = 0;           ///< finishedDataMovement
  std::vector<int32_t> recently_removed_brokers;   ///< recentlyRemovedBrokers
  std::vector<int32_t> recently_demoted_brokers;   ///< recentlyDemotedBrokers

  /// True when CC executes nothing (state NO_TASK_IN_PROGRESS).
  bool idle() const { return state == "NO_TASK_IN_PROGRESS"; }
};

/// AnalyzerState: can proposals be computed.
struct analyzer_state {
  bool is_proposal_ready = false;       ///< isProposalReady
  std::vector<std::string> ready_goals; ///< readyGoals
};

/// AnomalyDetectorState, the basics.
struct anomaly_detector_state {
  std::vector<std::string> self_healing_enabled;  ///< selfHealingEnabled: anomaly types
  std::vector<std::string> self_healing_disabled; ///< selfHealingDisabled
  double balancedness_score = 0;                  ///< balancednessScore
  int32_t recent_broker_failures = 0;             ///< recentBrokerFailures (count)
  int32_t recent_goal_violations = 0;             ///< recentGoalViolations (count)
  int32_t recent_disk_failures = 0;               ///< recentDiskFailures (count)
  int32_t recent_metric_anomalies = 0;            ///< recentMetricAnomalies (count)
  int64_t ongoing_anomaly_duration_ms = 0;        ///< metrics.ongoingAnomalyDurationMs
};

/// GET state: each part is present when CC sent it (state() asks for all four).
struct cc_state {
  std::optional<monitor_state> monitor;                   ///< MonitorState
  std::optional<executor_state> executor;                 ///< ExecutorState
  std::optional<analyzer_state> analyzer;                 ///< AnalyzerState
  std::optional<anomaly_detector_state> anomaly_detector; ///< AnomalyDetectorState
};

/// One broker in KafkaBrokerState (kafka_cluster_state).
struct broker_cluster_state {
  int32_t id = -1;
  int32_t replicas = 0;         ///< ReplicaCountByBrokerId
  int32_t leaders = 0;          ///< LeaderCountByBrokerId
  int32_t out_of_sync = 0;      ///< OutOfSyncCountByBrokerId
  int32_t offline_replicas = 0; ///< OfflineReplicaCountByBrokerId
  bool is_controller = false;   ///< IsController
  std::vector<std::string> online_log_dirs;  ///< OnlineLogDirsByBrokerId
  std::vector<std::string> offline_log_dirs; ///< OfflineLogDirsByBrokerId
};

/// One partition in KafkaPartitionState.
struct partition_state {
  std::string topic;
  int32_t partition = 0;
  int32_t leader = -1;
  std::vector<int32_t> replicas, in_sync, out_of_sync, offline; ///< replicas, in-sync, out-of-sync, offline
  int32_t min_isr = 0;                                          ///< min-isr
};

/// GET kafka_cluster_state.
struct kafka_cluster_state {
  std::vector<broker_cluster_state> brokers; ///< every broker any map mentions, by id
  std::vector<partition_state> offline;               ///< KafkaPartitionState.offline
  std::vector<partition_state> with_offline_replicas; ///< KafkaPartitionState.with-offline-replicas
  std::vector<partition_state> under_replicated;      ///< KafkaPartitionState.urp
  std::vector<partition_state> under_min_isr;         ///< KafkaPartitionState.under-min-isr

  const broker_cluster_state* find(int32_t id) const;
};

/// BrokerState in the load answer.
enum class broker_state { alive, new_broker, dead, demoted, bad_disks, unknown };

/// "ALIVE", "NEW", "DEAD", "DEMOTED", "BAD_DISKS", "UNKNOWN".
const char* to_string(broker_state s);

/// One log dir of a broker (DiskState; JBOD only).
struct disk_load {
  std::string log_dir;
  bool dead = false; ///< CC writes "DEAD" instead of the numbers
  double disk_mb = 0, disk_pct = 0;
  int32_t replicas = 0, leaders = 0; ///< NumReplicas, NumLeaderReplicas
};

/// One entry of brokers[] in the load answer (and in loadAfterOptimization).
struct broker_load {
  int32_t id = -1;                                 ///< Broker
  std::string host;                                ///< Host
  std::string rack;                                ///< Rack
  broker_state state = broker_state::unknown;      ///< BrokerState
  int32_t replicas = 0, leaders = 0;               ///< Replicas, Leaders
  double disk_mb = 0, disk_pct = 0;                ///< DiskMB, DiskPct
  double disk_capacity_mb = 0;                     ///< DiskCapacityMB
  double cpu_pct = 0;                              ///< CpuPct
  double leader_nw_in_rate = 0, follower_nw_in_rate = 0, nw_out_rate = 0; ///< KB/s
  std::vector<disk_load> disks;                    ///< DiskState, by log dir
  /// DiskState was in the answer (CC sends it only with populate_disk_info=true, for brokers it models
  /// per disk). false: no per-disk data at all — `disks` is empty and says nothing about the disks.
  bool disk_state = false;
};

} // namespace kactor::integrations::cruisecontrol
