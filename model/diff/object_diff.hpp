// Whether an object in the cluster already is what kactor wants, and the write that makes it so.
//
// `desired` is a rendered object; `observed` is what the API server returned, with server-assigned and
// defaulted fields (uid, resourceVersion, status, defaulted spec fields, other controllers' labels).
// needs_update compares only what kactor renders: every field present in `desired` must be present and
// equal in `observed` (objects recursively, arrays element by element with equal length); fields only in
// `observed` are ignored, so an unchanged spec never causes a write (the idle-resync guarantee).
// Pods are never updated in place (a changed pod is recreated by its broker), so plan_object is for
// ConfigMaps, Services, PDBs; PVCs grow through plan_pvc.
//
// Pure: no I/O, no clock, no randomness, safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "model/kafka_cluster.hpp"
#include "model/resource_kind.hpp"
#include "model/status.hpp"

namespace kactor::model {

/// True when some field rendered in `desired` differs from or is missing in `observed`.
bool needs_update(const json& desired, const json& observed);

/// The first differing field as a path ("data.broker-config", "spec.ports[1].port"), or "" when none.
std::string first_difference(const json& desired, const json& observed);

/// What to do with one object.
enum class object_action {
  /// It exists and matches.
  none,
  /// It does not exist.
  create,
  /// It exists and differs: write `desired` over it (observed resourceVersion carried over).
  update,
};

/// The action for an object that may not exist (`observed` null).
object_action plan_object(const json& desired, const json& observed);

/// The object to PUT for an update: `observed` with every field of `desired` written over it, so that
/// server-set fields (clusterIP, finalizers, other labels) survive.
json merged_for_update(const json& desired, const json& observed);

/// What to do with one PVC.
enum class pvc_action {
  /// It exists with at least the desired size and the same storage class.
  none,
  /// It does not exist.
  create,
  /// It exists and is smaller: patch spec.resources.requests.storage to the desired size.
  grow,
  /// It exists and is larger: refused (Kubernetes cannot shrink a PVC; data would be lost).
  refuse_shrink,
};

/// The action for a PVC; sizes compared as quantities ("10Gi" vs "10240Mi").
pvc_action plan_pvc(const json& desired, const json& observed);

/// The cluster-level objects kactor rendered for `c` once and renders no more (the headless Services after
/// headlessServiceEnabled turned false or the all-broker Service after it turned true, the PDB after
/// disruptionBudget.create turned false, the JMX exporter ConfigMap after monitoringConfig went away, the
/// Cruise Control Deployment, ConfigMap and Service after a cruiseControlEndpoint was set):
/// those of `observed` that bear a name render_cluster_objects gives this cluster in some configuration,
/// that this KafkaCluster controls (an ownerReference with its uid and controller: true) and that no
/// object of the same kind in `desired` names. Nothing else: an object of such a name that a user made,
/// or that another KafkaCluster owns, stays. Empty while `c` has no uid (not yet stored). `observed`
/// holds the objects of `kind` as listed (list items carry no kind of their own).
std::vector<json> stale_cluster_objects(const kafka_cluster& c, const std::vector<json>& desired, resource_kind kind,
                                        const std::vector<json>& observed);

} // namespace kactor::model
