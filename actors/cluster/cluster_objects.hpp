// The cluster-level objects (headless or all-broker Service, PodDisruptionBudget, the JMX exporter's
// ConfigMap, the Cruise Control kactor deploys: Deployment, ConfigMap, Service): created when missing,
// updated when a rendered field differs; a created object is not created again before the watch shows it. One the spec no longer asks for (model::stale_cluster_objects: only
// kactor's own names, controlled by this KafkaCluster) is deleted.
// Runs on the cluster actor's thread.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "actors/cluster/cluster_state.hpp"
#include "model/kafka_cluster.hpp"

namespace kactor::actors {

/// Starts the writes that bring `cluster_objects` (model::render_cluster_objects) about.
void reconcile_cluster_objects(cluster_self self, const model::kafka_cluster& cluster,
                               const std::vector<nlohmann::json>& cluster_objects);

} // namespace kactor::actors
