// The Service `<cluster>-cruisecontrol-svc` in front of the Cruise Control kactor deploys when
// spec.cruiseControlConfig.cruiseControlEndpoint is unset or empty: ClusterIP, selecting
// cruise_control_labels, port cruise_control_port named "cc". Its name is the one
// integrations/cruisecontrol/api.hpp builds the default endpoint from
// (http://<cluster>-cruisecontrol-svc.<namespace>.svc.<domain>:8090), as Koperator names it.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <optional>
#include <string>

#include "model/kafka_cluster.hpp"

namespace kactor::model {

/// "<cluster>-cruisecontrol-svc"
std::string cruise_control_service_name(const kafka_cluster& c);

/// The Service, or nullopt when an endpoint is set.
std::optional<json> render_cruise_control_service(const kafka_cluster& c);

/// Where the cluster's Cruise Control answers: spec.cruiseControlConfig.cruiseControlEndpoint (http:// added
/// when it names no scheme), else this Service, http://<service>.<namespace>.svc.<domain>:8090.
std::string cruise_control_endpoint(const kafka_cluster& c);

} // namespace kactor::model
