#include "actors/cluster/status_writer.hpp"
#include "model/json_read.hpp"

#include <algorithm>
#include <utility>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/clock.hpp"
#include "actors/cluster/broker_supervision.hpp"
#include "model/render/cluster_status.hpp"

namespace kactor::actors {

using nlohmann::json;

namespace {

/// Why graceful operations cannot go on, or "".
std::string cruise_control_error(const cluster_state& st, const model::graceful_plan& graceful) {
  if (!graceful.needs_cruise_control)
    return "";
  if (!st.kube->cruise_controls || !st.kube->cc_operations)
    return "no Cruise Control is configured: brokers and disks wait to be added or removed";
  if (!st.graceful.cc)
    return "no Cruise Control client for this cluster";
  if (st.graceful.cc_view && !st.graceful.cc_view->ok)
    return "Cruise Control: " + st.graceful.cc_view->error;
  return "";
}

/// The brokers by standing, for the kactor_brokers metric.
std::map<std::string, int> standing_counts(const cluster_state& st) {
  std::map<std::string, int> by_state;
  for (const auto& [id, r] : st.reports)
    ++by_state[r.removed_from_spec                                  ? "removing"
               : (r.restarting || st.roll.permits.count(id)) ? "restarting"
               : r.pod_ready                                         ? "ready"
                                                                     : "not_ready"];
  return by_state;
}

/// Test-only: proves the checker catches a status that does not match the world (final-status) and writes
/// while idle (idle-writes); model/operator_flaw.hpp.
void apply_test_flaw(model::operator_flaw flaw, json& status, const json& previous) {
  if (flaw == model::operator_flaw::wrong_status_image)
    for (auto& [id, b] : status.value("brokersState", json::object()).items())
      status["brokersState"][id]["image"] = "not-the-pods-image";
  if (flaw == model::operator_flaw::status_write_every_pass) // each write is a change, and queues the next pass
    status["passes"] = previous.is_object() ? previous.value("passes", int64_t{0}) + 1 : int64_t{1};
}

} // namespace

void write_status(cluster_self self, const model::kafka_cluster& c, const json& cr, const model::graceful_plan* graceful) {
  auto& st = self->state;
  model::status_inputs in;
  in.brokers = st.reports;
  in.spec_errors = st.status.spec_errors;
  for (const auto& [id, permit] : st.roll.permits)
    in.restarting.push_back(id);
  in.roll_waiting = st.roll.roll_waiting;
  if (st.roll.stopped_on)
    in.roll_stopped = st.roll.stop_message;
  in.dynamic_config_managed = st.admin != nullptr;
  in.cluster_config_state = st.config.state;
  in.cluster_config_error = st.config.error;
  if (graceful) {
    in.graceful = graceful->states;
    in.cruise_control_involved = graceful->needs_cruise_control;
    in.cruise_control_waiting = graceful->waiting;
    in.cruise_control_error = cruise_control_error(st, *graceful);
  }
  if (graceful && !model::unreported_brokers(c, st.reports).empty()) {
    // Just (re)started: the broker actors have not all reported. Wait for them (each report queues a
    // pass), but not for ever: a broker actor that cannot report is itself worth a status.
    auto waited = steady_now() - st.born;
    if (waited < st.kube->settings.status_report_wait) {
      if (!std::exchange(st.status_hold_timer, true))
        self->delayed_send(self, st.kube->settings.status_report_wait - waited, pass_atom::value);
      return;
    }
  }
  in.now = rfc3339_now();
  st.kube->metrics->cluster_standing(st.ns + "/" + st.name_, standing_counts(st),
                                    !in.restarting.empty() || !in.roll_waiting.empty() || !in.roll_stopped.empty());
  auto status = model::render_cluster_status(c, in, cr.value("status", json{}));
  if (st.kube->settings.flaw != model::operator_flaw::none)
    apply_test_flaw(st.kube->settings.flaw, status, cr.value("status", json{}));
  if (status != cr.value("status", json{}))
    start_status_write(*st.kube, cr, std::move(status), completion(self));
}

void refuse_spec(cluster_self self, const json& cr, model::field_errors errors) {
  auto& st = self->state;
  auto text = model::to_status(errors).message();
  if (text != st.status.reported_errors && st.kube->events) {
    st.kube->events->warning(reference(cr), "InvalidSpec", text);
    spdlog::warn("cluster {}/{}: invalid spec, nothing changed: {}", st.ns, st.name_, text);
  }
  st.status.reported_errors = text;
  st.status.spec_errors = std::move(errors);
}

void accept_spec(cluster_self self) {
  self->state.status.spec_errors.clear();
  self->state.status.reported_errors.clear();
}

bool has_finalizer(const cluster_state& st, const json& cr) {
  const auto& fins = model::array_or_empty(cr, "/metadata/finalizers"_json_pointer);
  return std::find(fins.begin(), fins.end(), st.kube->settings.finalizer) != fins.end();
}

void add_finalizer(cluster_self self, const json& cr) {
  start_finalizer_write(*self->state.kube, cr, self->state.kube->settings.finalizer, true, completion(self));
}

void finalize(cluster_self self, const json& cr) {
  auto& st = self->state;
  stop_brokers(self);
  if (!has_finalizer(st, cr))
    return self->quit();
  if (!st.status.finalizing) {
    st.status.finalizing = true;
    start_finalizer_write(*st.kube, cr, st.kube->settings.finalizer, false, completion(self));
  }
}

} // namespace kactor::actors
