// Decoders of Cruise Control's JSON answers (json=true) and the mapping of its failures to cc_error kinds.
// Separate from the client so that tests and the fuzzer call them on recorded bodies.
//
// Defensive: unknown fields are ignored, absent ones keep their defaults, numbers sent as strings (StartMs)
// are read. A body that is not JSON, or a field of the wrong type, fails with decode naming the field
// path (`MonitorState.numMonitoredWindows: expected a number, got string`). Messages carry no endpoint:
// the client prefixes it.
//
// Pure: no I/O, no clock; never throws; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "integrations/cruisecontrol/cc_error.hpp"
#include "integrations/cruisecontrol/cc_state.hpp"
#include "integrations/cruisecontrol/cc_tasks.hpp"

namespace kactor::integrations::cruisecontrol {

/// The body of GET state (200).
cc_result<cc_state> parse_state(std::string_view body);

/// The body of GET kafka_cluster_state (200). Brokers are those any per-broker map names, sorted by id.
cc_result<kafka_cluster_state> parse_kafka_cluster_state(std::string_view body);

/// The body of GET load (200): its brokers[], by id. Also reads an OptimizationResult's
/// loadAfterOptimization object, which has the same shape.
cc_result<std::vector<broker_load>> parse_load(std::string_view body);

/// The body of GET user_tasks (200). originalResponse is kept as text; when it is (or holds as a string)
/// an OptimizationResult, a progress or an error body, summary, progress or error_message are filled.
cc_result<std::vector<user_task>> parse_user_tasks(std::string_view body);

/// The answer to an operation: 200 (OptimizationResult, or stop's message) and 202 (progress) are
/// accepted tasks, `task_id` being the User-Task-ID header; any other status is parse_error's.
cc_result<operation_result> parse_operation_result(int http_status, std::string_view body, std::string task_id);

/// The error a failed answer means. The message is errorMessage's first line when the body is CC's error
/// JSON, else the body's first line (shortened), else "HTTP <status>". The kind follows the message
/// first (NotEnoughValidWindows → not_ready; active user tasks at servlet capacity or an ongoing
/// execution → busy; an invalid User-Task-ID → not_found; IllegalArgumentException, an unknown broker →
/// bad_request), then the status (400/401/403/404 bad_request, 429/503 busy, 502/504 unavailable, else
/// server_error).
cc_error parse_error(int http_status, std::string_view body);

} // namespace kactor::integrations::cruisecontrol
