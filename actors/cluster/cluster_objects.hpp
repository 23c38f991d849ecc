// The cluster-level objects (headless or all-broker Service, PodDisruptionBudget): created when missing,
// updated when a rendered field differs; a created object is not created again before the watch shows it.
// Runs on the cluster actor's thread.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "actors/cluster/cluster_state.hpp"

namespace kactor::actors {

/// Starts the writes that bring `cluster_objects` (model::render_cluster_objects) about.
void reconcile_cluster_objects(cluster_self self, const std::vector<nlohmann::json>& cluster_objects);

} // namespace kactor::actors
