#include "actors/operator_actor.hpp"
#include "model/json_read.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/cluster/cluster_actor.hpp"
#include "actors/retry_policy.hpp"

namespace kactor::actors {

using nlohmann::json;
using namespace messages;

struct operator_state {
  static inline const char* name = "kactor.operator";
  kube_ports kube;
  /// Shared with the exit hook, which stops the cluster actors after the state is gone.
  std::shared_ptr<std::map<std::string, cluster_actor>> children = std::make_shared<std::map<std::string, cluster_actor>>();
  std::map<caf::actor_addr, std::string> keys;
  std::map<std::string, int> crashes;
  std::map<std::string, cluster_actor>& clusters() { return *children; }
};

using operator_self = operator_actor::stateful_pointer<operator_state>;

namespace {

std::string key_of(const std::string& ns, const std::string& name) { return ns + "/" + name; }

/// The cluster actor for ns/name, spawned when its CR exists; none otherwise.
std::optional<cluster_actor> ensure_cluster(operator_self self, const std::string& ns, const std::string& name) {
  auto& st = self->state;
  auto key = key_of(ns, name);
  if (auto it = st.clusters().find(key); it != st.clusters().end())
    return it->second;
  if (!st.kube->clusters->get(ns, name))
    return std::nullopt;
  auto c = spawn_cluster_actor(self->system(), ns, name, st.kube);
  self->monitor(c);
  st.clusters()[key] = c;
  st.keys[c.address()] = key;
  spdlog::info("operator: managing KafkaCluster {}", key);
  return c;
}

void route(operator_self self, const object_changed& ev) {
  if (ev.cluster.empty() || !self->state.kube->manages(ev.namespace_))
    return;
  if (auto c = ensure_cluster(self, ev.namespace_, ev.cluster))
    self->send(*c, ev);
}

void resync(operator_self self) {
  for (const auto& cr : self->state.kube->clusters->list()) {
    auto ns = model::string_or(cr, "/metadata/namespace"_json_pointer);
    auto name = model::string_or(cr, "/metadata/name"_json_pointer);
    route(self, object_changed{model::resource_kind::kafka_cluster, ns, name, name, -1});
  }
}

void on_cluster_down(operator_self self, const caf::down_msg& dm) {
  auto& st = self->state;
  auto it = st.keys.find(dm.source);
  if (it == st.keys.end())
    return;
  auto key = it->second;
  st.keys.erase(it);
  st.clusters().erase(key);
  if (dm.reason == caf::exit_reason::normal)
    return; // the CR is gone and the actor finished
  auto n = ++st.crashes[key];
  auto delay = retry_delay(st.kube->settings, retry_reason::child_crashed, n);
  spdlog::warn("operator: cluster actor {} stopped ({}); respawning in {} ms", key, caf::to_string(dm.reason), delay.count());
  self->delayed_send(self, delay, respawn_atom::value, key);
}

operator_actor::behavior_type operator_behavior(operator_self self, kube_ports kube) {
  self->state.kube = std::move(kube);
  self->set_down_handler([=](caf::down_msg& dm) { on_cluster_down(self, dm); });
  self->attach_functor([children = self->state.children] {
    for (auto& [key, c] : *children)
      caf::anon_send_exit(c, caf::exit_reason::user_shutdown);
  });
  return {
      [=](const object_changed& ev) { route(self, ev); },
      [=](resync_atom) { resync(self); },
      [=](const write_completed&) {},
      [=](respawn_atom, const std::string& key) {
        auto slash = key.find('/');
        route(self, object_changed{model::resource_kind::kafka_cluster, key.substr(0, slash), key.substr(slash + 1),
                                   key.substr(slash + 1), -1});
      },
      [=](crash_atom, const std::string& ns, const std::string& cluster, int32_t broker) {
        if (auto it = self->state.clusters().find(key_of(ns, cluster)); it != self->state.clusters().end())
          self->send(it->second, crash_atom::value, broker);
      },
  };
}

} // namespace

operator_actor spawn_operator_actor(caf::actor_system& sys, kube_ports kube) {
  return sys.spawn(operator_behavior, std::move(kube));
}

} // namespace kactor::actors
