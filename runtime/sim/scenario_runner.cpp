#include "runtime/sim/scenario_runner.hpp"

#include "runtime/sim/scenario_edit.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <future>
#include <iomanip>
#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>

#include "integrations/alertmanager/alert_payload.hpp"
#include "integrations/kubernetes/kafkacluster_crd.hpp"
#include "integrations/kubernetes/watch_cache.hpp"
#include "integrations/sim/control_plane.hpp"
#include "model/cruisecontrol/cc_operation_io.hpp"
#include "model/document.hpp"
#include "runtime/operator_runtime.hpp"
#include "runtime/sim/invariants.hpp"
#include "runtime/sim/scenario_data.hpp"

namespace kactor::runtime {

namespace {

namespace k8s = integrations::kubernetes;
namespace sim = integrations::sim;
using nlohmann::json;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

/// Simulated time: wall time since the start times the scale.
struct sim_clock {
  steady::time_point t0 = steady::now();
  double scale = 100;

  int64_t now_ms() const {
    return int64_t(std::chrono::duration<double, std::milli>(steady::now() - t0).count() * scale);
  }
  /// A simulated duration in wall time, at least `floor`.
  std::chrono::milliseconds wall(sim_ms d, std::chrono::milliseconds floor = 1ms) const {
    return std::max(floor, std::chrono::milliseconds(int64_t(double(d.count()) / scale)));
  }
  steady::time_point wall_at(int64_t sim) const {
    return t0 + std::chrono::microseconds(int64_t(double(sim) * 1000.0 / scale));
  }
};

std::string sim_time(int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld.%01lld", (long long) (ms / 60000), (long long) (ms / 1000 % 60),
                (long long) (ms / 100 % 10));
  return buf;
}

std::string ids_text(const std::set<int32_t>& ids) {
  std::string s;
  for (auto id : ids)
    s += (s.empty() ? "" : ",") + std::to_string(id);
  return "[" + s + "]";
}

int32_t broker_of(const json& o) {
  auto id = o["metadata"].value("labels", json::object()).value("brokerId", "");
  try {
    return id.empty() ? -1 : std::stoi(id);
  } catch (...) {
    return -1;
  }
}

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

/// Prints events as lines and, on a terminal, keeps one status line under them.
class progress_printer {
public:
  progress_printer(std::ostream* out, bool tty) : out_(out), tty_(tty) {}
  void event(const std::string& line) {
    if (!out_)
      return;
    std::lock_guard lock(mutex_);
    if (tty_)
      *out_ << "\r\033[K";
    *out_ << line << '\n';
    if (tty_)
      *out_ << status_;
    out_->flush();
  }
  void status(const std::string& line) {
    if (!out_ || !tty_)
      return;
    std::lock_guard lock(mutex_);
    status_ = line;
    *out_ << "\r\033[K" << status_;
    out_->flush();
  }
  void done() {
    if (out_ && tty_) {
      std::lock_guard lock(mutex_);
      *out_ << "\r\033[K";
      out_->flush();
    }
  }

private:
  std::ostream* out_;
  bool tty_;
  std::mutex mutex_;
  std::string status_;
};

/// One run's world and its bookkeeping.
class scenario_run {
public:
  scenario_run(const scenario& s, const runner_options& o)
      : s_(s), o_(o), checker_(s.max_disruptions, int64_t(std::max(1000.0, 30.0 * s.scale))),
        progress_(o.progress, o.tty) {
    clock_.scale = s.scale;
  }

  ~scenario_run() {
    {
      std::lock_guard lock(op_queue_mutex_);
      op_thread_quit_ = true;
    }
    op_queue_cv_.notify_all();
    if (op_thread_.joinable())
      op_thread_.join();
  }

  run_record run();

private:
  // --- world ---
  bool set_up(std::string& why);
  bool start_operator();
  void stop_operator();
  void on_operator_thread(const std::function<void()>& work);
  void operator_thread_loop();
  void tear_down();
  json cr();
  bool change_spec(const std::function<std::string(json& spec)>& change, std::string& why);
  std::string not_converged(); ///< "" when converged, else what is not
  bool wait_converged(sim_ms bound, std::string& why);
  void sleep_sim(sim_ms d);
  std::set<int32_t> spec_ids(const json& spec) const;

  // --- observation ---
  void on_pod(const k8s::change& c);
  void on_pvc(const k8s::change& c);
  void on_cc_operation(const k8s::change& c);
  void violation(std::string invariant, std::string detail, int32_t broker);
  void refresh_spec(const json& spec);

  // --- timeline and faults ---
  std::string run_step(const scenario_step& st, size_t index);
  void fault_loop();
  void inject(const fault_spec& f);
  void end_fault(size_t index);
  void set_api_rules();
  void status_loop();

  const scenario& s_;
  runner_options o_;
  sim_clock clock_;
  invariant_checker checker_;
  progress_printer progress_;
  std::string ns_, cluster_;
  json cluster_doc_;

  std::unique_ptr<sim::control_plane> plane_;
  k8s::client_config config_;
  std::shared_ptr<k8s::kube_client> client_;
  std::mutex op_mutex_;
  std::shared_ptr<operator_runtime> op_;
  std::mutex op_thread_mutex_, op_queue_mutex_;
  std::condition_variable op_queue_cv_;
  std::deque<std::packaged_task<void()>> op_queue_;
  bool op_thread_quit_ = false;
  std::thread op_thread_{[this] { operator_thread_loop(); }};
  std::shared_ptr<k8s::watch_cache> pods_, pvcs_, ccos_;

  std::mutex mutex_; ///< guards everything below
  run_record rec_;
  std::map<int32_t, std::pair<std::string, int64_t>> pod_state_; ///< broker → (state, since)
  std::set<std::string> deleting_;                               ///< pod uids whose deletion was seen
  std::set<int32_t> spec_brokers_;
  std::set<std::pair<int32_t, std::string>> spec_disks_; ///< (broker, mount path)
  std::set<int32_t> allowed_restarts_;                   ///< brokers the unsettled steps concern
  bool any_restart_allowed_ = false;
  std::string step_name_;
  std::map<std::string, size_t> cc_index_; ///< CruiseControlOperation → rec_.cc_operations
  std::vector<size_t> cc_segments_;        ///< operations received when CC lost or failed tasks
  std::set<std::string> active_faults_;

  struct active_fault {
    fault_spec spec;
    int64_t end_ms;
    size_t record;
    std::vector<int32_t> hit;
    std::string node;
    std::string pvc;
  };
  std::vector<active_fault> lasting_;
  std::vector<sim::api_fault_rule> api_rules_base_;
  std::vector<fault_spec> schedule_;
  std::atomic<bool> stopping_{false};
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  size_t step_index_ = 0;
};

bool scenario_run::set_up(std::string& why) {
  if (s_.cluster.is_null()) {
    auto docs = model::load_documents(default_scenario_cluster_yaml());
    if (!docs.is_ok() || docs.value().empty()) {
      why = "the built-in sample does not load";
      return false;
    }
    cluster_doc_ = docs.value().at(0);
  } else
    cluster_doc_ = s_.cluster;
  ns_ = s_.namespace_;
  cluster_doc_["metadata"]["namespace"] = ns_;
  cluster_ = cluster_doc_["metadata"].value("name", "kafka");

  sim::control_plane_options cp;
  auto tick = [&](std::initializer_list<sim_ms> ds) {
    sim_ms shortest = *std::min_element(ds.begin(), ds.end());
    return std::clamp(clock_.wall(shortest) / 5, std::chrono::milliseconds{1}, std::chrono::milliseconds{20});
  };
  cp.kubelet.start_delay = clock_.wall(s_.timing.pod_start);
  cp.kubelet.ready_delay = clock_.wall(s_.timing.pod_ready);
  cp.kubelet.terminate_delay = clock_.wall(s_.timing.pod_terminate);
  cp.kubelet.tick = tick({s_.timing.pod_start, s_.timing.pod_ready, s_.timing.pod_terminate});
  if (!s_.nodes.empty()) {
    cp.kubelet.nodes.clear();
    for (const auto& n : s_.nodes)
      cp.kubelet.nodes.push_back({n.name, n.zone});
  }
  cp.kafka.catch_up = clock_.wall(s_.timing.kafka_catch_up);
  cp.kafka.tick = tick({s_.timing.kafka_catch_up});
  cp.kafka.move_bytes_per_second = s_.timing.move_bytes_per_second * s_.scale;
  cp.cruise_control.compute_delay = clock_.wall(s_.timing.cc_compute, 0ms);
  cp.cruise_control.tick = tick({s_.timing.cc_compute, 1000ms});
  auto started = sim::control_plane::start(cp);
  if (!started.is_ok()) {
    why = "cannot start the simulated control plane: " + started.error().message();
    return false;
  }
  plane_ = std::move(started.value());
  plane_->kafka().on_change([this](const sim::sim_cluster_view& v) {
    if (v.namespace_ != ns_ || v.name != cluster_)
      return;
    std::lock_guard lock(mutex_);
    static const bool states = std::getenv("KACTOR_SIM_STATES") != nullptr; // prints every state judged
    if (states) {
      std::string line = std::to_string(clock_.now_ms()) + " up:";
      for (auto& [id, b] : v.brokers)
        line += b.up ? " " + std::to_string(id) : "";
      for (auto& t : v.topics)
        for (auto& p : t.partitions) {
          line += " " + t.name + "-" + std::to_string(p.partition) + "(L" + std::to_string(p.leader) + " isr";
          for (auto r : p.isr)
            line += " " + std::to_string(r);
          line += ")";
        }
      std::fprintf(stderr, "STATE %s\n", line.c_str());
    }
    checker_.on_state(v, clock_.now_ms(), rec_.violations);
  });
  config_.server = plane_->api().url();
  config_.source = "kactor sim";
  (void) k8s::parse_server_url(config_.server, config_.endpoint);
  k8s::kube_client_options co;
  co.user_agent = "kactor-scenario"; // API faults aimed at the operator ("kactor") spare the scenario's driver
  auto client = k8s::kube_client::make(config_, co);
  if (!client.is_ok()) {
    why = client.error().message();
    return false;
  }
  client_ = client.value();
  client_->create_sync({"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false},
                       "", k8s::kafkacluster_crd());
  client_->create_sync({"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false},
                       "", k8s::cruisecontroloperation_crd());
  client_->create_sync(k8s::resources::namespaces(), "", {{"metadata", {{"name", ns_}}}});
  k8s::watch_cache_options wo;
  wo.namespace_ = ns_;
  wo.backoff_base = clock_.wall(2s);
  wo.backoff_max = clock_.wall(30s);
  wo.type = k8s::resources::pods();
  pods_ = k8s::watch_cache::start(client_, wo, [this](const k8s::change& c) { on_pod(c); });
  wo.type = k8s::resources::persistent_volume_claims();
  pvcs_ = k8s::watch_cache::start(client_, wo, [this](const k8s::change& c) { on_pvc(c); });
  wo.type = k8s::resources::cruise_control_operations();
  ccos_ = k8s::watch_cache::start(client_, wo, [this](const k8s::change& c) { on_cc_operation(c); });
  if (!start_operator()) {
    why = "cannot start the operator";
    return false;
  }
  return true;
}

bool scenario_run::start_operator() {
  operator_options o;
  o.watch_namespace = ns_;
  o.resync = clock_.wall(300s, 50ms);
  o.settings.backoff_base = clock_.wall(1s);
  o.settings.backoff_max = clock_.wall(60s);
  o.settings.respawn_base = clock_.wall(1s);
  o.settings.roll_timeout = clock_.wall(300s);
  o.settings.kafka_poll = clock_.wall(2s);
  o.settings.alert_cooldown = std::chrono::seconds(int64_t(300 / s_.scale));
  o.settings.alert_recheck = clock_.wall(10s);
  o.settings.cc_poll = clock_.wall(5s);
  o.settings.cc_retry_base = clock_.wall(10s);
  o.settings.unsafe_roll = s_.unsafe_operator;
  o.watch_backoff_base = clock_.wall(2s);
  o.watch_backoff_max = clock_.wall(30s);
  o.client.backoff_base = clock_.wall(1s);
  o.client.backoff_max = clock_.wall(10s);
  o.kafka_admins = plane_->kafka().admin_factory();
  o.cruise_controls = plane_->cruise_control_factory(clock_.wall(1s)); // a real client's 1 s follow-ups
  std::shared_ptr<operator_runtime> started;
  on_operator_thread([&] {
    auto rt = operator_runtime::start(config_, o);
    if (rt.is_ok())
      started = std::move(rt.value());
  });
  std::lock_guard lock(op_mutex_);
  op_ = std::move(started);
  return op_ != nullptr;
}

void scenario_run::stop_operator() {
  std::shared_ptr<operator_runtime> op;
  {
    std::lock_guard lock(op_mutex_);
    op = std::move(op_);
  }
  if (op)
    on_operator_thread([&] { op->stop(); });
}

void scenario_run::on_operator_thread(const std::function<void()>& work) {
  // CAF 0.17's actor system hangs in its destructor when it is destroyed on another thread than the one
  // that made it (seen: every stop from another thread waited forever). Operators are started and
  // stopped on this one thread, whichever thread asks (the timeline or the faults).
  std::lock_guard serial(op_thread_mutex_);
  std::packaged_task<void()> task(work);
  auto done = task.get_future();
  {
    std::lock_guard lock(op_queue_mutex_);
    op_queue_.push_back(std::move(task));
  }
  op_queue_cv_.notify_all();
  done.wait();
}

void scenario_run::operator_thread_loop() {
  while (true) {
    std::packaged_task<void()> task;
    {
      std::unique_lock lock(op_queue_mutex_);
      op_queue_cv_.wait(lock, [&] { return !op_queue_.empty() || op_thread_quit_; });
      if (op_queue_.empty())
        return;
      task = std::move(op_queue_.front());
      op_queue_.pop_front();
    }
    task();
  }
}

void scenario_run::tear_down() {
  stop_operator();
  {
    std::lock_guard lock(op_queue_mutex_);
    op_thread_quit_ = true;
  }
  op_queue_cv_.notify_all();
  if (op_thread_.joinable())
    op_thread_.join();
  for (auto& c : {pods_, pvcs_, ccos_})
    if (c)
      c->stop();
  if (client_)
    client_->stop();
  if (plane_)
    plane_->stop();
}

json scenario_run::cr() {
  auto r = client_->get_sync(k8s::resources::kafka_clusters(), ns_, cluster_);
  return r.is_ok() ? r.value() : json::object();
}

std::set<int32_t> scenario_run::spec_ids(const json& spec) const {
  std::set<int32_t> ids;
  for (const auto& b : spec.value("brokers", json::array()))
    if (b.contains("id") && b["id"].is_number_integer())
      ids.insert(b["id"].get<int32_t>());
  return ids;
}

void scenario_run::refresh_spec(const json& spec) {
  std::lock_guard lock(mutex_);
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

bool scenario_run::change_spec(const std::function<std::string(json& spec)>& change, std::string& why) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto c = cr();
    if (!c.contains("spec")) {
      why = "the KafkaCluster cannot be read";
      continue;
    }
    why = change(c["spec"]);
    if (!why.empty())
      return false;
    auto spec = c["spec"];
    auto r = client_->update_sync(k8s::resources::kafka_clusters(), ns_, c);
    if (r.is_ok()) {
      refresh_spec(spec);
      return true;
    }
    why = "update refused: " + r.error().to_string();
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

void scenario_run::sleep_sim(sim_ms d) {
  std::this_thread::sleep_until(steady::now()
                                + std::chrono::microseconds(int64_t(double(d.count()) * 1000.0 / s_.scale)));
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

bool scenario_run::wait_converged(sim_ms bound, std::string& why) {
  auto deadline = steady::now() + clock_.wall(bound);
  // Let the last change reach the operator before judging (a converged status may be the old one), and
  // judge converged only once it held for a while: the status has no observedGeneration, so right after a
  // change it can still show the previous convergence (seen under CPU load).
  std::this_thread::sleep_for(std::max(clock_.wall(2s), std::chrono::milliseconds{100}));
  const auto settle = std::max(clock_.wall(10s), std::chrono::milliseconds{200});
  std::optional<steady::time_point> converged_since;
  static const bool trace = std::getenv("KACTOR_SIM_TRACE") != nullptr; // prints why it is not converged yet
  std::string last;
  while (true) {
    why = not_converged();
    if (trace && why != last)
      progress_.event("  " + sim_time(clock_.now_ms()) + "  waiting: " + (why.empty() ? "converged" : why));
    last = why;
    if (!why.empty())
      converged_since.reset();
    else if (!converged_since)
      converged_since = steady::now();
    else if (steady::now() - *converged_since >= settle)
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

void scenario_run::on_pvc(const k8s::change& c) {
  if (c.type != k8s::change_type::deleted)
    return;
  auto id = broker_of(c.object);
  auto mount = c.object["metadata"].value("annotations", json::object()).value("mountPath", "");
  std::lock_guard lock(mutex_);
  if (spec_disks_.count({id, mount}))
    violation("pvc-deleted",
              "PVC " + c.name + " (broker " + std::to_string(id) + ", " + mount + ") deleted while in the spec", id);
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

// --- faults -------------------------------------------------------------------------------------------

void scenario_run::set_api_rules() {
  std::vector<sim::api_fault_rule> rules;
  for (const auto& f : lasting_) {
    sim::api_fault_rule r;
    r.user_agent = "kactor";
    if (f.spec.kind == fault_kind::api_errors) {
      r.rate = f.spec.rate;
      r.code = 500;
    } else if (f.spec.kind == fault_kind::operator_cut_off) {
      r.rate = 1.0;
      r.code = 503;
    } else
      continue;
    rules.push_back(r);
  }
  plane_->api().set_api_faults(rules);
}

void scenario_run::inject(const fault_spec& f) {
  auto now = clock_.now_ms();
  run_record::fault rf;
  rf.kind = to_string(f.kind);
  rf.start_ms = rf.end_ms = now;
  rf.broker = f.broker;
  active_fault af{f, now + f.duration.count(), 0, {}, {}, {}};
  auto pod_name = [&](int32_t b) -> std::optional<json> {
    for (const auto& p : pods_->list())
      if (broker_of(p) == b)
        return p;
    return std::nullopt;
  };
  std::string skipped;
  switch (f.kind) {
  case fault_kind::pod_kill:
  case fault_kind::container_kill: {
    rf.target = "broker " + std::to_string(f.broker);
    auto pod = pod_name(f.broker);
    if (!pod) {
      skipped = "no pod";
      break;
    }
    {
      std::lock_guard lock(mutex_);
      checker_.fault_hit(f.broker, false, now);
    }
    auto name = (*pod)["metadata"].value("name", "");
    if (f.kind == fault_kind::pod_kill)
      client_->remove_sync(k8s::resources::pods(), ns_, name);
    else
      plane_->kubelet().kill_container(ns_, name);
    break;
  }
  case fault_kind::node_down: {
    auto node = f.node;
    if (node.empty()) {
      auto pod = pod_name(f.broker);
      node = pod ? (*pod)["spec"].value("nodeName", "") : "";
    }
    rf.target = node.empty() ? "broker " + std::to_string(f.broker) : node;
    if (node.empty()) {
      skipped = "no node";
      break;
    }
    af.node = node;
    rf.broker = -1;
    auto pods = pods_->list(); // never call into the caches or the plane holding mutex_: their threads take it
    {
      std::lock_guard lock(mutex_);
      for (const auto& p : pods)
        if (p["spec"].value("nodeName", "") == node && broker_of(p) >= 0) {
          checker_.fault_hit(broker_of(p), true, now);
          af.hit.push_back(broker_of(p));
        }
    }
    if (af.hit.size() == 1)
      rf.broker = af.hit.front();
    rf.target = node + (af.hit.empty() ? "" : " (brokers " + ids_text({af.hit.begin(), af.hit.end()}) + ")");
    plane_->kubelet().set_node_ready(node, false);
    break;
  }
  case fault_kind::disk_failure: {
    rf.target = "broker " + std::to_string(f.broker);
    for (const auto& p : pvcs_->list())
      if (broker_of(p) == f.broker) {
        af.pvc = p["metadata"].value("name", "");
        break;
      }
    if (af.pvc.empty()) {
      skipped = "no PVC";
      break;
    }
    rf.target += " (" + af.pvc + ")";
    {
      std::lock_guard lock(mutex_);
      checker_.fault_hit(f.broker, true, now);
    }
    af.hit.push_back(f.broker);
    plane_->kubelet().set_disk_failed(ns_, af.pvc, true);
    break;
  }
  case fault_kind::api_errors:
  case fault_kind::operator_cut_off:
    rf.target = "operator's API requests";
    break;
  case fault_kind::watch_drop:
    rf.target = "every watch";
    plane_->api().drop_watches();
    break;
  case fault_kind::cc_down:
  case fault_kind::cc_restart:
  case fault_kind::cc_task_failure: {
    rf.target = "cruise control";
    if (f.kind != fault_kind::cc_down) {
      auto received = plane_->cruise_control().operations(ns_, cluster_).size();
      std::lock_guard lock(mutex_);
      cc_segments_.push_back(received);
    }
    if (f.kind == fault_kind::cc_down)
      plane_->cruise_control().set_down(ns_, cluster_, true);
    else if (f.kind == fault_kind::cc_restart)
      plane_->cruise_control().restart(ns_, cluster_);
    else
      plane_->cruise_control().fail_next_tasks(ns_, cluster_, f.count);
    break;
  }
  case fault_kind::operator_crash:
    rf.target = "operator";
    stop_operator();
    break;
  }
  if (rf.broker >= 0 && f.kind != fault_kind::node_down && !skipped.empty())
    rf.broker = -1;
  if (!skipped.empty())
    rf.target += " (skipped: " + skipped + ")";
  bool lasting = skipped.empty() && f.duration.count() > 0
                 && (f.kind == fault_kind::node_down || f.kind == fault_kind::disk_failure
                     || f.kind == fault_kind::api_errors || f.kind == fault_kind::operator_cut_off
                     || f.kind == fault_kind::cc_down || f.kind == fault_kind::operator_crash);
  {
    std::lock_guard lock(mutex_);
    af.record = rec_.faults.size();
    rec_.faults.push_back(rf);
    if (lasting) {
      lasting_.push_back(af);
      active_faults_.insert(rf.kind);
    }
  }
  if (lasting && (f.kind == fault_kind::api_errors || f.kind == fault_kind::operator_cut_off))
    set_api_rules();
  progress_.event("  " + sim_time(now) + "  fault  " + rf.kind + " " + rf.target
                  + (lasting ? " for " + std::to_string(f.duration.count() / 1000) + " s" : ""));
}

void scenario_run::end_fault(size_t index) {
  active_fault af;
  {
    std::lock_guard lock(mutex_);
    af = lasting_[index];
    lasting_.erase(lasting_.begin() + long(index));
    rec_.faults[af.record].end_ms = clock_.now_ms();
    active_faults_.clear();
    for (const auto& f : lasting_)
      active_faults_.insert(to_string(f.spec.kind));
  }
  switch (af.spec.kind) {
  case fault_kind::node_down:
    plane_->kubelet().set_node_ready(af.node, true);
    break;
  case fault_kind::disk_failure:
    plane_->kubelet().set_disk_failed(ns_, af.pvc, false);
    break;
  case fault_kind::api_errors:
  case fault_kind::operator_cut_off:
    set_api_rules();
    break;
  case fault_kind::cc_down:
    plane_->cruise_control().set_down(ns_, cluster_, false);
    break;
  case fault_kind::operator_crash:
    start_operator();
    break;
  default:
    break;
  }
  {
    std::lock_guard lock(mutex_);
    for (auto b : af.hit)
      checker_.fault_over(b);
  }
  progress_.event("  " + sim_time(clock_.now_ms()) + "  over   " + std::string(to_string(af.spec.kind)));
}

void scenario_run::fault_loop() {
  size_t next = 0;
  while (!stopping_) {
    int64_t wake = std::numeric_limits<int64_t>::max();
    if (next < schedule_.size())
      wake = schedule_[next].at.count();
    std::optional<size_t> ending;
    {
      std::lock_guard lock(mutex_);
      for (size_t i = 0; i < lasting_.size(); ++i)
        if (lasting_[i].end_ms < wake) {
          wake = lasting_[i].end_ms;
          ending = i;
        }
    }
    if (wake == std::numeric_limits<int64_t>::max()) {
      std::unique_lock lock(wake_mutex_);
      wake_.wait_for(lock, 20ms);
      continue;
    }
    if (clock_.now_ms() < wake) {
      std::unique_lock lock(wake_mutex_);
      wake_.wait_until(lock, std::min(clock_.wall_at(wake), steady::now() + 20ms));
      continue;
    }
    if (ending)
      end_fault(*ending);
    else
      inject(schedule_[next++]);
  }
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

// --- steps ---------------------------------------------------------------------------------------------

std::string default_name(const scenario_step& st) {
  auto b = st.brokers.empty() ? std::string("?") : std::to_string(st.brokers.front());
  switch (st.kind) {
  case step_kind::patch:
    return "patch the spec";
  case step_kind::add_brokers: {
    std::string ids;
    for (auto id : st.brokers)
      ids += (ids.empty() ? "" : ",") + std::to_string(id);
    return "add brokers " + ids;
  }
  case step_kind::remove_broker:
    return "remove broker " + b;
  case step_kind::add_disk:
    return "add disk " + st.mount_path + " to broker " + b;
  case step_kind::remove_disk:
    return "remove disk " + st.mount_path + " of broker " + b;
  case step_kind::read_only_config:
    return "rolling config change";
  case step_kind::broker_config:
    return "config of broker " + b;
  case step_kind::alert:
    return "alert " + st.alert.value("labels", json::object()).value("alertname", std::string("?"));
  case step_kind::wait:
    return "wait " + std::to_string(st.duration.count() / 1000) + " s";
  case step_kind::wait_converged:
    return "wait for convergence";
  case step_kind::fault:
    return std::string("fault ") + to_string(st.fault.kind);
  }
  return "step";
}

std::string scenario_run::run_step(const scenario_step& st, size_t) {
  std::string why;
  {
    auto scope = restart_scope_of(st);
    std::lock_guard lock(mutex_);
    allowed_restarts_.insert(scope.brokers.begin(), scope.brokers.end());
    any_restart_allowed_ |= scope.all;
  }
  switch (st.kind) {
  case step_kind::patch:
  case step_kind::add_brokers:
  case step_kind::remove_broker:
  case step_kind::add_disk:
  case step_kind::remove_disk:
  case step_kind::read_only_config:
  case step_kind::broker_config:
    return change_spec([&](json& spec) { return apply_step_to_spec(st, spec); }, why) ? std::string{} : why;
  case step_kind::alert: {
    auto before = cr()["metadata"].value("generation", int64_t{0});
    auto alert = st.alert;
    alert["startsAt"] = "2026-01-01T00:00:00Z"; // one occurrence, repeated as Alertmanager repeats it
    auto parsed = integrations::alertmanager::parse_alerts(json::array({alert}).dump(), "2026-01-01T00:00:00Z");
    if (!parsed.is_ok())
      return "bad alert: " + parsed.error().message();
    for (int32_t i = 0; i < st.repeats; ++i) {
      {
        std::lock_guard lock(op_mutex_);
        if (op_)
          op_->deliver_alerts(parsed.value());
      }
      sleep_sim(10s);
    }
    auto deadline = steady::now() + clock_.wall(s_.converge_within);
    int64_t after = before;
    while (steady::now() < deadline && after == before) {
      after = cr()["metadata"].value("generation", int64_t{0});
      std::this_thread::sleep_for(5ms);
    }
    sleep_sim(30s); // any second action would show by now
    auto c = cr();
    after = c["metadata"].value("generation", int64_t{0});
    refresh_spec(c.value("spec", json::object()));
    if (after - before != 1) {
      std::lock_guard lock(mutex_);
      violation("alert-once",
                "alert " + st.alert.value("labels", json::object()).value("alertname", std::string("?")) + " delivered "
                    + std::to_string(st.repeats) + " times changed the spec " + std::to_string(after - before)
                    + " times (expected once)",
                -1);
      return "the alert was acted on " + std::to_string(after - before) + " times";
    }
    return "";
  }
  case step_kind::wait:
    sleep_sim(st.duration);
    return "";
  case step_kind::wait_converged: {
    if (!wait_converged(st.duration, why)) {
      std::lock_guard lock(mutex_);
      violation("convergence",
                "not converged within " + std::to_string(st.duration.count() / 1000) + " s (simulated): " + why, -1);
      return "not converged within " + std::to_string(st.duration.count() / 1000) + " s: " + why;
    }
    std::lock_guard lock(mutex_);
    allowed_restarts_.clear();
    any_restart_allowed_ = false;
    return "";
  }
  case step_kind::fault:
    inject(st.fault);
    return "";
  }
  return "";
}

run_record scenario_run::run() {
  rec_.scenario = s_.name;
  rec_.description = s_.description;
  rec_.seed = o_.seed;
  rec_.scale = s_.scale;
  rec_.invariants = invariant_checker::names();
  for (auto n : {"scope", "pvc-deleted", "convergence", "final-status", "alert-once", "cc-duplicate", "idle-writes"})
    rec_.invariants.push_back(n);
  schedule_ = fault_schedule(s_, o_.seed);
  auto wall0 = steady::now();
  std::string why;
  if (!set_up(why)) {
    rec_.steps.push_back({"set up", 0, 0, false, why});
    tear_down();
    return rec_;
  }
  clock_.t0 = steady::now();
  progress_.event("kactor sim: " + s_.name + " (seed " + std::to_string(o_.seed) + ", ×" + std::to_string(int(s_.scale))
                  + ", " + std::to_string(schedule_.size()) + " faults scheduled)");

  // Step 0: the cluster and its topics.
  auto run_one = [&](const std::string& name, const std::function<std::string()>& act) {
    {
      std::lock_guard lock(mutex_);
      step_name_ = name;
    }
    auto start = clock_.now_ms();
    auto problem = act();
    auto end = clock_.now_ms();
    {
      std::lock_guard lock(mutex_);
      rec_.steps.push_back({name, start, end, problem.empty(), problem});
    }
    std::ostringstream line;
    line << (problem.empty() ? "  ok    " : "  FAIL  ") << sim_time(start) << "  " << std::left << std::setw(36) << name
         << std::right << std::setw(8) << (end - start) / 1000 << " s" << (problem.empty() ? "" : "  " + problem);
    progress_.event(line.str());
    return problem.empty();
  };
  run_one("create the cluster and its topics", [&]() -> std::string {
    {
      std::lock_guard lock(mutex_);
      any_restart_allowed_ = true;
    }
    refresh_spec(cluster_doc_.value("spec", json::object()));
    auto r = client_->create_sync(k8s::resources::kafka_clusters(), ns_, cluster_doc_);
    if (!r.is_ok())
      return "the KafkaCluster was refused: " + r.error().to_string();
    std::string why;
    if (!wait_converged(s_.converge_within, why))
      return "not converged: " + why;
    for (const auto& t : s_.topics) {
      sim::topic_spec ts{t.name, t.partitions, t.replication_factor, t.min_insync_replicas,
                         int64_t(double(t.produce_bytes_per_second) * s_.scale)};
      auto created = plane_->kafka().create_topic(ns_, cluster_, ts);
      if (!created.is_ok())
        return "topic " + t.name + ": " + created.error().message;
    }
    std::lock_guard lock(mutex_);
    any_restart_allowed_ = false;
    return "";
  });
  // The fault schedule counts from here: the world exists.
  auto offset = clock_.now_ms();
  for (auto& f : schedule_)
    f.at += sim_ms{offset};
  std::thread faults([this] { fault_loop(); });
  std::thread status([this] { status_loop(); });

  if (rec_.steps.back().ok)
    for (size_t i = 0; i < s_.steps.size(); ++i) {
      const auto& st = s_.steps[i];
      {
        std::lock_guard lock(mutex_);
        step_index_ = i + 1;
      }
      run_one(st.name.empty() ? default_name(st) : st.name, [&] { return run_step(st, i); });
    }

  // After the timeline: every fault has struck and ended, then the cluster must converge.
  if (rec_.steps.back().ok || rec_.steps.size() > 1)
    run_one("after the last fault: converge", [&]() -> std::string {
      while (true) {
        bool pending;
        {
          std::lock_guard lock(mutex_);
          pending = !lasting_.empty();
        }
        pending |= !schedule_.empty() && schedule_.back().at.count() > clock_.now_ms();
        if (!pending)
          break;
        std::this_thread::sleep_for(5ms);
      }
      std::string why;
      if (!wait_converged(s_.converge_within, why)) {
        std::lock_guard lock(mutex_);
        violation("convergence",
                  "not converged within " + std::to_string(s_.converge_within.count() / 1000)
                      + " s (simulated) after the last fault: " + why,
                  -1);
        return why;
      }
      return "";
    });
  stopping_ = true;
  wake_.notify_all();
  faults.join();
  status.join();
  progress_.done();

  if (rec_.steps.back().ok) {
    // final-status: converged, then nothing changes while idle.
    std::this_thread::sleep_for(std::max(clock_.wall(5s), std::chrono::milliseconds{50}));
    auto before = plane_->api().store().write_count();
    sleep_sim(30s);
    std::this_thread::sleep_for(200ms);
    auto writes = plane_->api().store().write_count() - before;
    auto final_state = not_converged();
    std::lock_guard lock(mutex_);
    if (!final_state.empty())
      violation("final-status", "the status does not match the world at the end: " + final_state, -1);
    if (writes > 0)
      violation("idle-writes", std::to_string(writes) + " API writes while the cluster was idle", -1);
  }
  // cc-duplicate: one accepted operation per intent between two losses of Cruise Control's tasks.
  {
    auto ops = plane_->cruise_control().operations(ns_, cluster_);
    std::lock_guard lock(mutex_);
    std::map<std::string, size_t> seen; // intent → segment
    size_t segment = 0;
    for (size_t i = 0; i < ops.size(); ++i) {
      while (segment < cc_segments_.size() && cc_segments_[segment] <= i)
        ++segment;
      const auto& op = ops[i];
      if (op.user_task_id.empty() || op.http_status >= 300 || op.endpoint == "stop_proposal_execution")
        continue;
      std::string intent = op.endpoint;
      for (const auto& [k, v] : op.params)
        if (k == "brokerid" || k == "destination_broker_ids" || k == "brokerid_and_logdirs")
          intent += " " + k + "=" + v;
      auto [it, fresh] = seen.emplace(intent, segment);
      if (!fresh && it->second == segment)
        violation("cc-duplicate", "Cruise Control asked twice for " + intent + " without losing or failing the first",
                  -1);
      it->second = segment;
    }
  }
  rec_.simulated_ms = clock_.now_ms();
  tear_down();
  rec_.wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - wall0).count();
  std::lock_guard lock(mutex_);
  for (auto& [id, st] : pod_state_)
    if (st.first != "Absent")
      rec_.pod_states.push_back({id, st.first, st.second, rec_.simulated_ms});
  for (auto& f : rec_.faults)
    if (f.end_ms < f.start_ms)
      f.end_ms = rec_.simulated_ms;
  rec_.counters["api_writes"] = int64_t(plane_->api().store().write_count());
  rec_.counters["kafka_states_checked"] = checker_.states_checked();
  rec_.counters["restarts"] = int64_t(rec_.restarts.size());
  rec_.counters["cc_operations"] = int64_t(rec_.cc_operations.size());
  auto wall_run
      = std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - clock_.t0).count());
  rec_.scale_reached = double(rec_.simulated_ms) / double(wall_run);
  rec_.passed = rec_.violations.empty()
                && std::all_of(rec_.steps.begin(), rec_.steps.end(), [](const auto& st) { return st.ok; });
  std::sort(rec_.violations.begin(), rec_.violations.end(),
            [](const auto& a, const auto& b) { return a.at_ms < b.at_ms; });
  return rec_;
}

} // namespace

run_record run_scenario(const scenario& s, const runner_options& o) {
  scenario_run r(s, o);
  return r.run();
}

void print_run_summary(const run_record& r, std::ostream& out) {
  out << (r.passed ? "PASSED" : "FAILED") << "  " << r.scenario << "  seed " << r.seed << "  simulated "
      << sim_time(r.simulated_ms) << " in " << r.wall_ms << " ms wall (×" << std::fixed << std::setprecision(1)
      << r.scale_reached << " reached, ×" << r.scale << " asked)\n";
  out << "  step                                      start   duration  verdict\n";
  for (const auto& st : r.steps)
    out << "  " << std::left << std::setw(40) << st.name.substr(0, 40) << std::right << std::setw(8)
        << sim_time(st.start_ms) << std::setw(9) << (st.end_ms - st.start_ms) / 1000 << " s  "
        << (st.ok ? "ok" : "FAIL: " + st.problem) << '\n';
  out << "  invariant                 violations\n";
  for (const auto& inv : r.invariants) {
    auto n = std::count_if(r.violations.begin(), r.violations.end(), [&](const auto& v) { return v.invariant == inv; });
    out << "  " << std::left << std::setw(24) << inv << std::right << std::setw(6) << n << '\n';
  }
  for (const auto& v : r.violations)
    out << "  VIOLATION " << sim_time(v.at_ms) << " " << v.invariant << ": " << v.detail << '\n';
  out << "  " << r.faults.size() << " faults, " << r.restarts.size() << " pod restarts, " << r.cc_operations.size()
      << " Cruise Control operations, " << r.counters.at("kafka_states_checked") << " Kafka states checked\n";
  out.unsetf(std::ios::fixed);
}

} // namespace kactor::runtime
