// The cluster actor: one per KafkaCluster. Each pass reads the CR from the cache, validates it and
// renders the desired state with model/ (an invalid spec changes nothing: it shows the field paths in a
// status condition and an Event), creates or updates the cluster-level Services and PDB, spawns and feeds
// one broker actor per broker id and restarts a crashed one with backoff (alone), runs rolling restarts
// by granting restart permits as model::plan_roll decides from the brokers' standing and Kafka's
// partitions (described through the Kafka admin, fresh after every change, polled while a roll runs), stops
// a roll whose restarted broker is not back within actor_settings::roll_timeout (condition + Event, never
// forcing on), brings clusterWideConfig in force through the admin, and writes KafkaCluster.status in
// Koperator's shape — only when it differs. A broker removed from the spec
// keeps running under its actor and is marked GracefulDownscaleRequired: it is never deleted undrained.
// The CR carries a finalizer; when the CR is deleted the broker actors stop, the finalizer is removed and
// the actor ends (owner references collect pods, ConfigMaps and Services; PVCs are kept).
#pragma once

#include <string>

#include <caf/fwd.hpp>

#include "actors/kube_access.hpp"
#include "messages/messages.hpp"

namespace kactor::actors {

/// Spawns the actor for KafkaCluster `ns`/`name`.
messages::cluster_actor spawn_cluster_actor(caf::actor_system& sys, std::string ns, std::string name, kube_ports kube);

} // namespace kactor::actors
