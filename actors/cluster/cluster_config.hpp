// The cluster-wide dynamic configuration (spec.clusterWideConfig): brought in force through the Kafka admin
// as the cluster-wide default once any broker serves, as the broker actors do their own; a value Kafka
// refuses is not asked again until the spec changes. Also makes the cluster's Kafka admin. Runs on the
// cluster actor's thread.
#pragma once

#include <memory>
#include <string>

#include "actors/cluster/cluster_state.hpp"
#include "model/kafka_cluster.hpp"

namespace kactor::actors {

/// Aims the cluster's Kafka admin (made on first use; null without an admin factory) at the bootstrap
/// address `c` gives now (model::all_broker_address).
void aim_admin(cluster_state& st, const model::kafka_cluster& c);

/// Starts bringing clusterWideConfig in force when it changed and a broker serves.
void reconcile_cluster_config(cluster_self self, const model::kafka_cluster& c);

/// The admin's answer.
void on_config_reconciled(cluster_self self, const messages::config_reconciled& r);

} // namespace kactor::actors
