#include "actors/cluster/cluster_objects.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/clock.hpp"
#include "model/diff/object_diff.hpp"
#include "model/resource_kind.hpp"

namespace kactor::actors {

using nlohmann::json;
using namespace messages;

void reconcile_cluster_objects(cluster_self self, const model::kafka_cluster& cluster, const std::vector<json>& cluster_objects) {
  auto& st = self->state;
  auto now = steady_now();
  st.creates.settle(now, *st.kube, st.ns);
  for (const auto& obj : cluster_objects) {
    auto kind = model::resource_kind_of(obj);
    if (!kind) { // the renderer makes only kinds kactor knows: a new one must be added to model::resource_kind
      spdlog::error("cluster {}/{}: rendered an object of unknown kind '{}'", st.ns, st.name_, obj.value("kind", ""));
      continue;
    }
    auto name = obj["metadata"]["name"].get<std::string>();
    auto* cache = st.kube->cache_for(*kind);
    auto observed = cache ? cache->get(st.ns, name).value_or(json{}) : json{};
    auto action = model::plan_object(obj, observed);
    if (action == model::object_action::create) {
      if (st.creates.expected({*kind, name}))
        continue; // created a moment ago; the watch brings it
      st.creates.expect({*kind, name}, now + st.kube->settings.cache_lag);
      // A pass after the deadline, should the watch never show it.
      self->delayed_send(self, st.kube->settings.cache_lag + std::chrono::milliseconds{1}, pass_atom::value);
    }
    if (action != model::object_action::none)
      start_object_write(*st.kube, st.ns, *kind, action, obj, observed, completion(self));
  }
  using model::resource_kind;
  for (auto kind : {resource_kind::service, resource_kind::pod_disruption_budget, resource_kind::configmap,
                    resource_kind::deployment}) {
    auto* cache = st.kube->cache_for(kind);
    if (!cache)
      continue;
    for (const auto& stale : model::stale_cluster_objects(cluster, cluster_objects, kind, cache->list_by_label(st.ns, st.name_))) {
      spdlog::info("cluster {}/{}: deleting {} {}, which the spec no longer asks for", st.ns, st.name_, model::kind_name(kind),
                   stale["metadata"].value("name", ""));
      start_object_delete(*st.kube, st.ns, kind, stale, completion(self));
    }
  }
}

} // namespace kactor::actors
