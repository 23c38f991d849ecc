#include "model/render/cluster_status.hpp"
#include "model/json_read.hpp"

#include "model/broker_backup.hpp"

#include <algorithm>
#include <set>

// Decisions the header leaves open:
// - The brokers listed are those of spec.brokers plus every reported broker; a spec broker that has not
//   reported yet is ConfigOutOfSync. A broker neither in the spec nor reported is dropped.
// - Each spec broker's configurationBackup is model::broker_backups' text (a leaving broker keeps its last).
// - Each brokersState entry starts from its `previous` entry, so fields kactor does not manage
//   (externalListenerConfigNames, volumeStates, cruiseControlOperationReference) are
//   kept; likewise every top-level field other than state, brokersState and conditions. The CRD requires
//   perBrokerConfigurationState and rackAwarenessState: the first follows configurationState (a
//   broker_report does not yet say whether the dynamic per-broker config was applied through the admin
//   API; in_sync is the best available answer), the second is "" without rack awareness
//   (as Koperator writes it), Configured once the broker's pod is Ready, else WaitingForRackAwareness.
//   alertCount (required) is 0 unless `previous` has one.
// - A broker being removed keeps the cluster Reconciling until it is gone. Refusals and failed writes
//   are appended to the Progressing message; a settled cluster whose only problems are refusals or
//   failed writes is Progressing False with reason Blocked (nothing more can be done until the spec
//   changes).
// - Conditions are written in a fixed order (Ready, SpecValid, Progressing, then RollingUpgrade and
//   DynamicConfigApplied when present), followed by conditions of other types from `previous`, unchanged,
//   so an idle cluster renders byte-identical JSON. RollingUpgrade stays (False, Done) once it appeared.
//
// Koperator's CRD (as recorded in fixtures/koperator-crds) has no status.conditions and no
// x-kubernetes-preserve-unknown-fields, so a real API server prunes them; they are kept for the sim and
// for the day the CRD gains the field.

namespace kactor::model {

namespace {

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& item : items)
    out += (out.empty() ? "" : sep) + item;
  return out;
}

std::string id_list(const std::vector<int32_t>& ids) {
  std::vector<std::string> items;
  for (auto id : ids)
    items.push_back(std::to_string(id));
  return join(items, ", ");
}

/// How each broker stands, summarised once for the state and the conditions.
struct cluster_summary {
  std::vector<int32_t> all;          ///< spec brokers and reported ones, ascending
  std::vector<int32_t> not_ready;    ///< spec brokers whose pod is not Ready
  std::vector<int32_t> out_of_sync;  ///< spec brokers not in sync
  std::vector<int32_t> removing;     ///< reported brokers no longer in the spec
  std::vector<std::string> problems; ///< refusals and failed writes, "broker N: ..."
};

cluster_summary summarise(const kafka_cluster& c, const status_inputs& in) {
  std::set<int32_t> spec_ids, ids;
  for (const auto& b : c.spec.brokers)
    spec_ids.insert(b.id);
  ids = spec_ids;
  for (const auto& [id, r] : in.brokers)
    ids.insert(id);
  for (const auto& [id, g] : in.graceful)
    ids.insert(id);
  cluster_summary s;
  for (auto id : ids) {
    s.all.push_back(id);
    auto it = in.brokers.find(id);
    const broker_report* r = it == in.brokers.end() ? nullptr : &it->second;
    // The spec is the authority on membership; removed_from_spec only restates it.
    bool in_spec = spec_ids.contains(id);
    if (!in_spec)
      s.removing.push_back(id);
    if (in_spec && !(r && r->pod_ready))
      s.not_ready.push_back(id);
    if (in_spec && !(r && r->in_sync))
      s.out_of_sync.push_back(id);
    if (!r)
      continue;
    for (const auto& refusal : r->refusals)
      s.problems.push_back("broker " + std::to_string(id) + ": " + refusal);
    if (!r->last_error.empty())
      s.problems.push_back("broker " + std::to_string(id) + ": " + r->last_error);
  }
  return s;
}

bool settled(const cluster_summary& s) {
  return s.not_ready.empty() && s.out_of_sync.empty() && s.removing.empty();
}

bool rolling(const status_inputs& in) {
  return !in.restarting.empty() || !in.roll_waiting.empty() || !in.roll_stopped.empty();
}

std::string cluster_state(const cluster_summary& s, const status_inputs& in) {
  if (rolling(in))
    return "ClusterRollingUpgrading";
  return settled(s) ? "ClusterRunning" : "ClusterReconciling";
}

std::string rack_awareness_state(const kafka_cluster& c, const broker_report* r) {
  if (c.spec.rack_awareness_labels.empty())
    return "";
  // Configured only with a rack: a broker placed by the scheduler has none until its node told it.
  return r && r->pod_ready && !r->rack.empty() ? "Configured" : "WaitingForRackAwareness";
}

json to_json(const graceful_action_state& g) {
  json out = {{"cruiseControlState", g.cruise_control_state}, {"volumeStates", json::object()}};
  if (g.cruise_control_operation_name)
    out["cruiseControlOperationReference"] = {{"name", *g.cruise_control_operation_name}};
  for (const auto& [mount, v] : g.volume_states) {
    json vj = {{"cruiseControlVolumeState", v.cruise_control_volume_state}};
    if (v.cruise_control_operation_name)
      vj["cruiseControlOperationReference"] = {{"name", *v.cruise_control_operation_name}};
    out["volumeStates"][mount] = std::move(vj);
  }
  return out;
}

json broker_entry(const kafka_cluster& c, const broker_report* r, bool removing, const graceful_action_state* g, json entry) {
  if (!entry.is_object())
    entry = json::object();
  bool in_sync = r && r->in_sync;
  entry["configurationState"] = in_sync ? "ConfigInSync" : "ConfigOutOfSync";
  if (r && !r->config_state.empty())
    entry["perBrokerConfigurationState"] = r->config_state == "InSync" ? "PerBrokerConfigInSync"
                                           : r->config_state == "Error" ? "PerBrokerConfigError"
                                                                        : "PerBrokerConfigOutOfSync";
  else
    entry["perBrokerConfigurationState"] = in_sync ? "PerBrokerConfigInSync" : "PerBrokerConfigOutOfSync";
  entry["rackAwarenessState"] = rack_awareness_state(c, r);
  if (r && !r->image.empty())
    entry["image"] = r->image;
  if (r && !r->version.empty())
    entry["version"] = r->version;
  if (g) {
    entry["gracefulActionState"] = to_json(*g);
    return entry;
  }
  json& graceful = entry["gracefulActionState"];
  if (!graceful.is_object())
    graceful = json::object();
  // Drained through Cruise Control before its pod and PVCs are deleted.
  graceful["cruiseControlState"] = removing ? "GracefulDownscaleRequired" : "GracefulUpscaleSucceeded";
  if (!graceful.contains("volumeStates"))
    graceful["volumeStates"] = json::object();
  return entry;
}

json brokers_state(const kafka_cluster& c, const status_inputs& in, const cluster_summary& s, const json& previous) {
  const json* old = previous.is_object() && previous.contains("brokersState") ? &previous["brokersState"] : nullptr;
  json out = json::object();
  auto backups = broker_backups(c); // a leaving broker keeps its last one (from `previous`)
  for (auto id : s.all) {
    auto key = std::to_string(id);
    auto it = in.brokers.find(id);
    const broker_report* r = it == in.brokers.end() ? nullptr : &it->second;
    bool removing = std::find(s.removing.begin(), s.removing.end(), id) != s.removing.end();
    json prev = old && old->is_object() ? old->value(key, json{}) : json{};
    auto g = in.graceful.find(id);
    out[key] = broker_entry(c, r, removing, g == in.graceful.end() ? nullptr : &g->second, std::move(prev));
    if (auto b = backups.find(id); b != backups.end())
      out[key]["configurationBackup"] = b->second;
  }
  return out;
}

/// A condition before its lastTransitionTime is decided.
struct condition {
  std::string type;
  bool status = false;
  std::string reason;
  std::string message;
};

condition ready_condition(const cluster_summary& s) {
  if (s.not_ready.empty())
    return {"Ready", true, "AllBrokersReady", "all brokers are ready"};
  return {"Ready", false, "BrokersNotReady", "brokers not ready: " + id_list(s.not_ready)};
}

condition spec_valid_condition(const status_inputs& in) {
  if (in.spec_errors.empty())
    return {"SpecValid", true, "Valid", "the spec is valid"};
  std::vector<std::string> items;
  for (const auto& e : in.spec_errors)
    items.push_back(e.to_string());
  return {"SpecValid", false, "InvalidSpec", join(items, "; ")};
}

std::vector<int32_t> waiting_ids(const status_inputs& in) {
  std::vector<int32_t> out;
  for (const auto& [id, why] : in.roll_waiting)
    out.push_back(id);
  return out;
}

std::optional<condition> rolling_upgrade_condition(const status_inputs& in, bool had_one) {
  if (!in.roll_stopped.empty())
    return condition{"RollingUpgrade", false, "Stopped", in.roll_stopped};
  if (!rolling(in))
    return had_one ? std::optional<condition>{condition{"RollingUpgrade", false, "Done", "no broker waits to restart"}}
                   : std::nullopt;
  std::vector<std::string> parts;
  if (!in.restarting.empty())
    parts.push_back("restarting: brokers " + id_list(in.restarting));
  for (const auto& [id, why] : in.roll_waiting)
    parts.push_back("waiting: broker " + std::to_string(id) + ": " + why);
  return condition{"RollingUpgrade", true, in.restarting.empty() ? "Waiting" : "Restarting", join(parts, "; ")};
}

std::optional<condition> dynamic_config_condition(const status_inputs& in) {
  if (!in.dynamic_config_managed)
    return std::nullopt;
  std::vector<std::string> errors, pending;
  if (in.cluster_config_state == "Error")
    errors.push_back("clusterWideConfig: " + in.cluster_config_error);
  else if (in.cluster_config_state != "InSync")
    pending.push_back("clusterWideConfig");
  for (const auto& [id, r] : in.brokers) {
    if (r.removed_from_spec)
      continue;
    if (r.config_state == "Error")
      errors.push_back("broker " + std::to_string(id) + ": " + r.config_error);
    else if (r.config_state != "InSync")
      pending.push_back("broker " + std::to_string(id));
  }
  if (!errors.empty())
    return condition{"DynamicConfigApplied", false, "Rejected", join(errors, "; ")};
  if (!pending.empty())
    return condition{"DynamicConfigApplied", false, "Pending", "not yet applied: " + join(pending, ", ")};
  return condition{"DynamicConfigApplied", true, "Applied", "brokerConfig.config and clusterWideConfig are in force"};
}

std::optional<condition> cruise_control_condition(const status_inputs& in, bool had_one) {
  if (!in.cruise_control_error.empty() && (in.cruise_control_involved || had_one))
    return condition{"CruiseControl", false, "Unavailable",
                     in.cruise_control_error
                         + (in.cruise_control_waiting.empty() ? "" : "; waiting: " + join(in.cruise_control_waiting, "; "))};
  if (in.cruise_control_involved)
    return condition{"CruiseControl", true, "Operating",
                     in.cruise_control_waiting.empty() ? "operations in progress" : join(in.cruise_control_waiting, "; ")};
  if (had_one)
    return condition{"CruiseControl", true, "Idle", "no operation waits on Cruise Control"};
  return std::nullopt;
}

condition progressing_condition(const cluster_summary& s, const status_inputs& in) {
  condition out{"Progressing", false, "Idle", "nothing to do"};
  if (!in.restarting.empty())
    out = {"Progressing", true, "RollingRestart", "brokers restarting: " + id_list(in.restarting)};
  else if (rolling(in))
    out = {"Progressing", true, "RollingRestart", "brokers waiting to restart: " + id_list(waiting_ids(in))};
  else if (!settled(s)) {
    std::vector<std::string> parts;
    std::set<int32_t> ids{s.out_of_sync.begin(), s.out_of_sync.end()};
    ids.insert(s.not_ready.begin(), s.not_ready.end());
    std::vector<int32_t> pending{ids.begin(), ids.end()};
    if (!pending.empty())
      parts.push_back("brokers reconciling: " + id_list(pending));
    if (!s.removing.empty())
      parts.push_back("brokers being removed: " + id_list(s.removing));
    out = {"Progressing", true, "Reconciling", join(parts, "; ")};
  } else if (!s.problems.empty())
    out = {"Progressing", false, "Blocked", "nothing more can be done"};
  if (!s.problems.empty())
    out.message += "; " + join(s.problems, "; ");
  return out;
}

const json* find_condition(const json& previous, const std::string& type) {
  if (!previous.is_object() || !previous.contains("conditions") || !previous["conditions"].is_array())
    return nullptr;
  for (const auto& c : previous["conditions"])
    if (string_or(c, "type") == type)
      return &c;
  return nullptr;
}

json to_json(const condition& c, const json& previous, const std::string& now) {
  std::string status = c.status ? "True" : "False";
  std::string since = now;
  // The transition time moves only when the status does (as metav1.Condition requires).
  if (const json* old = find_condition(previous, c.type); old && string_or(*old, "status") == status)
    since = string_or(*old, "lastTransitionTime", now);
  return {{"type", c.type},
          {"status", status},
          {"reason", c.reason},
          {"message", c.message},
          {"lastTransitionTime", since}};
}

json conditions(const cluster_summary& s, const status_inputs& in, const json& previous) {
  json out = json::array();
  std::set<std::string> managed;
  std::vector<condition> ours{ready_condition(s), spec_valid_condition(in), progressing_condition(s, in)};
  if (auto c = rolling_upgrade_condition(in, find_condition(previous, "RollingUpgrade") != nullptr))
    ours.push_back(*c);
  if (auto c = dynamic_config_condition(in))
    ours.push_back(*c);
  if (auto c = cruise_control_condition(in, find_condition(previous, "CruiseControl") != nullptr))
    ours.push_back(*c);
  for (const auto& c : ours) {
    out.push_back(to_json(c, previous, in.now));
    managed.insert(c.type);
  }
  managed.insert("DynamicConfigApplied"); // dropped when no admin manages the config any more
  bool has_old = previous.is_object() && previous.contains("conditions") && previous["conditions"].is_array();
  if (has_old)
    for (const auto& c : previous["conditions"])
      if (!c.is_object() || !managed.contains(string_or(c, "type")))
        out.push_back(c); // another writer's condition: not ours to change
  return out;
}

} // namespace

json render_cluster_status(const kafka_cluster& c, const status_inputs& in, const json& previous) {
  auto summary = summarise(c, in);
  json out = previous.is_object() ? previous : json::object();
  out["state"] = cluster_state(summary, in);
  out["brokersState"] = brokers_state(c, in, summary, previous);
  out["conditions"] = conditions(summary, in, previous);
  // A roll just ended: Koperator's rollingUpgradeStatus records when.
  // `previous` is the status as read back: others (alerts, users) write it too, so reads tolerate any type.
  if (string_or(previous, "state") == "ClusterRollingUpgrading" && !rolling(in)) {
    auto errors = int_or(previous, "/rollingUpgradeStatus/errorCount"_json_pointer, 0);
    out["rollingUpgradeStatus"] = {{"lastSuccess", in.now}, {"errorCount", errors}};
  }
  if (!out.contains("alertCount"))
    out["alertCount"] = 0;
  return out;
}

std::vector<int32_t> unreported_brokers(const kafka_cluster& c, const std::map<int32_t, broker_report>& reports) {
  std::vector<int32_t> out;
  for (const auto& b : c.spec.brokers)
    if (!reports.count(b.id))
      out.push_back(b.id);
  return out;
}

} // namespace kactor::model
