// The Service ports every broker Service exposes: one per listener (internal then external, named
// `tcp-<name>`, port = targetPort = containerPort) followed by spec.additionalPorts.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include "model/kafka_cluster.hpp"

namespace kactor::model {

/// Service ports for all of the cluster's listeners.
json broker_service_ports(const kafka_cluster& c);

} // namespace kactor::model
