// What the actors need from the outside world, injected by runtime/ as one immutable bundle shared by
// every actor (kube_ports): the Kubernetes port (integrations/kubernetes/api.hpp — a writer, the readers
// of the watch caches, an event sink), the Kafka admin and Cruise Control factories, metrics and the
// settings. Only port headers are included here: actors never see a concrete client. Actors never block
// on any of it: calls complete through callbacks that post a message back.
#pragma once

#include <chrono>
#include <memory>
#include <set>
#include <string>

#include "actors/actor_metrics.hpp"
#include "integrations/cruisecontrol/api.hpp"
#include "integrations/kafka/kafka_admin.hpp"
#include "integrations/kubernetes/api.hpp"
#include "model/operator_flaw.hpp"
#include "model/resource_kind.hpp"

namespace kactor::actors {

/// Tunables of the actors (defaults for production; tests shorten them).
struct actor_settings {
  std::chrono::milliseconds backoff_base{500};   ///< first retry after a failed write, doubled per failure
  std::chrono::milliseconds backoff_max{60000};
  std::chrono::milliseconds respawn_base{200};   ///< first restart of a crashed child actor
  std::chrono::milliseconds roll_timeout{300000}; ///< a restarted broker must be Ready and in its ISRs by then
  std::chrono::milliseconds kafka_poll{1000};     ///< how often Kafka is described while a roll needs it
  std::chrono::seconds alert_cooldown{300};       ///< no scaling action from alerts sooner after the last one
  size_t alert_firing_cap = 10000;                ///< firing alerts tracked at most (the oldest are dropped)
  std::chrono::milliseconds alert_recheck{10000}; ///< how often skipped, still-firing alerts are reconsidered
  std::chrono::milliseconds cc_poll{5000};        ///< Cruise Control: task polls and view refreshes while needed
  std::chrono::milliseconds cc_retry_base{10000}; ///< first retry of a failed operation, doubled per retry
  std::chrono::milliseconds cc_retry_max{600000}; ///< the longest wait between retries of a failed operation
  std::chrono::milliseconds cache_lag{5000};      ///< a created object not in the watch cache by then is created again
  /// A cluster actor writes no status until every broker of the spec has reported, or this long after it
  /// started (model::unreported_brokers says why).
  std::chrono::milliseconds status_report_wait{10000};
  std::string finalizer = "kactor.io/finalizer";
  /// Whether kactor deploys Cruise Control for a cluster that names no cruiseControlEndpoint. False with an
  /// operator-wide endpoint (`--cruise-control-endpoint`) or none at all (`--disable-cruise-control`).
  bool deploy_cruise_control = true;
  /// Test-only (the simulation's proof that each invariant of its checker can fail): a deliberate flaw
  /// (model/operator_flaw.hpp). No command-line flag of `kactor run` sets it.
  model::operator_flaw flaw = model::operator_flaw::none;
};

/// The outside world of the actors.
struct kube_access {
  std::shared_ptr<integrations::kubernetes::object_writer> client;
  std::shared_ptr<integrations::kubernetes::object_reader> clusters;
  std::shared_ptr<integrations::kubernetes::object_reader> pods;
  std::shared_ptr<integrations::kubernetes::object_reader> configmaps;
  std::shared_ptr<integrations::kubernetes::object_reader> pvcs;
  std::shared_ptr<integrations::kubernetes::object_reader> services;
  std::shared_ptr<integrations::kubernetes::object_reader> pdbs;
  /// The Cruise Control Deployments kactor makes (app=cruisecontrol); may be null (embedders, tests).
  std::shared_ptr<integrations::kubernetes::object_reader> deployments;
  /// CruiseControlOperations; null when the CRD is not served (graceful operations then wait, visibly).
  std::shared_ptr<integrations::kubernetes::object_reader> cc_operations;
  std::shared_ptr<integrations::kubernetes::event_sink> events;
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

  /// The cache of a kind, or nullptr (events are not watched; CruiseControlOperations may not be).
  integrations::kubernetes::object_reader* cache_for(model::resource_kind kind) const;
};

/// The bundle as the actors hold it: one per process, never changed once the actors run.
using kube_ports = std::shared_ptr<const kube_access>;

/// What a cluster pass reads of a broker's Pod, ConfigMap, Service or PVC (watch_cache_options::summarize):
/// namespace, the kafka_cr and brokerId labels, the mountPath annotation, the container's volume mounts, the PVC's request,
/// access modes and storage class — in the object's own shape, so the same code reads either.
nlohmann::json cluster_pass_summary(const nlohmann::json& object);

} // namespace kactor::actors
