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
// is online; its replicas use that much of the log dir (PVC) they are placed on, round robin over the
// broker's PVCs, plus any extra bytes a fault puts there.
//
// admin() gives a kafka_admin (integrations/kafka) for one cluster whose callbacks run before the call
// returns; it fails with `unavailable` while no broker of the cluster is up. metrics() renders per-broker
// Prometheus series labelled kafka_cr, namespace, brokerId and pod, and kubelet-style volume stats per PVC.
//
// Thread-safety: every public member may be called from any thread (one mutex); observers run on the
// simulation thread with no lock held and must not call stop().
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "integrations/kafka/kafka_admin.hpp"
#include "integrations/sim/api_server/object_store.hpp"
#include "integrations/sim/api_server/resource_registry.hpp"

namespace kactor::integrations::sim {

struct sim_kafka_options {
  std::chrono::milliseconds catch_up{1000}; ///< from a broker coming up to rejoining its ISRs
  std::chrono::milliseconds tick{50};       ///< period of the timed work (catch-up, growth)
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
};

/// A consistent copy of one cluster's state.
struct sim_cluster_view {
  std::string namespace_, name;
  std::map<int32_t, sim_broker_view> brokers;
  std::vector<kafka::topic_description> topics;
  int32_t controller = -1;

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

  struct impl;

private:
  std::shared_ptr<impl> impl_;
};

} // namespace kactor::integrations::sim
