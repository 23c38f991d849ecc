// The desired state of a whole KafkaCluster: every object kactor should see in Kubernetes, grouped the way
// the actors own them — cluster-level objects (Services, PDB, the JMX exporter's ConfigMap) for the cluster
// actor, and per broker its Pod, ConfigMap, PVCs and Service for that broker's actor.
//
// render_cluster fails (invalid, naming the field) when the cluster does not validate; nothing is rendered
// from an invalid spec. Output is deterministic byte for byte for equal input.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/kafka_cluster.hpp"
#include "model/status.hpp"

namespace kactor::model {

/// What one broker actor owns.
struct broker_objects {
  int32_t id = 0;
  json pod;
  json configmap;
  std::vector<json> pvcs;
  /// The per-broker Service; absent when the headless Service is used.
  std::optional<json> service;
  /// The pod's revision annotation.
  std::string revision;
  /// The labels of the node its pod runs on that give the broker's rack (model::rack_labels_from_node);
  /// empty when the ConfigMap as rendered is complete.
  std::vector<std::string> rack_labels;

  /// Pod, ConfigMap, PVCs, Service in that order.
  std::vector<json> all() const;
};

/// broker_objects as one JSON text, and back: what a broker actor keeps between its passes (the parsed
/// objects take ~22 KB a broker, the text ~4 KB; 3,000 brokers).
std::string to_text(const broker_objects& b);
/// The objects of to_text; invalid (naming what is wrong) for text to_text did not write.
result<broker_objects> broker_objects_from_text(std::string_view text);

/// Everything for one cluster.
struct desired_state {
  /// Services, PDB and the JMX exporter's ConfigMap, owned by the cluster actor.
  std::vector<json> cluster_objects;
  std::map<int32_t, broker_objects> brokers;

  /// Cluster objects, then each broker's, brokers by id.
  std::vector<json> all() const;
};

/// Disks a broker keeps although they left the spec: Cruise Control has not moved their data off yet
/// (model::graceful_plan::keep_disks). They stay in the pod, its log.dirs and the PVC list, in the order
/// `order` gives (the running pod's volume mounts), so keeping them changes no revision: no restart happens
/// before the data left them.
struct kept_disks {
  std::vector<storage_config> disks;
  std::vector<std::string> order; ///< mount paths as the running pod has them
};

/// Adjustments of the rendering that come from the cluster's state rather than its spec.
struct render_overrides {
  std::map<int32_t, kept_disks> keep;
};

/// The objects for broker `id`; not_found for an unknown id.
result<broker_objects> render_broker(const kafka_cluster& c, int32_t id, const render_overrides& o = {});

/// The whole desired state, after validation.
result<desired_state> render_cluster(const kafka_cluster& c, const render_overrides& o = {});

/// The Services, PodDisruptionBudget and JMX exporter ConfigMap of render_cluster's cluster_objects, and
/// the Cruise Control Deployment, ConfigMap and Service when spec.cruiseControlConfig names no endpoint (no
/// validation).
std::vector<json> render_cluster_objects(const kafka_cluster& c);

/// A digest of everything render_broker reads besides the broker's id and kept disks: the spec, the
/// metadata written into the objects, status.clusterId. Not the resourceVersion: status writes do not
/// change it. With equal ids and overrides, equal digests render equal objects — a caller may keep the
/// digest of what it rendered last instead of the objects, and render again only when it changes (a pass
/// per change × 30 brokers × 100 clusters otherwise renders every broker on every pass).
uint64_t render_inputs_digest(const kafka_cluster& c);

/// render_inputs_digest narrowed to broker `id` and its kept disks in `o`.
uint64_t broker_render_digest(uint64_t inputs_digest, int32_t id, const render_overrides& o);

} // namespace kactor::model
