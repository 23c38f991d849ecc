// Top-level supervision: the operator, alert and spec-edit actors have no parent actor, so a supervisor
// actor watches them. One that stops abnormally (an exception escaped a handler) is respawned after
// retry_reason::child_crashed's delay — the operator actor's cluster actors stop with it, and the new one
// respawns them from the caches — at most `max_restarts` times within `window`. Past that the supervisor
// gives up on it and health() names it, so /healthz fails and the kubelet restarts the process: a process
// quietly missing an actor is worse than a restarted one. Stops ending in normal or user_shutdown (the
// runtime stopping) are not restarts.
//
// Thread-safe: health() from any thread; `on_spawned` is called on the supervisor's thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/fwd.hpp>

#include "actors/kube_access.hpp"

namespace kactor::runtime {

struct supervised_child {
  std::string name; ///< "operator actor", "alert actor", ...
  std::function<caf::actor(caf::actor_system&)> spawn;
  std::function<void(const caf::actor&)> on_spawned; ///< publishes the new handle (also the first)
};

/// What the supervisor gave up on; empty while all is well.
class supervision_health {
public:
  std::string problem() const {
    std::lock_guard lock(mutex_);
    return problem_;
  }
  void give_up(const std::string& why) {
    std::lock_guard lock(mutex_);
    problem_ += (problem_.empty() ? "" : "; ") + why;
  }

private:
  mutable std::mutex mutex_;
  std::string problem_;
};

struct supervision_limits {
  int max_restarts = 5;
  std::chrono::seconds window{60};
};

/// Spawns every child (their handles published through on_spawned before this returns), then the supervisor
/// watching them.
caf::actor spawn_supervisor(caf::actor_system& sys, std::vector<supervised_child> children,
                            std::shared_ptr<supervision_health> health, actors::kube_ports kube,
                            supervision_limits limits = {});

} // namespace kactor::runtime
