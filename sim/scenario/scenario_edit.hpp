// What a scenario step does to the KafkaCluster's spec, and which brokers it may restart (the `scope`
// invariant): the decisions of the scenario runner's spec-changing steps, apart from the I/O that writes
// them. patch merges a JSON merge patch; addBrokers appends brokers in the first broker's config group;
// removeBroker erases one; addDisk/removeDisk add or erase one of a broker's own storageConfigs;
// readOnlyConfig appends lines to the spec's readOnlyConfig, brokerConfig to one broker's.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/scenario/scenario.hpp"

namespace kactor::sim {

/// Applies `step` to `spec`; "" when applied, else why it cannot be (the spec is then left as it was).
/// Steps that do not edit the spec (alert, wait, waitConverged, fault) leave it and return "".
std::string apply_step_to_spec(const scenario_step& step, nlohmann::json& spec);

/// The brokers a step's change may restart until the next convergence.
struct restart_scope {
  std::set<int32_t> brokers;
  bool all = false; ///< a roll or patch: every broker
};

restart_scope restart_scope_of(const scenario_step& step);

} // namespace kactor::sim
