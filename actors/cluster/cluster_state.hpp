// The cluster actor's state, one slice per concern, and the few steps every concern shares (queueing a
// pass, starting a write, naming the CR in an Event). Each concern's file (broker_supervision,
// roll_permits, graceful_operations, cluster_config, cluster_objects, status_writer) owns its slice and
// decides through model/; the actor (cluster_actor.cpp) only dispatches messages and orders a pass.
// Everything here runs on the cluster actor's thread; nothing is shared with other actors.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/api_writes.hpp"
#include "actors/cluster/cluster_admin.hpp"
#include "actors/create_expectations.hpp"
#include "actors/kafka_calls.hpp"
#include "actors/kube_access.hpp"
#include "messages/messages.hpp"
#include "model/diff/graceful_plan.hpp"
#include "model/status.hpp"

namespace kactor::actors {

/// The broker actors (broker_supervision).
struct supervision_slice {
  /// Shared with the exit hook, which stops the brokers after the state is gone.
  std::shared_ptr<std::map<int32_t, messages::broker_actor>> children =
      std::make_shared<std::map<int32_t, messages::broker_actor>>();
  std::map<int32_t, messages::broker_actor>& brokers() { return *children; }
  std::map<caf::actor_addr, int32_t> broker_ids;
  /// Digest of the inputs of the last desired state sent to each broker (model::broker_render_digest and
  /// the disks it may release): a broker is rendered again only when they change.
  std::map<int32_t, uint64_t> sent;
  std::map<int32_t, int> crashes;                    ///< for the respawn backoff
  std::map<int32_t, std::chrono::steady_clock::time_point> respawn_after;
  /// Leaving brokers told to stop or to delete their objects (a stage other than draining), by id.
  std::map<int32_t, messages::leaving_stage> leaving_sent;
  std::string backup_problems;                       ///< configuration backups that restore nothing, last reported
};

/// Restart permits and the Kafka answers they rest on (roll_permits).
struct roll_slice {
  std::map<int32_t, uint64_t> waiting;               ///< brokers wanting a permit → their ticket (first come)
  uint64_t next_ticket = 1;
  std::map<int32_t, uint64_t> permits;               ///< holder → permit id
  uint64_t next_permit = 1;
  // Kafka, for restart decisions: an answer counts only if no broker changed since it was asked for.
  uint64_t change_seq = 1;
  std::optional<messages::kafka_described> kafka;
  bool describe_in_flight = false, poll_scheduled = false;
  std::chrono::steady_clock::time_point last_describe;
  // When each permit was granted, and whether the roll stopped on a broker that did not come back.
  std::map<int32_t, std::chrono::steady_clock::time_point> restart_started;
  std::optional<int32_t> stopped_on;
  std::string stop_message;
  std::map<int32_t, std::string> roll_waiting;
};

/// Graceful operations through Cruise Control (graceful_operations).
struct graceful_slice {
  /// The states are read from the CR once, then this actor — their only writer — is their authority (the
  /// cache may lag behind its own status writes).
  std::optional<std::map<int32_t, model::graceful_action_state>> states;
  std::optional<messages::cruise_control_actor> cc;
  std::string cc_key;          ///< endpoint + credentials' fingerprint of the Cruise Control actor's client
  bool cc_restarting = false;  ///< it was told to stop for a new client
  bool cc_waiting_for_deployment = false; ///< kactor's own Cruise Control is not available yet (said once)
  std::string cc_failed_key;   ///< the last endpoint + credentials no client could be made for
  std::chrono::steady_clock::time_point cc_failed_at;
  /// The last read of spec.cruiseControlConfig.credentialsSecretRef's Secret (re-read after cc_retry_base
  /// when it failed, after cc_retry_max when it worked: a rotated Secret replaces the client).
  std::optional<messages::cc_credentials_read> credentials;
  std::chrono::steady_clock::time_point credentials_read_at;
  bool credentials_reading = false;
  bool credentials_refused = false; ///< Cruise Control answered 401/403 since they were read
  uint64_t cc_seq = 1;                                 ///< bumped by every operation change
  std::optional<messages::cruise_control_observed> cc_view;
  std::chrono::steady_clock::time_point cc_asked;
  uint64_t cc_asked_seq = 0;
  bool cc_poll_scheduled = false;
  std::map<std::string, model::cc_operation> expected_ops; ///< created, not in the cache yet
  uint64_t op_counter = 0;
  /// A removal decision waits on a fresh answer from Kafka's metadata (roll_permits asks for it).
  bool needs_kafka = false;
  /// Leaving brokers that had a pod at the last pass: when this changes, Kafka's last answer is stale.
  std::set<int32_t> leaving_with_pod;
  /// The operations as the last pass saw them. The cache can show an operation's new step before its watch
  /// event reaches this actor: the pass itself notices the change, so no answer older than it is trusted.
  std::vector<model::cc_operation> seen_ops;
};

/// The invalid-spec report and the finalizer (status_writer).
struct status_slice {
  model::field_errors spec_errors;
  std::string reported_errors;                       ///< the invalid-spec Event last recorded
  bool finalizing = false;
};

struct cluster_state {
  static inline const char* name = "kactor.cluster";
  std::string ns, name_;
  kube_ports kube;
  /// The cluster's Kafka admin (made on the first valid pass, re-aimed on each); null: none, pod gates only.
  std::shared_ptr<cluster_admin> admin;
  std::map<int32_t, model::broker_report> reports;   ///< each broker's last standing
  // The pass: one at a time, after the writes of the previous one are answered.
  int writes_in_flight = 0;
  bool dirty = false, pass_queued = false;
  int failures = 0;
  uint64_t timer = 0;
  std::chrono::steady_clock::time_point queued_at;   ///< when the queued pass was asked for (metrics)
  std::chrono::steady_clock::time_point born = std::chrono::steady_clock::now(); ///< the status hold's start
  bool status_hold_timer = false;                    ///< a pass is due when the status hold ends
  create_expectations creates;                       ///< cluster objects created, not in the cache yet

  supervision_slice supervision;
  roll_slice roll;
  graceful_slice graceful;
  config_tracker config;                             ///< clusterWideConfig (cluster_config)
  status_slice status;
};

using cluster_self = messages::cluster_actor::stateful_pointer<cluster_state>;

/// Runs a pass soon (many triggers collapse into one).
void queue_pass(cluster_self self);
/// A completion for one write this actor starts: counts it in flight, posts the answer back.
write_done completion(cluster_self self);
/// The KafkaCluster `cr`, for Events.
integrations::kubernetes::object_reference reference(const nlohmann::json& cr);

} // namespace kactor::actors
