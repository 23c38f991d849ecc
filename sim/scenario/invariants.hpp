// The data-side invariants of a scenario run, judged on every state of the simulated Kafka:
//   min-isr                no partition below min.insync.replicas (or offline) because of the operator:
//                          of its replicas out (down, or not in the ISR), taken in the order they went
//                          out, the one that crossed the line was not hit by a fault — the operator took
//                          a replica out when it could not afford to (a fault striking a partition the
//                          operator had already brought down to min.isr is the fault's; a partition
//                          with a single replica is not judged here: any restart takes it offline);
//   deleted-with-replicas  no broker leaves the spec and goes down while it still holds replicas (not hit by
//                          a fault); its PVC deleted while Kafka names it is judged by the runner
//                          (scenario_observer.cpp), faults or not;
//   max-disruptions        never more than `max_disruptions` brokers of the spec down at once because of
//                          the operator (brokers that were up before, not hit by a fault).
// A broker is "hit by a fault" from the moment a fault touches it (pod or container killed, its node down,
// its disk failed) until the fault is over and the broker is up again and back in every ISR it belongs
// to (a kill takes a moment to show: the states right after it, still up and in sync, do not end it);
// while hit, its absence is the fault's, not the operator's. So is a broker the operator restarted
// on a decision made before it could have seen a fault elsewhere (within the reaction allowance): the
// restart was safe in the world the operator saw, and the fault made it unsafe.
//
// Pure: no I/O, no clock (times come in), no threads; the caller serialises calls.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/scenario/run_record.hpp"
#include "sim/world/kafka/sim_kafka.hpp"

namespace kactor::sim {

class invariant_checker {
public:
  /// `reaction_ms`: how long (simulated) the operator may take to learn of a fault; a replica it took out
  /// on a decision made before it could know (deleting the pod started less than that after the fault
  /// struck) is the fault's. Scaled time makes it real: at 500×, 30 ms of the operator's work is 15 s.
  invariant_checker(int32_t max_disruptions, int64_t reaction_ms = 0)
      : max_disruptions_(max_disruptions), reaction_ms_(reaction_ms) {}

  /// The brokers the spec holds now, as the API server stores it (removed brokers are being drained).
  void set_spec_brokers(std::set<int32_t> ids) { spec_ = std::move(ids); }
  /// A fault touched `broker`; `lasting` faults keep it hit until fault_over().
  void fault_hit(int32_t broker, bool lasting, int64_t at_ms = 0);
  /// The operator started deleting `broker`'s pod (a restart) at `at_ms`. Less than the reaction allowance
  /// after a fault struck another broker, the decision was made on a world that did not show the fault
  /// yet (safe then): the broker counts as hit by that fault until it is back, like the fault's own target.
  void operator_deleting(int32_t broker, int64_t at_ms);
  void fault_over(int32_t broker);
  bool hit(int32_t broker) const { return hit_.count(broker) > 0; }

  /// Judges one state of the cluster at simulated time `at_ms`; new violations are appended to `out`.
  /// A condition that persists over several states is reported once, when it starts.
  void on_state(const sim::sim_cluster_view& v, int64_t at_ms, std::vector<run_record::violation>& out);

  /// Names of the invariants judged here.
  static std::vector<std::string> names() { return {"min-isr", "deleted-with-replicas", "max-disruptions"}; }
  int64_t states_checked() const { return states_; }

private:
  int32_t max_disruptions_;
  int64_t reaction_ms_;
  std::map<int32_t, int64_t> hit_at_, deleting_at_;
  int64_t last_fault_at_ = -1; ///< when a fault last struck a broker
  std::set<int32_t> spec_;
  std::map<int32_t, int> lasting_; ///< broker → lasting faults in force
  std::set<int32_t> hit_;
  std::set<int32_t> landing_; ///< hit, but not yet seen down or out of an ISR
  std::set<int32_t> ever_up_, up_;
  std::set<std::string> open_;               ///< conditions already reported and still true
  std::map<std::string, int64_t> out_since_; ///< "orders-3/1" → the state at which replica 1 went out
  int64_t states_ = 0;
};

} // namespace kactor::sim
