// scenario_run's observation (scenario_run.hpp): pods, PVCs and Cruise Control operations as the watches
// report them, the spec's brokers and disks, convergence, the status line, and the violations they show.
#include "sim/scenario/scenario_run.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "model/cruisecontrol/cc_operation_io.hpp"
#include "model/identity.hpp"

namespace kactor::sim::detail {

using namespace std::chrono_literals;

std::string ids_text(const std::set<int32_t>& ids) {
  std::string s;
  for (auto id : ids)
    s += (s.empty() ? "" : ",") + std::to_string(id);
  return "[" + s + "]";
}

int32_t broker_of(const json& o) { return model::broker_identity_of(o).broker_id.value_or(-1); }

std::string pod_state(const json& pod, bool deleted) {
  if (deleted)
    return "Absent";
  if (pod["metadata"].contains("deletionTimestamp"))
    return "Terminating";
  auto st = pod.value("status", json::object());
  auto phase = st.value("phase", "Pending");
  if (phase == "Failed" || phase == "Succeeded")
    return "Terminating";
  if (phase != "Running")
    return "Pending";
  for (const auto& c : st.value("conditions", json::array()))
    if (c.value("type", "") == "Ready" && c.value("status", "") == "True")
      return "Ready";
  return "Running";
}

uint64_t resource_version_of(const json& o) {
  try {
    return std::stoull(o.value("/metadata/resourceVersion"_json_pointer, json("0")).get<std::string>());
  } catch (...) {
    return 0; // not stored yet (the document the run starts with)
  }
}

void scenario_run::refresh_spec(const json& cr) {
  if (!cr.is_object() || !cr.contains("spec") || !cr["spec"].is_object())
    return;
  const auto& spec = cr["spec"];
  std::lock_guard lock(mutex_);
  auto version = resource_version_of(cr);
  if (version < spec_version_)
    return; // a watch event older than what was read already
  spec_version_ = version;
  spec_brokers_ = spec_ids(spec);
  checker_.set_spec_brokers(spec_brokers_);
  spec_disks_.clear();
  auto groups = spec.value("brokerConfigGroups", json::object());
  for (const auto& b : spec.value("brokers", json::array())) {
    if (!b.contains("id") || !b["id"].is_number_integer())
      continue;
    auto id = b["id"].get<int32_t>();
    auto add = [&](const json& cfg) {
      for (const auto& sc : cfg.value("storageConfigs", json::array()))
        spec_disks_.insert({id, sc.value("mountPath", "")});
    };
    add(groups.value(b.value("brokerConfigGroup", ""), json::object()));
    add(b.value("brokerConfig", json::object()));
  }
  for (auto id : spec_brokers_)
    if (std::find(rec_.brokers.begin(), rec_.brokers.end(), id) == rec_.brokers.end())
      rec_.brokers.push_back(id);
  std::sort(rec_.brokers.begin(), rec_.brokers.end());
}

std::string scenario_run::not_converged() {
  auto c = cr();
  json st = c.contains("status") && c["status"].is_object() ? c["status"] : json::object();
  if (st.value("state", "") != "ClusterRunning")
    return "status.state is " + st.value("state", std::string("unset"));
  std::set<int32_t> spec;
  std::set<std::pair<int32_t, std::string>> disks;
  {
    std::lock_guard lock(mutex_);
    spec = spec_brokers_;
    disks = spec_disks_;
  }
  json brokers = st.value("brokersState", json::object()); // a named copy: items() of a temporary dangles
  std::set<int32_t> in_status;
  for (const auto& [id, b] : brokers.items()) {
    try {
      in_status.insert(std::stoi(id));
    } catch (...) {
    }
    if (!b.is_object() || b.value("configurationState", "") != "ConfigInSync")
      return "broker " + id + " is not ConfigInSync";
  }
  if (in_status != spec)
    return "status.brokersState lists " + ids_text(in_status) + ", the spec " + ids_text(spec);
  std::set<int32_t> ready, present;
  for (const auto& p : pods_->list()) {
    auto id = broker_of(p);
    present.insert(id);
    if (pod_state(p, false) == "Ready")
      ready.insert(id);
  }
  if (present != spec || ready != spec)
    return "pods Ready " + ids_text(ready) + " of " + ids_text(present) + ", the spec " + ids_text(spec);
  std::set<std::pair<int32_t, std::string>> pvcs;
  for (const auto& p : pvcs_->list())
    pvcs.insert({broker_of(p), p["metadata"].value("annotations", json::object()).value("mountPath", "")});
  if (pvcs != disks)
    return "PVCs do not match the spec's disks (" + std::to_string(pvcs.size()) + " PVCs, "
           + std::to_string(disks.size()) + " disks)";
  auto v = plane_->kafka().view(ns_, cluster_);
  std::set<int32_t> up;
  for (const auto& [id, b] : v.brokers)
    if (b.up)
      up.insert(id);
  if (up != spec)
    return "Kafka brokers up " + ids_text(up) + ", the spec " + ids_text(spec);
  if (auto u = v.under_replicated(); !u.empty())
    return "partition " + u.front() + " under-replicated";
  if (v.moves_in_progress > 0)
    return std::to_string(v.moves_in_progress) + " replica moves in progress";
  for (const auto& [id, b] : v.brokers)
    if (!spec.count(id) && b.replicas > 0)
      return "removed broker " + std::to_string(id) + " still holds replicas";
  for (const auto& o : ccos_->list()) {
    auto op = model::parse_cc_operation(o);
    if (op.is_ok() && !op.value().finished_for_good() && !op.value().paused)
      return "Cruise Control operation " + op.value().name + " is "
             + (op.value().state.empty() ? std::string("pending") : op.value().state);
  }
  return "";
}

std::string scenario_run::status_mismatch() {
  // Fields convergence does not need but the status must still tell right: each broker's image.
  auto c = cr();
  json brokers = c.value("/status/brokersState"_json_pointer, json::object());
  for (const auto& p : pods_->list()) {
    auto id = std::to_string(broker_of(p));
    auto image = p.value("/spec/containers/0/image"_json_pointer, json("")).get<std::string>();
    if (brokers.contains(id) && brokers[id].is_object() && brokers[id].value("image", "") != image)
      return "status.brokersState." + id + ".image is \"" + brokers[id].value("image", "") + "\", the pod runs \"" + image
             + "\"";
  }
  return not_converged();
}

bool scenario_run::wait_converged(sim_ms bound, std::string& why) {
  auto deadline = steady::now() + clock_.wall(bound);
  // Let the last change reach the operator before judging (a converged status may be the old one), and
  // judge converged only once it held for a while: the status has no observedGeneration, so right after a
  // change it can still show the previous convergence (seen under CPU load).
  std::this_thread::sleep_for(std::max(clock_.wall(2s), std::chrono::milliseconds{100}));
  const auto settle = std::max(clock_.wall(10s), std::chrono::milliseconds{200});
  std::optional<steady::time_point> converged_since;
  // Converged also means the operator has stopped writing the status: a condition it is still bringing up
  // to date (a pass that ran a little late under load) is the end of the convergence, not a write while
  // idle. So the KafkaCluster's resourceVersion must hold through the settle window too.
  std::string version_since;
  static const bool trace = std::getenv("KACTOR_SIM_TRACE") != nullptr; // prints why it is not converged yet
  std::string last;
  while (true) {
    why = not_converged();
    if (trace && why != last)
      progress_.event("  " + sim_time(clock_.now_ms()) + "  waiting: " + (why.empty() ? "converged" : why));
    last = why;
    auto version = why.empty() ? cr().value("/metadata/resourceVersion"_json_pointer, std::string{}) : std::string{};
    if (!why.empty() || (converged_since && version != version_since))
      converged_since.reset();
    if (why.empty() && !converged_since) {
      converged_since = steady::now();
      version_since = version;
    } else if (why.empty() && steady::now() - *converged_since >= settle)
      return true;
    if (steady::now() >= deadline)
      return why.empty();
    std::this_thread::sleep_for(5ms);
  }
}

void scenario_run::violation(std::string invariant, std::string detail, int32_t broker) {
  // mutex_ held by the caller
  rec_.violations.push_back({std::move(invariant), std::move(detail), broker, clock_.now_ms()});
}

void scenario_run::on_pod(const k8s::change& c) {
  if (c.type == k8s::change_type::resync)
    return;
  auto id = broker_of(c.object);
  if (id < 0)
    return;
  bool deleted = c.type == k8s::change_type::deleted;
  auto state = pod_state(c.object, deleted);
  auto uid = c.object["metadata"].value("uid", "");
  auto now = clock_.now_ms();
  std::lock_guard lock(mutex_);
  if (std::find(rec_.brokers.begin(), rec_.brokers.end(), id) == rec_.brokers.end()) {
    rec_.brokers.push_back(id);
    std::sort(rec_.brokers.begin(), rec_.brokers.end());
  }
  auto& cur = pod_state_[id];
  if (cur.first != state) {
    if (!cur.first.empty() && cur.first != "Absent")
      rec_.pod_states.push_back({id, cur.first, cur.second, now});
    cur = {state, now};
  }
  // A pod going away (deleted, or failed and about to be replaced) is a restart unless its broker left.
  bool going = deleted || state == "Terminating";
  if (!going || !deleting_.insert(uid).second || !spec_brokers_.count(id))
    return;
  bool by_fault = checker_.hit(id);
  rec_.restarts.push_back({id, now, by_fault ? "fault" : "operator"});
  if (!by_fault)
    checker_.operator_deleting(id, now);
  if (!by_fault && !any_restart_allowed_ && !allowed_restarts_.count(id))
    violation("scope",
              "broker " + std::to_string(id) + " restarted by the operator during \"" + step_name_
                  + "\", which concerns "
                  + (allowed_restarts_.empty() ? "no broker's pod" : "brokers " + ids_text(allowed_restarts_)),
              id);
}

void scenario_run::on_cluster(const k8s::change& c) {
  if (c.name == cluster_ && c.type != k8s::change_type::deleted)
    refresh_spec(c.object);
}

void scenario_run::on_pvc(const k8s::change& c) {
  if (c.type != k8s::change_type::deleted)
    return;
  auto id = broker_of(c.object);
  auto mount = c.object["metadata"].value("annotations", json::object()).value("mountPath", "");
  // The spec as stored and Kafka's metadata, both now (read before taking mutex_: their threads take it).
  refresh_spec(stored_cr());
  auto v = plane_->kafka().view(ns_, cluster_);
  int32_t partitions = 0, on_dir = 0; // naming the broker in their replica sets; placed on this disk's log dir
  auto log_dir = mount + "/kafka";
  for (const auto& t : v.topics)
    for (const auto& p : t.partitions)
      partitions += std::find(p.replicas.begin(), p.replicas.end(), id) != p.replicas.end();
  for (const auto& p : v.placements)
    if (auto d = p.log_dirs.find(id); d != p.log_dirs.end() && d->second == log_dir)
      ++on_dir;
  auto pvc = "PVC " + c.name + " (broker " + std::to_string(id) + ", " + mount + ")";
  auto what = pvc + " deleted while ";
  std::lock_guard lock(mutex_);
  if (auto last = placed_on_dir_.find({id, log_dir}); last != placed_on_dir_.end())
    on_dir = std::max(on_dir, last->second); // unmounted before: what it held then
  bool leaving = !spec_brokers_.count(id);
  if (spec_disks_.count({id, mount}))
    violation("pvc-deleted", what + "in the spec", id);
  else if (leaving && partitions > 0) {
    auto named = "Kafka's metadata names broker " + std::to_string(id) + " in the replica sets of "
                 + std::to_string(partitions) + " partitions";
    violation("pvc-deleted", what + named, id);
    violation("deleted-with-replicas", "broker " + std::to_string(id) + " left the spec and its " + pvc
                                         + " was deleted while " + named, id);
  } else if (on_dir > 0)
    violation("pvc-deleted", what + std::to_string(on_dir) + " replicas were placed on its log dir " + log_dir
                                   + " (now, or when its broker last mounted it)",
              id);
}

void scenario_run::on_cc_operation(const k8s::change& c) {
  if (c.type == k8s::change_type::resync)
    return;
  auto op = model::parse_cc_operation(c.object);
  if (!op.is_ok())
    return;
  const auto& o = op.value();
  auto now = clock_.now_ms();
  std::lock_guard lock(mutex_);
  auto [it, fresh] = cc_index_.emplace(o.name, rec_.cc_operations.size());
  if (fresh) {
    run_record::cc_operation r;
    r.endpoint = model::to_string(o.kind);
    r.brokers = o.brokers();
    r.start_ms = r.end_ms = now;
    r.state = "Pending";
    rec_.cc_operations.push_back(r);
  }
  auto& r = rec_.cc_operations[it->second];
  if (!o.state.empty())
    r.state = o.state;
  if (c.type == k8s::change_type::deleted && r.state != "Completed" && r.state != "CompletedWithError")
    r.state += " (deleted)";
  if (!o.finished_for_good() && c.type != k8s::change_type::deleted)
    r.end_ms = now;
  else if (r.end_ms == r.start_ms)
    r.end_ms = now;
}

void scenario_run::status_loop() {
  while (!stopping_) {
    std::string line;
    {
      std::lock_guard lock(mutex_);
      int ready = 0;
      for (const auto& [id, st] : pod_state_)
        ready += st.first == "Ready";
      std::string faults;
      for (const auto& f : active_faults_)
        faults += (faults.empty() ? "" : ",") + f;
      line = "  [" + sim_time(clock_.now_ms()) + " ×" + std::to_string(int(s_.scale)) + "] " + ns_ + "/" + cluster_
             + " step " + std::to_string(step_index_) + "/" + std::to_string(s_.steps.size()) + " " + step_name_
             + " | brokers " + std::to_string(ready) + "/" + std::to_string(spec_brokers_.size()) + " ready | faults "
             + (faults.empty() ? "none" : faults) + " | violations " + std::to_string(rec_.violations.size());
    }
    progress_.status(line);
    std::unique_lock lock(wake_mutex_);
    wake_.wait_for(lock, 100ms);
  }
}

} // namespace kactor::sim::detail
