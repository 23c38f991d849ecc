// The Service `<cluster>-all-broker` (when the headless Service is disabled): a ClusterIP Service load
// balancing clients over every ready broker — the bootstrap address.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <string>

#include "model/kafka_cluster.hpp"

namespace kactor::model {

/// The all-broker Service object.
json render_all_broker_service(const kafka_cluster& c);

/// Where kactor's own Kafka clients bootstrap: the all-broker Service's cluster DNS name and the inner
/// broker listener's port, "<cluster>-all-broker.<namespace>.svc.<cluster domain>:<port>" (9092 when the
/// spec names no internal listener); with headlessServiceEnabled, when no all-broker Service exists,
/// "<cluster>-headless.<namespace>.svc.<cluster domain>:<port>". The one place this address is built.
std::string all_broker_address(const kafka_cluster& c);

} // namespace kactor::model
