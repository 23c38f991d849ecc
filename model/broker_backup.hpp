// A broker's configuration backup: what it takes to render a broker again after it left the spec, kept in
// status.brokersState[id].configurationBackup (Koperator's field, "compressed data from broker
// configuration to restore broker pod in specific cases"). A broker removed from the spec keeps running
// while Cruise Control drains it; if its pod dies then — or the operator restarts and the pod dies later —
// it must come back, or its data (possibly the last copy) cannot be moved off (Koperator #776). The backup
// is written for every spec broker on every status write, so it is there before the broker leaves.
//
// Format: JSON text {"broker": <its spec.brokers entry>, "brokerConfigGroup": <the group it names, if any>}.
// Restoring puts the entry back into a copy of the spec used only to render that broker; the group is
// taken from the current spec when it still has one of that name (the broker follows group changes like
// any broker), else from the backup. Koperator writes gzip+base64 there: such a value, or any other text
// that is not this JSON, restores nothing and is reported (path status.brokersState.<id>.configurationBackup).
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "model/kafka_cluster.hpp"
#include "model/status.hpp"

namespace kactor::model {

/// The backup text of every broker in `c`'s spec, by id (sorted keys: the same spec gives the same text).
std::map<int32_t, std::string> broker_backups(const kafka_cluster& c);

/// `c` with the brokers of `backups` that are not in its spec put back into spec.brokers (after the
/// others), for rendering them. A backup that does not restore (not this JSON, another id, a field of the
/// wrong type) is left out and named in `errors`.
kafka_cluster with_restored_brokers(const kafka_cluster& c, const std::map<int32_t, std::string>& backups,
                                    field_errors& errors);

} // namespace kactor::model
