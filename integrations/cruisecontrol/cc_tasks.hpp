// The typed answers of Cruise Control's operations (add/remove broker, rebalance, remove disks, demote,
// stop) and of user_tasks. Plain data with std types only: Beast-, nlohmann- and CAF-free.
//
// An operation CC accepted is a user task, identified by the User-Task-ID header of the answer: 200 when
// the proposal was computed within CC's blocking time (the execution then runs in the background), 202 when
// CC still computes it. Field names follow CC's JSON keys in snake_case.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "integrations/cruisecontrol/cc_state.hpp"

namespace kactor::integrations::cruisecontrol {

/// One step of a computation CC has not finished (the 202 answer's progress).
struct progress_step {
  std::string step;        ///< step, e.g. WAITING_FOR_CLUSTER_MODEL
  std::string description; ///< description
  double completion_pct = 0; ///< completionPercentage
  int64_t time_ms = 0;       ///< time-in-ms
};

/// One operation in the 202 answer's progress.
struct operation_progress {
  std::string operation; ///< operation, e.g. Rebalance
  std::vector<progress_step> steps;
};

/// OptimizationResult.summary: what an optimization proposes to move.
struct optimization_summary {
  int32_t num_replica_movements = 0;              ///< numReplicaMovements
  int32_t num_intra_broker_replica_movements = 0; ///< numIntraBrokerReplicaMovements
  int32_t num_leader_movements = 0;               ///< numLeaderMovements
  int64_t data_to_move_mb = 0;                    ///< dataToMoveMB
  int64_t intra_broker_data_to_move_mb = 0;       ///< intraBrokerDataToMoveMB
  double monitored_partitions_pct = 0;            ///< monitoredPartitionsPercentage
  int32_t recent_windows = 0;                     ///< recentWindows
  double balancedness_before = 0, balancedness_after = 0; ///< onDemandBalancednessScoreBefore/After
  std::string provision_status;                   ///< provisionStatus (newer CC), e.g. RIGHT_SIZED
  std::string json;                               ///< the summary object as CC sent it
};

/// What CC answered to an operation (add/remove broker, rebalance, remove disks, demote, stop).
struct operation_result {
  std::string task_id;  ///< the User-Task-ID response header ("" when CC sent none)
  bool accepted = true; ///< CC took the task and tracks it by task_id (both 200 and 202)
  int http_status = 200; ///< 200: computed (summary set); 202: still computing (progress set)
  std::optional<optimization_summary> summary;  ///< summary (200)
  std::vector<broker_load> load_after;          ///< loadAfterOptimization.brokers (200)
  std::vector<operation_progress> progress;     ///< progress (202)
  std::string message;                          ///< message (stop_proposal_execution)

  bool still_computing() const { return http_status == 202; }
};

/// Status of a user task.
enum class task_status { active, in_execution, completed, completed_with_error, unknown };

/// "Active", "InExecution", "Completed", "CompletedWithError", "Unknown" (CC's words).
const char* to_string(task_status s);

/// Splits a RequestURL ("POST /kafkacruisecontrol/remove_broker?brokerid=1&json=true", the query as the
/// client sent it) into the endpoint (the path's last segment) and the percent-decoded query. Never
/// fails: a malformed escape is kept as written, text that is no URL gives an empty endpoint.
void split_request_url(std::string_view url, std::string& endpoint, std::map<std::string, std::string>& params);

/// One entry of user_tasks.
struct user_task {
  std::string id;              ///< UserTaskId
  std::string request_url;     ///< RequestURL, e.g. "POST /kafkacruisecontrol/rebalance?..."
  std::string endpoint;        ///< from request_url: "rebalance" ("" when it names none)
  std::map<std::string, std::string> request_params; ///< from request_url: the query, percent-decoded
  task_status status = task_status::unknown; ///< Status
  std::string status_text;     ///< Status as CC wrote it
  int64_t start_ms = 0;        ///< StartMs (CC sends it as a string)
  std::string client_identity; ///< ClientIdentity
  std::string original_response; ///< originalResponse as text (JSON text, or a word like COMPLETED_WITH_ERROR)
  std::optional<optimization_summary> summary; ///< from originalResponse when it holds an OptimizationResult
  std::vector<operation_progress> progress;    ///< from originalResponse when it holds a progress
  std::string error_message;   ///< from originalResponse's errorMessage (first line) when it holds an error
};

} // namespace kactor::integrations::cruisecontrol
