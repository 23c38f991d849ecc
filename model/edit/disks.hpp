// Edits of one broker's disks — its own spec.brokers[i].brokerConfig.storageConfigs — as alerts (addPvc,
// resizePvc), scenario steps (addDisk, removeDisk) and the embedding API (add_disk) change them.
//
// A disk is a PVC-backed storageConfig: {mountPath, pvcSpec: {accessModes: [ReadWriteOnce],
// resources.requests.storage, storageClassName if given}}. Only the broker's own list is edited; disks
// its brokerConfigGroup gives it are read (free_mount_path) but never changed. A storageConfigs that is not
// a list is replaced by one holding the new disk. Every function returns a status naming the field at
// fault, e.g. `spec.brokers[1].brokerConfig.storageConfigs: broker 1 already has a disk at /kafka-logs`,
// and leaves the spec exactly as it was on error.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "model/status.hpp"

namespace kactor::model {

/// One PVC-backed disk of a broker.
struct disk {
  std::string mount_path;    ///< mountPath; required
  std::string size;          ///< pvcSpec.resources.requests.storage (a quantity, not parsed here); required
  std::string storage_class; ///< pvcSpec.storageClassName; "" for the cluster's default
};

/// The storageConfigs entry of `d`.
nlohmann::json storage_config_of(const disk& d);

/// invalid when `d` has no mount path or no size.
status check_disk(const disk& d);

/// The smallest `<prefix>-<n>` (n ≥ 1) that broker `id` uses neither in its own storageConfigs nor in its
/// config group's; not_found when there is no broker `id`.
result<std::string> free_mount_path(const nlohmann::json& spec, int32_t id, const std::string& prefix);

/// Appends `d` to broker `id`'s own storageConfigs; not_found without the broker, invalid when it already
/// has an own disk at that mount path or `d` is incomplete.
status add_disk(nlohmann::json& spec, int32_t id, const disk& d);

/// Erases broker `id`'s own disk at `mount_path` (the list stays, maybe empty); not_found without the broker
/// or without such an own disk.
status remove_disk(nlohmann::json& spec, int32_t id, const std::string& mount_path);

/// Sets the size of broker `id`'s own disk at `d.mount_path` to `d.size`; a broker without an own entry
/// there (the disk comes from its group) gets `d` as one. not_found without the broker, invalid when `d` is
/// incomplete.
status resize_disk(nlohmann::json& spec, int32_t id, const disk& d);

} // namespace kactor::model
