// The operator as a running thing: a Kubernetes client, the watch caches (KafkaClusters, and the Pods,
// ConfigMaps, PVCs, Services and PDBs labelled app=kafka, the ConfigMap, Service and Deployment of the
// Cruise Control kactor deploys, labelled app=cruisecontrol — memory follows what kactor manages), an event
// recorder, and a CAF actor system running the operator actor. Used by `kactor run`, `kactor sim` and
// the tests; the embeddable runtime builds on it.
//
// start() returns once every cache has listed (or fails after `sync_timeout`, naming the cache); changes
// then flow cache → operator actor → cluster actor → broker actor as messages. stop() ends the actors
// (no write starts after it returns), then the caches and the client. Not copyable; stop() is idempotent
// and run by the destructor.
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/kube_access.hpp"
#include "integrations/alertmanager/alert_receiver.hpp"
#include "integrations/kubernetes/client_config.hpp"
#include "integrations/kubernetes/kube_client.hpp"
#include "model/edit/intent.hpp"
#include "model/status.hpp"

namespace kactor::runtime {

struct operator_options {
  std::string watch_namespace;                      ///< "" all namespaces
  std::vector<std::string> namespaces;              ///< several namespaces (watch_namespace must be ""): the
                                                    ///< actors manage only these, each watched on its own
  std::chrono::milliseconds resync{300000};          ///< cache resync (a full pass per object)
  std::chrono::milliseconds sync_timeout{30000};
  std::chrono::milliseconds watch_backoff_base{200}; ///< the caches' reconnect delay, doubled per failure
  std::chrono::milliseconds watch_backoff_max{30000};
  int threads = 2;                                   ///< actor scheduler threads
  actors::actor_settings settings;
  integrations::kubernetes::kube_client_options client;
  /// The Kafka admin per cluster (librdkafka for `kactor run`, the simulated Kafka's for `kactor sim`);
  /// empty: rolls gate on pod readiness only and dynamic configs are not applied.
  integrations::kafka::admin_factory kafka_admins;
  /// The Cruise Control per cluster (the REST client for `kactor run`, the simulated one's for `kactor
  /// sim`); set: CruiseControlOperations are watched (their CRD must be installed) and brokers and disks are
  /// added and removed gracefully. Empty: removals wait, visibly.
  integrations::cruisecontrol::cruise_control_factory cruise_controls;
  /// When set, the alert receiver listens here and an alert actor acts on the alerts.
  std::optional<integrations::alertmanager::receiver_options> alerts;
};

class operator_runtime {
public:
  static model::result<std::unique_ptr<operator_runtime>> start(integrations::kubernetes::client_config config,
                                                                operator_options opts);
  ~operator_runtime();
  operator_runtime(const operator_runtime&) = delete;
  operator_runtime& operator=(const operator_runtime&) = delete;

  /// Chaos: makes broker `broker`'s actor of cluster ns/name throw (-1: the cluster actor itself).
  void inject_crash(const std::string& ns, const std::string& cluster, int32_t broker);
  /// Chaos: stops the top-level "operator", "alerts" or "spec-edits" actor as an escaped exception would;
  /// the supervisor respawns it (runtime/supervisor.hpp).
  void inject_top_crash(const std::string& which);
  /// ok, or what the supervisor gave up on (/healthz answers 503 with it).
  model::status health() const;
  /// The client's request counters (the /metrics endpoint, tests).
  integrations::kubernetes::request_metrics& metrics();
  const actors::kube_access& kube() const;
  /// Hands alerts to the alert actor, as the receiver does.
  void deliver_alerts(std::vector<integrations::alertmanager::alert> alerts);
  /// Applies `intent` to KafkaCluster ns/cluster through the spec-edit actor (read, edit, conflict-checked
  /// PUT, again after a conflict); the future is ready once the API server accepted the edit or it failed
  /// (the message then names the cluster and the field). Ready at once with an error after stop().
  std::future<model::status> edit_spec(const std::string& ns, const std::string& cluster, model::spec_intent intent);
  /// The alert receiver's port (0 without one).
  uint16_t alerts_port() const;
  /// Alerts received so far (/metrics).
  uint64_t alerts_received() const;
  void stop();

private:
  struct impl;
  explicit operator_runtime(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

} // namespace kactor::runtime
