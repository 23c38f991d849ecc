// The run behind run_scenario (scenario_runner.hpp), internal to sim/scenario/: one run's world and its
// bookkeeping in `scenario_run`, whose members live by concern —
//   scenario_world.cpp     the simulated world and the operator: set up, tear down, reading and changing the spec;
//   scenario_observer.cpp  watching pods, PVCs, Cruise Control operations and convergence, feeding the invariants;
//   fault_injector.cpp     the seeded faults on scaled time: injecting, ending, the fault thread;
//   scenario_timeline.cpp  the scenario's steps;
//   scenario_runner.cpp    the glue: the run from set up to the record, and the summary.
// Threads: the timeline runs on the caller's thread, faults and the status line on threads of their own,
// watch and Kafka callbacks on the caches' and the plane's; mutex_ guards the bookkeeping, and nothing
// calls into the caches or the plane while holding it (their threads take it).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "integrations/kubernetes/watch_cache.hpp"
#include "runtime/operator_runtime.hpp"
#include "sim/scenario/invariants.hpp"
#include "sim/scenario/progress_printer.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/scenario/sim_clock.hpp"
#include "sim/world/control_plane.hpp"

namespace kactor::sim::detail {

namespace k8s = integrations::kubernetes;
using json = nlohmann::json;

/// "[1,2,3]".
std::string ids_text(const std::set<int32_t>& ids);
/// The brokerId label of an object, -1 when it has none.
int32_t broker_of(const json& o);
/// Absent, Terminating, Pending, Running or Ready.
std::string pod_state(const json& pod, bool deleted);
/// A step's name when the scenario gives none.
std::string default_name(const scenario_step& st);

/// One run's world and its bookkeeping.
class scenario_run {
public:
  scenario_run(const scenario& s, const runner_options& o)
      : s_(s), o_(o), checker_(s.max_disruptions, int64_t(std::max(1000.0, 30.0 * s.scale))),
        progress_(o.progress, o.tty) {
    clock_.scale = s.scale;
  }

  ~scenario_run();

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
  std::string status_mismatch(); ///< "" when the status tells the world right (not_converged, and more)
  bool wait_converged(sim_ms bound, std::string& why);
  void sleep_sim(sim_ms d);
  std::set<int32_t> spec_ids(const json& spec) const;

  // --- observation ---
  void on_pod(const k8s::change& c);
  void on_pvc(const k8s::change& c);
  void on_cc_operation(const k8s::change& c);
  void on_cluster(const k8s::change& c);
  void violation(std::string invariant, std::string detail, int32_t broker);
  /// The spec the invariants judge against: the KafkaCluster `cr` as stored (the scenario's edits and the
  /// operator's, an alert's downScale too); an older resourceVersion than the last one seen is ignored.
  void refresh_spec(const json& cr);
  json stored_cr(); ///< the KafkaCluster as the API server stores it now, read from its store

  // --- the run (scenario_runner.cpp) ---
  /// Runs one step of the record: its name, simulated start and end, verdict, and a progress line.
  bool run_one(const std::string& name, const std::function<std::string()>& act);
  std::string create_cluster();        ///< step 0: the KafkaCluster, converged, and its topics
  std::string converge_after_faults(); ///< waits out the faults, then the convergence bound
  void check_idle();                   ///< final-status and idle-writes
  void check_cc_duplicates();          ///< cc-duplicate
  run_record finish_record(steady::time_point wall0); ///< tears down; counters, scale reached, verdict

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
  std::shared_ptr<runtime::operator_runtime> op_;
  std::mutex op_thread_mutex_, op_queue_mutex_;
  std::condition_variable op_queue_cv_;
  std::deque<std::packaged_task<void()>> op_queue_;
  bool op_thread_quit_ = false;
  std::thread op_thread_{[this] { operator_thread_loop(); }};
  std::shared_ptr<k8s::watch_cache> pods_, pvcs_, ccos_, clusters_;

  std::mutex mutex_; ///< guards everything below
  run_record rec_;
  std::map<int32_t, std::pair<std::string, int64_t>> pod_state_; ///< broker → (state, since)
  std::set<std::string> deleting_;                               ///< pod uids whose deletion was seen
  std::set<int32_t> spec_brokers_;
  uint64_t spec_version_ = 0; ///< resourceVersion of the KafkaCluster spec_brokers_ and spec_disks_ come from
  std::set<std::pair<int32_t, std::string>> spec_disks_; ///< (broker, mount path)
  /// (broker, log dir) → replicas on it in the last Kafka state in which the broker had that log dir.
  std::map<std::pair<int32_t, std::string>, int32_t> placed_on_dir_;
  std::set<int32_t> allowed_restarts_;                   ///< brokers the unsettled steps concern
  bool any_restart_allowed_ = false;
  std::string step_name_;
  std::map<std::string, size_t> cc_index_; ///< CruiseControlOperation → rec_.cc_operations
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

} // namespace kactor::sim::detail
