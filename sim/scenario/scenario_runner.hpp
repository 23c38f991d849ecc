// Runs one scenario against a fresh simulated world: the control plane (API server, kubelet, Kafka,
// Cruise Control) and kactor's operator inside, all on scaled time — every simulated duration (the
// kubelet's, Kafka's catch-up and copy rate, Cruise Control's, the operator's timers, the scenario's waits
// and faults) is divided by the scenario's scale. The operator's own processing is not scaled: at 100×,
// 1 ms of its work counts as 100 ms simulated, so a faster operator reaches a higher scale.
//
// The timeline runs on the calling thread; the faults of fault_schedule(scenario, seed) fire from a
// thread of their own at their simulated times. Invariants are judged on every change: the data-side ones
// (invariants.hpp) on every state of the simulated Kafka; on every pod change, that only the brokers the
// current steps concern are restarted by the operator (scope); on every PVC deletion, that its broker and
// disk have left the spec and that Kafka's metadata names neither the broker (in any replica set, offline
// replicas included) nor the disk's log dir (in any placement) — pvc-deleted, and deleted-with-replicas
// for a leaving broker's PVC; waitConverged steps and the end of the run (after the last fault) that
// the cluster converges within the bound (convergence) and that its status matches the world, the
// brokers' image included (final-status); alerts acted on exactly once (alert-once); no Cruise Control
// task accepted for a request while a task of the same request still runs (cc-duplicate); no API write
// while idle (idle-writes). "The spec" is the KafkaCluster as the API server stores it, read as the run
// goes (a watch, and the store itself on each PVC deletion): the operator's own edits (an alert's
// downScale) change it too.
//
// Never throws; the record says what happened. Progress goes to `progress` as it happens.
#pragma once

#include <cstdint>
#include <iosfwd>

#include "sim/scenario/run_record.hpp"
#include "sim/scenario/scenario.hpp"

namespace kactor::sim {

struct runner_options {
  uint64_t seed = 1;
  std::ostream* progress = nullptr; ///< nullptr: quiet
  bool tty = false;                 ///< a status line rewritten in place, with events printed above it
};

/// Runs the scenario once with `o.seed`; see the file comment.
run_record run_scenario(const scenario& s, const runner_options& o);

/// The run's summary for the terminal: steps (simulated start, duration, verdict) and, per invariant,
/// how many violations.
void print_run_summary(const run_record& r, std::ostream& out);

} // namespace kactor::sim
