// The per-broker Service `<cluster>-<id>` (when the headless Service is disabled): the stable address a
// broker advertises. It selects that broker's pod only and publishes it before it is ready, because
// brokers must reach each other while starting.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include "model/effective_broker.hpp"
#include "model/kafka_cluster.hpp"

namespace kactor::model {

/// The Service for broker `b`.
json render_broker_service(const kafka_cluster& c, const effective_broker& b);

} // namespace kactor::model
