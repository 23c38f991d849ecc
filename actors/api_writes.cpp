#include "actors/api_writes.hpp"

#include <algorithm>

namespace kactor::actors {

namespace k8s = integrations::kubernetes;
using nlohmann::json;

namespace {

/// Turns an API answer into a completion; `tolerated` is the error kind that means "already so".
k8s::json_callback complete(std::string what, write_done done, std::optional<k8s::api_error_kind> tolerated) {
  return [what = std::move(what), done = std::move(done), tolerated](k8s::api_result<json> r) {
    messages::write_completed wc;
    wc.what = what;
    if (!r.is_ok() && !(tolerated && r.error().kind == *tolerated)) {
      wc.ok = false;
      wc.error = r.error().to_string();
      wc.conflict = r.error().kind == k8s::api_error_kind::conflict;
      wc.retry_after_ms = r.error().retry_after.count();
    }
    done(std::move(wc));
  };
}

std::string name_of(const json& obj) { return obj.value("/metadata/name"_json_pointer, std::string{}); }

} // namespace

const k8s::resource_type& resource_for(const std::string& plural) {
  namespace r = k8s::resources;
  if (plural == "pods") return r::pods();
  if (plural == "configmaps") return r::configmaps();
  if (plural == "services") return r::services();
  if (plural == "persistentvolumeclaims") return r::persistent_volume_claims();
  if (plural == "poddisruptionbudgets") return r::pod_disruption_budgets();
  if (plural == "kafkaclusters") return r::kafka_clusters();
  if (plural == "cruisecontroloperations") return r::cruise_control_operations();
  if (plural == "events") return r::events();
  return r::configmaps(); // not reached for rendered objects: plural_of knows every kind kactor renders
}

std::string plural_of(const json& object) {
  auto kind = object.value("kind", std::string{});
  if (kind == "Pod") return "pods";
  if (kind == "ConfigMap") return "configmaps";
  if (kind == "Service") return "services";
  if (kind == "PersistentVolumeClaim") return "persistentvolumeclaims";
  if (kind == "PodDisruptionBudget") return "poddisruptionbudgets";
  std::string lower = kind;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower + "s";
}

void start_broker_write(const kube_access& kube, const std::string& ns, const model::broker_write& w, write_done done) {
  const auto& type = resource_for(w.resource);
  using kind = model::broker_write::kind;
  switch (w.what) {
  case kind::create:
    return kube.client->create(type, ns, w.object, complete("create " + w.resource + "/" + w.name, std::move(done),
                                                            k8s::api_error_kind::already_exists));
  case kind::update:
    return kube.client->update(type, ns, w.object, complete("update " + w.resource + "/" + w.name, std::move(done), {}));
  case kind::grow_pvc:
    return kube.client->patch(type, ns, w.name, k8s::patch_type::merge, w.object,
                              complete("grow " + w.resource + "/" + w.name, std::move(done), {}));
  case kind::delete_pod:
  case kind::delete_object: {
    k8s::delete_options opts;
    opts.precondition_uid = w.uid; // never delete a pod that replaced the one we decided about
    return kube.client->remove(type, ns, w.name, opts,
                               complete("delete " + w.resource + "/" + w.name, std::move(done), k8s::api_error_kind::not_found));
  }
  }
}

void start_object_write(const kube_access& kube, const std::string& ns, const std::string& resource,
                        model::object_action action, const json& desired, const json& observed, write_done done) {
  const auto& type = resource_for(resource);
  auto what = resource + "/" + name_of(desired);
  if (action == model::object_action::create)
    return kube.client->create(type, ns, desired, complete("create " + what, std::move(done), k8s::api_error_kind::already_exists));
  kube.client->update(type, ns, model::merged_for_update(desired, observed), complete("update " + what, std::move(done), {}));
}

void start_status_write(const kube_access& kube, json cr, json status, write_done done) {
  auto ns = cr.value("/metadata/namespace"_json_pointer, std::string{});
  auto what = "update status kafkaclusters/" + name_of(cr);
  cr["status"] = std::move(status);
  kube.client->update_status(k8s::resources::kafka_clusters(), ns, std::move(cr), complete(what, std::move(done), {}));
}

void start_finalizer_write(const kube_access& kube, json cr, const std::string& finalizer, bool present, write_done done) {
  auto ns = cr.value("/metadata/namespace"_json_pointer, std::string{});
  auto what = std::string{present ? "add" : "remove"} + " finalizer kafkaclusters/" + name_of(cr);
  auto& list = cr["metadata"]["finalizers"];
  if (!list.is_array())
    list = json::array();
  auto it = std::find(list.begin(), list.end(), finalizer);
  if (present && it == list.end())
    list.push_back(finalizer);
  if (!present && it != list.end())
    list.erase(it);
  cr.erase("status"); // the main resource ignores status; do not send a stale copy
  kube.client->update(k8s::resources::kafka_clusters(), ns, std::move(cr),
                      complete(what, std::move(done), present ? std::nullopt : std::optional{k8s::api_error_kind::not_found}));
}

} // namespace kactor::actors
