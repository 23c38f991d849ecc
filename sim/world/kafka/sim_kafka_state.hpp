// The simulated Kafka's state, shared by its parts (sim_kafka.cpp: following pods and time;
// sim_kafka_admin.cpp: views, the admin port and Prometheus text; sim_kafka_moves.cpp: replica placement on log
// dirs and reassignments). Internal to them; every function here is called with impl::mutex held.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "model/properties.hpp"
#include "sim/world/kafka/sim_kafka.hpp"

namespace kactor::sim {

using clock_type = std::chrono::steady_clock;

/// A reassignment in progress (at most one per partition, as in Kafka).
struct sim_move {
  uint64_t id = 0;
  partition_move what;
  double copied = 0; ///< bytes the target has copied so far
};

struct sim_partition {
  int32_t id = 0;
  std::vector<int32_t> replicas;
  std::vector<int32_t> isr;
  int32_t leader = -1;
  double bytes = 0;
  std::map<int32_t, std::string> dirs; ///< broker → the log dir its replica lives on (once known)
  std::optional<sim_move> move;
};

struct sim_topic {
  std::string name;
  std::map<std::string, std::string> configs; ///< dynamic topic configs (min.insync.replicas always set)
  int64_t produce_rate = 0;
  std::vector<sim_partition> partitions;

  int32_t min_isr() const;
};

struct sim_broker {
  int32_t id = 0;
  std::string pod;
  bool up = false;
  bool ever_up = false;
  int64_t restarts = 0;
  clock_type::time_point up_since;
  bool controller_role = true;
  bool broker_role = true;
  std::string rack;
  model::properties static_config;            ///< server.properties read when it came up
  std::map<std::string, std::string> dynamic; ///< per-broker dynamic configs
  std::vector<std::string> pvcs;               ///< claim names, in pod volume order
  std::vector<std::string> log_dirs;           ///< per pvcs entry: its mount path + "/kafka" ("" if unmounted)
};

struct sim_cluster {
  std::string ns, name;
  std::map<int32_t, sim_broker> brokers;
  std::map<std::string, sim_topic> topics;
  std::map<std::string, std::string> defaults; ///< cluster-wide dynamic defaults
  int32_t controller = -1;

  bool any_up() const;
  sim_cluster_view view() const;
};

struct sim_kafka::impl {
  impl(object_store& s, const resource_registry& r, sim_kafka_options o);

  object_store& store;
  resource_type pods, configmaps, pvcs, services;
  sim_kafka_options opts;

  mutable std::mutex mutex;
  std::map<std::string, sim_cluster> clusters; ///< "ns/name"
  std::map<std::string, int64_t> extra_usage;  ///< "ns/pvc" → bytes
  std::vector<observer> observers;

  uint64_t next_move = 0;
  std::map<uint64_t, move_status> finished_moves; ///< moves that ended, by id

  std::mutex queue_mutex;
  std::condition_variable wake;
  std::deque<watch_event> queue;
  bool running = true;
  std::unique_ptr<watch_handle> watch;
  std::thread thread;
  clock_type::time_point last_tick = clock_type::now();

  sim_cluster* find(const std::string& ns, const std::string& name);
  void notify(const std::vector<sim_cluster_view>& changed);
};

/// The log dir of broker `b`'s replica of `p`: its placement, else round robin over b's log dirs by
/// partition id (the initial placement); "" when b has no log dir.
std::string log_dir_of(const sim_broker& b, const sim_partition& p);
/// Pins every replica of the cluster without a valid placement to log_dir_of (called as brokers come up
/// and topics are created, so a disk added later does not move existing replicas).
void place_replicas(sim_cluster& c);
/// Advances every reassignment by dt seconds of copying; true when a replica set changed.
bool advance_moves(sim_kafka::impl& k, sim_cluster& c, double dt);

} // namespace kactor::sim
