// The decoders of operation answers (OptimizationResult, progress, stop's message), of user_tasks, and the
// mapping of CC's failures to cc_error kinds. (The read endpoints are in cc_responses.cpp.)
#include "integrations/cruisecontrol/cc_responses.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "integrations/cruisecontrol/detail/json_fields.hpp"

namespace kactor::integrations::cruisecontrol {

using namespace detail;

namespace {

/// The first non-empty line of `text`, trimmed and cut to a readable length (CC's messages can carry
/// whole stack traces).
std::string first_line(std::string_view text) {
  size_t b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos)
    return {};
  text.remove_prefix(b);
  text = text.substr(0, text.find_first_of("\r\n"));
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  constexpr size_t max = 500;
  return text.size() > max ? std::string{text.substr(0, max)} + "..." : std::string{text};
}

std::string lower(std::string_view s) {
  std::string out{s};
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

bool contains_any(const std::string& haystack, std::initializer_list<const char*> needles) {
  return std::any_of(needles.begin(), needles.end(),
                     [&](const char* n) { return haystack.find(n) != std::string::npos; });
}

/// The kind CC's words mean, whatever the status it sent them with (CC answers 500 for most of them).
std::optional<cc_error::kind> kind_from_text(const std::string& text) {
  std::string t = lower(text);
  if (contains_any(t, {"notenoughvalidwindows", "not enough valid windows", "notenoughvalidsnapshots"}))
    return cc_error::kind::not_ready;
  if (contains_any(t, {"servlet capacity", "ongoing execution", "ongoing proposal execution"}))
    return cc_error::kind::busy;
  // UserTaskManager: "UserTask <id> is an invalid User-Task-ID" for a header it does not know.
  if (contains_any(t, {"invalid user-task-id", "unknown user task"}))
    return cc_error::kind::not_found;
  if (contains_any(t, {"illegalargumentexception", "userrequestexception", "does not exist",
                       "unrecognized endpoint parameter"}))
    return cc_error::kind::bad_request;
  return std::nullopt;
}

cc_error::kind kind_from_status(int status) {
  switch (status) {
  case 400: case 401: case 403: case 404: case 405: case 413: case 414: return cc_error::kind::bad_request;
  case 429: case 503: return cc_error::kind::busy;
  case 502: case 504: return cc_error::kind::unavailable;
  default: return cc_error::kind::server_error;
  }
}

optimization_summary read_summary(const json& o, const std::string& p) {
  optimization_summary s;
  s.num_replica_movements = int32_at(o, p, "numReplicaMovements");
  s.num_intra_broker_replica_movements = int32_at(o, p, "numIntraBrokerReplicaMovements");
  s.num_leader_movements = int32_at(o, p, "numLeaderMovements");
  s.data_to_move_mb = int_at(o, p, "dataToMoveMB");
  s.intra_broker_data_to_move_mb = int_at(o, p, "intraBrokerDataToMoveMB");
  s.monitored_partitions_pct = double_at(o, p, "monitoredPartitionsPercentage");
  s.recent_windows = int32_at(o, p, "recentWindows");
  s.balancedness_before = double_at(o, p, "onDemandBalancednessScoreBefore");
  s.balancedness_after = double_at(o, p, "onDemandBalancednessScoreAfter");
  s.provision_status = string_at(o, p, "provisionStatus");
  s.json = o.dump();
  return s;
}

std::vector<operation_progress> read_progress(const json& a, const std::string& p) {
  std::vector<operation_progress> out;
  for (size_t i = 0; i < a.size(); ++i) {
    std::string op_path = p + "[" + std::to_string(i) + "]";
    operation_progress op;
    op.operation = string_at(a[i], op_path, "operation");
    if (const json* steps = array_at(a[i], op_path, "operationProgress"))
      for (size_t j = 0; j < steps->size(); ++j) {
        std::string sp = join(op_path, "operationProgress") + "[" + std::to_string(j) + "]";
        const json& st = (*steps)[j];
        op.steps.push_back({string_at(st, sp, "step"), string_at(st, sp, "description"),
                            double_at(st, sp, "completionPercentage"), int_at(st, sp, "time-in-ms")});
      }
    out.push_back(std::move(op));
  }
  return out;
}

task_status to_task_status(const std::string& s) {
  if (s == "Active")
    return task_status::active;
  if (s == "InExecution")
    return task_status::in_execution;
  if (s == "Completed")
    return task_status::completed;
  if (s == "CompletedWithError")
    return task_status::completed_with_error;
  return task_status::unknown;
}

/// Fills summary, progress or error_message from originalResponse: an object, or (as CC serializes it)
/// a string holding JSON, or a plain word such as COMPLETED_WITH_ERROR (kept as text only).
void read_original_response(const json& v, const std::string& p, user_task& t) {
  json doc;
  if (v.is_string()) {
    t.original_response = v.get<std::string>();
    doc = json::parse(t.original_response, nullptr, false);
    if (!doc.is_object())
      return;
  } else if (v.is_object()) {
    doc = v;
    t.original_response = v.dump();
  } else {
    throw field_failure(p + ": expected a string or an object, got " + v.type_name());
  }
  if (const json* s = object_at(doc, p, "summary"))
    t.summary = read_summary(*s, join(p, "summary"));
  if (const json* a = array_at(doc, p, "progress"))
    t.progress = read_progress(*a, join(p, "progress"));
  t.error_message = first_line(string_at(doc, p, "errorMessage"));
}

user_task read_task(const json& o, const std::string& p) {
  user_task t;
  t.id = string_at(o, p, "UserTaskId");
  t.request_url = string_at(o, p, "RequestURL");
  split_request_url(t.request_url, t.endpoint, t.request_params);
  t.status_text = string_at(o, p, "Status");
  t.status = to_task_status(t.status_text);
  t.start_ms = int_at(o, p, "StartMs");
  t.client_identity = string_at(o, p, "ClientIdentity");
  if (const json* r = member(o, p, "originalResponse"))
    read_original_response(*r, join(p, "originalResponse"), t);
  return t;
}

operation_result read_operation(int status, const json& doc, std::string task_id) {
  operation_result r;
  r.task_id = std::move(task_id);
  r.http_status = status;
  if (status == 202) {
    const json* a = array_at(doc, "", "progress");
    if (!a)
      throw field_failure("progress: missing in a 202 answer");
    r.progress = read_progress(*a, "progress");
    return r;
  }
  if (const json* s = object_at(doc, "", "summary"))
    r.summary = read_summary(*s, "summary");
  if (const json* l = object_at(doc, "", "loadAfterOptimization"))
    r.load_after = read_load(*l, "loadAfterOptimization");
  r.message = string_at(doc, "", "message");
  return r;
}

} // namespace

cc_result<std::vector<user_task>> parse_user_tasks(std::string_view body) {
  return guarded<std::vector<user_task>>([&] {
    json doc = parse_object(body);
    const json* a = array_at(doc, "", "userTasks");
    if (!a)
      throw field_failure("userTasks: missing");
    std::vector<user_task> out;
    for (size_t i = 0; i < a->size(); ++i)
      out.push_back(read_task((*a)[i], "userTasks[" + std::to_string(i) + "]"));
    return out;
  });
}

cc_result<operation_result> parse_operation_result(int http_status, std::string_view body, std::string task_id) {
  if (http_status >= 400)
    return parse_error(http_status, body);
  if (http_status != 200 && http_status != 202) {
    cc_error e;
    e.http_status = http_status;
    e.message = "unexpected HTTP status " + std::to_string(http_status);
    return e;
  }
  return guarded<operation_result>([&] { return read_operation(http_status, parse_object(body), std::move(task_id)); });
}

cc_error parse_error(int http_status, std::string_view body) {
  cc_error e;
  e.http_status = http_status;
  std::string full; // what the kind is read from: all of CC's errorMessage, or the whole body
  try {
    auto doc = json::parse(body.begin(), body.end(), nullptr, false);
    if (doc.is_object())
      if (auto it = doc.find("errorMessage"); it != doc.end() && it->is_string())
        full = it->get<std::string>();
  } catch (const std::exception&) {
    // nop: not CC's error JSON, the body's text serves
  }
  if (full.empty())
    full = std::string{body};
  e.message = first_line(full);
  if (e.message.empty())
    e.message = "HTTP " + std::to_string(http_status);
  auto by_text = kind_from_text(full);
  e.what = by_text ? *by_text : kind_from_status(http_status);
  return e;
}

} // namespace kactor::integrations::cruisecontrol
