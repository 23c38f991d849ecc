// The simulated Cruise Control's state, shared by its parts (sim_cruise_control.cpp: HTTP and faults;
// sim_cc_tasks.cpp: user tasks and the executor; sim_cc_proposals.cpp: proposals; sim_cc_responses.cpp:
// CC's JSON bodies). Internal to them. Functions taking a cc_cluster& are called with impl::mutex held.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "integrations/http/server.hpp"
#include "sim/world/cruisecontrol/sim_cruise_control.hpp"
#include "sim/world/integration_names.hpp"

namespace kactor::sim::cc {

using json = nlohmann::json;
using clock_type = std::chrono::steady_clock;

/// What a proposal does: reassignments, plus leaderships to move off brokers (demote).
struct proposal {
  std::vector<partition_move> moves;
  std::vector<int32_t> demote;
  int32_t leader_movements = 0;
  double data_bytes = 0, intra_data_bytes = 0;
  std::map<int32_t, int32_t> replicas_after; ///< broker → replicas once executed
};

/// A proposal, or CC's error message for why there is none.
struct plan_result {
  std::optional<proposal> plan;
  std::string error; ///< e.g. "java.lang.IllegalArgumentException: Broker [3] does not exist."
};

enum class task_state { active, in_execution, completed, completed_with_error };
const char* to_string(task_state s); ///< CC's words: "Active", ...

struct task {
  std::string id;
  std::string endpoint;
  std::map<std::string, std::string> params;
  std::string request_url; ///< "POST /kafkacruisecontrol/rebalance?..."
  std::string client;      ///< ClientIdentity
  int64_t start_ms = 0;
  clock_type::time_point started, ready_at;
  clock_type::time_point ended; ///< when it was first seen Completed or CompletedWithError (retention)
  task_state state = task_state::active;
  bool dry_run = false;
  std::string result;     ///< the OptimizationResult (or stop's message) once computed, as JSON text
  std::string error_body; ///< CC's error JSON when the task failed before having a result
  // Execution
  std::vector<partition_move> pending;
  std::vector<int32_t> demote;
  std::map<uint64_t, partition_move> running; ///< sim_kafka move id → move
  int32_t total_moves = 0, finished_moves = 0, total_leader_moves = 0;
  bool failed = false;
};

struct cc_cluster {
  std::string ns, name;
  std::deque<task> tasks; ///< in creation order
  std::string executing;  ///< the task id whose moves run, or ""
  clock_type::time_point started;
  sim_cc_fault fault;
  /// webserver.security.enable with BasicSecurityProvider: the Authorization header every request must
  /// carry ("Basic <base64 user:password>"), or "" (security off).
  std::string required_authorization;
  int64_t unauthorized = 0; ///< requests refused with 401
  int32_t fail_next = 0;
  std::map<int32_t, clock_type::time_point> recently_removed; ///< broker → when its removal started
  std::vector<int32_t> recently_demoted;
  std::vector<received_operation> operations;
  std::vector<std::shared_ptr<http::exchange>> held; ///< requests kept unanswered by the hang fault

  task* find(const std::string& id);
  int32_t active_count() const;
  /// The recently removed brokers still within `retention` (older entries are dropped).
  std::set<int32_t> removed_within(std::chrono::milliseconds retention);
};

} // namespace kactor::sim::cc

namespace kactor::sim {

struct sim_cruise_control::impl {
  using cc_cluster = cc::cc_cluster;
  using clock_type = cc::clock_type;

  impl(sim_kafka& k, sim_cruise_control_options o) : kafka(k), opts(o) {}

  sim_kafka& kafka;
  sim_cruise_control_options opts;
  std::unique_ptr<http::server> server;

  mutable std::mutex mutex;
  std::map<std::string, cc_cluster> clusters; ///< "ns/name"
  sim_cruise_control::reachability reachable; ///< unset: every cluster's Cruise Control exists
  uint64_t next_task = 0;
  clock_type::time_point started = clock_type::now();
  std::mt19937_64 random{42};

  std::mutex run_mutex;
  std::condition_variable wake;
  bool running = true;
  std::thread executor;

  cc_cluster& cluster(const std::string& ns, const std::string& name);
  void handle(std::shared_ptr<http::exchange> ex); ///< sim_cruise_control.cpp
};

} // namespace kactor::sim

namespace kactor::sim::cc {

// --- proposals (sim_cc_proposals.cpp): pure over a cluster view ---
/// `recently_removed`: the brokers exclude_recently_removed_brokers=true keeps replicas off.
plan_result plan(const std::string& endpoint, const std::map<std::string, std::string>& params,
                 const sim_cluster_view& v, const std::set<int32_t>& recently_removed = {});

// --- bodies (sim_cc_responses.cpp) ---
/// {"errorMessage": "Error processing <METHOD> request '/<endpoint>' due to: '<what>'.", "stackTrace": ...}
std::string error_body(const std::string& method, const std::string& endpoint, const std::string& what);
std::string state_body(const cc_cluster& c, const sim_cluster_view& v, bool warm, const task* executing);
/// As ClusterBrokerState: partitions without a leader skipped, dead brokers listed only through replicas
/// of led partitions (log dir "broker_dead").
std::string kafka_cluster_state_body(const sim_cluster_view& v);
/// `disk_info`: populate_disk_info=true (DiskState per JBOD broker); without it no per-disk figures.
json load_json(const sim_cluster_view& v, const std::map<int32_t, int32_t>* replicas_after, bool disk_info);
std::string optimization_result(const proposal& p, const sim_cluster_view& v);
std::string progress_body(const task& t);
std::string user_tasks_body(const cc_cluster& c, const std::vector<std::string>& ids);

// --- tasks (sim_cc_tasks.cpp) ---
struct answer {
  int status = 200;
  std::string body;
  std::string task_id;
};
/// A new operation task (the request passed the checks): computes it now or later, maybe executes it.
answer submit(sim_cruise_control::impl& k, cc_cluster& c, task t);
/// The current answer of a task (the User-Task-ID resubmission).
answer current_answer(const task& t);
/// stop_proposal_execution: cancels the execution in progress.
answer stop_execution(sim_cruise_control::impl& k, cc_cluster& c, task t);
/// Forgets tasks and the execution (restart).
void forget_all(sim_cruise_control::impl& k, cc_cluster& c);
/// Evicts completed tasks older than completed_task_retention, then the oldest beyond max_remembered_tasks.
void evict_completed(sim_cruise_control::impl& k, cc_cluster& c);
/// The executor's loop.
void run_executor(const std::shared_ptr<sim_cruise_control::impl>& k);
int64_t now_ms();

} // namespace kactor::sim::cc
