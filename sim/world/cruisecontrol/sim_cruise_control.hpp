// The simulated Cruise Control: one HTTP server on 127.0.0.1 that serves every cluster the simulated Kafka
// knows under "/<namespace>/<cluster>/kafkacruisecontrol/", answering as Cruise Control 2.5 does with
// json=true (the shapes of the recorded answers in fixtures/cruise-control), and executing its proposals
// as reassignments of the simulated Kafka (sim_kafka::start_move), so that replicas really move.
//
// Endpoints: GET state, kafka_cluster_state, load, user_tasks; POST add_broker, remove_broker, rebalance,
// remove_disks, demote_broker, stop_proposal_execution (dryrun honoured). Proposals are simple but sound:
// add_broker / rebalance with destination_broker_ids move replicas onto those brokers until replica counts
// are even; rebalance without them evens all live brokers; remove_broker moves every replica off the given
// brokers onto the live ones holding the fewest (only onto destination_broker_ids when given);
// rebalance_disk evens each broker's log dirs; remove_disks empties the listed log dirs onto the broker's
// other ones. Never two replicas of a partition on a broker. exclude_recently_removed_brokers=true keeps
// every broker named in a remove_broker within removal_history_retention from being a destination.
//
// As sparse as the real one (docs/simulation.md, "How the simulated Cruise Control answers"):
// kafka_cluster_state skips partitions without a leader and lists a broker only through replicas of led
// partitions or as a live broker (a dead one listed so gets the log dir "broker_dead", online and offline);
// load has per-disk figures (DiskState, JBOD brokers) only with populate_disk_info=true; a completed task
// is forgotten completed_task_retention after it ended; a move whose partition has no live leader to copy
// from stalls (the task stays InExecution) until the partition is back.
//
// Tasks as in CC: every POST answers with a User-Task-ID header; the same header on the same request
// returns the task's current answer (an unknown one: "invalid User-Task-ID"). A task is Active while its
// proposal is computed (compute_delay; answered 202 with a progress body), InExecution while its moves
// run (one execution at a time, at most concurrent_moves moves at once), then Completed, or
// CompletedWithError (stopped, a move cancelled, or a fail_next_tasks fault). At most max_active_tasks
// Active or InExecution tasks ("reached the servlet capacity"); NotEnoughValidWindowsException for
// warm_up after a start or restart. Every operation POST received is recorded (operations()).
//
// Faults: down (every request answered 502 "connection refused" — one listener serves all clusters, so
// a refused connection is not possible per cluster; the REST client reads 502 as unavailable), restart,
// error_rate, hang (requests held unanswered until unhung, then answered), fail_next_tasks.
//
// Thread-safety: every public member may be called from any thread (one mutex). The executor runs on a
// thread of its own, ticking every `tick`. stop() (or the destructor) stops the server and the executor,
// cancelling nothing in the simulated Kafka; `kafka` must outlive this object.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/status.hpp"
#include "sim/world/kafka/sim_kafka.hpp"

namespace kactor::sim {

struct sim_cruise_control_options {
  std::chrono::milliseconds warm_up{0};        ///< NotEnoughValidWindowsException this long after (re)start
  std::chrono::milliseconds compute_delay{0};  ///< a task stays Active (202) this long; 0: answered 200
  std::chrono::milliseconds tick{20};          ///< the executor's period
  int32_t max_active_tasks = 5;                ///< max.active.user.tasks
  int32_t concurrent_moves = 5;                ///< reassignments in flight per execution
  size_t max_remembered_tasks = 100;           ///< completed tasks beyond this are evicted, oldest first
  /// completed.user.task.retention.time.ms: a completed task is forgotten this long after it ended (CC's
  /// default is a day; shorter here so that the operator meets the eviction).
  std::chrono::milliseconds completed_task_retention{std::chrono::minutes{5}};
  /// removal.history.retention.time.ms (CC's default: two weeks): how long a broker named in a remove_broker
  /// counts as recently removed (exclude_recently_removed_brokers=true keeps replicas off it).
  std::chrono::milliseconds removal_history_retention{std::chrono::hours{24 * 14}};
  uint16_t port = 0;                           ///< 0: a free port
};

/// One operation POST as received, whatever became of it.
struct received_operation {
  std::string endpoint;                      ///< "add_broker", "rebalance", ...
  std::map<std::string, std::string> params; ///< the query, decoded
  std::string requested_task_id;             ///< the User-Task-ID header sent, or ""
  std::string user_task_id;                  ///< the User-Task-ID answered, or "" when refused
  int http_status = 0;                       ///< what was answered
  /// A new submission (no User-Task-ID) of a request whose same endpoint and brokers / log dirs an
  /// executing task (Active or InExecution, not a dry run) already has: that task's id; else "".
  std::string same_as_unfinished;
};

/// A Cruise Control fault of one cluster, as set by the control plane's fault endpoint.
struct sim_cc_fault {
  bool down = false;
  bool hang = false;
  double error_rate = 0; ///< fraction of requests answered 500
};

class sim_cruise_control {
public:
  /// Starts listening; an error when the port cannot be bound.
  static model::result<std::unique_ptr<sim_cruise_control>> start(sim_kafka& kafka, sim_cruise_control_options opts);
  ~sim_cruise_control();
  sim_cruise_control(const sim_cruise_control&) = delete;
  sim_cruise_control& operator=(const sim_cruise_control&) = delete;
  void stop();

  uint16_t port() const;
  /// "http://127.0.0.1:PORT/<ns>/<cluster>/kafkacruisecontrol": a client_options endpoint.
  std::string url(const std::string& ns, const std::string& cluster) const;

  /// Security as webserver.security.enable=true with BasicSecurityProvider sets it up, per cluster: every
  /// request without this user's Basic Authorization is answered 401 (Jetty's page, WWW-Authenticate) and
  /// reaches nothing. An empty username turns security off.
  void require_basic_auth(const std::string& ns, const std::string& cluster, const std::string& username,
                          const std::string& password);
  /// Requests answered 401 for the cluster so far.
  int64_t unauthorized_requests(const std::string& ns, const std::string& cluster) const;

  /// Whether a cluster's Cruise Control exists to answer: "" when it does, else why not. A request to one
  /// that does not is answered as `down` is (502 "connection refused", naming why). Unset: every cluster's
  /// does. Called for each request with no lock of the simulation held (it may read the object store).
  using reachability = std::function<std::string(const std::string& ns, const std::string& cluster)>;
  void set_reachability(reachability r);

  // Faults, per cluster.
  void set_down(const std::string& ns, const std::string& cluster, bool down);
  void set_hang(const std::string& ns, const std::string& cluster, bool hang);
  void set_error_rate(const std::string& ns, const std::string& cluster, double rate);
  /// The next `n` executions end CompletedWithError without moving anything.
  void fail_next_tasks(const std::string& ns, const std::string& cluster, int32_t n);
  /// Forgets every task, cancels the execution in progress (the partitions keep their old replica sets)
  /// and warms up again.
  void restart(const std::string& ns, const std::string& cluster);
  sim_cc_fault fault(const std::string& ns, const std::string& cluster) const;

  /// Every operation POST received for the cluster, in order.
  std::vector<received_operation> operations(const std::string& ns, const std::string& cluster) const;

  struct impl;

private:
  sim_cruise_control() = default;
  std::shared_ptr<impl> impl_;
};

} // namespace kactor::sim
