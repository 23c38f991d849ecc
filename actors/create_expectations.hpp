// Objects an actor created that its watch cache has not shown yet — controller-runtime's "expectations".
// Between a create's answer and the watch event that brings the object into the cache, a pass would see
// the object missing and create it again (409 AlreadyExists: 1,800 of 5,450 requests at 20 × 30 brokers).
// An expectation ends when the cache shows the object, when the create failed, or at its deadline (a
// watch that never shows it — created and deleted while the cache relisted — must not block a re-create).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>

namespace kactor::actors {

class create_expectations {
public:
  using time_point = std::chrono::steady_clock::time_point;

  /// `key` ("resource/name") was just asked to be created; trust that until `deadline`.
  void expect(const std::string& key, time_point deadline) { expected_[key] = deadline; }
  /// The create failed: the object is not coming.
  void forget(const std::string& key) { expected_.erase(key); }
  /// Drops every expectation met (`in_cache(key)`) or past its deadline.
  void settle(time_point now, const std::function<bool(const std::string& key)>& in_cache) {
    for (auto it = expected_.begin(); it != expected_.end();)
      it = now >= it->second || in_cache(it->first) ? expected_.erase(it) : std::next(it);
  }
  /// Still on its way: do not create it again.
  bool expected(const std::string& key) const { return expected_.count(key) > 0; }

private:
  std::map<std::string, time_point> expected_;
};

} // namespace kactor::actors
