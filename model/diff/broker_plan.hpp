// One broker's reconcile decision: from what the broker should be (its rendered objects) and what the
// cluster holds (its observed Pod, ConfigMap, PVCs, Service), the writes to make now and how the broker
// stands. The broker actor carries the writes out; the cluster actor reads the standing.
//
// Rules, in order, so that a restarted actor re-derives the same decision and creates no duplicates:
// - ConfigMap, per-broker Service: created when missing, updated when a rendered field differs.
// - PVCs: created when missing, grown when smaller; a shrink is refused (listed in `refusals`, the PVC is
//   left alone). PVCs are never deleted here.
// - Rack from the node (broker_objects::rack_labels): the ConfigMap is written with broker.rack from the
//   labels of the node the pod is scheduled on (`node_to_read` asks the caller for them); while no node
//   has told, an existing ConfigMap keeps the broker.rack it has, and a missing one is not created: the
//   pod is created first, so that the scheduler places it, and the kubelet holds it until its ConfigMap
//   exists (Koperator's way: no broker reads the API, no restart). A pod created while the ConfigMap
//   names a rack is required (node affinity) onto a node of that rack, so a broker stays in its rack.
// - Pod: created only once its ConfigMap and every PVC exist (the kubelet mounts them); a pod being
//   deleted is waited for; a pod whose kafka container terminated or whose phase is Failed is deleted
//   (self-healing, needs no permit: the broker is down anyway); a pod whose revision annotation differs
//   from the desired revision needs a restart, done (deleted, then recreated by a later pass) only when
//   `restart_permitted`, else `wants_permit` is set.
// - A released PVC (its disk was drained by Cruise Control and left the spec) is deleted once no pod
//   mounts it (the restart onto the new revision unmounted it); it is not waited for.
// - `in_sync`: the pod exists with the desired revision, is Ready, and nothing else needs a write.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/render/desired_state.hpp"
#include "model/resource_kind.hpp"

namespace kactor::model {

/// What the API server holds for one broker (null json: absent).
struct broker_observed {
  json pod;
  json configmap;
  json service;
  std::map<std::string, json> pvcs; ///< by name; only the broker's
  /// PVCs of drained disks that left the spec (broker_desired::released_pvcs), by name, as observed.
  std::map<std::string, json> released_pvcs;
  /// The labels of the node `pod` is scheduled on, once read (null: not read, or no node yet).
  json node_labels;
};

/// One write.
struct broker_write {
  enum class kind {
    create,      ///< POST `object`
    update,      ///< PUT `object` (resourceVersion of the observed one)
    grow_pvc,    ///< merge-patch `object` (spec.resources.requests.storage) onto the PVC `name`
    delete_pod,  ///< DELETE pod `name` with precondition uid `uid`
    delete_object, ///< DELETE `resource` `name` with precondition uid `uid` (drained PVCs and brokers)
  };
  kind what = kind::create;
  resource_kind resource = resource_kind::pod; ///< pod, configmap, service or persistent_volume_claim
  std::string name;
  json object;
  std::string uid;
  std::string reason; ///< for logs and Events: "pod missing", "revision changed", "container terminated"
};

/// The decision.
struct broker_plan {
  std::vector<broker_write> writes;
  bool wants_permit = false; ///< a restart is needed and no permit is held
  bool restarting = false;   ///< the pod is being replaced (deleted, terminating or not yet Ready after)
  bool pod_ready = false;
  bool in_sync = false;
  std::vector<std::string> refusals; ///< e.g. "PVC kafka-2-kafka-logs: shrinking 20Gi to 10Gi is not possible"
  std::string waiting_for;           ///< why nothing more can happen now, e.g. "pod to be scheduled"
  /// The node whose labels the plan needs (broker_observed::node_labels); "" when none.
  std::string node_to_read;
  /// broker.rack as the broker's ConfigMap has or is to have it; "" while unknown or without one.
  std::string rack;
};

/// True when the pod's Ready condition is True.
bool pod_is_ready(const json& pod);
/// True when the pod failed or its kafka container terminated (and will not come back by itself).
bool pod_has_failed(const json& pod);

/// The decision for one broker; see the file comment.
broker_plan plan_broker(const broker_objects& desired, const broker_observed& observed, bool restart_permitted);

/// Deleting a drained broker: every one of its objects (pod, ConfigMap, Service, PVCs) that is not being
/// deleted yet, pods first. `objects`: kind → the broker's objects of that kind.
std::vector<broker_write> plan_broker_removal(const std::map<resource_kind, std::vector<json>>& objects);

} // namespace kactor::model
