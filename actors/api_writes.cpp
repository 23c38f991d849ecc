#include "actors/api_writes.hpp"
#include "model/json_read.hpp"

#include <algorithm>

namespace kactor::actors {

namespace k8s = integrations::kubernetes;
using nlohmann::json;

namespace {

/// Turns an API answer into a completion; `tolerated` is the error kind that means "already so".
k8s::json_callback complete(messages::write_key key, write_done done, std::optional<k8s::api_error_kind> tolerated) {
  return [key = std::move(key), done = std::move(done), tolerated](k8s::api_result<json> r) {
    messages::write_completed wc;
    wc.key = key;
    if (!r.is_ok() && !(tolerated && r.error().kind == *tolerated)) {
      wc.ok = false;
      wc.error = r.error().to_string();
      wc.conflict = r.error().kind == k8s::api_error_kind::conflict;
      wc.retry_after_ms = r.error().retry_after.count();
    }
    done(std::move(wc));
  };
}

std::string name_of(const json& obj) { return model::string_or(obj, "/metadata/name"_json_pointer); }

} // namespace

const k8s::resource_type& resource_for(model::resource_kind kind) {
  namespace r = k8s::resources;
  using model::resource_kind;
  switch (kind) {
  case resource_kind::pod: return r::pods();
  case resource_kind::configmap: return r::configmaps();
  case resource_kind::service: return r::services();
  case resource_kind::persistent_volume_claim: return r::persistent_volume_claims();
  case resource_kind::pod_disruption_budget: return r::pod_disruption_budgets();
  case resource_kind::deployment: return r::deployments();
  case resource_kind::kafka_cluster: return r::kafka_clusters();
  case resource_kind::cruise_control_operation: return r::cruise_control_operations();
  case resource_kind::event: return r::events();
  }
  return r::events(); // unreachable: every kind is a case above (-Werror=switch)
}

void start_broker_write(const kube_access& kube, const std::string& ns, const model::broker_write& w, write_done done) {
  const auto& type = resource_for(w.resource);
  using kind = model::broker_write::kind;
  using messages::write_verb;
  auto key = [&](write_verb verb) { return messages::write_key{verb, w.resource, ns, w.name}; };
  switch (w.what) {
  case kind::create:
    return kube.client->create(type, ns, w.object, complete(key(write_verb::create), std::move(done), k8s::api_error_kind::already_exists));
  case kind::update:
    return kube.client->update(type, ns, w.object, complete(key(write_verb::update), std::move(done), {}));
  case kind::grow_pvc:
    return kube.client->patch(type, ns, w.name, k8s::patch_type::merge, w.object, complete(key(write_verb::grow), std::move(done), {}));
  case kind::delete_pod:
  case kind::delete_object: {
    k8s::delete_options opts;
    opts.precondition_uid = w.uid; // never delete a pod that replaced the one we decided about
    return kube.client->remove(type, ns, w.name, opts, complete(key(write_verb::remove), std::move(done), k8s::api_error_kind::not_found));
  }
  }
}

void start_object_write(const kube_access& kube, const std::string& ns, model::resource_kind kind,
                        model::object_action action, const json& desired, const json& observed, write_done done) {
  const auto& type = resource_for(kind);
  using messages::write_verb;
  if (action == model::object_action::create)
    return kube.client->create(type, ns, desired, complete({write_verb::create, kind, ns, name_of(desired)}, std::move(done),
                                                           k8s::api_error_kind::already_exists));
  kube.client->update(type, ns, model::merged_for_update(desired, observed),
                      complete({write_verb::update, kind, ns, name_of(desired)}, std::move(done), {}));
}

void start_object_delete(const kube_access& kube, const std::string& ns, model::resource_kind kind, const json& observed,
                         write_done done) {
  k8s::delete_options opts;
  opts.precondition_uid = model::string_or(observed, "/metadata/uid"_json_pointer);
  kube.client->remove(resource_for(kind), ns, name_of(observed), opts,
                      complete({messages::write_verb::remove, kind, ns, name_of(observed)}, std::move(done),
                               k8s::api_error_kind::not_found));
}

void start_status_write(const kube_access& kube, json cr, json status, write_done done) {
  auto ns = model::string_or(cr, "/metadata/namespace"_json_pointer);
  messages::write_key what{messages::write_verb::update_status, model::resource_kind::kafka_cluster, ns, name_of(cr)};
  cr["status"] = std::move(status);
  kube.client->update_status(k8s::resources::kafka_clusters(), ns, std::move(cr), complete(what, std::move(done), {}));
}

void start_finalizer_write(const kube_access& kube, json cr, const std::string& finalizer, bool present, write_done done) {
  auto ns = model::string_or(cr, "/metadata/namespace"_json_pointer);
  messages::write_key what{present ? messages::write_verb::add_finalizer : messages::write_verb::remove_finalizer,
                          model::resource_kind::kafka_cluster, ns, name_of(cr)};
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
