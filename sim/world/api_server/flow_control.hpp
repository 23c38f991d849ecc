// The simulated API server's load model ("realistic" mode): how long kube-apiserver takes to answer, and
// API Priority and Fairness (APF) — the concurrency limit, the queues and the 429s a client meets when it
// sends more than its share. Off by default (the simulator answers in microseconds and never pushes back);
// `kactor sim --serve --api-latency realistic` and the operator benchmark turn it on.
//
// What it mirrors (kube-apiserver with APF, on by default since 1.20, GA in 1.29; facts in
// docs/real-systems.md):
// - The server's concurrency limit is --max-requests-inflight (400) + --max-mutating-requests-inflight
//   (200): with APF the two flags are summed and no longer told apart. Each priority level gets
//   ceil(limit × its shares / all shares) seats. Every request here is in one level, workload-low (where
//   requests of ServiceAccounts, i.e. controllers in pods, land): 100 of the 245 shares of the default
//   levels → 245 seats.
// - A request takes 1 seat; a list takes ceil(objects it reads / 100) seats, 1 to 10 (APF's list work
//   estimator). Watches are not held (APF holds a watch's seat only while it initialises).
// - A request that finds no free seat waits in its flow's queue (flows by user; here by User-Agent
//   product). A flow holds at most hand_size × queue_length_limit (6 × 50) waiting requests; beyond that,
//   and after queue_wait_limit in the queue, it is refused: 429, Retry-After: 1 ("queue-full", "time-out").
//   Free seats go to the waiting flows in turn (fair queuing, without shuffle sharding: one level).
// - Latency is drawn per request from a log-normal distribution with the verb's median and a p99 of
//   `tail` × the median: get 5 ms, writes 20 ms (etcd's commit), list 5 ms + 0.1 ms per object read. The
//   seats are held for the whole latency.
// Thread-safe. The caller runs what admit() and release() hand back (outside any lock of its own).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kactor::sim {

struct flow_control_options {
  bool enabled = false;
  // Latency medians and the tail (p99 / median) of every draw.
  std::chrono::microseconds get_median{5000};
  std::chrono::microseconds list_median{5000};
  std::chrono::microseconds list_per_object{100};
  std::chrono::microseconds write_median{20000};
  double tail = 5;
  // APF.
  int max_requests_inflight = 400;
  int max_mutating_requests_inflight = 200;
  int level_shares = 100; ///< workload-low's nominal concurrency shares
  int all_shares = 245;   ///< the default levels' shares together (exempt not counted)
  int hand_size = 6;
  int queue_length_limit = 50;
  std::chrono::milliseconds queue_wait_limit{15000};

  /// The server's seats for the one level: ceil((max + mutating max) × level / all), at least 1.
  int seats() const;
};

/// One request's cost: the seats it holds and for how long.
struct request_cost {
  int seats = 1;
  std::chrono::microseconds latency{0};
};

/// Per flow: what the server saw of one client.
struct flow_stats {
  uint64_t requests = 0;        ///< admitted or refused
  uint64_t queued = 0;          ///< had to wait for a seat
  uint64_t rejected_queue_full = 0;
  uint64_t rejected_time_out = 0;
  double queue_wait_ms_total = 0;
  double queue_wait_ms_max = 0;
  int in_server = 0;      ///< executing + waiting now
  int in_server_peak = 0; ///< the most this client had at the server at once: its in-flight bound at work
};

class flow_control {
public:
  using clock = std::chrono::steady_clock;
  /// Starts a request (true) or answers it 429 because it waited too long (false, from expire()).
  using start_fn = std::function<void(bool started)>;

  explicit flow_control(flow_control_options opts, uint64_t seed = 1);

  const flow_control_options& options() const { return opts_; }
  bool enabled() const { return opts_.enabled; }

  /// What `verb` costs: seats and a latency draw; `objects` is how many objects a list reads.
  request_cost cost(const std::string& verb, size_t objects);

  enum class verdict { started, queued, rejected };
  /// Admits a request of `flow` costing `seats`: `start` is handed back in `run` (started: the caller calls
  /// it with true after admit returns), later by release() (queued) or expire(), or never (rejected: answer
  /// 429). `run` may also get other flows' queued requests. Every started request must be release()d
  /// with its seats once answered.
  verdict admit(const std::string& flow, int seats, start_fn start, std::vector<start_fn>& run, clock::time_point now);
  /// A request of `flow` holding `seats` was answered: returns the queued requests that start now (call
  /// each with true).
  std::vector<start_fn> release(const std::string& flow, int seats, clock::time_point now);
  /// Queued requests that waited longer than queue_wait_limit: removed and returned (call each with false:
  /// it answers 429).
  std::vector<start_fn> expire(clock::time_point now);
  /// The earliest time expire() has work, or clock::time_point::max().
  clock::time_point next_expiry() const;

  /// {"enabled", "seats", "executing", "executingPeak", "flows": {flow: {...}}} for /sim/stats.
  nlohmann::json stats() const;
  flow_stats stats_of(const std::string& flow) const;

private:
  struct waiting {
    int seats;
    clock::time_point since;
    start_fn start;
  };
  struct flow {
    std::deque<waiting> queue;
    flow_stats stats;
  };
  /// Starts queued requests while seats are free, flows in turn (lock held).
  void dispatch(std::vector<start_fn>& out, clock::time_point now);
  std::chrono::microseconds draw(std::chrono::microseconds median);

  flow_control_options opts_;
  int seats_;
  mutable std::mutex mutex_;
  std::mt19937_64 rng_;
  int executing_ = 0;
  int executing_peak_ = 0;
  std::map<std::string, flow> flows_;
  std::string last_served_; ///< the flow served last: the next dispatch starts after it
};

} // namespace kactor::sim
