#include "model/diff/broker_plan.hpp"
#include "model/json_read.hpp"

#include <algorithm>

#include <initializer_list>

#include "model/diff/object_diff.hpp"
#include "model/render/configmap.hpp"
#include "model/render/metadata.hpp"
#include "model/properties.hpp"

// Decisions the header leaves open:
// - The pod is created only when its ConfigMap exists *and* matches the render: a pod started against a
//   stale ConfigMap (an update that failed or has not been issued yet) would carry the new revision while
//   running the old server.properties, and would then look in sync forever.
// - restarting is also true while the pod is missing or not yet Ready under a held permit: the permit
//   holder's restart is finished only when its new pod is Ready.
// - A terminated kafka container counts as failed whatever the restart policy: kactor renders
//   restartPolicy Never, so the kubelet (and the sim's container-kill fault) leave it terminated.
//   Phase Succeeded counts too: under restartPolicy Never the broker will not come back.
// - A refused PVC shrink does not clear in_sync: nothing can be written for it, and the refusal is
//   reported in `refusals` (and shown in the cluster status) instead of stalling a rolling restart.

namespace kactor::model {

namespace {

const json& at_path(const json& obj, std::initializer_list<const char*> path) {
  static const json null_value;
  const json* cur = &obj;
  for (const char* key : path) {
    if (!cur->is_object())
      return null_value;
    auto it = cur->find(key);
    if (it == cur->end())
      return null_value;
    cur = &*it;
  }
  return *cur;
}

std::string text_at(const json& obj, std::initializer_list<const char*> path) {
  const json& v = at_path(obj, path);
  return v.is_string() ? v.get<std::string>() : std::string{};
}

std::string name_of(const json& obj) {
  return text_at(obj, {"metadata", "name"});
}

bool is_terminating(const json& pod) {
  return !at_path(pod, {"metadata", "deletionTimestamp"}).is_null();
}

// Why the pod will not serve again by itself, or "" when it may.
std::string failure_reason(const json& pod) {
  const json& statuses = at_path(pod, {"status", "containerStatuses"});
  if (statuses.is_array())
    for (const auto& cs : statuses)
      if (string_or(cs, "name") == "kafka" && !at_path(cs, {"state", "terminated"}).is_null())
        return "container terminated";
  auto phase = text_at(pod, {"status", "phase"});
  if (phase == "Failed" || phase == "Succeeded")
    return "pod failed";
  return {};
}

broker_write make_write(broker_write::kind what, resource_kind resource, const json& desired, std::string reason) {
  return {what, resource, name_of(desired), desired, {}, std::move(reason)};
}

// ConfigMap and Service: create when missing, update (server fields kept) when a rendered field differs.
void plan_owned(const json& desired, const json& observed, resource_kind resource, const char* what, broker_plan& plan) {
  switch (plan_object(desired, observed)) {
  case object_action::none:
    return;
  case object_action::create:
    plan.writes.push_back(make_write(broker_write::kind::create, resource, desired, std::string{what} + " missing"));
    return;
  case object_action::update:
    plan.writes.push_back(make_write(broker_write::kind::update, resource, merged_for_update(desired, observed),
                                     std::string{what} + " changed: " + first_difference(desired, observed)));
    return;
  }
}

std::string requested_storage(const json& pvc) {
  return text_at(pvc, {"spec", "resources", "requests", "storage"});
}

void plan_one_pvc(const json& desired, const json& observed, broker_plan& plan) {
  auto name = name_of(desired);
  switch (plan_pvc(desired, observed)) {
  case pvc_action::none:
    return;
  case pvc_action::create:
    plan.writes.push_back(make_write(broker_write::kind::create, resource_kind::persistent_volume_claim, desired, "pvc missing"));
    return;
  case pvc_action::grow: {
    // A merge patch of the size alone: every other PVC spec field is immutable once bound.
    json patch = {{"spec", {{"resources", {{"requests", {{"storage", requested_storage(desired)}}}}}}}};
    plan.writes.push_back({broker_write::kind::grow_pvc,
                           resource_kind::persistent_volume_claim,
                           name,
                           std::move(patch),
                           {},
                           "pvc grows from " + requested_storage(observed) + " to " + requested_storage(desired)});
    return;
  }
  case pvc_action::refuse_shrink:
    plan.refusals.push_back("PVC " + name + ": shrinking " + requested_storage(observed) + " to "
                            + requested_storage(desired) + " is not possible");
    return;
  }
}

void plan_pvcs(const broker_objects& desired, const broker_observed& observed, broker_plan& plan) {
  for (const auto& pvc : desired.pvcs) {
    auto it = observed.pvcs.find(name_of(pvc));
    plan_one_pvc(pvc, it == observed.pvcs.end() ? json{} : it->second, plan);
  }
}

// broker.rack in a ConfigMap's server.properties, or "" (a line search: this runs on every pass).
std::string rack_in(const json& configmap) {
  auto text = text_at(configmap, {"data", broker_config_key});
  static const std::string key = "broker.rack=";
  for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + 1))
    if (at == 0 || text[at - 1] == '\n')
      return text.substr(at + key.size(), text.find('\n', at) == std::string::npos ? std::string::npos
                                                                                  : text.find('\n', at) - at - key.size());
  return {};
}

// The ConfigMap with broker.rack set to `rack` (removed when ""), its keys sorted as rendered.
json with_rack(const json& configmap, const std::string& rack) {
  json out = configmap;
  auto props = parse_properties(text_at(configmap, {"data", broker_config_key}));
  if (!props)
    return out; // rendered by render_configmap: does not happen
  if (rack.empty())
    props->erase("broker.rack");
  else
    (*props)["broker.rack"] = rack;
  out["data"][broker_config_key] = render_properties(*props);
  return out;
}

// The rack the labels give, in rackAwareness order, joined by "," (Koperator's form); "" when the node has
// none of them.
std::string rack_of(const std::vector<std::string>& labels, const json& node_labels) {
  std::string out;
  for (const auto& l : labels)
    if (auto v = node_labels.find(l); v != node_labels.end() && v->is_string())
      out += (out.empty() ? "" : ",") + v->get<std::string>();
  return out;
}

// A pod required onto a node of `rack` (the values of `labels`, in order), in every node selector term.
json pinned_to_rack(json pod, const std::vector<std::string>& labels, const std::string& rack) {
  json expressions = json::array();
  size_t from = 0;
  for (const auto& l : labels) {
    auto to = rack.find(',', from);
    expressions.push_back({{"key", l}, {"operator", "In"}, {"values", {rack.substr(from, to == std::string::npos ? to : to - from)}}});
    if (to == std::string::npos)
      break;
    from = to + 1;
  }
  auto& terms = pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"];
  if (!terms.is_array() || terms.empty())
    terms = json::array({json::object()});
  for (auto& t : terms)
    for (const auto& e : expressions)
      t["matchExpressions"].push_back(e);
  return pod;
}

// What a new pod must wait for (the kubelet mounts the ConfigMap and every PVC), or "" when none.
// `configmap_first`: false while a rack from the node is awaited (the pod goes first, see the header).
std::string pod_prerequisites(const json& configmap, bool configmap_first, const broker_objects& desired,
                              const broker_observed& observed) {
  std::string out;
  auto add = [&out](const std::string& item) { out += (out.empty() ? "" : ", ") + item; };
  if (!configmap_first)
    ;
  else if (observed.configmap.is_null())
    add("ConfigMap " + name_of(configmap) + " to exist");
  else if (needs_update(configmap, observed.configmap))
    add("ConfigMap " + name_of(configmap) + " to be updated");
  for (const auto& pvc : desired.pvcs)
    if (!observed.pvcs.contains(name_of(pvc)))
      add("PVC " + name_of(pvc) + " to exist");
  return out;
}

void plan_missing_pod(const json& configmap, bool configmap_first, const broker_objects& desired,
                      const broker_observed& observed, bool permitted, broker_plan& plan) {
  plan.restarting = permitted; // the permit holder's pod was deleted by an earlier pass
  plan.waiting_for = pod_prerequisites(configmap, configmap_first, desired, observed);
  if (!plan.waiting_for.empty())
    return;
  auto rack = desired.rack_labels.empty() ? std::string{} : rack_in(observed.configmap);
  plan.writes.push_back(make_write(broker_write::kind::create, resource_kind::pod,
                                   rack.empty() ? desired.pod : pinned_to_rack(desired.pod, desired.rack_labels, rack),
                                   "pod missing"));
}

void delete_pod(const json& pod, std::string reason, broker_plan& plan) {
  plan.writes.push_back({broker_write::kind::delete_pod, resource_kind::pod, name_of(pod), json{},
                         text_at(pod, {"metadata", "uid"}), std::move(reason)});
  plan.restarting = true;
}

// The pod exists with the desired revision but does not serve yet.
void wait_for_ready(const json& pod, bool permitted, broker_plan& plan) {
  plan.restarting = permitted;
  bool unscheduled = text_at(pod, {"status", "phase"}) == "Pending" && text_at(pod, {"spec", "nodeName"}).empty();
  plan.waiting_for = "pod " + name_of(pod) + (unscheduled ? " to be scheduled" : " to become Ready");
}

void plan_existing_pod(const broker_objects& desired, const json& pod, bool permitted, broker_plan& plan) {
  if (is_terminating(pod)) {
    plan.restarting = true;
    plan.waiting_for = "pod " + name_of(pod) + " to terminate";
    return;
  }
  if (auto reason = failure_reason(pod); !reason.empty()) {
    delete_pod(pod, std::move(reason), plan); // the broker is down anyway: no permit needed
    return;
  }
  plan.pod_ready = pod_is_ready(pod);
  if (text_at(pod, {"metadata", "annotations", revision_annotation}) != desired.revision) {
    // Restart onto the new config and disks only: a pod recreated before its ConfigMap update or new PVC
    // has landed would start stale yet carry the new revision. No permit is asked for meanwhile, so a broker
    // whose writes fail never holds up the others' restarts.
    // Nor before the node told the rack: the new pod would start with the old one (or none).
    bool prerequisites_pending = !plan.node_to_read.empty()
                                 || std::any_of(plan.writes.begin(), plan.writes.end(), [](const broker_write& w) {
                                      return w.resource == resource_kind::configmap
                                             || w.resource == resource_kind::persistent_volume_claim;
                                    });
    if (prerequisites_pending) {
      plan.waiting_for = "ConfigMap, PVCs and rack to be written before the restart";
      return;
    }
    if (permitted)
      delete_pod(pod, "revision changed", plan);
    else {
      plan.wants_permit = true;
      plan.waiting_for = "a restart permit";
    }
    return;
  }
  if (!plan.pod_ready)
    wait_for_ready(pod, permitted, plan);
}

} // namespace

bool pod_is_ready(const json& pod) {
  const json& conditions = at_path(pod, {"status", "conditions"});
  if (!conditions.is_array())
    return false;
  for (const auto& c : conditions)
    if (string_or(c, "type") == "Ready")
      return string_or(c, "status") == "True";
  return false;
}

bool pod_has_failed(const json& pod) {
  return !failure_reason(pod).empty();
}

broker_plan plan_broker(const broker_objects& desired, const broker_observed& observed, bool restart_permitted) {
  broker_plan plan;
  const json* configmap = &desired.configmap;
  json racked;
  bool configmap_first = true;
  if (!desired.rack_labels.empty()) {
    auto node = observed.pod.is_null() ? std::string{} : text_at(observed.pod, {"spec", "nodeName"});
    if (!node.empty() && observed.node_labels.is_object())
      racked = with_rack(desired.configmap, rack_of(desired.rack_labels, observed.node_labels));
    else if (!observed.configmap.is_null())
      racked = with_rack(desired.configmap, rack_in(observed.configmap)); // no node has told: keep its rack
    else
      configmap_first = false;
    if (!node.empty() && !observed.node_labels.is_object())
      plan.node_to_read = node;
    if (configmap_first)
      configmap = &racked;
  }
  if (configmap_first) {
    plan_owned(*configmap, observed.configmap, resource_kind::configmap, "configmap", plan);
    plan.rack = rack_in(*configmap);
  }
  plan_pvcs(desired, observed, plan);
  if (desired.service)
    plan_owned(*desired.service, observed.service, resource_kind::service, "service", plan);
  if (observed.pod.is_null())
    plan_missing_pod(*configmap, configmap_first, desired, observed, restart_permitted, plan);
  else if (!configmap_first && text_at(observed.pod, {"spec", "nodeName"}).empty() && !is_terminating(observed.pod))
    plan.waiting_for = "pod " + name_of(observed.pod) + " to be scheduled (its rack comes from its node)";
  else if (!configmap_first && !is_terminating(observed.pod) && failure_reason(observed.pod).empty())
    plan.waiting_for = "the labels of node " + plan.node_to_read + " (its rack)";
  else
    plan_existing_pod(desired, observed.pod, restart_permitted, plan);
  for (const auto& [name, pvc] : observed.released_pvcs) {
    bool mounted = false;
    for (const auto& v : at_path(observed.pod, {"spec", "volumes"}))
      mounted = mounted || text_at(v, {"persistentVolumeClaim", "claimName"}) == name;
    if (!mounted && !is_terminating(pvc))
      plan.writes.push_back({broker_write::kind::delete_object, resource_kind::persistent_volume_claim, name, json{},
                             text_at(pvc, {"metadata", "uid"}), "disk drained and removed from the spec"});
  }
  // wants_permit and restarting cover every pod whose revision differs, so this also means "desired revision".
  plan.in_sync
      = !observed.pod.is_null() && plan.pod_ready && !plan.wants_permit && !plan.restarting && plan.writes.empty();
  return plan;
}

std::vector<broker_write> plan_broker_removal(const std::map<resource_kind, std::vector<json>>& objects) {
  std::vector<broker_write> out;
  for (const auto& [resource, list] : objects)
    for (const auto& o : list)
      if (!is_terminating(o))
        out.push_back({broker_write::kind::delete_object, resource, name_of(o), json{}, text_at(o, {"metadata", "uid"}),
                       "broker drained by Cruise Control and removed from the spec"});
  std::stable_sort(out.begin(), out.end(), [](const broker_write& a, const broker_write& b) {
    return (a.resource == resource_kind::pod) > (b.resource == resource_kind::pod);
  });
  return out;
}

} // namespace kactor::model
