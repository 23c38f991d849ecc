// The simulated Kafka's state, shared by its parts (sim_kafka.cpp: following pods and time;
// sim_kafka_admin.cpp: the admin port; sim_kafka_metrics.cpp: Prometheus text). Internal to them.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "integrations/sim/kafka/sim_kafka.hpp"
#include "model/properties.hpp"

namespace kactor::integrations::sim {

using clock_type = std::chrono::steady_clock;

struct sim_partition {
  int32_t id = 0;
  std::vector<int32_t> replicas;
  std::vector<int32_t> isr;
  int32_t leader = -1;
  double bytes = 0;
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
  resource_type pods, configmaps, pvcs;
  sim_kafka_options opts;

  mutable std::mutex mutex;
  std::map<std::string, sim_cluster> clusters; ///< "ns/name"
  std::map<std::string, int64_t> extra_usage;  ///< "ns/pvc" → bytes
  std::vector<observer> observers;

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

} // namespace kactor::integrations::sim
