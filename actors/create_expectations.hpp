// Objects an actor created that its watch cache has not shown yet — controller-runtime's "expectations".
// Between a create's answer and the watch event that brings the object into the cache, a pass would see
// the object missing and create it again (409 AlreadyExists: 1,800 of 5,450 requests at 20 × 30 brokers).
// An expectation ends when the cache shows the object, when the create failed, or at its deadline (a
// watch that never shows it — created and deleted while the cache relisted — must not block a re-create).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>

#include "actors/kube_access.hpp"
#include "messages/messages.hpp"
#include "model/resource_kind.hpp"

namespace kactor::actors {

class create_expectations {
public:
  using time_point = std::chrono::steady_clock::time_point;
  /// An object of one actor's namespace: its kind and name.
  using key = std::pair<model::resource_kind, std::string>;

  /// `k` was just asked to be created; trust that until `deadline`.
  void expect(const key& k, time_point deadline) { expected_[k] = deadline; }
  /// The answer to a write: a failed create is not coming (the next pass creates it again); AlreadyExists
  /// means it is there and the cache is behind (wait for the watch again). Other writes change nothing.
  void answered(const messages::write_completed& wc, time_point deadline) {
    if (wc.key.verb != messages::write_verb::create)
      return;
    key k{wc.key.kind, wc.key.name};
    if (wc.conflict)
      expect(k, deadline);
    else if (!wc.ok)
      expected_.erase(k);
  }
  /// Drops every expectation met (the cache of its kind in `ns` holds it) or past its deadline.
  void settle(time_point now, const kube_access& kube, const std::string& ns) {
    for (auto it = expected_.begin(); it != expected_.end();) {
      auto* cache = kube.cache_for(it->first.first);
      bool met = !cache || cache->contains(ns, it->first.second);
      it = now >= it->second || met ? expected_.erase(it) : std::next(it);
    }
  }
  /// Still on its way: do not create it again.
  bool expected(const key& k) const { return expected_.count(k) > 0; }

private:
  std::map<key, time_point> expected_;
};

} // namespace kactor::actors
