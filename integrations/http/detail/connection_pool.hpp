// The asynchronous client's connection bookkeeping (async_client.cpp, client_impl): kept-alive connections
// waiting for reuse, connections in use (so that stop() can close them), and the admission of requests in
// flight. Beast-free: `Conn` is the client's connection, anything with close().
//
// Everything runs on the client's I/O thread, except the two counters, which any thread may read.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <memory>

namespace kactor::integrations::http::detail {

/// Idle connections kept for reuse, and the connections in use.
template <class Conn>
class connection_pool {
public:
  size_t idle_connections() const { return idle_count_; }
  uint64_t connections_opened() const { return opened_; }
  void count_open() { ++opened_; }

  std::shared_ptr<Conn> take_idle() {
    if (idle_.empty())
      return nullptr;
    auto c = idle_.front();
    idle_.pop_front();
    idle_count_ = idle_.size();
    return c;
  }
  /// Keeps `c` for reuse, or closes it when the client is stopping or enough are kept.
  void give_back(std::shared_ptr<Conn> c, bool stopping) {
    if (stopping || idle_.size() >= 16) {
      c->close();
      return;
    }
    idle_.push_back(std::move(c));
    idle_count_ = idle_.size();
  }

  /// Remembers an in-use connection so that stop() can close it. A kept-alive connection is tracked again
  /// for every request it carries: once in the list, or the list grows by one per request and this scan
  /// with it (quadratic; it was 12 % of the operator's CPU at 3,000 brokers).
  void track(const std::shared_ptr<Conn>& c) {
    active_.remove_if([&](const std::weak_ptr<Conn>& w) {
      auto live = w.lock();
      return !live || live == c;
    });
    active_.push_back(c);
  }

  /// Closes the idle connections and those in use (the client stops).
  void close_all() {
    for (auto& c : idle_)
      c->close();
    idle_.clear();
    idle_count_ = 0;
    for (auto& w : active_)
      if (auto c = w.lock())
        c->close();
  }

private:
  std::deque<std::shared_ptr<Conn>> idle_;
  std::atomic<size_t> idle_count_{0};
  std::atomic<uint64_t> opened_{0};
  std::list<std::weak_ptr<Conn>> active_;
};

/// Requests in flight at once (streams not counted); beyond it they queue here, in order within two lanes:
/// background requests (status writes, Events) start only when no other request waits, so a broker that is
/// down is seen to before its cluster's status is written. A burst of thousands (3,000 brokers created at
/// once) otherwise opened a connection each, and every request scanned them all (track). client-go
/// multiplexes one HTTP/2 connection to the same effect.
class admission_queue {
public:
  explicit admission_queue(size_t max_in_flight = 32) : max_in_flight_(max_in_flight > 0 ? max_in_flight : 1) {}

  /// Runs `start` now if a slot is free, else when one frees.
  void admit(std::function<void()> start, bool background = false);
  /// A request admitted by admit() finished: the next waiting one starts (also when stopping: it answers
  /// "client stopped" at once).
  void release();
  /// The client stops: waiting requests start now (and answer "client stopped"), one after the other, not
  /// through nested releases.
  void start_all_waiting();
  size_t in_flight() const { return in_flight_; }

private:
  size_t max_in_flight_;
  size_t in_flight_ = 0;                         ///< admitted requests
  std::deque<std::function<void()>> waiting_;    ///< requests waiting for admission
  std::deque<std::function<void()>> background_; ///< background requests waiting: after every other
};

} // namespace kactor::integrations::http::detail
