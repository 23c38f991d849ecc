// Objects an actor created that its watch cache has not shown yet — controller-runtime's "expectations".
// Between a create's answer and the watch event that brings the object into the cache, a pass would see
// the object missing and create it again (409 AlreadyExists: 1,800 of 5,450 requests at 20 × 30 brokers).
// An expectation ends when the cache shows the object, when the create failed, or at its deadline (a
// watch that never shows it — created and deleted while the cache relisted — must not block a re-create).
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "actors/kube_access.hpp"
#include "messages/messages.hpp"

namespace kactor::actors {

class create_expectations {
public:
  using time_point = std::chrono::steady_clock::time_point;

  /// `key` ("resource/name") was just asked to be created; trust that until `deadline`.
  void expect(const std::string& key, time_point deadline) { expected_[key] = deadline; }
  /// The answer to a write: a failed create is not coming (the next pass creates it again); AlreadyExists
  /// means it is there and the cache is behind (wait for the watch again). Other writes change nothing.
  void answered(const messages::write_completed& wc, time_point deadline) {
    if (wc.what.rfind("create ", 0) != 0)
      return;
    auto key = wc.what.substr(7);
    if (wc.conflict)
      expect(key, deadline);
    else if (!wc.ok)
      expected_.erase(key);
  }
  /// Drops every expectation met (the cache of its resource in `ns` holds it) or past its deadline.
  void settle(time_point now, const kube_access& kube, const std::string& ns) {
    for (auto it = expected_.begin(); it != expected_.end();) {
      auto slash = it->first.find('/');
      auto* cache = kube.cache_for(it->first.substr(0, slash));
      bool met = !cache || cache->contains(ns, it->first.substr(slash + 1));
      it = now >= it->second || met ? expected_.erase(it) : std::next(it);
    }
  }
  /// Still on its way: do not create it again.
  bool expected(const std::string& key) const { return expected_.count(key) > 0; }

private:
  std::map<std::string, time_point> expected_;
};

} // namespace kactor::actors
