// The rolling-restart decision: which brokers waiting to restart may go now, and for each one that may
// not, why (the reason users read in the KafkaCluster's RollingUpgrade condition).
//
// Order (Strimzi's): brokers that are not Ready first (restarting them costs no availability), then KRaft
// controllers before brokers, the active controller last, then by id. A candidate is granted when every
// gate passes:
//   1. No other broker is in transition — restarting, terminating, pending, or Ready but not yet back in
//      the ISR of every partition it hosts whose leader is live — except, with
//      concurrentBrokerRestartCountPerRack > 1, brokers restarting in the candidate's own rack (at most that
//      many at once; brokers without a rack never run in parallel).
//   2. failureThreshold (Koperator's): other brokers that are not Ready, plus firing rolling-upgrade alerts,
//      stay below it.
//   3. min.insync.replicas (Strimzi's rule): for every partition whose ISR holds the candidate, the ISR
//      without the candidate and without every broker granted with it stays at least min.insync.replicas.
//      Partitions whose min.insync.replicas is at least their replica count are not gated (they can never
//      tolerate a restart; Strimzi ignores them too).
//   4. KRaft quorum: a controller restarts only if a majority of the controllers stays up without it.
//   5. The active controller restarts last: it waits while any other broker still waits to restart.
// Gates 1–5 apply to Ready candidates. A candidate that is not Ready holds no ISR place and serves nothing,
// so only gate 1 (one at a time) applies to it. When Kafka could not be described (`topics` absent) a
// Ready candidate waits. A stopped roll (a restarted broker failed to come back in time) grants only
// brokers that are themselves not Ready — the fix for the stuck broker is never held back.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/kafka_cluster.hpp"

namespace kactor::model {

/// One broker as the roll sees it.
struct roll_broker {
  int32_t id = 0;
  std::string rack;            ///< broker.rack; "" when none
  bool controller = false;     ///< KRaft controller role
  bool wants_restart = false;  ///< its pod's revision differs and it asked for a permit
  bool ready = false;          ///< pod Ready
  bool restarting = false;     ///< pod being replaced, terminating, missing or pending
  bool holds_permit = false;
  bool removed = false;        ///< no longer in the spec (being drained): ignored by the gates
};

/// One partition as Kafka reports it.
struct roll_partition {
  std::string topic;
  int32_t partition = 0;
  int32_t leader = -1;
  int32_t min_isr = 1;
  std::vector<int32_t> replicas;
  std::vector<int32_t> isr;
};

struct roll_inputs {
  std::vector<roll_broker> brokers;
  /// Absent when Kafka could not be described (the reason is in `kafka_error`).
  std::optional<std::vector<roll_partition>> partitions;
  std::string kafka_error;
  int32_t active_controller = -1;
  bool kraft = false;
  int32_t concurrent_per_rack = 1;
  int64_t failure_threshold = 1;
  int64_t alert_count = 0;
  bool stopped = false; ///< the roll was stopped: only unready brokers may restart
  /// Test-only, never set by users: grant any two candidates at once and skip every gate, so that the
  /// simulation can prove its invariant checker catches an unsafe roll.
  bool unsafe_two_at_once = false;
};

struct roll_decision {
  std::vector<int32_t> grant;                ///< in grant order
  std::map<int32_t, std::string> waiting;    ///< candidate → "orders-3 would fall below min.insync.replicas (isr 2, min 2)"
  std::vector<int32_t> order;                ///< every candidate, in restart order
};

/// Where each spec broker sits for the roll: its broker.rack as rendered, and whether it is a KRaft
/// controller. Brokers whose config does not resolve are left out.
struct roll_placement {
  std::string rack;
  bool controller = false;
};
std::map<int32_t, roll_placement> roll_placements(const kafka_cluster& c);

/// Brokers hosting a replica of a partition with a live leader whose ISR lacks them: still catching up.
std::vector<int32_t> catching_up(const std::vector<roll_partition>& partitions);

/// The decision; see the file comment.
roll_decision plan_roll(const roll_inputs& in);

} // namespace kactor::model
