// PersistentVolumeClaims: one per storageConfig with a pvcSpec, named `<cluster>-<id>-<disk>` from the
// mount path, labelled app/kafka_cr/brokerId, annotated with the mount path, owned by the cluster.
// emptyDir storage gets no PVC.
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
