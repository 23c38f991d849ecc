#include "integrations/cruisecontrol/cc_state.hpp"

namespace kactor::integrations::cruisecontrol {

const char* to_string(broker_state s) {
  switch (s) {
  case broker_state::alive: return "ALIVE";
  case broker_state::new_broker: return "NEW";
  case broker_state::dead: return "DEAD";
  case broker_state::demoted: return "DEMOTED";
  case broker_state::bad_disks: return "BAD_DISKS";
  case broker_state::unknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

const broker_cluster_state* kafka_cluster_state::find(int32_t id) const {
  for (const auto& b : brokers)
    if (b.id == id)
      return &b;
  return nullptr;
}

} // namespace kactor::integrations::cruisecontrol
