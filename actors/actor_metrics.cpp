#include "actors/actor_metrics.hpp"

#include <cstdio>

namespace kactor::actors {

namespace {

const std::vector<double>& bounds() {
  static const std::vector<double> b{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  return b;
}

std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

} // namespace

void actor_metrics::histogram::observe(double v) {
  if (counts.empty())
    counts.assign(bounds().size(), 0);
  for (size_t i = 0; i < bounds().size(); ++i)
    if (v <= bounds()[i]) {
      ++counts[i];
      break;
    }
  ++count;
  sum += v;
}

void actor_metrics::reconciled(const std::string& controller, const std::string& result, double seconds) {
  std::lock_guard lock(mutex_);
  ++reconcile_total_[{controller, result}];
  reconcile_time_[controller].observe(seconds);
}

void actor_metrics::reconcile_error(const std::string& controller) {
  std::lock_guard lock(mutex_);
  ++reconcile_total_[{controller, "error"}];
  ++errors_total_[controller];
}

void actor_metrics::queued(const std::string& controller) {
  std::lock_guard lock(mutex_);
  ++depth_[controller];
  ++adds_[controller];
}

void actor_metrics::dequeued(const std::string& controller, double waited_seconds) {
  std::lock_guard lock(mutex_);
  --depth_[controller];
  queue_duration_[controller].observe(waited_seconds);
}

void actor_metrics::restart_granted() {
  std::lock_guard lock(mutex_);
  ++restarts_granted_;
}

void actor_metrics::cc_operation(const std::string& state) {
  std::lock_guard lock(mutex_);
  ++cc_operations_[state];
}

void actor_metrics::alert_acted_on() {
  std::lock_guard lock(mutex_);
  ++alerts_acted_on_;
}

void actor_metrics::alert_dropped() {
  std::lock_guard lock(mutex_);
  ++alerts_dropped_;
}

void actor_metrics::cluster_standing(const std::string& cluster, std::map<std::string, int> by_state, bool rolling) {
  std::lock_guard lock(mutex_);
  brokers_[cluster] = std::move(by_state);
  rolling_[cluster] = rolling;
}

void actor_metrics::cluster_gone(const std::string& cluster) {
  std::lock_guard lock(mutex_);
  brokers_.erase(cluster);
  rolling_.erase(cluster);
}

std::string actor_metrics::prometheus_text() const {
  std::lock_guard lock(mutex_);
  std::string out;
  auto header = [&](const char* name, const char* type, const char* help) {
    out += std::string{"# HELP "} + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  };
  auto render_histogram = [&](const char* name, const char* label, const std::string& value, const histogram& h) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < bounds().size(); ++i) {
      cumulative += h.counts.empty() ? 0 : h.counts[i];
      out += std::string{name} + "_bucket{" + label + "=\"" + value + "\",le=\"" + number(bounds()[i]) + "\"} "
             + std::to_string(cumulative) + "\n";
    }
    out += std::string{name} + "_bucket{" + label + "=\"" + value + "\",le=\"+Inf\"} " + std::to_string(h.count) + "\n";
    out += std::string{name} + "_sum{" + label + "=\"" + value + "\"} " + number(h.sum) + "\n";
    out += std::string{name} + "_count{" + label + "=\"" + value + "\"} " + std::to_string(h.count) + "\n";
  };
  header("controller_runtime_reconcile_total", "counter", "Total number of reconciliations per controller");
  for (const auto& [key, n] : reconcile_total_)
    out += "controller_runtime_reconcile_total{controller=\"" + key.first + "\",result=\"" + key.second + "\"} "
           + std::to_string(n) + "\n";
  header("controller_runtime_reconcile_errors_total", "counter", "Total number of reconciliation errors per controller");
  for (const auto& [c, n] : errors_total_)
    out += "controller_runtime_reconcile_errors_total{controller=\"" + c + "\"} " + std::to_string(n) + "\n";
  header("controller_runtime_reconcile_time_seconds", "histogram", "Length of time per reconciliation per controller");
  for (const auto& [c, h] : reconcile_time_)
    render_histogram("controller_runtime_reconcile_time_seconds", "controller", c, h);
  header("workqueue_depth", "gauge", "Current depth of workqueue (actors with a pass queued)");
  for (const auto& [c, n] : depth_)
    out += "workqueue_depth{name=\"" + c + "\"} " + std::to_string(n) + "\n";
  header("workqueue_adds_total", "counter", "Total number of adds handled by workqueue (passes queued)");
  for (const auto& [c, n] : adds_)
    out += "workqueue_adds_total{name=\"" + c + "\"} " + std::to_string(n) + "\n";
  header("workqueue_queue_duration_seconds", "histogram", "How long a pass stays queued before it runs");
  for (const auto& [c, h] : queue_duration_)
    render_histogram("workqueue_queue_duration_seconds", "name", c, h);
  header("kactor_brokers", "gauge", "Brokers by state, per KafkaCluster");
  for (const auto& [cluster, states] : brokers_) {
    auto slash = cluster.find('/');
    for (const auto& [state, n] : states)
      out += "kactor_brokers{namespace=\"" + cluster.substr(0, slash) + "\",kafka_cr=\"" + cluster.substr(slash + 1)
             + "\",state=\"" + state + "\"} " + std::to_string(n) + "\n";
  }
  header("kactor_rolls_in_progress", "gauge", "KafkaClusters with a rolling restart in progress");
  int rolling = 0;
  for (const auto& [c, r] : rolling_)
    rolling += r;
  out += "kactor_rolls_in_progress " + std::to_string(rolling) + "\n";
  header("kactor_broker_restarts_granted_total", "counter", "Restart permits granted to brokers");
  out += "kactor_broker_restarts_granted_total " + std::to_string(restarts_granted_) + "\n";
  header("kactor_alerts_acted_on_total", "counter", "Alert occurrences turned into KafkaCluster edits");
  out += "kactor_alerts_acted_on_total " + std::to_string(alerts_acted_on_) + "\n";
  header("kactor_alerts_dropped_total", "counter", "Firing alerts forgotten, oldest first, above the tracked cap");
  out += "kactor_alerts_dropped_total " + std::to_string(alerts_dropped_) + "\n";
  header("kactor_cruise_control_operations_total", "counter", "Cruise Control operation tasks reaching a state");
  for (const auto& [state, n] : cc_operations_)
    out += "kactor_cruise_control_operations_total{state=\"" + state + "\"} " + std::to_string(n) + "\n";
  return out;
}

} // namespace kactor::actors
