// The Cruise Control actor's decision: from a cluster's CruiseControlOperations and the time, which task
// to ask Cruise Control about, which operation to submit (or resubmit) next, and which finished ones to
// delete.
//
// Rules:
// - Tasks in flight (an id and state Active or InExecution) are polled; while one is in flight nothing
//   else is submitted (Cruise Control executes one proposal at a time).
// - Otherwise the next operation is the first, in Koperator's priority (add_broker > remove_broker >
//   remove_disks > rebalance), then by creation time and name, that is not paused and either not taken
//   yet or failed (CompletedWithError, Unknown) under errorPolicy retry and past its backoff:
//   retry_base × 2^retryCount after it finished, at most retry_max.
// - Operations finished for good with ttlSecondsAfterFinished set are deleted that long after finishing.
//
// Pure: no I/O, no clock (now comes in as Unix seconds), no randomness, safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "model/diff/graceful_plan.hpp"

namespace kactor::model {

struct cc_schedule_inputs {
  std::vector<cc_operation> operations;
  int64_t now = 0; ///< Unix seconds
  std::chrono::seconds retry_base{10};
  std::chrono::seconds retry_max{600};
};

struct cc_schedule {
  std::vector<std::string> poll;  ///< operations whose task is in flight
  std::optional<std::string> submit; ///< the operation to submit now
  std::vector<std::string> expire;   ///< finished operations past their TTL
  std::optional<int64_t> next_retry; ///< Unix seconds when a backed-off retry becomes due
};

cc_schedule schedule_cc_operations(const cc_schedule_inputs& in);

} // namespace kactor::model
