// The simulated kubelet, scheduler and volume provisioner: what makes pods and PVCs in the simulated API
// server behave as on a real cluster, in the spirit of KWOK.
//
// Each step(now) (called by its own thread via start(), or directly by tests) moves every pod along.
// It reads only the pods and PVCs with something to do: those changed since the last step (a watch on the
// store marks them), those waiting for time to pass or for something to appear, and all of them after a
// fault. A settled pod costs nothing per step, so 10,000 brokers are stepped as cheaply as 10. A pod goes:
// Pending without a node → scheduled onto a node that fits (nodeSelector, tolerations against NoSchedule
// taints, required pod anti-affinity on kubernetes.io/hostname, a pod limit per node) or left Pending with
// reason Unschedulable (also while a PersistentVolumeClaim it mounts does not exist, as kube-scheduler's
// VolumeBinding plugin refuses it) → held in ContainerCreating while a ConfigMap or Secret volume it mounts
// does not exist (the real kubelet retries MountVolume.SetUp until it does; `optional: true` volumes do
// not hold it) → after start_delay Running → after ready_delay Ready. A pod marked for deletion
// terminates after min(grace period, terminate_delay) and is then removed. PVCs bind to generated PVs
// (annotated with the selected node of the first pod using them) and grow when their request grows.
// Deployments (the Cruise Control kactor deploys) are modelled without ReplicaSets or pods: a Deployment
// becomes Available (status.availableReplicas = spec.replicas) start_delay + ready_delay after its current
// generation was first seen with every ConfigMap and Secret its pod template mounts in place; a new
// generation (a changed template: strategy Recreate) is unavailable for that long again.
// Faults: kill a pod's container (terminated, restartCount+1, pod Failed since kactor's pods never
// restart in place), take a node down (its pods NotReady) and back up, fail a disk (pods using it
// terminate with reason DiskFailure), hold a pod NotReady.
//
// Thread-safety: all public members may be called from any thread; they serialise on one mutex and
// talk to the store only (never to HTTP).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sim/world/api_server/object_store.hpp"
#include "sim/world/api_server/resource_registry.hpp"

namespace kactor::sim {

/// One simulated node.
struct node_spec {
  std::string name;
  std::string zone; ///< topology.kubernetes.io/zone
  int max_pods = 110;
  std::string cpu = "16";
  std::string memory = "64Gi";
  std::vector<json> taints;
};

/// Timing of the simulated kubelet (simulated time; see step()).
struct kubelet_options {
  std::vector<node_spec> nodes = {{"node-1", "zone-a"}, {"node-2", "zone-b"}, {"node-3", "zone-c"}};
  std::chrono::milliseconds start_delay{500};
  std::chrono::milliseconds ready_delay{500};
  std::chrono::milliseconds terminate_delay{500};
  std::chrono::milliseconds tick{50}; ///< period of start()'s thread
};

/// The simulated kubelet; see the file comment.
class kubelet {
public:
  using time_point = std::chrono::steady_clock::time_point;

  kubelet(object_store& store, const resource_registry& registry, kubelet_options opts);
  ~kubelet();

  /// Creates the Node objects (idempotent).
  void register_nodes();
  /// Advances every pod, PVC and node to what `now` implies.
  void step(time_point now);
  /// Runs step() every opts.tick on a thread of its own until stop().
  void start();
  void stop();

  /// Fault: the pod's kafka container terminates (exit code 137).
  bool kill_container(const std::string& ns, const std::string& pod);
  /// Fault: a node goes NotReady (its pods too); `up` brings it back.
  bool set_node_ready(const std::string& node, bool up);
  /// Fault: the volume behind a PVC fails: every pod mounting it terminates (and any new one does once it
  /// starts) until the disk is repaired with failed = false. False for an unknown PVC.
  bool set_disk_failed(const std::string& ns, const std::string& pvc, bool failed);
  /// Fault: pods named ns/pod (whichever incarnation) run but never pass their readiness probe, as a broker
  /// that cannot start would; `held` = false lets them become Ready.
  void hold_not_ready(const std::string& ns, const std::string& pod, bool held);

  /// How many pods the last step() read from the store (a settled cluster: 0).
  size_t pods_read_last_step() const;

private:
  struct pod_timeline {
    time_point first_seen;
    std::optional<time_point> running_at;
    std::optional<time_point> terminating_since;
  };

  /// Moves one pod along; true while it waits for time or for an object (it is read again next step).
  bool step_pod(const std::string& key, const json& pod, time_point now);
  void step_pvc(const json& pvc);
  void step_deployment(const json& deployment, time_point now);
  std::optional<std::string> pick_node(const json& pod, std::string& why) const;
  /// The first ConfigMap or Secret volume of `pod` that cannot be mounted because its object does not exist,
  /// as `configmap "name" not found`; empty when every one can.
  std::string unmountable_volume(const json& pod) const;
  /// What the kubelet knows of a pod between steps ("namespace/name" → this), kept current from every
  /// change it reads: where it runs, its labels (for anti-affinity), the claims it mounts.
  struct pod_entry {
    std::string uid;
    std::string node;
    json labels;
    std::vector<std::string> claims; ///< "namespace/claim"
  };
  /// Records `pod` (null: gone) under `key` in pods_, placed_ and node_of_claim_.
  void index_pod(const std::string& key, const json* pod);
  /// Called by the store's watches (under the store's lock): marks an object to be read next step.
  void mark(std::set<std::string>& dirty, const json& object);
  /// After a fault changes what pods should show: the next step reads every pod and PVC.
  void read_everything();
  std::map<std::string, pod_entry> pods_index_;
  /// The pods on each node ("namespace/name" → labels): scheduling reads it instead of listing pods.
  std::map<std::string, std::map<std::string, json>> placed_;
  /// "namespace/claim" → the node of a pod mounting it (a volume is provisioned where its pod runs).
  std::map<std::string, std::string> node_of_claim_;
  void write_status(const json& pod, const std::function<void(json&)>& change);
  void terminate(const json& pod, const std::string& reason);

  object_store& store_;
  resource_type pods_, nodes_, pvcs_, pvs_, configmaps_, secrets_, deployments_;
  kubelet_options opts_;
  mutable std::mutex mutex_;
  std::map<std::string, pod_timeline> timelines_; ///< by pod uid
  /// "uid/generation" → when that generation's volumes could first be mounted.
  std::map<std::string, time_point> deployment_since_;
  std::set<std::string> down_nodes_;
  std::set<std::string> failed_disks_; ///< "namespace/pvc"
  std::set<std::string> held_not_ready_; ///< "namespace/pod"
  std::thread thread_;
  bool running_ = false;
  std::condition_variable wake_;
  /// Pods ("namespace/name") still waiting: read every step until they settle.
  std::set<std::string> active_pods_;
  size_t pods_read_ = 0;
  /// Filled by the watches, emptied by step(); guarded by dirty_mutex_ alone, never held while calling the
  /// store (the watches call in with the store's lock held).
  std::mutex dirty_mutex_;
  std::set<std::string> dirty_pods_, dirty_pvcs_;
  bool all_dirty_ = true; ///< read everything next step (the first step, and after a fault)
  /// Last members: destroyed first, so no delivery reaches a half-destroyed kubelet.
  std::unique_ptr<watch_handle> pod_watch_, pvc_watch_;
};

} // namespace kactor::sim
