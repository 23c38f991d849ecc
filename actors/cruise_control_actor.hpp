// The Cruise Control actor: one per KafkaCluster that has a Cruise Control. It runs the cluster's
// CruiseControlOperations — one at a time, as model::schedule_cc_operations orders them — and records every
// step in the operation's status (Koperator's shape: currentTask, retryCount, failedTasks), so an operator
// restart continues from the CRs. It polls a task in flight every actor_settings::cc_poll, resubmits a
// failed or Unknown one under errorPolicy retry after its backoff, waits (no failure counted) while Cruise
// Control is busy, not ready or unreachable, skips operations labelled pause=true, and deletes finished
// ones after ttlSecondsAfterFinished. On request (refresh) it asks Cruise Control for its view of the
// brokers and sends it to the cluster actor, which decides what operations to create.
#pragma once

#include <memory>
#include <string>

#include <caf/fwd.hpp>

#include "actors/kube_access.hpp"
#include "integrations/cruisecontrol/api.hpp"
#include "messages/messages.hpp"

namespace kactor::actors {

/// Spawns the actor for KafkaCluster `ns`/`name`, reporting to `cluster`.
messages::cruise_control_actor spawn_cruise_control_actor(caf::actor_system& sys, std::string ns, std::string name,
                                                          kube_ports kube,
                                                          std::shared_ptr<integrations::cruisecontrol::cruise_control> cc,
                                                          messages::cluster_actor cluster);

/// Objects this process wrote but the cache may not show yet: name → (the resourceVersion the write
/// replaced, the object written). While the cache still holds that version, the written object counts.
using written_operations = std::map<std::string, std::pair<std::string, nlohmann::json>>;

/// The cluster's CruiseControlOperations from the cache, parsed (ones that do not parse are skipped);
/// `written` entries the cache has caught up with are dropped from it.
std::vector<model::cc_operation> cluster_operations(const kube_access& kube, const std::string& ns, const std::string& name,
                                                    written_operations* written = nullptr);

} // namespace kactor::actors
