// Data compiled into the binary for the default scenario (generated from deploy/samples at build time).
#pragma once

#include <string_view>

namespace kactor::sim {

/// deploy/samples/kafkacluster.yaml as it was when kactor was built.
std::string_view default_scenario_cluster_yaml();
/// sim/scenario/default_scenario.yaml: the scenario `kactor sim` runs when given none.
std::string_view default_scenario_yaml();

} // namespace kactor::sim
