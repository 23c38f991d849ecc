// The Pod `<cluster>-<id>` running one broker, built as Koperator's pod.go builds it (labels, container
// `kafka`, env defaults, listener ports, config and data volumes, the Cruise Control metrics-reporter init
// container, scheduling fields, oneBrokerPerNode anti-affinity) with kactor's differences: a deterministic
// name, a TCP readiness probe on the inter-broker port, and the `kactor.io/revision` annotation.
//
// The revision is a hash of the pod spec and of every server.properties key that a broker reads only at
// start. Two renders with equal revisions need no restart; labels and annotations are not part of it
// (they can be patched on a running pod).
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <string>

#include "model/effective_broker.hpp"
#include "model/kafka_cluster.hpp"
#include "model/properties.hpp"

namespace kactor::model {

/// The broker's Pod, revision annotation included.
json render_pod(const kafka_cluster& c, const effective_broker& b);

/// The revision for a pod spec and the broker's server.properties.
std::string broker_revision(const json& pod_spec, const properties& server_properties);

/// A KRaft cluster id (22 characters of base64url) derived from the cluster's uid, or from its
/// namespace/name while the uid is unknown; status.clusterID wins when set.
std::string kraft_cluster_id(const kafka_cluster& c);

} // namespace kactor::model
