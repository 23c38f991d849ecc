// Names, labels and metadata shared by every object kactor renders for a KafkaCluster.
//
// Names are deterministic so that a restarted actor finds what it made instead of making duplicates:
// pods `<cluster>-<id>`, ConfigMaps `<cluster>-config-<id>`, PVCs `<cluster>-<id>-<disk>` where `<disk>` is
// derived from the mount path alone (removing one disk never renames another), per-broker Services
// `<cluster>-<id>`, `<cluster>-headless`, `<cluster>-all-broker`, `<cluster>-pdb`. Labels follow Koperator
// (app=kafka, kafka_cr, brokerId, isBrokerNode, isControllerNode) so existing selectors keep working.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <string>

#include "model/effective_broker.hpp"
#include "model/kafka_cluster.hpp"

namespace kactor::model {

/// The annotation on pods holding the hash of everything that needs a restart to take effect.
inline constexpr const char* revision_annotation = "kactor.io/revision";
/// The annotation on PVCs holding the mount path they serve (Koperator's key).
inline constexpr const char* mount_path_annotation = "mountPath";
/// The port Kafka's JMX exporter serves metrics on in Koperator's images.
inline constexpr int metrics_port = 9020;

std::string pod_name(const kafka_cluster& c, int32_t id);
std::string configmap_name(const kafka_cluster& c, int32_t id);
std::string broker_service_name(const kafka_cluster& c, int32_t id);
std::string headless_service_name(const kafka_cluster& c);
/// `<cluster>-controller-headless`: the headless Service of KRaft controller-only nodes.
std::string controller_headless_service_name(const kafka_cluster& c);
std::string all_broker_service_name(const kafka_cluster& c);
std::string pdb_name(const kafka_cluster& c);

/// A DNS-label-safe slug for a mount path: "/kafka-logs" → "kafka-logs"; paths that lose information when
/// slugged ("/mnt/data") get an 8-digit hash suffix ("mnt-data-1a2b3c4d") so distinct paths never collide.
std::string storage_slug(const std::string& mount_path);
/// `<cluster>-<id>-<storage_slug(mount_path)>`.
std::string pvc_name(const kafka_cluster& c, int32_t id, const std::string& mount_path);
/// The pod volume name for a disk: `data-<storage_slug>`, trimmed to 63 characters.
std::string storage_volume_name(const std::string& mount_path);

/// {app: kafka, kafka_cr: <name>}: selects every broker of the cluster.
string_map cluster_labels(const kafka_cluster& c);
/// cluster_labels + brokerId, isBrokerNode, isControllerNode (and processRoles in KRaft).
string_map broker_labels(const kafka_cluster& c, const effective_broker& b);

/// {name, namespace, labels[, ownerReferences]}: the owner reference to the KafkaCluster is added when its
/// uid is known (the API server rejects one without).
json object_metadata(const kafka_cluster& c, const std::string& name, const string_map& labels);

/// True for a KRaft node whose roles are exactly {controller}.
bool is_controller_only(const kafka_cluster& c, int32_t id);

/// The in-cluster host name of broker `id`: via its own Service, or via the headless Service (the
/// controller headless Service for KRaft controller-only nodes, which the broker one does not select).
std::string broker_host(const kafka_cluster& c, int32_t id);

/// The subdomain (headless Service) a broker's pod joins when headless Services are used.
std::string broker_subdomain(const kafka_cluster& c, int32_t id);

/// `tcp-<name>` with '_' replaced by '-', as Koperator names listener ports.
std::string listener_port_name(const std::string& listener_name);

} // namespace kactor::model
