// What one scenario run recorded: its verdict, steps, faults, violations and, per broker, the pod states,
// restarts and Cruise Control operations over simulated time — everything report.json and report.html
// show. Plain data, filled by the scenario runner; times are simulated milliseconds from the run's start.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kactor::sim {

struct run_record {
  std::string scenario;     ///< the scenario's name
  std::string description;
  uint64_t seed = 0;
  double scale = 0;         ///< the scale asked for (simulated seconds per wall second)
  double scale_reached = 0; ///< simulated_ms / wall_ms
  int64_t simulated_ms = 0; ///< simulated time the run covered
  int64_t wall_ms = 0;
  bool passed = false;

  struct step {
    std::string name;
    int64_t start_ms = 0, end_ms = 0;
    bool ok = true;
    std::string problem; ///< why it failed, or ""
  };
  std::vector<step> steps;

  struct fault {
    std::string kind;    ///< "nodeDown", ...
    std::string target;  ///< "broker 1", "node-2", "cruise control", "operator", ...
    int32_t broker = -1; ///< the broker lane it is drawn on; -1: the cluster lane
    int64_t start_ms = 0, end_ms = 0; ///< end == start for instant faults
  };
  std::vector<fault> faults;

  struct violation {
    std::string invariant; ///< "min-isr", "deleted-with-replicas", "max-disruptions", ...
    std::string detail;    ///< "orders-3 below min.insync.replicas (isr [0], min 2) while broker 1 restarted by the operator"
    int32_t broker = -1;   ///< the lane it is marked on; -1: the cluster lane
    int64_t at_ms = 0;
  };
  std::vector<violation> violations;

  /// One broker's pod state over an interval: "Pending", "Running" (not Ready), "Ready", "Terminating",
  /// "Absent". Intervals of one broker do not overlap.
  struct pod_interval {
    int32_t broker = 0;
    std::string state;
    int64_t start_ms = 0, end_ms = 0;
  };
  std::vector<pod_interval> pod_states;

  struct restart {
    int32_t broker = 0;
    int64_t at_ms = 0;
    std::string cause; ///< "operator" or "fault"
  };
  std::vector<restart> restarts;

  struct cc_operation {
    std::string endpoint;         ///< "add_broker", "remove_broker", "rebalance", "remove_disks", ...
    std::vector<int32_t> brokers; ///< the brokers it concerns (drawn on their lanes)
    std::string state;            ///< "Completed", "CompletedWithError", "Refused", "Unknown", ...
    int64_t start_ms = 0, end_ms = 0;
  };
  std::vector<cc_operation> cc_operations;

  std::vector<int32_t> brokers;              ///< every broker id seen, ascending (one lane each)
  std::vector<std::string> invariants;       ///< the invariants checked, by name
  std::map<std::string, int64_t> counters;   ///< "api_writes", "kafka_states_checked", ...
};

} // namespace kactor::sim
