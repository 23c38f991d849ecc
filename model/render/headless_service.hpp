// The headless Service `<cluster>-headless` (when spec.headlessServiceEnabled): clusterIP None,
// publishNotReadyAddresses so brokers find each other while starting, selecting every broker node
// (isBrokerNode=true in KRaft), annotated with listenersConfig.serviceAnnotations.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include "model/kafka_cluster.hpp"

namespace kactor::model {

/// The headless Service object.
json render_headless_service(const kafka_cluster& c);

/// KRaft only: `<cluster>-controller-headless`, selecting isControllerNode=true, so that controller-only
/// nodes (which the broker headless Service does not select) get DNS names for controller.quorum.voters.
json render_controller_headless_service(const kafka_cluster& c);

} // namespace kactor::model
