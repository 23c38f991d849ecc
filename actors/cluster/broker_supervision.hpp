// Broker supervision: one broker actor per broker id of the spec (and per broker that left the spec but
// still has objects), each fed its desired state only when that changed; a crashed broker actor is
// respawned alone after a back-off; a leaving broker is fed from its configuration backup while it
// drains, then told to stop and to delete its objects; a broker gone from the
// spec and from the cluster is forgotten. Runs on the cluster actor's thread.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include <caf/fwd.hpp>

#include "actors/cluster/cluster_state.hpp"
#include "model/diff/graceful_plan.hpp"
#include "model/render/desired_state.hpp"

namespace kactor::actors {

/// What the brokers of the spec get to work from, rendered only where the inputs changed since it was sent.
struct broker_feed {
  std::set<int32_t> in_spec;
  std::map<int32_t, uint64_t> digest;                ///< per broker in the spec
  std::map<int32_t, std::set<std::string>> released; ///< PVCs a broker may delete (disks moved off)
  std::map<int32_t, model::broker_objects> rendered; ///< only the brokers whose digest changed
  /// Brokers that left the spec, still draining, rendered from their configuration backups
  /// (model::with_restored_brokers): they keep running — recreated if their pod dies — until drained.
  std::set<int32_t> restored;
  std::optional<model::kafka_cluster> restored_cluster; ///< the spec with them put back (rendering only)
  model::field_errors backup_errors;                   ///< backups that restore nothing
};

/// Renders the brokers whose inputs changed into `feed`; the first rendering error (nothing is sent then).
std::optional<std::string> prepare_feed(const cluster_state& st, const model::kafka_cluster& c,
                                        const model::render_overrides& overrides, const model::graceful_plan& graceful,
                                        broker_feed& feed);

/// Spawns, feeds, drains and forgets broker actors as the spec and the graceful plan say.
void feed_brokers(cluster_self self, const model::kafka_cluster& c, const model::render_overrides& overrides,
                  broker_feed& feed, const model::graceful_plan& graceful);

/// A broker's new standing: remembered for the roll and the status; its wish for a permit queued.
void on_broker_report(cluster_self self, const messages::broker_reported& r);

/// A broker actor stopped: true if it was one (respawned after a back-off, its permit back in the pool).
bool on_broker_actor_down(cluster_self self, const caf::down_msg& dm);

/// Stops every broker actor (and the Cruise Control actor): the CR is gone or being deleted.
void stop_brokers(cluster_self self);

} // namespace kactor::actors
