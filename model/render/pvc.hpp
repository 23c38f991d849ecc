// PersistentVolumeClaims: one per storageConfig with a pvcSpec, named `<cluster>-<id>-<disk>` from the
// mount path, labelled app/kafka_cr/brokerId, annotated with the mount path. emptyDir storage gets no PVC.
//
// Unlike Koperator, PVCs carry no owner reference to the KafkaCluster: deleting the CR (or a mistaken
// `kubectl delete`) must never garbage-collect a cluster's data. kactor deletes a PVC only after a
// completed graceful removal of its broker or disk.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <vector>

#include "model/effective_broker.hpp"
#include "model/kafka_cluster.hpp"

namespace kactor::model {

/// The broker's PVCs in storageConfigs order.
std::vector<json> render_pvcs(const kafka_cluster& c, const effective_broker& b);

/// The PVC for one disk.
json render_pvc(const kafka_cluster& c, const effective_broker& b, const storage_config& s);

} // namespace kactor::model
