#include "runtime/supervisor.hpp"

#include <deque>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/retry_policy.hpp"

namespace kactor::runtime {

namespace {

using respawn_child_atom = caf::atom_constant<caf::atom("respawnch")>;
using clock = std::chrono::steady_clock;

struct child_slot {
  supervised_child def;
  caf::actor_addr addr;
  std::deque<clock::time_point> restarts; ///< within the window
  bool given_up = false;
};

struct supervisor_state {
  /// Shared with the exit hook, which runs after the state is gone.
  std::shared_ptr<std::vector<child_slot>> slots = std::make_shared<std::vector<child_slot>>();
  std::vector<child_slot>& children = *slots;
  std::shared_ptr<supervision_health> health;
  actors::kube_ports kube;
  supervision_limits limits;
};

void start_child(caf::event_based_actor* self, child_slot& c) {
  auto a = c.def.spawn(self->system());
  c.addr = a.address();
  self->monitor(a);
  if (c.def.on_spawned)
    c.def.on_spawned(a);
}

/// Watches a child the caller already spawned (a monitor on a stopped actor reports it at once).
void watch_child(caf::event_based_actor* self, child_slot& c, const caf::actor& a) {
  c.addr = a.address();
  self->monitor(a);
}

void on_down(caf::event_based_actor* self, supervisor_state& st, const caf::down_msg& dm) {
  for (size_t i = 0; i < st.children.size(); ++i) {
    auto& c = st.children[i];
    if (c.addr != dm.source)
      continue;
    c.addr = caf::actor_addr{};
    if (dm.reason == caf::exit_reason::normal || dm.reason == caf::exit_reason::user_shutdown)
      return;
    auto now = clock::now();
    while (!c.restarts.empty() && now - c.restarts.front() > st.limits.window)
      c.restarts.pop_front();
    if (int(c.restarts.size()) >= st.limits.max_restarts) {
      c.given_up = true;
      auto why = c.def.name + " stopped " + std::to_string(c.restarts.size() + 1) + " times within "
                 + std::to_string(st.limits.window.count()) + " s (last: " + caf::to_string(dm.reason) + "); not respawned";
      spdlog::error("supervisor: {}", why);
      st.health->give_up(why);
      return;
    }
    c.restarts.push_back(now);
    auto delay = actors::retry_delay(st.kube->settings, actors::retry_reason::child_crashed, int(c.restarts.size()));
    spdlog::warn("supervisor: {} stopped ({}); respawning in {} ms", c.def.name, caf::to_string(dm.reason), delay.count());
    self->delayed_send(self, delay, respawn_child_atom::value, uint64_t(i));
    return;
  }
}

caf::behavior supervisor(caf::stateful_actor<supervisor_state>* self, std::vector<supervised_child> defs,
                         std::vector<caf::actor> first, std::shared_ptr<supervision_health> health, actors::kube_ports kube,
                         supervision_limits limits) {
  auto& st = self->state;
  st.health = std::move(health);
  st.kube = std::move(kube);
  st.limits = limits;
  for (auto& d : defs)
    st.children.push_back({std::move(d), {}, {}, false});
  for (size_t i = 0; i < st.children.size(); ++i)
    watch_child(self, st.children[i], first[i]);
  self->set_down_handler([self](caf::down_msg& dm) { on_down(self, self->state, dm); });
  // The runtime stops the supervisor first; the children it still watches stop with it.
  self->attach_functor([slots = st.slots] {
    for (auto& c : *slots)
      if (auto a = caf::actor_cast<caf::actor>(c.addr))
        caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  });
  return {
      [self](respawn_child_atom, uint64_t i) {
        if (i < self->state.children.size() && !self->state.children[i].given_up)
          start_child(self, self->state.children[i]);
      },
  };
}

} // namespace

caf::actor spawn_supervisor(caf::actor_system& sys, std::vector<supervised_child> children,
                            std::shared_ptr<supervision_health> health, actors::kube_ports kube, supervision_limits limits) {
  // The first children are spawned here, on the caller's thread, so their handles are published when this
  // returns (the supervisor's own start runs later, on a scheduler thread).
  std::vector<caf::actor> first;
  for (auto& c : children) {
    first.push_back(c.spawn(sys));
    if (c.on_spawned)
      c.on_spawned(first.back());
  }
  return sys.spawn(supervisor, std::move(children), std::move(first), std::move(health), std::move(kube), limits);
}

} // namespace kactor::runtime
