// Edits of a KafkaCluster's spec.brokers: the list of brokers, as alerts (upScale, downScale), scenario
// steps (addBrokers, removeBroker) and the embedding API (remove_broker) change it.
//
// Every function takes the `spec` object of the CR as JSON (fields kactor does not model survive untouched)
// and returns a status naming the field at fault, e.g. `spec.brokers: no broker with id 7`. On error the spec
// is left exactly as it was; on success only the named entry changes. Brokers are matched by an integer
// `id`; entries that are not objects or have no integer id are skipped, never an error. An absent
// spec.brokers reads as empty and is created by an add. Policies (scaling limits, keeping one broker) stay
// with the caller.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/edit/disks.hpp"
#include "model/status.hpp"

namespace kactor::model {

/// A broker to append to spec.brokers.
struct new_broker {
  int32_t id = 0;
  std::string config_group; ///< brokerConfigGroup; "" for none
  std::string image;        ///< brokerConfig.image; "" for none
  std::vector<disk> disks;  ///< brokerConfig.storageConfigs; empty for none
};

/// The position of broker `id` in spec.brokers; not_found `spec.brokers: no broker with id 7`.
result<size_t> broker_index(const nlohmann::json& spec, int32_t id);

/// The number of entries in spec.brokers (0 when absent or not a list).
size_t broker_count(const nlohmann::json& spec);

/// One more than the largest id in spec.brokers; 0 when there is none.
int32_t next_broker_id(const nlohmann::json& spec);

/// The brokerConfigGroup of the first entry of spec.brokers; "" when none.
std::string first_broker_group(const nlohmann::json& spec);

/// Appends `b`. invalid when its id is negative, already taken, or spec.brokers is not a list.
status add_broker(nlohmann::json& spec, const new_broker& b);

/// Appends brokers `ids`, each in the first broker's config group (scenario addBrokers). invalid when the
/// spec has no broker to copy or any id is taken (then none is added).
status add_brokers(nlohmann::json& spec, const std::vector<int32_t>& ids);

/// Erases broker `id` from spec.brokers (kactor drains it before deleting anything); not_found when absent.
status remove_broker(nlohmann::json& spec, int32_t id);

} // namespace kactor::model
