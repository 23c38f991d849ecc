// The operator actor: one per process. It spawns a cluster actor for every KafkaCluster the watch cache
// holds, routes each watched change to the cluster actor it concerns (by namespace and the kafka_cr
// label), and restarts a cluster actor that died with backoff while its CR still exists. A resync
// (start-up) makes every cluster actor run a full pass.
#pragma once

#include <caf/fwd.hpp>

#include "actors/kube_access.hpp"
#include "messages/messages.hpp"

namespace kactor::actors {

messages::operator_actor spawn_operator_actor(caf::actor_system& sys, kube_ports kube);

} // namespace kactor::actors
