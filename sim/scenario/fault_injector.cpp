// scenario_run's faults (scenario_run.hpp): each fault of the seeded schedule injected at its simulated
// time on the fault thread, lasting faults ended when their duration is over.
#include "sim/scenario/scenario_run.hpp"

#include <limits>
#include <optional>

namespace kactor::sim::detail {

using namespace std::chrono_literals;

void scenario_run::set_api_rules() {
  std::vector<sim::api_fault_rule> rules;
  for (const auto& f : lasting_) {
    sim::api_fault_rule r;
    r.user_agent = "kactor";
    if (f.spec.kind == fault_kind::api_errors) {
      r.rate = f.spec.rate;
      r.code = 500;
    } else if (f.spec.kind == fault_kind::operator_cut_off) {
      r.rate = 1.0;
      r.code = 503;
    } else
      continue;
    rules.push_back(r);
  }
  plane_->api().set_api_faults(rules);
}

void scenario_run::inject(const fault_spec& f) {
  auto now = clock_.now_ms();
  run_record::fault rf;
  rf.kind = to_string(f.kind);
  rf.start_ms = rf.end_ms = now;
  rf.broker = f.broker;
  active_fault af{f, now + f.duration.count(), 0, {}, {}, {}};
  auto pod_name = [&](int32_t b) -> std::optional<json> {
    for (const auto& p : pods_->list())
      if (broker_of(p) == b)
        return p;
    return std::nullopt;
  };
  std::string skipped;
  switch (f.kind) {
  case fault_kind::pod_kill:
  case fault_kind::container_kill: {
    rf.target = "broker " + std::to_string(f.broker);
    auto pod = pod_name(f.broker);
    if (!pod) {
      skipped = "no pod";
      break;
    }
    {
      std::lock_guard lock(mutex_);
      checker_.fault_hit(f.broker, false, now);
    }
    auto name = (*pod)["metadata"].value("name", "");
    if (f.kind == fault_kind::pod_kill)
      client_->remove_sync(k8s::resources::pods(), ns_, name);
    else
      plane_->kubelet().kill_container(ns_, name);
    break;
  }
  case fault_kind::node_down: {
    auto node = f.node;
    if (node.empty()) {
      auto pod = pod_name(f.broker);
      node = pod ? (*pod)["spec"].value("nodeName", "") : "";
    }
    rf.target = node.empty() ? "broker " + std::to_string(f.broker) : node;
    if (node.empty()) {
      skipped = "no node";
      break;
    }
    af.node = node;
    rf.broker = -1;
    auto pods = pods_->list(); // never call into the caches or the plane holding mutex_: their threads take it
    {
      std::lock_guard lock(mutex_);
      for (const auto& p : pods)
        if (p["spec"].value("nodeName", "") == node && broker_of(p) >= 0) {
          checker_.fault_hit(broker_of(p), true, now);
          af.hit.push_back(broker_of(p));
        }
    }
    if (af.hit.size() == 1)
      rf.broker = af.hit.front();
    rf.target = node + (af.hit.empty() ? "" : " (brokers " + ids_text({af.hit.begin(), af.hit.end()}) + ")");
    plane_->kubelet().set_node_ready(node, false);
    break;
  }
  case fault_kind::disk_failure: {
    rf.target = "broker " + std::to_string(f.broker);
    for (const auto& p : pvcs_->list())
      if (broker_of(p) == f.broker) {
        af.pvc = p["metadata"].value("name", "");
        break;
      }
    if (af.pvc.empty()) {
      skipped = "no PVC";
      break;
    }
    rf.target += " (" + af.pvc + ")";
    {
      std::lock_guard lock(mutex_);
      checker_.fault_hit(f.broker, true, now);
    }
    af.hit.push_back(f.broker);
    plane_->kubelet().set_disk_failed(ns_, af.pvc, true);
    break;
  }
  case fault_kind::api_errors:
  case fault_kind::operator_cut_off:
    rf.target = "operator's API requests";
    break;
  case fault_kind::watch_drop:
    rf.target = "every watch";
    plane_->api().drop_watches();
    break;
  case fault_kind::cc_down:
  case fault_kind::cc_restart:
  case fault_kind::cc_task_failure: {
    rf.target = "cruise control";
    if (f.kind == fault_kind::cc_down)
      plane_->cruise_control().set_down(ns_, cluster_, true);
    else if (f.kind == fault_kind::cc_restart)
      plane_->cruise_control().restart(ns_, cluster_);
    else
      plane_->cruise_control().fail_next_tasks(ns_, cluster_, f.count);
    break;
  }
  case fault_kind::operator_crash:
    rf.target = "operator";
    stop_operator();
    break;
  }
  if (rf.broker >= 0 && f.kind != fault_kind::node_down && !skipped.empty())
    rf.broker = -1;
  if (!skipped.empty())
    rf.target += " (skipped: " + skipped + ")";
  bool lasting = skipped.empty() && f.duration.count() > 0
                 && (f.kind == fault_kind::node_down || f.kind == fault_kind::disk_failure
                     || f.kind == fault_kind::api_errors || f.kind == fault_kind::operator_cut_off
                     || f.kind == fault_kind::cc_down || f.kind == fault_kind::operator_crash);
  {
    std::lock_guard lock(mutex_);
    af.record = rec_.faults.size();
    rec_.faults.push_back(rf);
    if (lasting) {
      lasting_.push_back(af);
      active_faults_.insert(rf.kind);
    }
  }
  if (lasting && (f.kind == fault_kind::api_errors || f.kind == fault_kind::operator_cut_off))
    set_api_rules();
  progress_.event("  " + sim_time(now) + "  fault  " + rf.kind + " " + rf.target
                  + (lasting ? " for " + std::to_string(f.duration.count() / 1000) + " s" : ""));
}

void scenario_run::end_fault(size_t index) {
  active_fault af;
  {
    std::lock_guard lock(mutex_);
    af = lasting_[index];
    lasting_.erase(lasting_.begin() + long(index));
    rec_.faults[af.record].end_ms = clock_.now_ms();
    active_faults_.clear();
    for (const auto& f : lasting_)
      active_faults_.insert(to_string(f.spec.kind));
  }
  switch (af.spec.kind) {
  case fault_kind::node_down:
    plane_->kubelet().set_node_ready(af.node, true);
    break;
  case fault_kind::disk_failure:
    plane_->kubelet().set_disk_failed(ns_, af.pvc, false);
    break;
  case fault_kind::api_errors:
  case fault_kind::operator_cut_off:
    set_api_rules();
    break;
  case fault_kind::cc_down:
    plane_->cruise_control().set_down(ns_, cluster_, false);
    break;
  case fault_kind::operator_crash:
    start_operator();
    break;
  default:
    break;
  }
  {
    std::lock_guard lock(mutex_);
    for (auto b : af.hit)
      checker_.fault_over(b);
  }
  progress_.event("  " + sim_time(clock_.now_ms()) + "  over   " + std::string(to_string(af.spec.kind)));
}

void scenario_run::fault_loop() {
  size_t next = 0;
  while (!stopping_) {
    int64_t wake = std::numeric_limits<int64_t>::max();
    if (next < schedule_.size())
      wake = schedule_[next].at.count();
    std::optional<size_t> ending;
    {
      std::lock_guard lock(mutex_);
      for (size_t i = 0; i < lasting_.size(); ++i)
        if (lasting_[i].end_ms < wake) {
          wake = lasting_[i].end_ms;
          ending = i;
        }
    }
    if (wake == std::numeric_limits<int64_t>::max()) {
      std::unique_lock lock(wake_mutex_);
      wake_.wait_for(lock, 20ms);
      continue;
    }
    if (clock_.now_ms() < wake) {
      std::unique_lock lock(wake_mutex_);
      wake_.wait_until(lock, std::min(clock_.wall_at(wake), steady::now() + 20ms));
      continue;
    }
    if (ending)
      end_fault(*ending);
    else
      inject(schedule_[next++]);
  }
}

} // namespace kactor::sim::detail
