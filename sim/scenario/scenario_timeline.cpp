// scenario_run's timeline (scenario_run.hpp): one scenario step carried out against the world on scaled
// time — spec edits, alerts, waits, convergence and faults — with the restarts it allows.
#include "sim/scenario/scenario_run.hpp"

#include "integrations/alertmanager/alert_payload.hpp"
#include "sim/scenario/scenario_edit.hpp"

namespace kactor::sim::detail {

using namespace std::chrono_literals;

std::string default_name(const scenario_step& st) {
  auto b = st.brokers.empty() ? std::string("?") : std::to_string(st.brokers.front());
  switch (st.kind) {
  case step_kind::patch:
    return "patch the spec";
  case step_kind::add_brokers: {
    std::string ids;
    for (auto id : st.brokers)
      ids += (ids.empty() ? "" : ",") + std::to_string(id);
    return "add brokers " + ids;
  }
  case step_kind::remove_broker:
    return "remove broker " + b;
  case step_kind::add_disk:
    return "add disk " + st.mount_path + " to broker " + b;
  case step_kind::remove_disk:
    return "remove disk " + st.mount_path + " of broker " + b;
  case step_kind::read_only_config:
    return "rolling config change";
  case step_kind::broker_config:
    return "config of broker " + b;
  case step_kind::alert:
    return "alert " + st.alert.value("labels", json::object()).value("alertname", std::string("?"));
  case step_kind::wait:
    return "wait " + std::to_string(st.duration.count() / 1000) + " s";
  case step_kind::wait_converged:
    return "wait for convergence";
  case step_kind::fault:
    return std::string("fault ") + to_string(st.fault.kind);
  }
  return "step";
}

std::string scenario_run::run_step(const scenario_step& st, size_t) {
  std::string why;
  {
    auto scope = restart_scope_of(st);
    std::lock_guard lock(mutex_);
    allowed_restarts_.insert(scope.brokers.begin(), scope.brokers.end());
    any_restart_allowed_ |= scope.all;
  }
  switch (st.kind) {
  case step_kind::patch:
  case step_kind::add_brokers:
  case step_kind::remove_broker:
  case step_kind::add_disk:
  case step_kind::remove_disk:
  case step_kind::read_only_config:
  case step_kind::broker_config:
    return change_spec([&](json& spec) { return apply_step_to_spec(st, spec); }, why) ? std::string{} : why;
  case step_kind::alert: {
    auto before = cr()["metadata"].value("generation", int64_t{0});
    auto alert = st.alert;
    alert["startsAt"] = "2026-01-01T00:00:00Z"; // one occurrence, repeated as Alertmanager repeats it
    auto parsed = integrations::alertmanager::parse_alerts(json::array({alert}).dump(), "2026-01-01T00:00:00Z");
    if (!parsed.is_ok())
      return "bad alert: " + parsed.error().message();
    for (int32_t i = 0; i < st.repeats; ++i) {
      {
        std::lock_guard lock(op_mutex_);
        if (op_)
          op_->deliver_alerts(parsed.value());
      }
      sleep_sim(10s);
    }
    auto deadline = steady::now() + clock_.wall(s_.converge_within);
    int64_t after = before;
    while (steady::now() < deadline && after == before) {
      after = cr()["metadata"].value("generation", int64_t{0});
      std::this_thread::sleep_for(5ms);
    }
    sleep_sim(30s); // any second action would show by now
    auto c = cr();
    after = c["metadata"].value("generation", int64_t{0});
    refresh_spec(c);
    if (after - before != 1) {
      std::lock_guard lock(mutex_);
      violation("alert-once",
                "alert " + st.alert.value("labels", json::object()).value("alertname", std::string("?")) + " delivered "
                    + std::to_string(st.repeats) + " times changed the spec " + std::to_string(after - before)
                    + " times (expected once)",
                -1);
      return "the alert was acted on " + std::to_string(after - before) + " times";
    }
    return "";
  }
  case step_kind::wait:
    sleep_sim(st.duration);
    return "";
  case step_kind::wait_converged: {
    if (!wait_converged(st.duration, why)) {
      std::lock_guard lock(mutex_);
      violation("convergence",
                "not converged within " + std::to_string(st.duration.count() / 1000) + " s (simulated): " + why, -1);
      return "not converged within " + std::to_string(st.duration.count() / 1000) + " s: " + why;
    }
    std::lock_guard lock(mutex_);
    allowed_restarts_.clear();
    any_restart_allowed_ = false;
    return "";
  }
  case step_kind::fault:
    inject(st.fault);
    return "";
  }
  return "";
}

} // namespace kactor::sim::detail
