// The PodDisruptionBudget `<cluster>-pdb` (policy/v1, when spec.disruptionBudget.create): minAvailable =
// max(1, brokers − budget), where budget is "N" brokers or "P%" of them rounded down (Koperator's rule),
// counting broker-role nodes in the spec.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <optional>

#include "model/kafka_cluster.hpp"

namespace kactor::model {

/// The PDB, or nullopt when none is requested. Precondition: the cluster validated.
std::optional<json> render_pod_disruption_budget(const kafka_cluster& c);

/// max(1, brokers − budget) for a budget string "N" or "P%"; nullopt when the string is neither.
std::optional<int> pdb_min_available(const std::string& budget, int brokers);

} // namespace kactor::model
