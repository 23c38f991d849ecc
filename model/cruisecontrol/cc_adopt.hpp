// Before the Cruise Control actor submits an operation, it asks Cruise Control which tasks it already has:
// a submission whose answer was lost (the client timed out, the status write recording the task id failed,
// the operator crashed in between) left a task carrying out the same intent, and submitting again would ask
// twice for one intent. This decides which of those tasks, if any, the operation takes over.
//
// Rules:
// - Same intent: the same endpoint and the same brokerid / destination_broker_ids / brokerid_and_logdirs
//   (as sets, whatever their order) and rebalance_disk, and a real run (dryrun=false; CC's default is a dry
//   run, which moves nothing). Other parameters (json, goals, verbose) do not make another intent.
// - Never the operation's own recorded task (it failed or CC forgot it: that is why it is resubmitted).
// - A task still running (Active, InExecution) is taken over whenever it started.
// - A finished one (Completed, CompletedWithError) only if it started after the operation was created
//   (a new operation) or after its last failure was recorded (a retry): an older task answered an older
//   request, and taking its result would skip the work. Seconds suffice: a retry waits ≥ 1 s.
// - Of several, the newest.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/diff/graceful_plan.hpp"

namespace kactor::model {

/// One task Cruise Control reports (user_tasks), its RequestURL already split.
struct cc_known_task {
  std::string id;
  std::string endpoint;                      ///< "remove_broker"
  std::map<std::string, std::string> params; ///< the request's query, decoded
  std::string state;                         ///< Active, InExecution, Completed, CompletedWithError
  int64_t start_ms = 0;                      ///< StartMs (Unix milliseconds)
};

/// Whether `task` carries out the same intent as `op`.
bool same_intent(const cc_operation& op, const cc_known_task& task);

/// The task `op` takes over instead of being submitted again, if any.
std::optional<cc_known_task> task_to_adopt(const cc_operation& op, const std::vector<cc_known_task>& tasks);

} // namespace kactor::model
