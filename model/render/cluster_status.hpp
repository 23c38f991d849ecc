// KafkaCluster.status in Koperator's shape from what the brokers report, plus standard Conditions.
//
// state: ClusterReconciling until every broker is in sync, ClusterRollingUpgrading while a restart permit
// is held, ClusterRunning when every broker is in sync and ready. brokersState[id]: configurationState
// ConfigInSync / ConfigOutOfSync, image, version, gracefulActionState (cruiseControlState
// GracefulUpscaleSucceeded for a running broker; GracefulDownscaleRequired for a broker removed from the
// spec but still running — it is drained before it is deleted). Conditions (type, status, reason,
// message, lastTransitionTime): Ready, SpecValid (False with the field paths of an invalid spec), and
// Progressing. A condition keeps its lastTransitionTime from `previous` while its status is unchanged, so
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

  bool operator==(const broker_report&) const = default;
};

/// The inputs of one status rendering.
struct status_inputs {
  std::map<int32_t, broker_report> brokers;
  field_errors spec_errors;            ///< the spec does not validate: nothing was changed
  std::optional<int32_t> permit_holder; ///< the broker restarting now
  std::string now;                      ///< RFC 3339, for new transitions
};

/// The status object; `previous` is the CR's current status JSON (may be null).
json render_cluster_status(const kafka_cluster& c, const status_inputs& in, const json& previous);

} // namespace kactor::model
