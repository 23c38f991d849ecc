// The actors' own metrics, in controller-runtime's names so existing dashboards work: reconcile passes by
// controller and result, reconcile errors, pass duration histogram, and work-queue equivalents for the
// actors' queued passes (depth, adds, time queued); plus kactor's: brokers by state, rolls in progress,
// restarts granted, alerts acted on, Cruise Control task transitions by state. The actors record; runtime/ serves prometheus_text() on /metrics.
//
// controller is "kafkacluster" (cluster actors) or "broker" (broker actors). A pass's result is "success"
// when it found nothing to write, "requeue" when it started writes (the next pass confirms them), and a
// failed write counts as an "error" result and in reconcile_errors_total.
//
// Thread-safe (one mutex; recording is a few map updates); no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace kactor::actors {

class actor_metrics {
public:
  void reconciled(const std::string& controller, const std::string& result, double seconds);
  void reconcile_error(const std::string& controller);
  void queued(const std::string& controller);
  void dequeued(const std::string& controller, double waited_seconds);
  void restart_granted();
  void alert_acted_on();
  /// A firing alert forgotten because the receiver tracks at most so many (the oldest goes).
  void alert_dropped();
  /// A Cruise Control operation's task reached `state` (Active, InExecution, Completed, ...).
  void cc_operation(const std::string& state);
  /// One cluster's brokers by state ("ready", "restarting", "not_ready", "removing") and whether it rolls.
  void cluster_standing(const std::string& cluster, std::map<std::string, int> brokers_by_state, bool rolling);
  void cluster_gone(const std::string& cluster);

  /// Prometheus text exposition format (version 0.0.4).
  std::string prometheus_text() const;

private:
  struct histogram {
    std::vector<uint64_t> counts; ///< per bucket of bounds(), cumulative when rendered
    uint64_t count = 0;
    double sum = 0;
    void observe(double v);
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, uint64_t> reconcile_total_; ///< (controller, result)
  std::map<std::string, uint64_t> errors_total_;
  std::map<std::string, histogram> reconcile_time_;
  std::map<std::string, int64_t> depth_;
  std::map<std::string, uint64_t> adds_;
  std::map<std::string, histogram> queue_duration_;
  uint64_t restarts_granted_ = 0;
  uint64_t alerts_acted_on_ = 0;
  uint64_t alerts_dropped_ = 0;
  std::map<std::string, uint64_t> cc_operations_; ///< task state → transitions
  std::map<std::string, std::map<std::string, int>> brokers_; ///< cluster → state → count
  std::map<std::string, bool> rolling_;
};

} // namespace kactor::actors
