// server.properties for one broker, as Koperator generates it (pkg/resources/kafka/configmap.go).
//
// Precedence: cluster readOnlyConfig < broker readOnlyConfig < keys kactor generates (broker.id or node.id
// and process.roles, listeners, advertised.listeners, listener.security.protocol.map,
// inter.broker.listener.name, control.plane.listener.name / controller.listener.names,
// controller.quorum.voters, log.dirs (= mountPath + "/kafka"), zookeeper.connect, the Cruise Control
// metrics reporter keys, broker.rack when the broker's nodeSelector pins every rackAwareness label).
// A broker whose rack its node gives (rack_labels_from_node) gets broker.rack written into its ConfigMap
// once its pod is scheduled (model::plan_broker), not here. brokerConfig.config and clusterWideConfig are not written here:
// they are dynamic and applied through the Kafka admin API. Keys come out sorted.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/effective_broker.hpp"
#include "model/kafka_cluster.hpp"
#include "model/properties.hpp"

namespace kactor::model {

/// The full server.properties of broker `b`.
properties render_server_properties(const kafka_cluster& c, const effective_broker& b);

/// The rackAwareness labels whose values, read off the node broker `b`'s pod is scheduled on, make its
/// broker.rack (joined by ","): every label, when some label is not pinned by the broker's nodeSelector
/// and readOnlyConfig does not set broker.rack itself; empty otherwise (no rack awareness, or a rack
/// render_server_properties writes).
std::vector<std::string> rack_labels_from_node(const kafka_cluster& c, const effective_broker& b);

/// Where Cruise Control and its metrics reporter reach the brokers: `<all-broker or headless Service>.<namespace>
/// .svc.<domain>:<port>` of the listener usedForKafkaAdminCommunication, else the inter-broker one; "" when
/// there is neither (validation refuses that).
std::string cruise_control_bootstrap_servers(const kafka_cluster& c);

/// zookeeper.connect: zkAddresses joined by "," followed by the chroot (zk_path: "/" when unset).
std::string zookeeper_connect(const kafka_cluster_spec& spec);

/// Keys Kafka can change on a running broker (Koperator's PerBrokerConfigs): a change limited to these
/// needs no restart.
const std::set<std::string>& per_broker_dynamic_keys();

/// The listeners broker `b` opens, in spec order (internal then external), by KRaft role.
std::vector<const listener*> broker_listeners(const kafka_cluster& c, const effective_broker& b);

/// The listener used between brokers, or nullptr.
const listener* inner_broker_listener(const kafka_cluster_spec& spec);

/// The listener used by KRaft controllers (or the ZooKeeper control plane), or nullptr.
const listener* controller_listener(const kafka_cluster_spec& spec);

} // namespace kactor::model
