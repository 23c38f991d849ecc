// Graceful operations: the brokers and disks that need Cruise Control to move data (model::plan_graceful),
// the CruiseControlOperations created for them, the Cruise Control actor that runs them, Cruise Control's
// view of the brokers kept fresh while anything waits on it, and the disks kept mounted until drained.
// Runs on the cluster actor's thread.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <caf/fwd.hpp>
#include <nlohmann/json.hpp>

#include "actors/cluster/cluster_state.hpp"
#include "model/diff/graceful_plan.hpp"
#include "model/render/desired_state.hpp"

namespace kactor::actors {

/// What the caches hold of the cluster's brokers: disks (mount paths of their PVCs), their PVCs' specs, and
/// the order the running pod mounts its disks in.
struct observed_brokers {
  std::map<int32_t, std::vector<std::string>> disks;
  std::map<int32_t, std::map<std::string, nlohmann::json>> pvc_specs; ///< id → mount path → PVC spec
  std::map<int32_t, std::vector<std::string>> mount_order;
  std::map<int32_t, std::set<std::string>> pod_mounts; ///< brokers with a pod (terminating too) → what it mounts
};

/// Reads the brokers' objects from the caches (their summaries, not whole objects).
observed_brokers observe_brokers(const cluster_state& st);

/// Decides the graceful operations, creates the operations the plan asks for and keeps Cruise Control's
/// view fresh while anything waits on it.
model::graceful_plan plan_operations(cluster_self self, const model::kafka_cluster& c, const observed_brokers& obs);

/// The disks kept mounted until Cruise Control has moved their data off.
model::render_overrides kept_disks(const model::graceful_plan& plan, const observed_brokers& obs);

/// A CruiseControlOperation changed: Cruise Control's last view may predate it.
void on_operation_changed(cluster_self self, const messages::object_changed& ev);
/// Cruise Control's view of the brokers arrived.
void on_cruise_control_observed(cluster_self self, messages::cruise_control_observed& o);
/// The Secret with the cluster's Cruise Control credentials was read.
void on_cc_credentials_read(cluster_self self, messages::cc_credentials_read& r);
/// The Cruise Control poll timer fired.
void on_cc_poll(cluster_self self);
/// An actor stopped: true if it was the Cruise Control actor (respawned by a later pass).
bool on_cruise_control_actor_down(cluster_self self, const caf::down_msg& dm);
/// The operation a create was asked for was refused: the next pass decides again.
void on_operation_create_failed(cluster_self self, const std::string& name);

} // namespace kactor::actors
