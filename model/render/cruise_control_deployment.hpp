// The Deployment `<cluster>-cruisecontrol` of the Cruise Control kactor deploys when
// spec.cruiseControlConfig.cruiseControlEndpoint is unset or empty (Koperator's pkg/resources/cruisecontrol).
//
// One replica, strategy Recreate: two Cruise Controls at once would both execute proposals. The pod runs the
// container `cruise-control` (cruiseControlConfig.image, else default_cruise_control_image) serving the REST
// API on cruise_control_port, named "cc", ready once GET /kafkacruisecontrol/state answers; it mounts the
// ConfigMap (cruise_control_configmap.hpp) at cruise_control_config_dir. From cruiseControlConfig, when set:
// resourceRequirements (else Koperator's 200m / 768Mi), nodeSelector, tolerations, affinity,
// podSecurityContext, securityContext (the container's), serviceAccountName (else "default"),
// cruiseControlAnnotations (on the pod). The pod template carries config_hash_annotation, a hash of the
// ConfigMap's data: a changed capacity or configuration rolls Cruise Control, and never a broker.
// Labels and selector: cruise_control_labels.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/kafka_cluster.hpp"

namespace kactor::model {

/// Cruise Control's REST port (the Service's too), named "cc".
inline constexpr int32_t cruise_control_port = 8090;
/// The pod-template annotation holding the hash of the ConfigMap's data.
inline constexpr const char* config_hash_annotation = "kactor.io/config-hash";

/// "<cluster>-cruisecontrol"
std::string cruise_control_deployment_name(const kafka_cluster& c);

/// The Deployment, or nullopt when an endpoint is set. Precondition: the cluster validated.
std::optional<json> render_cruise_control_deployment(const kafka_cluster& c);

/// True when a Deployment has an available replica (status.availableReplicas ≥ 1), whatever generation
/// that replica runs.
bool deployment_available(const json& deployment);

/// The Deployment to apply: `desired`, or `running` as it is while that one works (an available replica)
/// and `operations_pending`: a rollout (a broker added or removed changes capacity.json) makes Cruise
/// Control forget its tasks and gather its metric windows anew. A broken one is rolled at once, or nothing
/// could fix it. `running` null: `desired`.
json cruise_control_deployment_to_apply(const json& desired, const json& running, bool operations_pending);

} // namespace kactor::model
