// What the actors need from the outside world, injected by runtime/: the Kubernetes API client for writes
// and the watch caches they read the world from (thread-safe reads), the event recorder, and the Kafka
// admin of each cluster. Actors never block on any of it: calls complete through callbacks that post a
// message back.
#pragma once

#include <chrono>
#include <memory>
#include <set>
#include <string>

#include "actors/actor_metrics.hpp"
#include "integrations/cruisecontrol/api.hpp"
#include "integrations/kafka/kafka_admin.hpp"
#include "integrations/kubernetes/event_recorder.hpp"
#include "integrations/kubernetes/kube_client.hpp"
#include "integrations/kubernetes/watch_cache.hpp"

namespace kactor::actors {

/// Tunables of the actors (defaults for production; tests shorten them).
struct actor_settings {
  std::chrono::milliseconds backoff_base{500};   ///< first retry after a failed write, doubled per failure
  std::chrono::milliseconds backoff_max{60000};
  std::chrono::milliseconds respawn_base{200};   ///< first restart of a crashed child actor
  std::chrono::milliseconds roll_timeout{300000}; ///< a restarted broker must be Ready and in its ISRs by then
  std::chrono::milliseconds kafka_poll{1000};     ///< how often Kafka is described while a roll needs it
  std::chrono::seconds alert_cooldown{300};       ///< no scaling action from alerts sooner after the last one
  std::chrono::milliseconds alert_recheck{10000}; ///< how often skipped, still-firing alerts are reconsidered
  std::chrono::milliseconds cc_poll{5000};        ///< Cruise Control: task polls and view refreshes while needed
  std::chrono::milliseconds cc_retry_base{10000}; ///< first retry of a failed operation, doubled per retry
  std::chrono::milliseconds cache_lag{5000};      ///< a created object not in the watch cache by then is created again
  std::string finalizer = "kactor.io/finalizer";
  /// Test-only (the simulation's proof that its checker can fail): rolls restart two brokers at once and
  /// ignore min.insync.replicas. No command-line flag of `kactor run` sets it.
  bool unsafe_roll = false;
};

/// How long to wait before respawning a child actor that stopped `crashes` times: respawn_base doubled
/// per crash, at most backoff_max.
std::chrono::milliseconds respawn_delay(const actor_settings& s, int crashes);

/// The Kubernetes side of the actors.
struct kube_access {
  std::shared_ptr<integrations::kubernetes::kube_client> client;
  std::shared_ptr<integrations::kubernetes::watch_cache> clusters;
  std::shared_ptr<integrations::kubernetes::watch_cache> pods;
  std::shared_ptr<integrations::kubernetes::watch_cache> configmaps;
  std::shared_ptr<integrations::kubernetes::watch_cache> pvcs;
  std::shared_ptr<integrations::kubernetes::watch_cache> services;
  std::shared_ptr<integrations::kubernetes::watch_cache> pdbs;
  /// CruiseControlOperations; null when the CRD is not served (graceful operations then wait, visibly).
  std::shared_ptr<integrations::kubernetes::watch_cache> cc_operations;
  std::shared_ptr<integrations::kubernetes::event_recorder> events;
  /// The Kafka admin of a cluster; empty: no admin, so rolls gate on pod readiness alone and dynamic configs
  /// are not applied.
  integrations::kafka::admin_factory kafka_admins;
  /// The Cruise Control of a cluster; empty or nullptr: none, so brokers are not added, removed or given
  /// disks gracefully — removals and disk removals wait (nothing is deleted undrained).
  integrations::cruisecontrol::cruise_control_factory cruise_controls;
  std::shared_ptr<actor_metrics> metrics = std::make_shared<actor_metrics>();
  /// The namespaces whose KafkaClusters kactor manages; empty: all (the caches may hold more).
  std::set<std::string> namespaces;

  bool manages(const std::string& ns) const { return namespaces.empty() || namespaces.count(ns) > 0; }
  actor_settings settings;

  /// The cache for a resource plural, or nullptr.
  integrations::kubernetes::watch_cache* cache_for(const std::string& resource) const;
};

/// What a cluster pass reads of a broker's Pod, ConfigMap, Service or PVC (watch_cache_options::summarize):
/// namespace, the kafka_cr and brokerId labels, the mountPath annotation, the container's volume mounts, the PVC's request,
/// access modes and storage class — in the object's own shape, so the same code reads either.
nlohmann::json cluster_pass_summary(const nlohmann::json& object);

} // namespace kactor::actors
