// KafkaCluster.status in Koperator's shape from what the brokers report, plus standard Conditions.
//
// state: ClusterReconciling until every broker is in sync, ClusterRollingUpgrading while a broker holds a
// restart permit or waits for one (or the roll is stopped), ClusterRunning when every broker is in sync
// and ready. brokersState[id]: configurationState
// ConfigInSync / ConfigOutOfSync, image, version, gracefulActionState (cruiseControlState
// GracefulUpscaleSucceeded for a running broker; GracefulDownscaleRequired for a broker removed from the
// spec but still running — it is drained before it is deleted). Conditions (type, status, reason,
// message, lastTransitionTime): Ready, SpecValid (False with the field paths of an invalid spec), and
// Progressing; RollingUpgrade (True while a roll runs, with the gate each waiting broker is held by —
// "waiting: broker 3: orders-3 would fall below min.insync.replicas (isr 2, min 2)"; False with reason
// Stopped when a restarted broker did not come back in time) once a roll has happened; and
// CruiseControl once graceful operations involved it (True while reachable, message: what waits on it;
// False with reason Unavailable and the error when not); and
// DynamicConfigApplied when a Kafka admin applies brokerConfig.config and clusterWideConfig (False with
// Kafka's refusal). rollingUpgradeStatus.lastSuccess is stamped when a roll ends. A condition keeps its lastTransitionTime from `previous` while its status is unchanged, so
// an unchanged cluster renders an identical status and causes no write.
//
// Pure: no I/O, no clock (the time comes in as `now`), no randomness, safe from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/kafka_cluster.hpp"
#include "model/status.hpp"

namespace kactor::model {

/// What one broker actor last reported.
struct broker_report {
  int32_t id = 0;
  bool in_sync = false;
  bool pod_ready = false;
  bool restarting = false;
  bool removed_from_spec = false; ///< running but no longer in spec.brokers
  std::string image;
  std::string version;
  std::vector<std::string> refusals;
  std::string last_error; ///< the last failed write, empty when the last pass succeeded
  /// The dynamic per-broker config: "" when not managed (no Kafka admin), "InSync", "OutOfSync" or "Error".
  std::string config_state;
  std::string config_error; ///< Kafka's refusal when config_state is "Error"
  std::string rack;         ///< broker.rack as its ConfigMap has it; "" while unknown or without one

  bool operator==(const broker_report&) const = default;
};

/// The inputs of one status rendering.
struct status_inputs {
  std::map<int32_t, broker_report> brokers;
  field_errors spec_errors;            ///< the spec does not validate: nothing was changed
  std::vector<int32_t> restarting;             ///< brokers holding a restart permit
  std::map<int32_t, std::string> roll_waiting; ///< brokers waiting to restart → the gate holding them
  std::string roll_stopped;                    ///< why the roll stopped; "" while it did not
  bool dynamic_config_managed = false;         ///< a Kafka admin applies the dynamic configs
  std::string cluster_config_state;            ///< clusterWideConfig: "", "InSync", "OutOfSync", "Error"
  std::string cluster_config_error;
  /// gracefulActionState per broker as model::plan_graceful decided; a broker not listed keeps the simple
  /// form (GracefulUpscaleSucceeded, or GracefulDownscaleRequired when it left the spec). Brokers listed
  /// here are listed in brokersState even without a report.
  std::map<int32_t, graceful_action_state> graceful;
  bool cruise_control_involved = false; ///< graceful operations wait on Cruise Control (CruiseControl condition)
  std::vector<std::string> cruise_control_waiting; ///< what waits, model::graceful_plan::waiting
  std::string cruise_control_error;     ///< Cruise Control could not be reached or answered an error
  std::string now;                      ///< RFC 3339, for new transitions
};

/// The status object; `previous` is the CR's current status JSON (may be null).
json render_cluster_status(const kafka_cluster& c, const status_inputs& in, const json& previous);

/// The brokers of c's spec without a report in `reports`. While there are any, a rendered status says too
/// little: a broker without a report counts as not ready, so an operator that has just (re)started would
/// write Ready=False and Progressing=True over a healthy cluster's status, then write it back once its
/// broker actors report (two needless writes per cluster on every restart). The cluster actor holds its
/// status write while this is not empty, for a bounded time (actor_settings::status_report_wait).
std::vector<int32_t> unreported_brokers(const kafka_cluster& c, const std::map<int32_t, broker_report>& reports);

} // namespace kactor::model
