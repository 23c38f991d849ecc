// The Service `<cluster>-all-broker` (when the headless Service is disabled): a ClusterIP Service load
// balancing clients over every ready broker — the bootstrap address.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include "model/kafka_cluster.hpp"

namespace kactor::model {

/// The all-broker Service object.
json render_all_broker_service(const kafka_cluster& c);

} // namespace kactor::model
