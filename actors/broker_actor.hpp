// The broker actor: owns exactly one broker's Pod, ConfigMap, PVCs and Service. Each pass reads what the
// cluster holds from the watch caches, asks model::plan_broker what to write, starts the writes and
// reports its standing to its cluster actor. It recreates a missing or failed pod by itself, restarts its
// pod for a new revision only while it holds a restart permit, grows PVCs, never shrinks or deletes them.
// A failed write backs this broker off alone (jittered exponential delay); the others carry on. Nothing
// is remembered that the caches can tell, so a restarted actor re-derives the same decisions. While its pod
// serves, it brings the broker's dynamic config (brokerConfig.config and the live listener keys) in force
// through the Kafka admin — no restart — once per pod and config; a value Kafka refuses is reported
// (PerBrokerConfigError, an Event) and not retried until the spec changes.
#pragma once

#include <cstdint>
#include <string>

#include <caf/fwd.hpp>

#include "actors/kube_access.hpp"
#include "messages/messages.hpp"

namespace kactor::actors {

/// Which broker an actor owns.
struct broker_identity {
  std::string namespace_;
  std::string cluster;
  int32_t id = 0;
};

/// Spawns the actor for `who`, reporting to `cluster`.
messages::broker_actor spawn_broker_actor(caf::actor_system& sys, broker_identity who, kube_ports kube,
                                          messages::cluster_actor cluster,
                                          std::shared_ptr<integrations::kafka::kafka_admin> admin);

} // namespace kactor::actors
