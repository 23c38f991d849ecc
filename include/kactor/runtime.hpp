// kactor as a library: start the operator inside your own program, point it at a Kubernetes API server
// (kubeconfig, in-cluster) or at an in-process simulated cluster, watch what it does, and ask it for
// changes that take the same safe paths as spec edits (the cluster's actors roll, drain and grow brokers
// exactly as they would for `kubectl apply`).
//
// Contract
// - Headers under kactor/ use the standard library only: no CAF, Beast or JSON types leak.
// - Everything public is in kactor::api. `runtime` is created stopped; start() runs it (an error when it already runs, when the options are
//   inconsistent, or when Kubernetes cannot be reached); stop() ends it and is idempotent (the destructor
//   calls it). A stopped runtime cannot be started again: create a new one.
// - Every call returns a `status`: is_ok(), or an error whose message says what and why ("broker 7 is not
//   in kafka/kafka"). Calls on a runtime that does not run fail with "the runtime is not running".
// - Intents (remove_broker, add_disk, trigger_roll) are edits of the KafkaCluster's spec, written with a
//   conflict check and retried on conflicts; they return once the API server accepted the edit. What
//   follows is carried out by the operator and reported through events.
// - Events are delivered on a thread of the runtime, in order, one at a time; a callback must not block
//   for long and must not call stop(). subscribe() returns a handle; dropping it unsubscribes.
// - Thread-safe: every member may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kactor/kafka_admin.hpp"

namespace kactor::api {

/// The outcome of a call.
class status {
public:
  static status success() { return status{}; }
  static status failure(std::string message) { return status{std::move(message)}; }
  bool is_ok() const { return message_.empty(); }
  const std::string& message() const { return message_; }

private:
  status() = default;
  explicit status(std::string m) : message_(m.empty() ? "error" : std::move(m)) {}
  std::string message_;
};

/// What happened, as the runtime saw it.
struct event {
  enum class kind {
    broker_state_changed, ///< detail: "ready", "not_ready", "restarting", "removing", "gone", ...
    operation_started,    ///< detail: "remove_broker", "add_disk", "roll"
    operation_finished,   ///< detail as above
    invariant_violated,   ///< simulation only; detail says which (e.g. "orders-3 below min.insync.replicas")
  };
  kind what = kind::broker_state_changed;
  std::string namespace_;
  std::string cluster;
  int32_t broker = -1;   ///< -1 when the event is not about one broker
  std::string detail;
};

const char* to_string(event::kind k);

struct runtime_options {
  enum class kubernetes { simulation, kubeconfig, in_cluster };
  kubernetes access = kubernetes::simulation;
  std::string kubeconfig_path; ///< with kubeconfig ("" = $KUBECONFIG or ~/.kube/config)
  std::string context;
  std::string watch_namespace; ///< "" = all namespaces
  int simulated_nodes = 3;     ///< simulation: nodes node-1..N over zones a, b, c
  /// The Kafka admin per cluster. Empty: the simulated Kafka's in simulation, librdkafka otherwise.
  kactor::integrations::kafka::admin_factory kafka_admins;
  /// Receive Alertmanager webhooks on "host:port" ("" = no receiver; submit_alerts works either way).
  /// Beyond loopback the receiver needs alerts_bearer_token_file (alerts add and remove brokers).
  std::string alerts_addr;
  std::string alerts_bearer_token_file; ///< requests must carry this file's token; re-read on change
  int threads = 2; ///< actor scheduler threads
};

class runtime {
public:
  explicit runtime(runtime_options opts);
  ~runtime();
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  status start();
  void stop();
  bool running() const;

  /// Simulation: a kubeconfig (YAML) for kubectl against the simulated API server; "" otherwise.
  std::string kubeconfig() const;

  /// Creates or replaces a KafkaCluster from YAML or JSON (one document; its namespace is created when
  /// missing in simulation). Invalid documents are refused naming the field.
  status apply_cluster(const std::string& document);
  /// Simulation: creates a topic in the simulated Kafka of cluster ns/name.
  status create_topic(const std::string& ns, const std::string& cluster, const std::string& topic, int partitions,
                      int replication_factor, int min_insync_replicas);

  /// Takes broker `id` out of the spec: it is drained, then its objects go (never undrained).
  status remove_broker(const std::string& ns, const std::string& cluster, int32_t id);
  /// Gives broker `id` one more disk at `mount_path` of `size` (a Kubernetes quantity, e.g. "10Gi").
  status add_disk(const std::string& ns, const std::string& cluster, int32_t id, const std::string& mount_path,
                  const std::string& size);
  /// Restarts every broker of the cluster, one at a time through the roll's safety gates.
  status trigger_roll(const std::string& ns, const std::string& cluster);
  /// Hands alerts to the alert actor as if they came from Alertmanager (webhook JSON or an alert array).
  status submit_alerts(const std::string& payload);

  /// A subscription: events flow to the callback while the handle lives.
  class subscription {
  public:
    virtual ~subscription() = default;
  };
  std::unique_ptr<subscription> subscribe(std::function<void(const event&)> callback);

  struct impl;

private:
  std::shared_ptr<impl> impl_;
};

} // namespace kactor::api
