#include "model/cruisecontrol/cc_adopt.hpp"

#include <algorithm>

#include "model/time.hpp"

namespace kactor::model {

namespace {

/// One parameter of an operation, as the sorted values it names (ids, or broker-logdir pairs).
std::vector<std::string> normalized(const std::map<std::string, std::string>& params, const char* key) {
  std::vector<std::string> out;
  auto it = params.find(key);
  if (it == params.end())
    return out;
  cc_operation one;
  one.parameters[key] = it->second;
  if (std::string_view(key) == "brokerid_and_logdirs") {
    for (auto& [id, dirs] : one.log_dirs())
      for (auto& d : dirs)
        out.push_back(std::to_string(id) + "-" + d);
  } else {
    for (auto id : one.brokers())
      out.push_back(std::to_string(id));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool flag(const std::map<std::string, std::string>& params, const char* key) {
  auto it = params.find(key);
  return it != params.end() && it->second == "true";
}

bool running(const std::string& state) { return state == "Active" || state == "InExecution"; }

} // namespace

bool same_intent(const cc_operation& op, const cc_known_task& task) {
  if (task.endpoint != to_string(op.kind))
    return false;
  auto dry = task.params.find("dryrun");
  if (dry == task.params.end() || dry->second != "false")
    return false; // a dry run (CC's default) moved nothing: someone's proposal, not this work
  for (const char* key : {"brokerid", "destination_broker_ids", "brokerid_and_logdirs"})
    if (normalized(op.parameters, key) != normalized(task.params, key))
      return false;
  return flag(op.parameters, "rebalance_disk") == flag(task.params, "rebalance_disk");
}

std::optional<cc_known_task> task_to_adopt(const cc_operation& op, const std::vector<cc_known_task>& tasks) {
  // Finished tasks count from when this request began: the operation's creation, or its last failure.
  int64_t since = op.failed() && !op.finished.empty() ? rfc3339_seconds(op.finished)
                                                       : (op.creation_timestamp.empty() ? 0 : rfc3339_seconds(op.creation_timestamp));
  std::optional<cc_known_task> best;
  for (const auto& t : tasks) {
    if (t.id.empty() || t.id == op.task_id || !same_intent(op, t))
      continue;
    bool finished = t.state == "Completed" || t.state == "CompletedWithError";
    if (!running(t.state) && !(finished && t.start_ms / 1000 >= since))
      continue;
    if (!best || t.start_ms > best->start_ms)
      best = t;
  }
  return best;
}

} // namespace kactor::model
