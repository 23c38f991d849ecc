// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it, so that only
// one kactor instance reconciles at a time.
//
// Contract: the elector tries to acquire the lease every retry_period. A lease held by another identity
// is taken only after it has not changed for lease_duration as measured by this process's own clock
// (no trust in other machines' clocks). While leading it renews every retry_period; if no renewal has
// succeeded for renew_deadline (< lease_duration), on_stopped_leading runs at once — before any other
// instance can consider the lease expired — and the elector keeps trying to lead again. stop() stops
// renewing, releases the lease when leading (so a successor needs no wait) and runs on_stopped_leading.
// Callbacks run on the client's I/O thread and must not block. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "integrations/kubernetes/kube_client.hpp"

namespace kactor::integrations::kubernetes {

struct leader_election_options {
  std::string namespace_ = "default";
  std::string name = "kactor-leader";
  std::string identity; ///< unique per process, e.g. pod name + random
  std::chrono::milliseconds lease_duration{15000};
  std::chrono::milliseconds renew_deadline{10000};
  std::chrono::milliseconds retry_period{2000};
  bool release_on_stop = true;
};

class leader_elector : public std::enable_shared_from_this<leader_elector> {
public:
  struct callbacks {
    std::function<void()> on_started_leading;
    std::function<void()> on_stopped_leading;
    std::function<void(const std::string& holder)> on_new_leader; ///< optional
  };

  /// Validates the options (renew_deadline < lease_duration, retry_period < renew_deadline, identity set).
  static model::result<std::shared_ptr<leader_elector>> start(std::shared_ptr<kube_client> client,
                                                              leader_election_options opts, callbacks cbs);
  bool is_leader() const { return leading_; }
  /// The holder last observed (maybe ourselves).
  std::string observed_holder() const;
  /// Stops trying; when the lease names us (and release_on_stop), releases it and blocks until the server
  /// answers (at most 5 s); then runs on_stopped_leading if leading. Idempotent. Not from a callback.
  void stop();

private:
  using time_point = std::chrono::steady_clock::time_point;

  leader_elector(std::shared_ptr<kube_client> client, leader_election_options opts, callbacks cbs);
  void tick();
  void on_get(api_result<nlohmann::json> r);
  void try_write(nlohmann::json lease, bool create);
  void on_written(api_result<nlohmann::json> r, time_point sent_at);
  void finish_request(); ///< no request in flight any more (under mutex_)
  void check_deadline();
  void lose_leadership(); ///< on_stopped_leading when we were leading; not under mutex_
  void report_leader(const std::string& holder);
  void release(time_point deadline);
  nlohmann::json claim(const nlohmann::json& lease, bool new_holder) const;

  std::shared_ptr<kube_client> client_;
  leader_election_options opts_;
  callbacks cbs_;
  mutable std::mutex mutex_;
  std::condition_variable idle_; ///< signalled when busy_ turns false
  std::atomic<bool> leading_{false};
  std::atomic<bool> stopped_{false};
  std::string observed_holder_;
  std::string observed_rv_;
  time_point observed_at_{};    ///< when observed_rv_ was first seen, by our clock
  time_point last_renew_{};     ///< when the last successful write was sent
  nlohmann::json last_lease_;   ///< the Lease as last read or written; null: read it again
  std::string reported_leader_; ///< last holder passed to on_new_leader
  bool busy_ = false;           ///< a GET or write is in flight
};

} // namespace kactor::integrations::kubernetes
