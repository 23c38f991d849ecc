// The in-process simulated cluster as the embedded runtime uses it — an API server, kubelet, Kafka and
// Cruise Control on loopback — behind an interface, so that the embeddable library (kactor_embed,
// kactor::kactor) never links the simulator. The simulator's side (runtime/embed/sim_cluster.cpp, library
// kactor_embed_sim, the package's component kactor::sim) registers its factory when it is linked; without
// it `start_simulated_cluster` stays null and the runtime says which component to link.
//
// Thread-safety: start and stop from one thread; the callbacks run on the simulator's threads.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "integrations/cruisecontrol/api.hpp"
#include "integrations/kafka/kafka_admin.hpp"
#include "model/status.hpp"

namespace kactor::api::detail {

/// How the simulated cluster is laid out.
struct simulated_cluster_options {
  int nodes = 3; ///< node-1..N over zones a, b, c
};

/// A running simulated cluster.
class simulated_cluster {
public:
  virtual ~simulated_cluster() = default;
  /// The simulated API server's URL (http://127.0.0.1:port).
  virtual std::string api_url() const = 0;
  /// A kubeconfig for kubectl against it.
  virtual std::string kubeconfig() const = 0;
  virtual integrations::kafka::admin_factory kafka_admins() = 0;
  virtual integrations::cruisecontrol::cruise_control_factory cruise_controls() = 0;
  /// `f(namespace, cluster, partition)` whenever the simulated Kafka shows a partition below
  /// min.insync.replicas (repeats possible). Set once, before anything runs.
  virtual void on_below_min_isr(std::function<void(const std::string&, const std::string&, const std::string&)> f) = 0;
  /// Creates a topic in the simulated Kafka of ns/cluster.
  virtual model::status create_topic(const std::string& ns, const std::string& cluster, const std::string& topic,
                                     int partitions, int replication_factor, int min_insync_replicas) = 0;
  virtual void stop() = 0;
};

using simulated_cluster_factory = model::result<std::unique_ptr<simulated_cluster>> (*)(const simulated_cluster_options&);

/// Set by the kactor::sim component when it is linked; null otherwise.
extern simulated_cluster_factory start_simulated_cluster;

} // namespace kactor::api::detail
