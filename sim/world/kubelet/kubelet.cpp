#include "sim/world/kubelet/kubelet.hpp"

#include <condition_variable>
#include <ctime>

#include "model/quantity.hpp"
#include "sim/world/encoding.hpp"

namespace kactor::sim {

namespace {

/// j[key] when it is an object, else an empty object: clients may send `status: null` or no status at all.
json object_field(const json& j, const char* key) {
  if (!j.is_object())
    return json::object();
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : json::object();
}

json condition(const std::string& type, bool ok, const std::string& reason = "") {
  json c = {{"type", type}, {"status", ok ? "True" : "False"}};
  if (!reason.empty())
    c["reason"] = reason;
  return c;
}

const json& meta_of(const json& o) {
  return o["metadata"];
}

std::string ns_of(const json& o) {
  return meta_of(o).value("namespace", "");
}

std::string name_of(const json& o) {
  return meta_of(o).value("name", "");
}

bool labels_match(const json& match_labels, const json& object) {
  const auto& labels = meta_of(object).value("labels", json::object());
  for (const auto& [k, v] : match_labels.items())
    if (labels.value(k, "") != v)
      return false;
  return true;
}

bool tolerates(const json& pod, const json& taint) {
  if (taint.value("effect", "") != "NoSchedule" && taint.value("effect", "") != "NoExecute")
    return true;
  for (const auto& t : pod["spec"].value("tolerations", json::array())) {
    bool key_ok = t.value("key", "") == taint.value("key", "") || (t.value("key", "").empty() && t.value("operator", "") == "Exists");
    bool value_ok = t.value("operator", "Equal") == "Exists" || t.value("value", "") == taint.value("value", "");
    if (key_ok && value_ok)
      return true;
  }
  return false;
}

std::string container_name(const json& pod) {
  const auto& cs = pod["spec"].value("containers", json::array());
  return cs.empty() ? "main" : cs[0].value("name", "main");
}

// A ContainerStatus with every field the API marks required (clients validate them).
json container_status(const json& pod, bool ready, int restarts, json state) {
  const auto& cs = pod["spec"].value("containers", json::array());
  std::string image = cs.empty() ? "" : cs[0].value("image", "");
  return {{"name", container_name(pod)}, {"image", image},        {"imageID", "sim://" + image},
          {"ready", ready},              {"started", ready},      {"restartCount", restarts},
          {"state", std::move(state)}};
}

} // namespace

kubelet::kubelet(object_store& store, const resource_registry& registry, kubelet_options opts)
  : store_(store), pods_(*registry.find("", "v1", "pods")), nodes_(*registry.find("", "v1", "nodes")),
    pvcs_(*registry.find("", "v1", "persistentvolumeclaims")), pvs_(*registry.find("", "v1", "persistentvolumes")),
    configmaps_(*registry.find("", "v1", "configmaps")), secrets_(*registry.find("", "v1", "secrets")),
    deployments_(*registry.find("apps", "v1", "deployments")),
    opts_(std::move(opts)) {
  auto watch = [this](const resource_type& type, std::set<std::string>& dirty) -> std::unique_ptr<watch_handle> {
    watch_request req;
    req.resource_key = type.key();
    req.from_version = store_.resource_version(); // what exists now is read by the first step (all_dirty_)
    req.deliver = [this, &dirty](const watch_event& e) { mark(dirty, e.object); };
    auto w = store_.watch(std::move(req));
    return std::holds_alternative<std::unique_ptr<watch_handle>>(w)
             ? std::move(std::get<std::unique_ptr<watch_handle>>(w))
             : nullptr; // cannot happen from the current version; then every step reads everything
  };
  pod_watch_ = watch(pods_, dirty_pods_);
  pvc_watch_ = watch(pvcs_, dirty_pvcs_);
  if (!pod_watch_ || !pvc_watch_)
    pod_watch_.reset(), pvc_watch_.reset();
}

void kubelet::mark(std::set<std::string>& dirty, const json& object) {
  std::lock_guard guard{dirty_mutex_};
  dirty.insert(ns_of(object) + "/" + name_of(object));
}

kubelet::~kubelet() {
  stop();
  pod_watch_.reset();
  pvc_watch_.reset();
}

void kubelet::register_nodes() {
  for (const auto& n : opts_.nodes) {
    json node = {{"metadata",
                  {{"name", n.name},
                   {"labels", {{"kubernetes.io/hostname", n.name}, {"topology.kubernetes.io/zone", n.zone},
                               {"kubernetes.io/os", "linux"}}}}},
                 {"spec", {{"taints", n.taints}}}};
    store_.create(nodes_, "", node);
    store_.modify(nodes_, "", n.name, true, false, [&](const json& cur) -> std::variant<json, api_error> {
      json next = cur;
      next["status"] = {{"capacity", {{"cpu", n.cpu}, {"memory", n.memory}, {"pods", std::to_string(n.max_pods)}}},
                        {"allocatable", {{"cpu", n.cpu}, {"memory", n.memory}, {"pods", std::to_string(n.max_pods)}}},
                        {"conditions", json::array({condition("Ready", true, "KubeletReady")})}};
      return next;
    });
  }
}

void kubelet::start() {
  std::lock_guard guard{mutex_};
  if (running_)
    return;
  running_ = true;
  thread_ = std::thread([this] {
    std::unique_lock lock{mutex_};
    while (running_) {
      lock.unlock();
      step(std::chrono::steady_clock::now());
      lock.lock();
      wake_.wait_for(lock, opts_.tick, [this] { return !running_; });
    }
  });
}

void kubelet::stop() {
  {
    std::lock_guard guard{mutex_};
    running_ = false;
  }
  wake_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

void kubelet::write_status(const json& pod, const std::function<void(json&)>& change) {
  store_.modify(pods_, ns_of(pod), name_of(pod), true, false, [&](const json& cur) -> std::variant<json, api_error> {
    json next = cur;
    change(next);
    return next;
  });
}

std::optional<std::string> kubelet::pick_node(const json& pod, std::string& why) const {
  auto load_of = [&](const std::string& node) {
    auto it = placed_.find(node);
    return it == placed_.end() ? 0 : int(it->second.size());
  };
  static const std::map<std::string, json> none;
  auto on = [&](const std::string& node) -> const std::map<std::string, json>& {
    auto it = placed_.find(node);
    return it == placed_.end() ? none : it->second;
  };
  const auto& spec = pod["spec"];
  // kube-scheduler's VolumeBinding plugin: a pod whose claim does not exist is not scheduled at all.
  for (const auto& v : spec.value("volumes", json::array())) {
    auto claim = v.is_object() ? v.value("/persistentVolumeClaim/claimName"_json_pointer, json("")) : json("");
    if (claim.is_string() && !claim.get<std::string>().empty()
        && store_.get(pvcs_, ns_of(pod), claim.get<std::string>()).error) {
      why = "0/" + std::to_string(opts_.nodes.size()) + " nodes are available: persistentvolumeclaim \""
            + claim.get<std::string>() + "\" not found.";
      return std::nullopt;
    }
  }
  auto selector = spec.value("nodeSelector", json::object());
  auto anti = spec.value("affinity", json::object()).value("podAntiAffinity", json::object())
                .value("requiredDuringSchedulingIgnoredDuringExecution", json::array());
  std::optional<std::string> best;
  int rejected_selector = 0, rejected_taint = 0, rejected_anti = 0, rejected_full = 0;
  for (const auto& n : opts_.nodes) {
    json labels = {{"kubernetes.io/hostname", n.name}, {"topology.kubernetes.io/zone", n.zone},
                   {"kubernetes.io/os", "linux"}};
    if (down_nodes_.contains(n.name) || !labels_match(selector, {{"metadata", {{"labels", labels}}}})) {
      ++rejected_selector;
      continue;
    }
    if (!std::all_of(n.taints.begin(), n.taints.end(), [&](const json& t) { return tolerates(pod, t); })) {
      ++rejected_taint;
      continue;
    }
    bool conflict = false;
    for (const auto& term : anti) {
      if (term.value("topologyKey", "") != "kubernetes.io/hostname")
        continue;
      auto match = term.value("labelSelector", json::object()).value("matchLabels", json::object());
      auto self = ns_of(pod) + "/" + name_of(pod);
      for (const auto& [other, labels] : on(n.name)) {
        bool same_ns = other.compare(0, other.find('/'), ns_of(pod)) == 0;
        conflict |= other != self && same_ns && labels_match(match, {{"metadata", {{"labels", labels}}}});
      }
    }
    if (conflict) {
      ++rejected_anti;
      continue;
    }
    if (load_of(n.name) >= n.max_pods) {
      ++rejected_full;
      continue;
    }
    if (!best || load_of(n.name) < load_of(*best))
      best = n.name;
  }
  if (!best)
    why = "0/" + std::to_string(opts_.nodes.size()) + " nodes are available: " + std::to_string(rejected_selector)
          + " didn't match Pod's node affinity/selector or not ready, " + std::to_string(rejected_taint)
          + " had untolerated taint, " + std::to_string(rejected_anti) + " didn't match pod anti-affinity rules, "
          + std::to_string(rejected_full) + " too many pods.";
  return best;
}

std::string kubelet::unmountable_volume(const json& pod) const {
  auto missing = [&](const json& source, const resource_type& type, const char* name_key) -> std::string {
    if (!source.is_object() || source.value("optional", false))
      return "";
    auto name = source.value(name_key, json(""));
    if (!name.is_string() || !store_.get(type, ns_of(pod), name.get<std::string>()).error)
      return "";
    return (type.resource == "configmaps" ? "configmap \"" : "secret \"") + name.get<std::string>() + "\" not found";
  };
  for (const auto& v : pod["spec"].value("volumes", json::array())) {
    if (!v.is_object())
      continue;
    std::vector<std::string> found;
    if (v.contains("configMap"))
      found.push_back(missing(v["configMap"], configmaps_, "name"));
    if (v.contains("secret"))
      found.push_back(missing(v["secret"], secrets_, "secretName"));
    if (v.contains("projected") && v["projected"].is_object())
      for (const auto& src : v["projected"].value("sources", json::array())) {
        if (src.is_object() && src.contains("configMap"))
          found.push_back(missing(src["configMap"], configmaps_, "name"));
        if (src.is_object() && src.contains("secret"))
          found.push_back(missing(src["secret"], secrets_, "name"));
      }
    for (auto& f : found)
      if (!f.empty())
        return "MountVolume.SetUp failed for volume \"" + v.value("name", "") + "\" : " + f;
  }
  return "";
}

bool kubelet::step_pod(const std::string& key, const json& pod, time_point now) {
  auto uid = meta_of(pod).value("uid", "");
  auto& tl = timelines_.try_emplace(uid, pod_timeline{now, std::nullopt, std::nullopt}).first->second;
  const auto& spec = pod["spec"];
  auto node = spec.value("nodeName", "");
  if (meta_of(pod).contains("deletionTimestamp")) {
    if (!tl.terminating_since)
      tl.terminating_since = now;
    auto grace = std::chrono::seconds(meta_of(pod).value("deletionGracePeriodSeconds", 30));
    if (now - *tl.terminating_since >= std::min<std::chrono::milliseconds>(grace, opts_.terminate_delay)) {
      delete_options immediately;
      immediately.grace_period_seconds = 0;
      store_.remove(pods_, ns_of(pod), name_of(pod), immediately);
      timelines_.erase(uid);
      return false;
    }
    return true;
  }
  if (node.empty()) {
    std::string why;
    auto chosen = pick_node(pod, why);
    if (!chosen) {
      write_status(pod, [&](json& p) {
        p["status"] = {{"phase", "Pending"},
                       {"conditions", json::array({condition("PodScheduled", false, "Unschedulable")})}};
        p["status"]["conditions"][0]["message"] = why;
      });
      return true; // scheduled once a claim, a node or room appears
    }
    json scheduled;
    store_.modify(pods_, ns_of(pod), name_of(pod), false, false, [&](const json& cur) -> std::variant<json, api_error> {
      json next = cur;
      next["spec"]["nodeName"] = *chosen;
      return next;
    });
    scheduled = pod;
    scheduled["spec"]["nodeName"] = *chosen;
    index_pod(key, &scheduled); // the next pending pod of this step sees it placed
    write_status(pod, [&](json& p) {
      p["status"] = {{"phase", "Pending"}, {"conditions", json::array({condition("PodScheduled", true)})}};
    });
    tl.first_seen = now;
    return true;
  }
  const json status = object_field(pod, "status");
  if (status.value("phase", "") == "Failed" || status.value("phase", "") == "Succeeded")
    return false; // restartPolicy Never: a terminated pod stays terminated until someone replaces it
  if (!tl.running_at) {
    // Once running, a container keeps what it mounted; before, a missing ConfigMap or Secret holds it.
    if (auto why = unmountable_volume(pod); !why.empty()) {
      tl.first_seen = now; // the container starts start_delay after its volumes can be mounted
      write_status(pod, [&](json& p) {
        p["status"] = {{"phase", "Pending"},
                       {"conditions", json::array({condition("PodScheduled", true), condition("Initialized", true),
                                                   condition("ContainersReady", false), condition("Ready", false)})},
                       {"containerStatuses",
                        json::array({container_status(p, false, 0, {{"waiting", {{"reason", "ContainerCreating"}}}})})}};
        p["status"]["conditions"][3]["message"] = why;
      });
      return true;
    }
  }
  if (!tl.running_at && now - tl.first_seen >= opts_.start_delay)
    tl.running_at = now;
  if (!tl.running_at)
    return true;
  for (const auto& v : spec.value("volumes", json::array())) {
    auto claim = v.value("/persistentVolumeClaim/claimName"_json_pointer, json(""));
    if (claim.is_string() && failed_disks_.contains(ns_of(pod) + "/" + claim.get<std::string>())) {
      terminate(pod, "DiskFailure");
      return false;
    }
  }
  bool node_up = !down_nodes_.contains(node);
  bool held = held_not_ready_.contains(ns_of(pod) + "/" + name_of(pod));
  bool ready = node_up && !held && now - *tl.running_at >= opts_.ready_delay;
  auto running_status = [&](const json& p) -> json {
    json old = object_field(p, "status");
    auto started = old.value("startTime", rfc3339_now());
    auto restarts = old.value("containerStatuses", json::array()).empty()
                      ? 0
                      : old["containerStatuses"][0].value("restartCount", 0);
    return {{"phase", "Running"},
            {"hostIP", "192.168.0." + std::to_string(1 + (std::hash<std::string>{}(node) % 250))},
            {"podIP", "10.244." + std::to_string(std::hash<std::string>{}(uid) % 250) + ".10"},
            {"startTime", started},
            {"conditions", json::array({condition("PodScheduled", true), condition("Initialized", true),
                                        condition("ContainersReady", ready), condition("Ready", ready)})},
            {"containerStatuses",
             json::array({container_status(pod, ready, restarts, {{"running", {{"startedAt", started}}}})})}};
  };
  // A pod already in that state is not written (no write per pod per tick: thousands of pods).
  if (running_status(pod) != status)
    write_status(pod, [&](json& p) { p["status"] = running_status(p); });
  // Not Ready only for lack of time: read again. Held or on a down node: the fault's end reads it again.
  return !ready && node_up && !held;
}

namespace {
/// The status a PVC should have given its current one: Bound, capacity grown to the request.
json bound_status(const json& pvc, const json& request) {
  json status = object_field(pvc, "status");
  auto capacity = status.value("/capacity/storage"_json_pointer, json(""));
  auto have = capacity.is_string() ? model::parse_quantity(capacity.get<std::string>()) : model::parse_quantity("");
  auto want = request.is_string() ? model::parse_quantity(request.get<std::string>()) : model::parse_quantity("");
  // Volumes only grow: a smaller request leaves the capacity as it is (the API server forbids shrinking).
  if (!have || (want && *want > *have))
    status["capacity"] = {{"storage", request}};
  status["phase"] = "Bound";
  status["accessModes"] = object_field(pvc, "spec").value("accessModes", json::array({"ReadWriteOnce"}));
  return status;
}
} // namespace

void kubelet::step_pvc(const json& pvc) {
  auto request = pvc["spec"].value("/resources/requests/storage"_json_pointer, json("1Gi"));
  const json status = object_field(pvc, "status");
  // Nothing to do for a bound volume of the requested size: no write (a write per PVC per tick does not
  // scale to thousands of volumes).
  if (status.value("phase", "") == "Bound" && bound_status(pvc, request) == status)
    return;
  if (status.value("phase", "") != "Bound") {
    auto pv_name = "pvc-" + meta_of(pvc).value("uid", "");
    json pv = {{"metadata", {{"name", pv_name}}},
               {"spec",
                {{"capacity", {{"storage", request}}},
                 {"accessModes", pvc["spec"].value("accessModes", json::array({"ReadWriteOnce"}))},
                 {"persistentVolumeReclaimPolicy", "Delete"},
                 {"storageClassName", pvc["spec"].value("storageClassName", "standard")},
                 {"claimRef", {{"kind", "PersistentVolumeClaim"}, {"namespace", ns_of(pvc)}, {"name", name_of(pvc)},
                               {"uid", meta_of(pvc).value("uid", "")}}}}}};
    store_.create(pvs_, "", pv);
    auto found = node_of_claim_.find(ns_of(pvc) + "/" + name_of(pvc));
    std::string selected_node = found == node_of_claim_.end() ? "" : found->second;
    store_.modify(pvcs_, ns_of(pvc), name_of(pvc), false, false, [&](const json& cur) -> std::variant<json, api_error> {
      json next = cur;
      next["spec"]["volumeName"] = pv_name;
      if (!selected_node.empty())
        next["metadata"]["annotations"]["volume.kubernetes.io/selected-node"] = selected_node;
      return next;
    });
  }
  store_.modify(pvcs_, ns_of(pvc), name_of(pvc), true, false, [&](const json& cur) -> std::variant<json, api_error> {
    json next = cur;
    next["status"] = bound_status(cur, request);
    return next;
  });
}

void kubelet::index_pod(const std::string& key, const json* pod) {
  if (auto old = pods_index_.find(key); old != pods_index_.end()) {
    if (!old->second.node.empty())
      if (auto on = placed_.find(old->second.node); on != placed_.end())
        on->second.erase(key);
    for (const auto& claim : old->second.claims)
      node_of_claim_.erase(claim);
    if (!pod || meta_of(*pod).value("uid", "") != old->second.uid)
      timelines_.erase(old->second.uid); // that incarnation is gone
    pods_index_.erase(old);
  }
  if (!pod)
    return;
  pod_entry e;
  e.uid = meta_of(*pod).value("uid", "");
  e.node = (*pod)["spec"].value("nodeName", "");
  e.labels = meta_of(*pod).value("labels", json::object());
  for (const auto& v : (*pod)["spec"].value("volumes", json::array())) {
    // Written for any shape a client may send: a volume without a claim, or a claim that is not an object.
    const json* claim = v.is_object() && v.contains("persistentVolumeClaim") ? &v["persistentVolumeClaim"] : nullptr;
    auto claim_name = claim && claim->is_object() ? claim->value("claimName", json("")) : json("");
    if (claim_name.is_string() && !claim_name.get<std::string>().empty()) {
      e.claims.push_back(ns_of(*pod) + "/" + claim_name.get<std::string>());
      node_of_claim_[e.claims.back()] = e.node;
    }
  }
  if (!e.node.empty())
    placed_[e.node][key] = e.labels;
  pods_index_[key] = std::move(e);
}

void kubelet::step(time_point now) {
  std::lock_guard guard{mutex_};
  std::set<std::string> dirty_pods, dirty_pvcs;
  bool everything = false;
  {
    std::lock_guard dirty{dirty_mutex_};
    dirty_pods.swap(dirty_pods_);
    dirty_pvcs.swap(dirty_pvcs_);
    everything = all_dirty_ || !pod_watch_;
    all_dirty_ = false;
  }
  // The pods to move along this step, read once: "namespace/name" → object.
  std::map<std::string, json> pods;
  std::vector<json> pvcs;
  if (everything) {
    for (auto& p : store_.list(pods_, "", {}, {}).items) {
      auto key = ns_of(p) + "/" + name_of(p);
      pods.emplace(std::move(key), std::move(p));
    }
    std::vector<std::string> gone;
    for (const auto& [key, e] : pods_index_)
      if (!pods.contains(key))
        gone.push_back(key);
    for (const auto& key : gone)
      index_pod(key, nullptr);
    pvcs = store_.list(pvcs_, "", {}, {}).items;
  } else {
    dirty_pods.insert(active_pods_.begin(), active_pods_.end());
    for (const auto& key : dirty_pods) {
      auto slash = key.find('/');
      auto got = store_.get(pods_, key.substr(0, slash), key.substr(slash + 1));
      if (got.error)
        index_pod(key, nullptr);
      else
        pods.emplace(key, std::move(got.object));
    }
    for (const auto& key : dirty_pvcs) {
      auto slash = key.find('/');
      auto got = store_.get(pvcs_, key.substr(0, slash), key.substr(slash + 1));
      if (!got.error)
        pvcs.push_back(std::move(got.object));
    }
  }
  pods_read_ = pods.size();
  for (const auto& [key, p] : pods)
    index_pod(key, &p);
  for (const auto& pvc : pvcs)
    step_pvc(pvc);
  active_pods_.clear();
  for (const auto& [key, pod] : pods)
    if (step_pod(key, pod, now))
      active_pods_.insert(key);
  for (const auto& d : store_.list(deployments_, "", {}, {}).items)
    step_deployment(d, now);
}

void kubelet::step_deployment(const json& d, time_point now) {
  const auto& meta = meta_of(d);
  auto generation = meta.value("generation", int64_t{1});
  auto key = meta.value("uid", "") + "/" + std::to_string(generation);
  const json spec = object_field(d, "spec");
  auto replicas = spec.value("replicas", 1);
  // The pod template as a pod of the Deployment's namespace: what its pods would mount.
  json pod = {{"metadata", {{"namespace", ns_of(d)}, {"name", name_of(d)}}},
              {"spec", object_field(object_field(spec, "template"), "spec")}};
  auto unmountable = unmountable_volume(pod);
  bool available = false;
  if (unmountable.empty()) {
    auto since = deployment_since_.try_emplace(key, now).first->second;
    available = now - since >= opts_.start_delay + opts_.ready_delay;
  }
  auto condition_with = [](const char* type, bool ok, const char* reason, const std::string& message) {
    json c = condition(type, ok, reason);
    if (!message.empty())
      c["message"] = message;
    return c;
  };
  json status = {{"observedGeneration", generation},
                 {"replicas", replicas},
                 {"updatedReplicas", replicas},
                 {"conditions",
                  json::array({condition_with("Available", available,
                                              available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                                              available ? "" : "Deployment does not have minimum availability."),
                               condition_with("Progressing", unmountable.empty(),
                                              unmountable.empty() ? "NewReplicaSetAvailable" : "ProgressDeadlineExceeded",
                                              unmountable)})}};
  if (available) {
    status["readyReplicas"] = replicas;
    status["availableReplicas"] = replicas;
  } else {
    status["unavailableReplicas"] = replicas;
  }
  if (object_field(d, "status") == status)
    return;
  store_.modify(deployments_, ns_of(d), name_of(d), true, false, [&](const json& cur) -> std::variant<json, api_error> {
    json next = cur;
    next["status"] = status;
    return next;
  });
}

void kubelet::terminate(const json& pod, const std::string& reason) {
  write_status(pod, [&](json& p) {
    json old = object_field(p, "status");
    auto restarts = old.value("containerStatuses", json::array()).empty()
                      ? 0
                      : old["containerStatuses"][0].value("restartCount", 0);
    p["status"]["phase"] = "Failed";
    p["status"]["conditions"] = json::array({condition("PodScheduled", true), condition("Ready", false)});
    p["status"]["containerStatuses"] = json::array({container_status(
      p, false, restarts + 1,
      {{"terminated", {{"exitCode", 137}, {"reason", reason}, {"finishedAt", rfc3339_now()}}}})});
  });
}

bool kubelet::kill_container(const std::string& ns, const std::string& pod) {
  std::lock_guard guard{mutex_};
  auto cur = store_.get(pods_, ns, pod);
  if (cur.error)
    return false;
  terminate(cur.object, "Error");
  return true;
}

size_t kubelet::pods_read_last_step() const {
  std::lock_guard guard{mutex_};
  return pods_read_;
}

void kubelet::read_everything() {
  std::lock_guard guard{dirty_mutex_};
  all_dirty_ = true;
}

bool kubelet::set_disk_failed(const std::string& ns, const std::string& pvc, bool failed) {
  read_everything(); // the pods mounting it
  std::lock_guard guard{mutex_};
  if (store_.get(pvcs_, ns, pvc).error)
    return false;
  if (failed)
    failed_disks_.insert(ns + "/" + pvc);
  else
    failed_disks_.erase(ns + "/" + pvc);
  return true;
}

void kubelet::hold_not_ready(const std::string& ns, const std::string& pod, bool held) {
  read_everything();
  std::lock_guard guard{mutex_};
  if (held)
    held_not_ready_.insert(ns + "/" + pod);
  else
    held_not_ready_.erase(ns + "/" + pod);
}

bool kubelet::set_node_ready(const std::string& node, bool up) {
  std::lock_guard guard{mutex_};
  if (std::none_of(opts_.nodes.begin(), opts_.nodes.end(), [&](const node_spec& n) { return n.name == node; }))
    return false;
  read_everything(); // its pods, and pods waiting for room
  if (up)
    down_nodes_.erase(node);
  else
    down_nodes_.insert(node);
  store_.modify(nodes_, "", node, true, false, [&](const json& cur) -> std::variant<json, api_error> {
    json next = cur;
    next["status"]["conditions"] = json::array({condition("Ready", up, up ? "KubeletReady" : "NodeStatusUnknown")});
    return next;
  });
  return true;
}

} // namespace kactor::sim
