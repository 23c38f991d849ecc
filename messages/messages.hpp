// The vocabulary kactor's actors exchange, and their typed handles. Plain aggregates of std and model
// types; events are past tense, commands imperative, atoms end in _atom. Messages never carry pointers,
// sockets or callbacks. Types holding JSON (rendered objects) stay inside one process and are marked as
// such; the others have an old-style CAF 0.17 inspect.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/typed_actor.hpp>

#include "model/alerts/alert_action.hpp"
#include "model/cruisecontrol/cc_credentials.hpp"
#include "model/cruisecontrol/cc_operation_io.hpp"
#include "model/diff/graceful_plan.hpp"
#include "model/diff/roll_plan.hpp"
#include "model/properties.hpp"
#include "model/render/cluster_status.hpp"
#include "model/render/desired_state.hpp"
#include "model/resource_kind.hpp"

namespace kactor::messages {

/// Runs one reconcile pass now (self-sent: many triggers collapse into one pass).
using pass_atom = caf::atom_constant<caf::atom("pass")>;
/// A timer with its generation: stale generations are ignored (how timers are cancelled in CAF 0.17).
using tick_atom = caf::atom_constant<caf::atom("tick")>;
/// Chaos: the receiving actor throws, as a bug would (`kactor sim` faults and tests).
using crash_atom = caf::atom_constant<caf::atom("crash")>;
/// Everything may have changed (start-up, reconnect): full pass.
using resync_atom = caf::atom_constant<caf::atom("resync")>;
/// Ask Cruise Control for its view of the brokers now (cluster → cruise-control actor), with the
/// cluster's operation counter: the answer carries it back.
using refresh_atom = caf::atom_constant<caf::atom("refresh")>;
/// Timers (self-sent through delayed_send), one atom per purpose:
/// Kafka's partitions are due to be described again while a roll needs them (cluster).
using kafka_poll_atom = caf::atom_constant<caf::atom("kafkapoll")>;
/// Cruise Control's view is due to be refreshed while an operation waits on it (cluster).
using cc_poll_atom = caf::atom_constant<caf::atom("ccpoll")>;
/// Skipped, still-firing alerts are due to be reconsidered (alert).
using recheck_atom = caf::atom_constant<caf::atom("recheck")>;
/// A written KafkaCluster should be in the cache by now: decide again on it (alert).
using reread_atom = caf::atom_constant<caf::atom("reread")>;
/// A crashed cluster actor's back-off is over: spawn it again if its CR still exists (operator), with "ns/name".
using respawn_atom = caf::atom_constant<caf::atom("respawn")>;

/// An object kactor watches was added, modified, deleted or resynced. Carries only its identity: the
/// receiver reads the object itself from the watch cache (level-triggered).
struct object_changed {
  model::resource_kind resource = model::resource_kind::kafka_cluster;
  std::string namespace_;
  std::string name;
  std::string cluster;    ///< the kafka_cr label, or the name for kafkaclusters
  int32_t broker_id = -1; ///< the brokerId label, -1 when none
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, object_changed& x) {
  return f(caf::meta::type_name("object_changed"), x.resource, x.namespace_, x.name, x.cluster, x.broker_id);
}

/// What a broker should be (cluster → broker). Rendered objects: local only.
struct broker_desired {
  /// model::pack(model::to_text(the rendered objects)): 3,000 of these can wait in mailboxes at once, and
  /// parsed they take ~22 KB each, packed ~2 KB.
  std::string objects;
  std::string image;
  std::string version;
  model::properties dynamic_config; ///< applied through the Kafka admin API, no restart
  /// PVCs of disks drained by Cruise Control and gone from the spec: deleted once the pod no longer mounts them.
  std::set<std::string> released_pvcs;
};

/// A broker's standing after its pass (broker → cluster).
struct broker_reported {
  model::broker_report report;
  bool wants_permit = false;
};

/// The cluster lets broker `id` restart now (cluster → broker). `permit` identifies the grant.
struct restart_permit_granted {
  int32_t id = 0;
  uint64_t permit = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, restart_permit_granted& x) {
  return f(caf::meta::type_name("restart_permit_granted"), x.id, x.permit);
}

/// The broker no longer needs its permit, or gives it back after a failure (broker → cluster).
struct restart_permit_returned {
  int32_t id = 0;
  uint64_t permit = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, restart_permit_returned& x) {
  return f(caf::meta::type_name("restart_permit_returned"), x.id, x.permit);
}

/// What an API write does (write_key::verb).
enum class write_verb : uint8_t {
  create,           ///< POST
  update,           ///< PUT of the object
  update_status,    ///< PUT of its status subresource
  grow,             ///< merge-patch of a PVC's storage request
  remove,           ///< DELETE
  add_finalizer,    ///< PUT adding kactor's finalizer
  remove_finalizer, ///< PUT removing it
};

/// "create", "update", "update status", "grow", "delete", "add finalizer", "remove finalizer".
inline const char* to_string(write_verb v) {
  switch (v) {
  case write_verb::create: return "create";
  case write_verb::update: return "update";
  case write_verb::update_status: return "update status";
  case write_verb::grow: return "grow";
  case write_verb::remove: return "delete";
  case write_verb::add_finalizer: return "add finalizer";
  case write_verb::remove_finalizer: return "remove finalizer";
  }
  return "write";
}

/// Which write: what it does, to which object. Completions carry it back as it was made; it is never
/// rebuilt from a log line.
struct write_key {
  write_verb verb = write_verb::create;
  model::resource_kind kind = model::resource_kind::pod;
  std::string namespace_;
  std::string name;

  /// "create pods/kafka-1", for logs and error texts only.
  std::string to_string() const {
    return std::string{messages::to_string(verb)} + " " + model::plural_of(kind) + "/" + name;
  }
  friend bool operator==(const write_key&, const write_key&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, write_key& x) {
  return f(caf::meta::type_name("write_key"), x.verb, x.kind, x.namespace_, x.name);
}

/// An API write an actor started has completed (I/O thread → the actor).
struct write_completed {
  write_key key;
  bool ok = true;
  std::string error;      ///< api_error::to_string() when !ok
  bool conflict = false;  ///< stale version: retry soon, not a failure
  int64_t retry_after_ms = 0;
  /// The caller's own correlation (e.g. the alert occurrence a spec edit acts on), returned untouched.
  std::string tag;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, write_completed& x) {
  return f(caf::meta::type_name("write_completed"), x.key, x.ok, x.error, x.conflict, x.retry_after_ms, x.tag);
}

/// What Kafka said about its controller and partitions (admin thread → cluster). `seq` is the cluster's
/// change counter when the question was asked: an answer older than the latest change is not trusted for
/// a restart decision. Local only.
struct kafka_described {
  uint64_t seq = 0;
  bool ok = false;
  std::string error;
  int32_t controller = -1;
  std::vector<model::roll_partition> partitions;
};

/// The outcome of bringing one config level (a broker's, or the cluster-wide default) to the spec
/// (admin thread → the actor that asked).
/// How bringing a config level to the spec ended (config_reconciled::outcome).
enum class config_outcome : uint8_t {
  in_sync, ///< Kafka holds the desired values (confirmed by describing again)
  refused, ///< Kafka refused a value: not retried until the spec changes
  retry,   ///< Kafka was not reachable or not ready: ask again later
};

inline const char* to_string(config_outcome o) {
  switch (o) {
  case config_outcome::in_sync: return "in sync";
  case config_outcome::refused: return "refused";
  case config_outcome::retry: return "retry";
  }
  return "?";
}

struct config_reconciled {
  uint64_t generation = 0; ///< which request
  config_outcome outcome = config_outcome::retry;
  std::string message;     ///< what was applied, or why not
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, config_reconciled& x) {
  return f(caf::meta::type_name("config_reconciled"), x.generation, x.outcome, x.message);
}

/// The labels of a node a broker's pod is scheduled on, read for its rack (I/O thread → the broker).
struct node_read {
  std::string node;
  bool ok = false;
  std::string labels; ///< metadata.labels as JSON text when ok
  std::string error;  ///< api_error::to_string() when !ok
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_read& x) {
  return f(caf::meta::type_name("node_read"), x.node, x.ok, x.labels, x.error);
}

/// Where a broker that left the spec stands in its removal (leaving_ordered).
enum class leaving_stage : uint8_t {
  draining, ///< Cruise Control moves its data off: keep it running (its pod is recreated if it dies)
  stopped,  ///< drained by Cruise Control's and Kafka's word: delete its pod, create nothing, keep the rest
  removed,  ///< stopped, and Kafka's metadata again names nothing on it: delete every object, pods first
};

inline const char* to_string(leaving_stage s) {
  switch (s) {
  case leaving_stage::draining: return "draining";
  case leaving_stage::stopped: return "stopped";
  case leaving_stage::removed: return "removed";
  }
  return "?";
}

/// The cluster moves a leaving broker to `stage` (cluster → broker).
struct leaving_ordered {
  leaving_stage stage = leaving_stage::draining;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, leaving_ordered& x) {
  return f(caf::meta::type_name("leaving_ordered"), x.stage);
}

/// Cruise Control's view of the brokers (cruise-control actor → cluster). `seq` is the cluster's counter
/// of operation changes when it asked: an older answer is not trusted to confirm a drain. Local only.
struct cruise_control_observed {
  uint64_t seq = 0;
  bool ok = false;
  std::string error; ///< why not ok (unreachable, not ready, ...), or a partial failure
  int http_status = 0; ///< Cruise Control's answer to the failed call; 401/403: it refused kactor's credentials
  std::map<int32_t, model::cc_broker_view> brokers;
};

/// The Secret with kactor's Cruise Control credentials was read (I/O thread → cluster). Local only; never
/// printed (no inspect: CAF shows nothing of it).
struct cc_credentials_read {
  std::string secret;  ///< its name
  std::optional<model::cruise_control_credentials> credentials;
  std::string error;   ///< why there are none (not found, forbidden, a key missing), naming no value
};

/// One call to Cruise Control for an operation ended (I/O thread → cruise-control actor). Local only.
struct cc_step_done {
  std::string operation;       ///< the CruiseControlOperation's name
  std::optional<model::cc_task_update> update; ///< what to record in its status; none: try again later
  std::string problem;         ///< why it must be tried again later (busy, unreachable, ...)
  bool adopted = false;        ///< `update` records a task Cruise Control already had: nothing was submitted
  /// Non-empty: the step was about stopping this task of a deleted operation (no update); `problem` empty
  /// means settled (stopped, or nothing left to stop), else it is tried again later.
  std::string stopped_task;
};

/// Alerts as received (receiver's I/O thread → alert actor). Local only.
struct alerts_received {
  std::vector<model::alert_occurrence> firing;
  std::vector<std::string> resolved; ///< fingerprints
};

/// A broker actor: owns one broker's Pod, ConfigMap, PVCs and Service.
using broker_actor = caf::typed_actor<caf::reacts_to<broker_desired>, caf::reacts_to<object_changed>,
                                      caf::reacts_to<restart_permit_granted>, caf::reacts_to<write_completed>,
                                      caf::reacts_to<config_reconciled>, caf::reacts_to<pass_atom>, caf::reacts_to<tick_atom, uint64_t>,
                                      caf::reacts_to<leaving_ordered>, caf::reacts_to<node_read>, caf::reacts_to<crash_atom>>;

/// A cluster actor: one KafkaCluster's brokers, cluster-level objects, permits and status.
using cluster_actor = caf::typed_actor<caf::reacts_to<object_changed>, caf::reacts_to<broker_reported>,
                                       caf::reacts_to<restart_permit_returned>, caf::reacts_to<write_completed>,
                                       caf::reacts_to<kafka_described>, caf::reacts_to<config_reconciled>,
                                       caf::reacts_to<cruise_control_observed>, caf::reacts_to<cc_credentials_read>,
                                       caf::reacts_to<pass_atom>, caf::reacts_to<tick_atom, uint64_t>,
                                       caf::reacts_to<kafka_poll_atom>, caf::reacts_to<cc_poll_atom>,
                                       caf::reacts_to<crash_atom, int32_t>>;

/// The Cruise Control actor: one per cluster; runs its CruiseControlOperations and reports what Cruise
/// Control sees.
using cruise_control_actor = caf::typed_actor<caf::reacts_to<object_changed>, caf::reacts_to<refresh_atom, uint64_t>,
                                              caf::reacts_to<cc_step_done>, caf::reacts_to<write_completed>,
                                              caf::reacts_to<pass_atom>, caf::reacts_to<tick_atom, uint64_t>>;

/// The alert actor: one per process; turns alerts into KafkaCluster edits.
using alert_actor = caf::typed_actor<caf::reacts_to<alerts_received>, caf::reacts_to<write_completed>,
                                     caf::reacts_to<kafka_described>, caf::reacts_to<recheck_atom>,
                                     caf::reacts_to<reread_atom>>;

/// The operator actor: one per process; spawns a cluster actor per KafkaCluster.
using operator_actor = caf::typed_actor<caf::reacts_to<object_changed>, caf::reacts_to<resync_atom>,
                                        caf::reacts_to<write_completed>,
                                        caf::reacts_to<respawn_atom, std::string>,
                                        caf::reacts_to<crash_atom, std::string, std::string, int32_t>>;

} // namespace kactor::messages

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::messages::broker_desired)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::messages::broker_reported)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::messages::kafka_described)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::messages::alerts_received)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::messages::cruise_control_observed)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::messages::cc_step_done)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kactor::messages::cc_credentials_read)
