// Edits of a KafkaCluster spec's settings other than brokers and disks, as scenario steps (patch,
// readOnlyConfig, brokerConfig) and the embedding API (trigger_roll's environment stamp) change them.
//
// - append_read_only_config / append_broker_config add "key=value" lines to the properties text of the
//   spec (spec.readOnlyConfig) or of one broker (spec.brokers[i].readOnlyConfig), ending it with a newline;
//   a later line for the same key wins when Kafka reads the file.
// - set_env gives spec.envs exactly one entry `name` (moved to the end, so pods see a changed template).
// - merge_patch applies an RFC 7386 JSON merge patch to the spec.
// Every function returns a status naming the field at fault and leaves the spec exactly as it was on error.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "model/status.hpp"

namespace kactor::model {

/// Appends `lines` to spec.readOnlyConfig; invalid when that field is not text.
status append_read_only_config(nlohmann::json& spec, const std::string& lines);

/// Appends `lines` to broker `id`'s readOnlyConfig; not_found without the broker, invalid when the field is
/// not text.
status append_broker_config(nlohmann::json& spec, int32_t id, const std::string& lines);

/// Sets spec.envs' entry `name` to `value`, dropping any earlier entry of that name; invalid when `name` is
/// empty or spec.envs is not a list.
status set_env(nlohmann::json& spec, const std::string& name, const std::string& value);

/// Merges `patch` into the spec (RFC 7386: null removes a field); invalid unless `patch` is an object.
status merge_patch(nlohmann::json& spec, const nlohmann::json& patch);

} // namespace kactor::model
