// A chaos scenario for `kactor sim -f FILE`: the cluster, its topics and nodes, a timeline of steps
// (spec changes, alerts, waits, faults) and the faults to inject — fixed ones at given simulated times and
// random ones drawn from a seed — plus the timing of the simulated world. Every duration is simulated time;
// the runner divides it by `scale` to get wall time.
//
// parse_scenario reads the YAML format documented in docs/simulation.md; every error names the field at
// fault ("steps[2].addDisk.broker: must be a broker id") or the YAML line and column. fault_schedule is a
// pure function of (scenario, seed): the same seed always gives the same schedule.
//
// Pure: no I/O, no clock; randomness only from the seed.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/operator_flaw.hpp"
#include "model/status.hpp"

namespace kactor::sim {

using sim_ms = std::chrono::milliseconds; ///< a simulated duration

/// What a fault does; each maps to one switch of the simulated world.
enum class fault_kind {
  pod_kill,        ///< the broker's pod is deleted (as by hand or an eviction)
  container_kill,  ///< the broker's kafka container dies (exit 137)
  node_down,       ///< the node of the broker's pod (or `node`) goes NotReady for `duration`
  disk_failure,    ///< the broker's first PVC fails for `duration` (its pod terminates)
  api_errors,      ///< `rate` of the operator's API requests answered 500 for `duration`
  watch_drop,      ///< every open watch of the API server is cut
  cc_down,         ///< the cluster's Cruise Control refuses connections for `duration`
  cc_restart,      ///< Cruise Control restarts: forgets its tasks, cancels the execution
  cc_task_failure, ///< the next `count` Cruise Control executions end CompletedWithError
  operator_crash,  ///< the operator process dies; a new one starts after `duration`
  operator_cut_off ///< every API request of the operator fails (connection-level 503) for `duration`
};

/// "podKill", "nodeDown", ... as written in scenario files.
const char* to_string(fault_kind k);
std::optional<fault_kind> fault_kind_from_string(std::string_view s);

/// One fault, at a simulated time from the scenario's start (or now, for a fault step).
struct fault_spec {
  fault_kind kind = fault_kind::pod_kill;
  sim_ms at{0};
  int32_t broker = -1;  ///< target broker (pod_kill, container_kill, node_down, disk_failure); -1: none given
  std::string node;     ///< node_down by node name instead of broker
  sim_ms duration{0};   ///< node_down, disk_failure, api_errors, cc_down, operator_crash, operator_cut_off
  double rate = 0.2;    ///< api_errors
  int32_t count = 1;    ///< cc_task_failure
};

/// Random faults: `count` faults of the given kinds at uniformly drawn times within [from, to], against
/// brokers drawn from the cluster's (initial and added) broker ids, durations within [min, max].
struct random_faults {
  std::vector<fault_kind> kinds;
  int32_t count = 0;
  sim_ms from{0}, to{0};
  sim_ms min_duration{std::chrono::seconds{5}}, max_duration{std::chrono::seconds{30}};
};

/// What a step does.
enum class step_kind {
  patch,            ///< JSON merge patch on the KafkaCluster's spec (`patch: {...}`)
  add_brokers,      ///< new brokers with these ids, configured like the first broker (`addBrokers: [3, 4]`)
  remove_broker,    ///< the broker leaves spec.brokers (`removeBroker: 1`)
  add_disk,         ///< a new PVC on one broker (`addDisk: {broker, mountPath, size}`)
  remove_disk,      ///< one broker's PVC by mount path (`removeDisk: {broker, mountPath}`)
  read_only_config, ///< lines appended to spec.readOnlyConfig: a rolling restart (`readOnlyConfig: "k=v"`)
  broker_config,    ///< one broker's own config lines (`brokerConfig: {broker, config}`)
  alert,            ///< a Prometheus alert delivered `repeats` times (`alert: {labels, annotations, repeats}`)
  wait,             ///< let simulated time pass (`wait: 30s`)
  wait_converged,   ///< wait until the cluster converged, within the bound (`waitConverged: 10m`)
  fault,            ///< inject a fault now (`fault: {kind, broker, duration, ...}`)
};

/// One step of the timeline; steps run in order.
struct scenario_step {
  step_kind kind = step_kind::wait;
  std::string name;               ///< shown in progress and the report; generated when not given
  nlohmann::json patch;           ///< patch
  std::vector<int32_t> brokers;   ///< add_brokers: ids; remove_broker, add_disk, remove_disk, broker_config: [id]
  std::string mount_path;         ///< add_disk, remove_disk
  std::string size = "10Gi";      ///< add_disk
  std::string config;             ///< read_only_config, broker_config: "key=value" lines
  nlohmann::json alert;           ///< alert: {"labels": {...}, "annotations": {...}}
  int32_t repeats = 1;            ///< alert
  sim_ms duration{0};             ///< wait: how long; wait_converged: the bound
  fault_spec fault;               ///< fault
};

struct scenario_node {
  std::string name;
  std::string zone;
};

struct scenario_topic {
  std::string name;
  int32_t partitions = 12;
  int32_t replication_factor = 3;
  int32_t min_insync_replicas = 2;
  int64_t produce_bytes_per_second = 0; ///< per partition, simulated time
};

/// How the simulated world behaves, in simulated time.
struct scenario_timing {
  sim_ms pod_start{std::chrono::seconds{10}};     ///< scheduled → Running
  sim_ms pod_ready{std::chrono::seconds{15}};     ///< Running → Ready
  sim_ms pod_terminate{std::chrono::seconds{5}};  ///< deletion → gone
  sim_ms kafka_catch_up{std::chrono::seconds{20}}; ///< broker up → back in its ISRs
  double move_bytes_per_second = 50.0 * 1024 * 1024;
  sim_ms cc_compute{std::chrono::seconds{5}};     ///< a Cruise Control task stays Active this long
};

struct scenario {
  std::string name;
  std::string description;
  double scale = 100;             ///< simulated seconds per wall second
  uint64_t seed = 1;              ///< used when --seed is not given
  std::string namespace_ = "kafka";
  std::vector<scenario_node> nodes; ///< empty: node-1..3 in zone-a..c
  scenario_timing timing;
  nlohmann::json cluster;         ///< the KafkaCluster document; null: the deploy/ sample
  std::vector<scenario_topic> topics;
  std::vector<scenario_step> steps;
  std::vector<fault_spec> faults; ///< fixed faults, at their `at`
  std::optional<random_faults> random;
  sim_ms converge_within{std::chrono::minutes{10}}; ///< convergence bound after a change or the last fault
  int32_t max_disruptions = 1;    ///< brokers the operator may have down at once
  /// Test-only (not in files; `--flaw-for-tests`): a deliberate operator flaw, to prove that the checker
  /// catches the invariant it breaks.
  model::operator_flaw flaw = model::operator_flaw::none;
};

/// Parses a scenario file (YAML). Errors name the field or the YAML line and column.
model::result<scenario> parse_scenario(std::string_view yaml);

/// The scenario's faults for `seed`: the fixed ones plus the random ones, sorted by time. Pure and
/// deterministic: the same (scenario, seed) gives the same schedule.
std::vector<fault_spec> fault_schedule(const scenario& s, uint64_t seed);

} // namespace kactor::sim
