// The simulated Kafka: the data side of every simulated KafkaCluster — topics, partitions, replica
// assignment, leaders, ISRs, min.insync.replicas, configs and disk usage — driven by what the simulated
// control plane does to the brokers' pods, as a real Kafka would react.
//
// Brokers are the pods labelled app=kafka, kafka_cr=<cluster>, brokerId=<id>. A broker is up while its pod
// exists, is not being deleted, is Running and Ready (the kubelet terminates pods whose disk failed, so a
// failed disk takes its broker down too). When a broker goes down it leaves every ISR it was in (the last
// ISR member stays, as in Kafka) and loses its leaderships to the next live ISR member in replica order;
// a partition with no live ISR member goes offline (unclean election is off). When it comes up it reads its
// server.properties from its ConfigMap (the static configs), and after `catch_up` it rejoins the ISR of
// every partition whose leader is live and takes back the leadership of those it is preferred for (Kafka's
// auto leader rebalance, without its delay); a partition offline with it as the last ISR member comes back
// at once with it as leader. The active controller is the lowest live controller id (KRaft: pods labelled
// isControllerNode=true; ZooKeeper mode: any broker) and keeps the role while it lives.
//
// Every pod change is processed in order on the simulation's own thread (from a watch on the store), so
// observers see every intermediate state. Each partition's size grows by its topic's produce rate while it
// is online; its replicas use that much of the log dir (PVC) they are placed on, plus any extra bytes a
// fault puts there. A broker's log dirs are its PVCs' mount paths + "/kafka" (log.dirs); a replica is
// placed round robin over them by partition id when first seen, and stays there until moved (start_move).
//
// admin() gives a kafka_admin (integrations/kafka) for one cluster whose callbacks run before the call
// returns; it fails with `unavailable` while no broker of the cluster is up. metrics() renders per-broker
// Prometheus series labelled kafka_cr, namespace, brokerId and pod, and kubelet-style volume stats per PVC:
// only names a real cluster exports (deploy/prometheus/series.txt).
//
// Thread-safety: every public member may be called from any thread (one mutex); observers run on the
// simulation thread with no lock held and must not call stop().
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "integrations/kafka/kafka_admin.hpp"
#include "sim/world/api_server/object_store.hpp"
#include "sim/world/api_server/resource_registry.hpp"
#include "sim/world/integration_names.hpp"

namespace kactor::sim {

struct sim_kafka_options {
  std::chrono::milliseconds catch_up{1000}; ///< from a broker coming up to rejoining its ISRs
  std::chrono::milliseconds tick{50};       ///< period of the timed work (catch-up, growth)
  double move_bytes_per_second = 100.0 * 1024 * 1024; ///< how fast a reassigned replica copies its partition
};

/// A reassignment, as Cruise Control's executor asks Kafka for one.
///  - replica: `from`'s replica of the partition goes to broker `to` (on `log_dir`, or its emptiest log
///    dir). `to` joins as a non-ISR replica, copies the partition's bytes at move_bytes_per_second while it
///    and the leader are up (a move to a down broker stalls until it is back), joins the ISR when caught
///    up, then `from` leaves the replicas and the ISR and `to` takes its place in the replica order;
///    leadership passes to the first live ISR member of the new list if `from` led. The ISR never
///    shrinks because of a move.
///  - log_dir: broker `from`'s replica moves to its log dir `log_dir` (intra-broker), copying likewise.
struct partition_move {
  enum class kind { replica, log_dir };
  kind what = kind::replica;
  std::string topic;
  int32_t partition = 0;
  int32_t from = -1, to = -1;
  std::string log_dir;
};

/// What became of a move.
enum class move_status { pending, done, cancelled, unknown };

/// Where one partition's replicas live (for Cruise Control's disk-level decisions).
struct sim_placement {
  std::string topic;
  int32_t partition = 0;
  double bytes = 0;
  std::map<int32_t, std::string> log_dirs; ///< broker → log dir ("" when the broker has none known)
  bool moving = false;                     ///< a reassignment is in progress
};

/// A topic to create.
struct topic_spec {
  std::string name;
  int32_t partitions = 1;
  int32_t replication_factor = 3;
  int32_t min_insync_replicas = 2;
  int64_t produce_bytes_per_second = 0; ///< per partition, while online
};

/// One broker as the simulated Kafka sees it.
struct sim_broker_view {
  int32_t id = 0;
  std::string pod;
  bool up = false;
  bool controller_role = true;
  std::string rack;
  int64_t restarts = 0; ///< times it came up after having been up before
  std::vector<std::string> log_dirs;               ///< "<mount path>/kafka" per PVC, as log.dirs renders them
  int32_t replicas = 0, leaders = 0;               ///< replicas assigned to it, partitions it leads
  std::map<std::string, int32_t> replicas_by_log_dir; ///< every log dir, with the replicas on it
};

/// A consistent copy of one cluster's state.
struct sim_cluster_view {
  std::string namespace_, name;
  std::map<int32_t, sim_broker_view> brokers;
  std::vector<kafka::topic_description> topics;
  int32_t controller = -1;
  std::vector<sim_placement> placements; ///< per partition, in topics' order
  int32_t moves_in_progress = 0;

  /// "orders-3" for each partition below its min.insync.replicas / without a leader / under-replicated.
  std::vector<std::string> below_min_isr() const;
  std::vector<std::string> offline() const;
  std::vector<std::string> under_replicated() const;
  /// Brokers not up, by id.
  std::vector<int32_t> down() const;
};

class sim_kafka {
public:
  using observer = std::function<void(const sim_cluster_view&)>;

  /// Starts following the store's pods; stop() (or the destructor) ends it.
  sim_kafka(object_store& store, const resource_registry& registry, sim_kafka_options opts);
  ~sim_kafka();
  sim_kafka(const sim_kafka&) = delete;
  sim_kafka& operator=(const sim_kafka&) = delete;
  void stop();

  /// Creates a topic, replicas assigned round robin over the cluster's known brokers (Kafka's
  /// rack-unaware assignment). invalid_config when fewer brokers are known than the replication factor.
  kafka::admin_result<kafka::done> create_topic(const std::string& ns, const std::string& cluster, topic_spec t);
  /// The admin of one cluster (see the file comment).
  std::shared_ptr<kafka::kafka_admin> admin(const std::string& ns, const std::string& cluster);
  /// admin() by cluster address, for the operator.
  kafka::admin_factory admin_factory();
  /// A copy of the cluster's state (empty when unknown).
  sim_cluster_view view(const std::string& ns, const std::string& cluster) const;
  /// Called after every change of any cluster, on the simulation thread.
  void on_change(observer o);
  /// Prometheus text exposition of every cluster's brokers.
  std::string metrics() const;
  /// Fault: `bytes` more used on the volume of PVC ns/pvc (0 to clear).
  void set_extra_disk_usage(const std::string& ns, const std::string& pvc, int64_t bytes);

  // Reassignments (see partition_move), for the simulated Cruise Control.
  /// Starts a move and returns its id; invalid_config naming why it cannot start (unknown topic or
  /// broker, `from` not a replica, `to` already one, unknown log dir, a move already on the partition).
  kafka::admin_result<uint64_t> start_move(const std::string& ns, const std::string& cluster, partition_move m);
  move_status status_of(uint64_t move_id) const;
  /// Cancels moves in progress (`ids` empty: every one of the cluster): each partition keeps its old
  /// replica set and placement; the partial copy is dropped. Returns how many were cancelled.
  int32_t cancel_moves(const std::string& ns, const std::string& cluster, const std::vector<uint64_t>& ids = {});
  /// Moves every leadership off `broker` (to the first live ISR member in replica order) and puts it
  /// last in those partitions' replica lists, so that it is not preferred again. How many moved.
  int32_t demote(const std::string& ns, const std::string& cluster, int32_t broker);

  struct impl;

private:
  std::shared_ptr<impl> impl_;
};

} // namespace kactor::sim
