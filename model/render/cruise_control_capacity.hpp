// Cruise Control's capacity.json for the Cruise Control kactor deploys (spec.cruiseControlConfig without
// cruiseControlEndpoint), in the JBOD form BrokerCapacityConfigFileResolver reads:
// `{"brokerCapacities": [{"brokerId": "<id>", "capacity": {...}, "doc": "..."}, ...]}`.
//
// One entry per spec broker plus the default entry "-1", which Cruise Control uses for a broker it finds
// running but not listed (a broker being removed from the spec, still draining): a copy of the capacity of
// the lowest id with the broker role, since brokers of one cluster usually share their disks' layout. Each
// capacity holds
// - DISK: one log dir per storageConfig of the effective broker, `<mountPath>/kafka` (the log.dirs of
//   server_properties) → its size in MiB as a decimal string: the PVC's resources.requests.storage (an
//   emptyDir's sizeLimit) divided by 1048576, truncated, at least 1;
// - CPU: {"num.cores": n}, n = the broker's limits.cpu, else requests.cpu, rounded up, at least 1;
// - NW_IN / NW_OUT: brokerConfig.networkConfig's incoming/outgoingNetworkThroughPut (Koperator's), else
//   "125000" (KB/s: 1 Gbit/s).
// A non-empty cruiseControlConfig.capacityConfig is the user's own capacity.json and is returned as parsed.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <cstdint>

#include "model/kafka_cluster.hpp"

namespace kactor::model {

/// NW_IN and NW_OUT when networkConfig says nothing (Koperator's default, KB/s).
inline constexpr const char* cruise_control_default_network_kb = "125000";
/// The DISK of an emptyDir without sizeLimit: its real size is the node's, unknown to kactor, and Cruise
/// Control refuses a log dir it has no capacity for, so kactor states 10 GiB (Koperator writes 10737 MB
/// for such a disk).
inline constexpr int64_t cruise_control_unsized_disk_mib = 10240;

/// capacity.json as JSON. Precondition: the cluster validated (a capacityConfig that does not parse is
/// then impossible; were it given anyway, the generated capacity is returned).
json render_cruise_control_capacity(const kafka_cluster& c);

} // namespace kactor::model
