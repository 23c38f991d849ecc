// The Kubernetes kinds kactor reads and writes, as one enum shared by rendering, diffs, the watch-cache
// routes and the API writer: an object's kind is named once, and a switch over it that forgets one is a
// compile error (-Werror=switch), not a silent fallback to another resource.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace kactor::model {

/// Every kind kactor touches.
enum class resource_kind {
  pod,                      ///< v1 Pod: one per broker
  configmap,                ///< v1 ConfigMap: a broker's server.properties
  service,                  ///< v1 Service: per broker, headless, all-broker
  persistent_volume_claim,  ///< v1 PersistentVolumeClaim: a broker's disks
  pod_disruption_budget,    ///< policy/v1 PodDisruptionBudget: the cluster's
  deployment,               ///< apps/v1 Deployment: the Cruise Control kactor deploys for a cluster
  kafka_cluster,            ///< kafka.banzaicloud.io/v1beta1 KafkaCluster
  cruise_control_operation, ///< kafka.banzaicloud.io/v1alpha1 CruiseControlOperation
  event,                    ///< v1 Event
};

/// The resource's plural as the API path spells it: "pods", "persistentvolumeclaims", ...
const char* plural_of(resource_kind k);
/// The object kind: "Pod", "PersistentVolumeClaim", ...
const char* kind_name(resource_kind k);
/// plural_of(k), for logs and CAF's message stringification.
inline std::string to_string(resource_kind k) { return plural_of(k); }
/// The kind whose plural is `plural`, or nullopt.
std::optional<resource_kind> resource_kind_of_plural(const std::string& plural);
/// The kind of a rendered or observed object (its `kind` field), or nullopt for a kind kactor does not touch.
std::optional<resource_kind> resource_kind_of(const nlohmann::json& object);

} // namespace kactor::model
