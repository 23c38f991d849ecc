// The graceful-operation decision: which brokers and disks need Cruise Control to move data, which
// CruiseControlOperations to create for that, and which brokers and disks are drained so that their
// objects may go. The cluster actor persists the result in status.brokersState[id].gracefulActionState
// (Koperator's shape), so an operator restart re-derives the same decision from the CR, the operations and
// Cruise Control — nothing is remembered in memory.
//
// States (Koperator's words): Graceful{Upscale,Downscale}{Required, Scheduled, Running, Succeeded,
// CompletedWithError, Paused} per broker; GracefulDisk{Rebalance,Removal}{...} per volume (mount path).
// Scheduled: the operation exists, Cruise Control has not taken it; Running: it is being executed (or
// retried); Paused: the operation carries the label pause=true.
//
// Rules:
// - A spec broker with no state yet is UpscaleSucceeded when the cluster is new (nothing to move onto it),
//   else UpscaleRequired. All UpscaleRequired brokers go into one add_broker, created once Cruise Control
//   sees every one of them (ALIVE or NEW).
// - A broker that still has objects but left the spec is DownscaleRequired; all of them go into one
//   remove_broker (no precondition: Cruise Control drains live and dead brokers alike) that names every
//   leaving broker still holding objects (also those already drained, so that no proposal moves replicas
//   onto them) with exclude_recently_removed_brokers=true; it is created only when no other remove_broker
//   is unfinished (brokers leaving meanwhile stay Required and wait for it). Its operation Completed makes it
//   DownscaleSucceeded only when a fresh Cruise Control answer *lists* it with zero replicas and zero
//   offline replicas and with no "broker_dead" / "timed_out" log dir: not listed, dead, timed out or no
//   answer all mean unknown, never empty (the real kafka_cluster_state omits a dead broker holding only
//   leaderless partitions). Completed with replicas left: Required again (a new operation). A broker put
//   back into the spec while draining is UpscaleRequired.
// - Nothing of a leaving broker is deleted on Cruise Control's word alone. While DownscaleSucceeded, every
//   decision also needs Kafka's own metadata (`kafka_replicas`: every partition's whole replica set,
//   offline replicas included, asked after the last change): no fresh answer → held (nothing stops or is
//   deleted; `waiting` says why); a replica still named on the broker → Required again (drained again);
//   none named → the pod is stopped first (`stop_brokers`: the broker goes down holding nothing), and
//   once it has no pod and a fresh answer — asked after the pod went — still names nothing, its objects
//   go (`remove_brokers`). Cruise Control showing replicas on it at any point also sends it back. A
//   DownscaleSucceeded broker in neither list is held as it is (a stopped one is not started again).
// - A new disk (mount path in the spec, PVC present, no volume state) of a broker that existed before is
//   DiskRebalanceRequired; once Cruise Control lists its log dir (mount path + "/kafka") online, the brokers
//   with such disks get one rebalance with destination_broker_ids = them and rebalance_disk = true. Disks a
//   broker is created with are DiskRebalanceSucceeded at once.
// - A disk whose PVC exists but which left the spec is DiskRemovalRequired → one remove_disks for all such
//   log dirs → DiskRemovalSucceeded when it Completed and a fresh answer *with per-disk figures* for its
//   broker (load?populate_disk_info=true) shows its log dir with no replica; no figures, the broker or
//   the log dir not listed, or no answer: unknown, it stays mounted. While the broker's pod still mounts
//   the disk (or has no pod), the check is made again on every decision: replicas back on it → Required
//   again; unknown → kept mounted. Until then it is listed in `keep_disks` (the renderer keeps it
//   mounted, so no restart happens before the data left it); then in `remove_disks` (the broker restarts
//   without it and its PVC is deleted once the running pod no longer mounts it). A volume state
//   disappears with its PVC.
// - An operation: "" (not taken yet) → Scheduled; Active, InExecution, or CompletedWithError under
//   errorPolicy retry (Cruise Control's actor retries it) → Running; Completed → Succeeded (see above for
//   removals); CompletedWithError under errorPolicy ignore → CompletedWithError (nothing is deleted; delete
//   the operation to start over); a referenced operation that no longer exists puts the item back to
//   Required, unless it had succeeded.
// - No duplicates: an unfinished operation of the same kind whose brokers (log dirs) include the item's is
//   adopted instead of creating another — also across an operator restart that lost the status write.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/kafka_cluster.hpp"

namespace kactor::model {

/// CruiseControlOperation kinds, in Koperator's priority order (lower runs first).
enum class cc_operation_kind { add_broker, remove_broker, remove_disks, rebalance };

/// "add_broker", "remove_broker", "remove_disks", "rebalance".
const char* to_string(cc_operation_kind k);
/// The kind named by `s`, or nullopt.
std::optional<cc_operation_kind> parse_cc_operation_kind(const std::string& s);

/// One CruiseControlOperation as observed (see parse_cc_operation).
struct cc_operation {
  std::string name;
  cc_operation_kind kind = cc_operation_kind::rebalance;
  std::map<std::string, std::string> parameters; ///< status.currentTask.parameters
  std::string task_id;                           ///< status.currentTask.id
  std::string state;        ///< status.currentTask.state: "" (not taken), Active, InExecution, Completed, CompletedWithError, Unknown
  std::string error_policy = "retry"; ///< spec.errorPolicy (status.errorPolicy when the spec has none)
  bool paused = false;                ///< label pause=true
  int64_t retry_count = 0;            ///< status.retryCount
  std::string error_message;          ///< status.currentTask.errorMessage
  std::string started, finished;      ///< status.currentTask.started / finished (RFC 3339)
  std::optional<int64_t> ttl_seconds_after_finished; ///< spec.ttlSecondsAfterFinished
  std::string creation_timestamp;     ///< metadata.creationTimestamp

  /// CompletedWithError, or Unknown (Cruise Control no longer knows the task: never a success).
  bool failed() const;
  /// Completed, or failed under errorPolicy ignore: nothing more will happen to it.
  bool finished_for_good() const;
  /// The broker ids its parameters name (brokerid, destination_broker_ids, brokerid_and_logdirs).
  std::vector<int32_t> brokers() const;
  /// brokerid_and_logdirs as broker → log dirs (remove_disks).
  std::map<int32_t, std::vector<std::string>> log_dirs() const;

  bool operator==(const cc_operation&) const = default;
};

/// What Cruise Control says about one broker (kafka_cluster_state and load).
struct cc_broker_view {
  std::string state; ///< ALIVE, NEW, DEAD, DEMOTED, BAD_DISKS; "" when CC does not list the broker
  int32_t replicas = 0;
  int32_t offline_replicas = 0;
  std::vector<std::string> online_log_dirs;
  std::map<std::string, int32_t> log_dir_replicas; ///< JBOD brokers: replicas per log dir (load's DiskState)
  /// Listed by kafka_cluster_state (a broker only load names, or none, is "not listed": unknown, never empty).
  bool listed = false;
  /// load carried per-disk figures for it (asked with populate_disk_info=true); without them
  /// log_dir_replicas says nothing.
  bool disk_data = false;

  bool operator==(const cc_broker_view&) const = default;
};

/// The inputs of one decision.
struct graceful_inputs {
  std::string cluster;                                      ///< the KafkaCluster's name (operation names)
  std::map<int32_t, std::vector<std::string>> spec_disks;   ///< spec brokers → mount paths of their PVC disks
  std::map<int32_t, std::vector<std::string>> observed_disks; ///< brokers with objects → mount paths of their PVCs
  std::map<int32_t, graceful_action_state> previous;        ///< status.brokersState[id].gracefulActionState
  /// Nodes outside the graceful flows (KRaft controller-only nodes: Cruise Control moves no data of theirs).
  std::set<int32_t> ignored;
  bool new_cluster = false;                                 ///< no broker has a state yet
  std::vector<cc_operation> operations;                     ///< this cluster's operations
  /// A Cruise Control answer newer than the last change, by broker id; nullopt: none (unreachable, not
  /// configured, or not asked yet) — then nothing that needs it is decided.
  std::optional<std::map<int32_t, cc_broker_view>> cruise_control;
  std::string name_suffix; ///< makes new operation names unique (the caller's clock, e.g. "1732600000")
  /// Kafka's own word: replicas each broker holds by Kafka's metadata (every partition's whole replica set,
  /// offline replicas included; a broker holding none is absent), from an answer asked after the last
  /// change; nullopt: no such answer (no admin, unreachable, failed or stale) — then nothing is stopped
  /// or deleted.
  std::optional<std::map<int32_t, int32_t>> kafka_replicas;
  /// Brokers that have a pod (terminating included) → the mount paths it mounts.
  std::map<int32_t, std::set<std::string>> pod_mounts;
  /// Whether operations can be created at all (a Cruise Control and the CruiseControlOperation CRD are
  /// there). Without: nothing is created, the items that would be Scheduled stay Required (with no
  /// operation name) and `needs_cruise_control` says that they wait.
  bool cruise_control_available = true;
};

/// An operation to create.
struct cc_operation_request {
  std::string name; ///< "<cluster>-<kind with dashes>-<suffix>"
  cc_operation_kind kind = cc_operation_kind::rebalance;
  std::map<std::string, std::string> parameters; ///< as Cruise Control takes them (brokerid=1,2 ...)

  bool operator==(const cc_operation_request&) const = default;
};

/// The decision.
struct graceful_plan {
  std::map<int32_t, graceful_action_state> states;        ///< every broker in the spec or with objects
  std::vector<cc_operation_request> create;               ///< at most one per kind
  /// Leaving brokers drained (Cruise Control and Kafka agree): stop the pod, keep everything else.
  std::vector<int32_t> stop_brokers;
  /// Leaving brokers drained and stopped, Kafka naming nothing on them again: delete ConfigMap, Service, PVCs.
  std::vector<int32_t> remove_brokers;
  std::map<int32_t, std::set<std::string>> keep_disks;    ///< mount paths to keep mounted (not yet drained)
  std::map<int32_t, std::set<std::string>> remove_disks;  ///< mount paths drained: unmount, delete the PVC
  std::vector<std::string> waiting; ///< what waits and on what: "broker 1: remove_broker kafka-remove-broker-17 InExecution"
  bool needs_cruise_control = false; ///< something waits on a Cruise Control answer or operation
  bool needs_kafka = false; ///< a decision waits on a fresh answer from Kafka's metadata
};

/// The log dir Kafka uses on a disk (server.properties log.dirs).
std::string log_dir_of(const std::string& mount_path);

/// The decision; see the file comment.
graceful_plan plan_graceful(const graceful_inputs& in);

} // namespace kactor::model
