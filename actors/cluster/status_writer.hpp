// The KafkaCluster's status (Koperator's shape plus conditions), written only when it differs from the
// cached one; the invalid-spec report (a SpecValid=False condition and one InvalidSpec Event per distinct
// error text); and the finalizer's lifecycle. Runs on the cluster actor's thread.
#pragma once

#include <nlohmann/json.hpp>

#include "actors/cluster/cluster_state.hpp"
#include "model/diff/graceful_plan.hpp"
#include "model/kafka_cluster.hpp"

namespace kactor::actors {

/// Renders the status from the brokers' standing, the roll, the config and the graceful plan (null: the
/// spec did not validate) and writes it when it changed.
void write_status(cluster_self self, const model::kafka_cluster& c, const nlohmann::json& cr,
                  const model::graceful_plan* graceful = nullptr);

/// The spec does not validate: leave every object alone, say why (once per distinct text).
void refuse_spec(cluster_self self, const nlohmann::json& cr, model::field_errors errors);
/// The spec validates again.
void accept_spec(cluster_self self);

/// True when `cr` carries kactor's finalizer.
bool has_finalizer(const cluster_state& st, const nlohmann::json& cr);
/// Adds kactor's finalizer (a write; the pass ends there).
void add_finalizer(cluster_self self, const nlohmann::json& cr);
/// The CR is being deleted: stop the brokers, drop the finalizer, end.
void finalize(cluster_self self, const nlohmann::json& cr);

} // namespace kactor::actors
