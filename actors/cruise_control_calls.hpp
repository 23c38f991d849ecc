// Starting Cruise Control work for the Cruise Control actor: each call returns at once; `done` runs on the
// client's I/O thread (or before the call returns, for a call refused up front) with a message the caller
// posts to its actor — the only thing a completion may do.
#pragma once

#include <functional>
#include <memory>

#include "integrations/cruisecontrol/api.hpp"
#include "messages/messages.hpp"

namespace kactor::actors {

/// Submits `op` (a new task) — unless Cruise Control already has a task for the same intent that `op`
/// takes over (model/cruisecontrol/cc_adopt.hpp): then an update recording that task, and nothing is
/// submitted. Cruise Control's task list not readable: a problem, nothing submitted. Accepted: an update
/// with the task id, Active (202: still computing) or InExecution (200: proposal computed, execution
/// started), the summary. Refused for good (bad request,
/// server error): an update CompletedWithError with Cruise Control's message. Busy, not ready or
/// unreachable: no update, a problem (tried again later; nothing is counted as a failure).
/// `adopt` false (test-only, the flaw duplicate-cc-operations) submits without looking for such a task.
void start_cc_submit(std::shared_ptr<integrations::cruisecontrol::cruise_control> cc, const model::cc_operation& op,
                     std::function<void(messages::cc_step_done)> done, bool adopt = true);

/// Asks about `op`'s task. A task Cruise Control no longer knows is Unknown — never a success.
void start_cc_poll(std::shared_ptr<integrations::cruisecontrol::cruise_control> cc, const model::cc_operation& op,
                   std::function<void(messages::cc_step_done)> done);

/// Stops task `task_id` of the deleted operation `operation` if it executes: Cruise Control runs one
/// execution at a time, so an InExecution task is the execution, and stop_proposal_execution stops it.
/// Settled (problem empty) when stopped, finished or forgotten; a problem when Cruise Control cannot be
/// asked or the task is still Active (it may start executing: asked again later).
void start_cc_stop(std::shared_ptr<integrations::cruisecontrol::cruise_control> cc, const std::string& operation,
                   const std::string& task_id, std::function<void(messages::cc_step_done)> done);

/// kafka_cluster_state then load: each broker's replicas, online log dirs and state.
void start_cc_observe(std::shared_ptr<integrations::cruisecontrol::cruise_control> cc, uint64_t seq,
                      std::function<void(messages::cruise_control_observed)> done);

} // namespace kactor::actors
