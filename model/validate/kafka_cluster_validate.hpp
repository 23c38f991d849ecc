// Validation of a KafkaCluster spec: every rule kactor relies on, all errors reported at once, each with
// the path of the offending field in the CR (`spec.brokers[2].id: duplicate broker id 1`).
//
// Rules: metadata.name is a DNS label; brokers exist, ids are unique and in [0, 2^31); every
// brokerConfigGroup named exists; resource quantities parse and requests do not exceed limits; every
// storageConfig has an absolute mountPath, exactly one of pvcSpec/emptyDir, a valid storage request, and
// no mount path repeats within one list or within one broker's merged disks; listenersConfig has
// internal listeners with unique names and ports and valid types, and exactly one listener is used for
// inter-broker traffic; rollingUpgradeConfig.failureThreshold ≥ 1; concurrentBrokerRestartCountPerRack ≥ 1;
// disruptionBudget.budget is "N" or "P%"; properties fields parse; when kactor deploys Cruise Control (no
// cruiseControlEndpoint), cruiseControlConfig.config parses, capacityConfig is a JSON object with a
// brokerCapacities array and clusterConfig a JSON object; ZooKeeper mode needs zkAddresses and no
// processRoles; KRaft needs a controller listener and at least one broker with the controller role.
// Warnings are for accepted input that kactor does not fully act on.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "model/kafka_cluster.hpp"
#include "model/status.hpp"

namespace kactor::model {

/// Every rule violation, in document order; empty when the cluster is valid.
field_errors validate_kafka_cluster(const kafka_cluster& c);

/// Accepted settings that kactor does not fully act on (e.g. external listeners without hostnameOverride).
std::vector<std::string> lint_kafka_cluster(const kafka_cluster& c);

} // namespace kactor::model
