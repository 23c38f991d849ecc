#include "actors/cluster/roll_permits.hpp"
#include "model/json_read.hpp"

#include <algorithm>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/clock.hpp"
#include "model/defaults.hpp"
#include "model/diff/roll_plan.hpp"
#include "model/time.hpp"

namespace kactor::actors {

using nlohmann::json;
using namespace messages;

namespace {

/// Asks Kafka for its partitions when a restart decision needs a fresh answer, and keeps polling while a
/// roll runs (ISR changes are not Kubernetes events).
void describe_kafka(cluster_self self, bool needed) {
  auto& st = self->state;
  auto& roll = st.roll;
  if (!st.admin || !needed)
    return;
  bool stale = !roll.kafka || roll.kafka->seq != roll.change_seq;
  if (!roll.describe_in_flight && (stale || steady_now() - roll.last_describe >= st.kube->settings.kafka_poll)) {
    roll.describe_in_flight = true;
    roll.last_describe = steady_now();
    cluster_actor handle = self;
    start_kafka_describe(st.admin, roll.change_seq, [handle](kafka_described d) { caf::anon_send(handle, std::move(d)); });
  }
  if (!roll.poll_scheduled) {
    roll.poll_scheduled = true;
    self->delayed_send(self, st.kube->settings.kafka_poll, kafka_poll_atom::value);
  }
}

/// Ends the wait on restarted brokers that are back (Ready, in their ISRs) and stops the roll on one that
/// is not back in time.
void check_restarts(cluster_self self, const std::vector<int32_t>& lagging, bool fresh, const json& cr) {
  auto& st = self->state;
  auto& roll = st.roll;
  auto now = steady_now();
  for (auto it = roll.restart_started.begin(); it != roll.restart_started.end();) {
    auto id = it->first;
    auto rep = st.reports.find(id);
    const auto r = rep == st.reports.end() ? model::broker_report{} : rep->second;
    bool back = r.pod_ready && !r.restarting && !roll.permits.count(id) && fresh
                && std::find(lagging.begin(), lagging.end(), id) == lagging.end();
    if (back) {
      if (roll.stopped_on == id) {
        roll.stopped_on.reset();
        if (st.kube->events)
          st.kube->events->normal(reference(cr), "RollResumed", "broker " + std::to_string(id) + " is back; the roll goes on");
      }
      it = roll.restart_started.erase(it);
      continue;
    }
    if (!roll.stopped_on && now - it->second >= st.kube->settings.roll_timeout) {
      roll.stopped_on = id;
      roll.stop_message = "broker " + std::to_string(id) + " did not become Ready and rejoin its partitions' ISRs within "
                          + model::seconds_text(st.kube->settings.roll_timeout) + "; the roll is stopped";
      spdlog::warn("cluster {}/{}: {}", st.ns, st.name_, roll.stop_message);
      if (st.kube->events)
        st.kube->events->warning(reference(cr), "RollStopped", roll.stop_message);
    }
    ++it;
  }
}

/// What the roll plan decides from: every broker's standing, Kafka's partitions when fresh.
model::roll_inputs roll_inputs_of(const cluster_state& st, const model::kafka_cluster& c, const json& cr) {
  const auto& roll = st.roll;
  model::roll_inputs in;
  auto placements = model::roll_placements(c);
  std::set<int32_t> ids;
  for (const auto& [id, r] : st.reports)
    ids.insert(id);
  for (const auto& [id, t] : roll.waiting)
    ids.insert(id);
  // A spec broker that has not reported yet (its actor just started) counts as not Ready: no restart is
  // granted on the guess that it is fine.
  for (const auto& [id, place] : placements)
    ids.insert(id);
  for (auto id : ids) {
    auto rep = st.reports.find(id);
    const auto r = rep == st.reports.end() ? model::broker_report{id} : rep->second;
    auto place = placements[id];
    if (!r.rack.empty()) // a rack read off the node is known to the broker only
      place.rack = r.rack;
    in.brokers.push_back({id, place.rack, place.controller, roll.waiting.count(id) > 0, r.pod_ready, r.restarting,
                          roll.permits.count(id) > 0, r.removed_from_spec});
  }
  // Without an admin only the pod-level gates apply; with one, only an answer newer than every change counts.
  bool fresh = !st.admin || (roll.kafka && roll.kafka->seq == roll.change_seq && roll.kafka->ok);
  if (!st.admin)
    in.partitions = std::vector<model::roll_partition>{};
  else if (fresh)
    in.partitions = roll.kafka->partitions;
  else if (roll.kafka && !roll.kafka->ok)
    in.kafka_error = roll.kafka->error;
  in.active_controller = roll.kafka ? roll.kafka->controller : -1;
  in.kraft = c.spec.k_raft;
  in.concurrent_per_rack = c.spec.rolling_upgrade.concurrent_broker_restart_count_per_rack.value_or(1);
  in.failure_threshold = c.spec.rolling_upgrade.failure_threshold.value_or(model::default_failure_threshold);
  in.alert_count = model::int_or(cr, "/status/rollingUpgradeStatus/errorCount"_json_pointer, 0); // written by others
  in.unsafe_two_at_once = st.kube->settings.flaw == model::operator_flaw::roll_two_at_once; // test-only
  return in;
}

} // namespace

void grant_permits(cluster_self self, const model::kafka_cluster& c, const json& cr) {
  auto& st = self->state;
  auto& roll = st.roll;
  auto in = roll_inputs_of(st, c, cr);
  auto lagging = in.partitions ? model::catching_up(*in.partitions) : std::vector<int32_t>{};
  check_restarts(self, lagging, in.partitions.has_value(), cr);
  in.stopped = roll.stopped_on.has_value();
  auto decision = model::plan_roll(in);
  for (auto id : decision.grant) {
    auto permit = roll.next_permit++;
    roll.permits[id] = permit;
    roll.waiting.erase(id);
    roll.restart_started[id] = steady_now();
    self->delayed_send(self, st.kube->settings.roll_timeout + std::chrono::milliseconds{1}, pass_atom::value);
    ++roll.change_seq;
    spdlog::info("cluster {}/{}: broker {} may restart (permit {})", st.ns, st.name_, id, permit);
    st.kube->metrics->restart_granted();
    self->send(st.supervision.brokers()[id], restart_permit_granted{id, permit});
  }
  for (const auto& [id, why] : decision.waiting)
    if (roll.roll_waiting[id] != why)
      spdlog::info("cluster {}/{}: broker {} waits to restart: {}", st.ns, st.name_, id, why);
  roll.roll_waiting = decision.waiting;
  describe_kafka(self, !roll.waiting.empty() || !roll.permits.empty() || !roll.restart_started.empty()
                           || st.graceful.needs_kafka);
}

void on_permit_returned(cluster_self self, const restart_permit_returned& p) {
  auto& roll = self->state.roll;
  if (auto it = roll.permits.find(p.id); it != roll.permits.end() && it->second == p.permit) {
    roll.permits.erase(it);
    ++roll.change_seq;
  }
  queue_pass(self);
}

void on_kafka_described(cluster_self self, kafka_described& d) {
  auto& st = self->state;
  st.roll.describe_in_flight = false;
  if (!d.ok && d.error != (st.roll.kafka ? st.roll.kafka->error : ""))
    spdlog::warn("cluster {}/{}: Kafka could not be described: {}", st.ns, st.name_, d.error);
  st.roll.kafka = std::move(d);
  queue_pass(self);
}

void on_kafka_poll(cluster_self self) {
  self->state.roll.poll_scheduled = false;
  queue_pass(self);
}

} // namespace kactor::actors
