#include "model/cruisecontrol/cc_operation_io.hpp"

#include "model/json_read.hpp"
#include "model/render/metadata.hpp"

namespace kactor::model {

namespace {

std::map<std::string, std::string> string_map_of(const json& j) {
  std::map<std::string, std::string> out;
  if (j.is_object())
    for (const auto& [k, v] : j.items())
      if (v.is_string())
        out[k] = v.get<std::string>();
  return out;
}

std::string text(const json& j, const char* pointer) { return string_or(j, json::json_pointer(pointer)); }

} // namespace

// The object is read from the API server and may have been edited by anyone: a field of another type reads
// as absent, except the operation and its parameters, whose errors name the field.
result<cc_operation> parse_cc_operation(const json& object) {
  cc_operation op;
  op.name = text(object, "/metadata/name");
  op.creation_timestamp = text(object, "/metadata/creationTimestamp");
  const json& annotations = object_or_empty(object, "/metadata/annotations"_json_pointer);
  std::string operation = text(object, "/status/currentTask/operation");
  std::string field = "status.currentTask.operation";
  if (operation.empty()) {
    field = std::string("metadata.annotations[") + cc_operation_annotation + "]";
    if (const json* a = find(annotations, cc_operation_annotation); a && !a->is_string())
      return status::invalid(field + ": " + describe_mismatch("a string", *a));
    operation = string_or(annotations, cc_operation_annotation);
  }
  auto kind = parse_cc_operation_kind(operation);
  if (!kind)
    return status::invalid(field + ": \"" + operation + "\" is not an operation kactor runs (add_broker, remove_broker, remove_disks, rebalance)");
  op.kind = *kind;
  if (object.contains("/status/currentTask/parameters"_json_pointer))
    op.parameters = string_map_of(object.at("/status/currentTask/parameters"_json_pointer));
  else if (const json* text = find(annotations, cc_parameters_annotation)) {
    if (!text->is_string())
      return status::invalid(std::string("metadata.annotations[") + cc_parameters_annotation + "]: "
                             + describe_mismatch("a string", *text));
    auto parsed = json::parse(text->get<std::string>(), nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
      return status::invalid(std::string("metadata.annotations[") + cc_parameters_annotation + "]: not a JSON object");
    op.parameters = string_map_of(parsed);
  }
  op.task_id = text(object, "/status/currentTask/id");
  op.state = text(object, "/status/currentTask/state");
  op.error_message = text(object, "/status/currentTask/errorMessage");
  op.started = text(object, "/status/currentTask/started");
  op.finished = text(object, "/status/currentTask/finished");
  op.error_policy = text(object, "/spec/errorPolicy");
  if (op.error_policy.empty())
    op.error_policy = text(object, "/status/errorPolicy");
  if (op.error_policy.empty())
    op.error_policy = "retry";
  op.paused = string_or(object_or_empty(object, "/metadata/labels"_json_pointer), "pause") == "true";
  op.retry_count = int_or(object, "/status/retryCount"_json_pointer, 0);
  if (auto ttl = find_int(object, "/spec/ttlSecondsAfterFinished"_json_pointer))
    op.ttl_seconds_after_finished = *ttl;
  return op;
}

json render_cc_operation(const kafka_cluster& c, const cc_operation_request& r) {
  json params = r.parameters;
  json object = {{"apiVersion", cc_operation_api_version},
                 {"kind", "CruiseControlOperation"},
                 {"metadata", object_metadata(c, r.name, {{"kafka_cr", c.metadata.name}})},
                 {"spec", {{"errorPolicy", "retry"}}}};
  object["metadata"]["annotations"] = {{cc_operation_annotation, to_string(r.kind)}, {cc_parameters_annotation, params.dump()}};
  if (c.spec.cruise_control.operation_ttl_seconds_after_finished)
    object["spec"]["ttlSecondsAfterFinished"] = *c.spec.cruise_control.operation_ttl_seconds_after_finished;
  return object;
}

json render_cc_operation_status(const cc_operation& op, const cc_task_update& u, const json& previous, const std::string& now) {
  json status = previous.is_object() ? previous : json::object();
  json task = status.contains("currentTask") && status["currentTask"].is_object() ? status["currentTask"] : json::object();
  if (!status.contains("retryCount") || !status["retryCount"].is_number_integer())
    status["retryCount"] = 0;
  if (u.new_task) {
    auto old_state = task.contains("state") && task["state"].is_string() ? task["state"].get<std::string>() : "";
    if (old_state == "CompletedWithError" || old_state == "Unknown") {
      if (!status.contains("failedTasks") || !status["failedTasks"].is_array())
        status["failedTasks"] = json::array();
      status["failedTasks"].push_back(task);
      // Bounded: the newest failures tell the story, and the CR must stay small.
      while (status["failedTasks"].size() > 10)
        status["failedTasks"].erase(status["failedTasks"].begin());
      status["retryCount"] = status["retryCount"].get<int64_t>() + 1;
    }
    task = json::object();
    task["started"] = now;
  }
  task["operation"] = to_string(op.kind);
  task["parameters"] = op.parameters;
  if (!u.task_id.empty())
    task["id"] = u.task_id;
  if (!u.state.empty() && !(task.contains("state") && task["state"] == u.state)) {
    task["state"] = u.state;
    if (u.state == "Completed" || u.state == "CompletedWithError" || u.state == "Unknown")
      task["finished"] = now;
  }
  if (!u.error_message.empty())
    task["errorMessage"] = u.error_message;
  else if (u.state == "Completed")
    task.erase("errorMessage");
  if (!u.http_request.empty())
    task["httpRequest"] = u.http_request;
  if (u.http_code)
    task["httpResponseCode"] = u.http_code;
  if (!u.summary.empty())
    task["summary"] = u.summary;
  status["currentTask"] = std::move(task);
  status["errorPolicy"] = op.error_policy;
  return status;
}

} // namespace kactor::model
