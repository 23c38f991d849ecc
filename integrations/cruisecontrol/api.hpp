// The Cruise Control port: what kactor's actors ask a cluster's Cruise Control (its state, the brokers'
// replicas, leaders, log dirs and load, the user tasks) and the operations they start on it (add, remove
// and demote brokers, rebalance, move replicas off disks, stop the execution).
//
// Asynchronous: every call's callback runs once, later on the implementation's I/O thread — except for a
// call refused before anything is sent (arguments CC cannot take, a stopped client), whose callback runs
// on the calling thread before the call returns. Callbacks must not block and
// must not call stop(). Failures arrive as typed cc_errors; nothing throws. Implementations are
// thread-safe. Operations are never retried by the client: a POST CC may have accepted is not sent twice
// (resubmit it with operation_options::user_task_id to learn what became of it).
//
// Beast-, nlohmann- and CAF-free: actors include this header only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "integrations/cruisecontrol/cc_error.hpp"
#include "integrations/cruisecontrol/cc_state.hpp"
#include "integrations/cruisecontrol/cc_tasks.hpp"
#include "model/cruisecontrol/cc_credentials.hpp"

namespace kactor::integrations::cruisecontrol {

/// Parameters shared by the operations. Every operation is sent with json=true and dryrun=false unless
/// dry_run is set.
struct operation_options {
  /// Non-empty: sent as the User-Task-ID header. CC then answers with that task's status instead of
  /// starting a new one, provided the operation and its arguments are identical to the original request;
  /// a task CC does not know (restarted, evicted) fails with not_found.
  std::string user_task_id;
  bool dry_run = false;
  /// add_broker, remove_broker, rebalance: skip_hard_goal_check (always sent).
  bool skip_hard_goal_check = false;
  /// add_broker, remove_broker, rebalance, demote_broker: sent only when set, else CC's default applies
  /// (demoted: false; removed: true for rebalance in CC 2.5).
  std::optional<bool> exclude_recently_demoted_brokers;
  std::optional<bool> exclude_recently_removed_brokers; ///< not for demote_broker
};

/// The port; see the file comment.
class cruise_control {
public:
  template <class T>
  using callback = std::function<void(cc_result<T>)>;

  virtual ~cruise_control() = default;

  /// GET state with every substate (monitor, executor, analyzer, anomaly detector).
  virtual void state(callback<cc_state> cb) = 0;
  /// GET kafka_cluster_state: per-broker replica, leader, out-of-sync counts and log dirs. Sparse as CC is:
  /// replicas of partitions without a leader are counted nowhere, and a dead broker holding only those is
  /// not listed at all — "not listed" never means "holds nothing".
  virtual void kafka_cluster_state(callback<cruisecontrol::kafka_cluster_state> cb) = 0;
  /// GET load with populate_disk_info=true: per-broker load and state (ALIVE, NEW, DEAD, DEMOTED,
  /// BAD_DISKS) and, where CC has them, per-disk figures (broker_load::disk_state says whether it sent any).
  virtual void load(callback<std::vector<broker_load>> cb) = 0;
  /// GET user_tasks with fetch_completed_task=true; `ids` empty: every task CC remembers. An id CC does
  /// not return fails the call with not_found naming it (CC restarted or evicted the task).
  virtual void user_tasks(std::vector<std::string> ids, callback<std::vector<user_task>> cb) = 0;

  /// POST add_broker: move replicas onto `broker_ids`.
  virtual void add_broker(std::vector<int32_t> broker_ids, operation_options opts, callback<operation_result> cb) = 0;
  /// POST remove_broker: move every replica off `broker_ids`.
  virtual void remove_broker(std::vector<int32_t> broker_ids, operation_options opts,
                             callback<operation_result> cb) = 0;
  /// POST rebalance; destination_broker_ids empty: all brokers; rebalance_disk: between a broker's disks.
  virtual void rebalance(std::vector<int32_t> destination_broker_ids, bool rebalance_disk, operation_options opts,
                         callback<operation_result> cb) = 0;
  /// POST remove_disks: move replicas off the log dirs, broker id → log dirs (brokerid_and_logdirs).
  virtual void remove_disks(std::map<int32_t, std::vector<std::string>> log_dirs, operation_options opts,
                            callback<operation_result> cb) = 0;
  /// POST demote_broker: move leaderships off `broker_ids`.
  virtual void demote_broker(std::vector<int32_t> broker_ids, operation_options opts,
                             callback<operation_result> cb) = 0;
  /// POST stop_proposal_execution: stop the ongoing execution (result.message says what CC did).
  virtual void stop_proposal_execution(callback<operation_result> cb) = 0;

  /// Fails everything outstanding with unavailable ("client stopped") and releases the connections;
  /// later calls fail the same way at once. Blocks until every outstanding callback has run (requests on
  /// the wire fail on the I/O thread, a GET waiting to poll again on the calling thread). Idempotent; not
  /// from a callback.
  virtual void stop() = 0;
};

/// Which Cruise Control a KafkaCluster uses: spec.cruiseControlConfig.cruiseControlEndpoint, else
/// Koperator's service "http://<name>-cruisecontrol-svc.<namespace>.svc.<domain>:8090".
struct cluster_endpoint {
  std::string namespace_;
  std::string name;     ///< the KafkaCluster's name
  std::string endpoint; ///< "http://host:port[/prefix]"
  /// From the Secret the cluster's spec names (spec.cruiseControlConfig.credentialsSecretRef): they replace
  /// the factory's own (the `kactor run` flags') as a whole; nullopt: the factory's own.
  std::optional<model::cruise_control_credentials> credentials;
  /// Called (on the caller's thread, before the factory returns nullptr) with why no client can be made —
  /// a message that names the endpoint, never a credential.
  std::function<void(const std::string&)> on_error;
};

/// Gives the client for a cluster; the same cluster gives the same (shared) client while it is held.
/// nullptr: no Cruise Control can be reached for it (the graceful operations then wait, visibly).
using cruise_control_factory = std::function<std::shared_ptr<cruise_control>(const cluster_endpoint&)>;

} // namespace kactor::integrations::cruisecontrol
