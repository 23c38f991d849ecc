// CruiseControlOperation (kafka.banzaicloud.io/v1alpha1) objects, Koperator's shape: reading one into a
// model::cc_operation, rendering a new one for a request, and rendering its status after each step of
// the Cruise Control actor.
//
// A new operation is created with its operation and parameters in the annotations kactor.io/operation and
// kactor.io/parameters (the API server drops a status sent with a create), labelled kafka_cr=<cluster>,
// owned by the KafkaCluster; the Cruise Control actor writes status.currentTask when it takes it. Reading
// prefers status.currentTask and falls back to the annotations.
//
// Pure: no I/O, no clock (times come in as RFC 3339 text), no randomness, safe from any thread.
#pragma once

#include <optional>
#include <string>

#include "model/diff/graceful_plan.hpp"
#include "model/kafka_cluster.hpp"
#include "model/status.hpp"

namespace kactor::model {

inline constexpr const char* cc_operation_api_version = "kafka.banzaicloud.io/v1alpha1";
inline constexpr const char* cc_operation_annotation = "kactor.io/operation";
inline constexpr const char* cc_parameters_annotation = "kactor.io/parameters";

/// Reads an operation; invalid naming the field when it names no known operation.
result<cc_operation> parse_cc_operation(const json& object);

/// The object for a request of cluster `c` (spec.errorPolicy retry, ttlSecondsAfterFinished from
/// cruiseControlConfig.cruiseControlOperationSpec when set).
json render_cc_operation(const kafka_cluster& c, const cc_operation_request& r);

/// What one step of the Cruise Control actor did to an operation's current task.
struct cc_task_update {
  std::string task_id;          ///< "" leaves the id
  std::string state;            ///< Active, InExecution, Completed, CompletedWithError, Unknown
  std::string error_message;
  std::string http_request;     ///< "POST /kafkacruisecontrol/remove_broker?brokerid=1"
  int http_code = 0;            ///< 0: leave
  std::map<std::string, std::string> summary;
  bool new_task = false;        ///< a (re)submission: the previous task, if it failed, goes to failedTasks
};

/// The operation's new status after `u` at time `now`; `previous` is its current status (may be null).
json render_cc_operation_status(const cc_operation& op, const cc_task_update& u, const json& previous, const std::string& now);

} // namespace kactor::model
