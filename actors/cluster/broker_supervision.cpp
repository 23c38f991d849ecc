#include "actors/cluster/broker_supervision.hpp"

#include <algorithm>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/broker_actor.hpp"
#include "actors/clock.hpp"
#include "actors/retry_policy.hpp"
#include "model/broker_backup.hpp"
#include "model/diff/dynamic_config.hpp"
#include "model/identity.hpp"
#include "model/hash.hpp"
#include "model/packed_text.hpp"
#include "model/render/metadata.hpp"

namespace kactor::actors {

using nlohmann::json;
using namespace messages;

namespace {

void ensure_broker(cluster_self self, int32_t id) {
  auto& st = self->state;
  auto& sv = st.supervision;
  if (sv.brokers().count(id))
    return;
  if (auto it = sv.respawn_after.find(id); it != sv.respawn_after.end() && steady_now() < it->second)
    return; // crashed recently: the delayed pass respawns it
  auto b = spawn_broker_actor(self->system(), {st.ns, st.name_, id}, st.kube, self, st.admin);
  self->monitor(b);
  sv.brokers()[id] = b;
  sv.broker_ids[b.address()] = id;
  sv.sent.erase(id);
}

/// Stops broker `id`'s actor without treating it as a crash.
void retire(cluster_self self, std::map<int32_t, broker_actor>::iterator it) {
  auto& sv = self->state.supervision;
  self->demonitor(it->second.address());
  sv.broker_ids.erase(it->second.address());
  self->send_exit(it->second, caf::exit_reason::user_shutdown);
  sv.brokers().erase(it);
}

/// Sends `id` its desired state when it changed since it was last sent.
void feed_one(cluster_self self, const model::kafka_cluster& c, const model::render_overrides& overrides, broker_feed& feed,
              int32_t id, const broker_actor& broker) {
  auto& sv = self->state.supervision;
  // A digest, not a copy: 3,000 brokers' rendered objects would otherwise be held twice.
  auto digest = feed.digest[id];
  if (auto sent = sv.sent.find(id); sent != sv.sent.end() && sent->second == digest)
    return; // the broker already works from these
  auto objects = feed.rendered.find(id);
  if (objects == feed.rendered.end()) {
    // A fresh actor for a broker whose inputs did not change (respawned, or put back after a drain).
    auto rendered = model::render_broker(c, id, overrides);
    if (!rendered) // rendered fine from the same inputs before; cannot fail, but never send half
      return;
    objects = feed.rendered.emplace(id, std::move(*rendered)).first;
  }
  sv.sent[id] = digest;
  auto dynamic = model::desired_broker_dynamic_config(c, id);
  auto dynamic_config = dynamic.is_ok() ? dynamic.value() : model::properties{};
  std::string image = objects->second.pod["spec"]["containers"][0].value("image", "");
  auto colon = image.rfind(':');
  self->send(broker, broker_desired{model::pack(model::to_text(objects->second)), image,
                                    colon == std::string::npos ? "" : image.substr(colon + 1), std::move(dynamic_config),
                                    feed.released[id]});
  feed.rendered.erase(objects);
}

} // namespace

namespace {

/// Renders broker `id` of `c` into `feed` when its inputs changed since they were last sent.
std::optional<std::string> prepare_one(const cluster_state& st, const model::kafka_cluster& c, uint64_t inputs,
                                       const model::render_overrides& overrides, int32_t id, broker_feed& feed) {
  auto digest = model::fnv1a64(json{model::broker_render_digest(inputs, id, overrides), feed.released[id]}.dump());
  feed.digest[id] = digest;
  if (auto sent = st.supervision.sent.find(id); sent != st.supervision.sent.end() && sent->second == digest)
    return std::nullopt; // the broker already works from these
  auto objects = model::render_broker(c, id, overrides);
  if (!objects)
    return objects.error().message();
  feed.rendered[id] = std::move(*objects);
  return std::nullopt;
}

} // namespace

std::optional<std::string> prepare_feed(const cluster_state& st, const model::kafka_cluster& c,
                                        const model::render_overrides& overrides, const model::graceful_plan& graceful,
                                        broker_feed& feed) {
  auto inputs = model::render_inputs_digest(c);
  for (const auto& b : c.spec.brokers) {
    auto id = b.id;
    feed.in_spec.insert(id);
    auto& released = feed.released[id];
    if (auto r = graceful.remove_disks.find(id); r != graceful.remove_disks.end())
      for (const auto& m : r->second)
        released.insert(model::pvc_name(c, id, m));
    if (auto error = prepare_one(st, c, inputs, overrides, id, feed))
      return error;
  }
  // Leaving brokers not yet drained keep running from their backups (a stopped one is not started again).
  std::map<int32_t, std::string> backups;
  for (const auto& [id, state] : graceful.states) {
    if (feed.in_spec.count(id) || state.cruise_control_state == "GracefulDownscaleSucceeded")
      continue;
    auto it = c.status.brokers_state.find(std::to_string(id));
    if (it != c.status.brokers_state.end() && it->second.configuration_backup)
      backups[id] = *it->second.configuration_backup;
    else
      feed.backup_errors.push_back({"status.brokersState." + std::to_string(id) + ".configurationBackup",
                                    "missing: broker " + std::to_string(id) + "'s pod cannot be recreated while it drains"});
  }
  if (backups.empty())
    return std::nullopt;
  auto restored = model::with_restored_brokers(c, backups, feed.backup_errors);
  auto restored_inputs = model::render_inputs_digest(restored);
  for (const auto& b : restored.spec.brokers) {
    if (feed.in_spec.count(b.id) || !backups.count(b.id))
      continue;
    if (auto error = prepare_one(st, restored, restored_inputs, overrides, b.id, feed)) {
      feed.backup_errors.push_back({"status.brokersState." + std::to_string(b.id) + ".configurationBackup", *error});
      feed.digest.erase(b.id);
      continue;
    }
    feed.restored.insert(b.id);
  }
  feed.restored_cluster = std::move(restored);
  return std::nullopt;
}

void feed_brokers(cluster_self self, const model::kafka_cluster& c, const model::render_overrides& overrides,
                  broker_feed& feed, const model::graceful_plan& graceful) {
  auto& st = self->state;
  auto& sv = st.supervision;
  for (auto id : feed.in_spec) {
    if (sv.leaving_sent.count(id)) {
      // Put back after it was stopped or its objects were being deleted: that actor goes, a fresh one rebuilds.
      if (auto old = sv.brokers().find(id); old != sv.brokers().end())
        retire(self, old);
      sv.leaving_sent.erase(id);
      st.reports.erase(id);
    }
    ensure_broker(self, id);
    if (auto it = sv.brokers().find(id); it != sv.brokers().end())
      feed_one(self, c, overrides, feed, id, it->second);
  }
  // Brokers that left the spec: an actor each, moved along its removal (see model::plan_graceful) until its
  // objects are gone. Draining: it keeps running; stopped: its pod goes, the rest stays until Kafka's
  // metadata confirms again; removed: every object goes. Drained but unconfirmed: held where it is.
  if (auto problems = model::to_status(feed.backup_errors).message(); problems != sv.backup_problems) {
    sv.backup_problems = problems;
    if (!problems.empty()) {
      spdlog::warn("cluster {}/{}: {}", st.ns, st.name_, problems);
      if (auto cr = st.kube->clusters->get(st.ns, st.name_); cr && st.kube->events)
        st.kube->events->warning(reference(*cr), "BrokerBackupUnusable", problems);
    }
  }
  auto listed = [](const std::vector<int32_t>& v, int32_t id) { return std::find(v.begin(), v.end(), id) != v.end(); };
  for (const auto& [id, state] : graceful.states) {
    if (feed.in_spec.count(id))
      continue;
    ensure_broker(self, id);
    auto it = sv.brokers().find(id);
    if (it == sv.brokers().end())
      continue;
    if (feed.restored.count(id) && feed.restored_cluster)
      feed_one(self, *feed.restored_cluster, overrides, feed, id, it->second);
    std::optional<leaving_stage> stage;
    if (listed(graceful.remove_brokers, id))
      stage = leaving_stage::removed;
    else if (listed(graceful.stop_brokers, id))
      stage = leaving_stage::stopped;
    else if (state.cruise_control_state != "GracefulDownscaleSucceeded")
      stage = leaving_stage::draining;
    auto sent = sv.leaving_sent.find(id);
    auto current = sent == sv.leaving_sent.end() ? leaving_stage::draining : sent->second;
    if (!stage || *stage == current)
      continue;
    auto what = std::string("broker ") + std::to_string(id);
    const char* reason = "BrokerDraining";
    std::string message = what + " holds replicas again; it runs until Cruise Control drains it";
    if (*stage == leaving_stage::stopped) {
      reason = "BrokerStopped";
      message = what + " drained: Cruise Control and Kafka's metadata name no replica on it; stopping its pod";
    } else if (*stage == leaving_stage::removed) {
      reason = "BrokerRemoved";
      message = what + " stopped and Kafka's metadata still names no replica on it; deleting its ConfigMap, Service and PVCs";
    }
    spdlog::info("cluster {}/{}: {}", st.ns, st.name_, message);
    if (auto cr = st.kube->clusters->get(st.ns, st.name_); cr && st.kube->events)
      st.kube->events->normal(reference(*cr), reason, message);
    if (*stage == leaving_stage::draining)
      sv.leaving_sent.erase(id);
    else
      sv.leaving_sent[id] = *stage;
    self->send(it->second, leaving_ordered{*stage});
  }
  // Gone from the spec and from the cluster: forget it.
  for (auto it = sv.brokers().begin(); it != sv.brokers().end();) {
    auto id = it->first;
    if (feed.in_spec.count(id) || graceful.states.count(id)) {
      ++it;
      continue;
    }
    auto next = std::next(it);
    retire(self, it);
    st.reports.erase(id);
    st.roll.waiting.erase(id);
    st.roll.permits.erase(id);
    sv.sent.erase(id);
    sv.leaving_sent.erase(id);
    it = next;
  }
  for (auto& [id, report] : st.reports)
    report.removed_from_spec = !feed.in_spec.count(id);
}

void on_broker_report(cluster_self self, const broker_reported& r) {
  auto& st = self->state;
  auto id = r.report.id;
  bool removed = st.reports.count(id) && st.reports[id].removed_from_spec;
  auto& old = st.reports[id];
  if (old.pod_ready != r.report.pod_ready || old.restarting != r.report.restarting)
    ++st.roll.change_seq; // Kafka's last answer predates this: ask again before the next restart
  st.reports[id] = r.report;
  st.reports[id].removed_from_spec = removed;
  if (!r.wants_permit)
    st.roll.waiting.erase(id);
  else if (!st.roll.waiting.count(id))
    st.roll.waiting[id] = st.roll.next_ticket++;
  queue_pass(self); // grants and status follow from the new standing
}

bool on_broker_actor_down(cluster_self self, const caf::down_msg& dm) {
  auto& st = self->state;
  auto& sv = st.supervision;
  auto it = sv.broker_ids.find(dm.source);
  if (it == sv.broker_ids.end())
    return false;
  auto id = it->second;
  sv.broker_ids.erase(it);
  sv.brokers().erase(id);
  st.roll.permits.erase(id); // a crashed broker's permit goes back to the pool
  sv.leaving_sent.erase(id); // a respawned actor of a stopped or removed broker is told again
  ++st.roll.change_seq;
  auto n = ++sv.crashes[id];
  auto delay = retry_delay(st.kube->settings, retry_reason::child_crashed, n);
  spdlog::warn("cluster {}/{}: broker actor {} stopped ({}); respawning in {} ms", st.ns, st.name_, id,
               caf::to_string(dm.reason), delay.count());
  sv.respawn_after[id] = steady_now() + delay;
  self->delayed_send(self, delay, pass_atom::value);
  return true;
}

void stop_brokers(cluster_self self) {
  auto& st = self->state;
  if (st.graceful.cc)
    self->send_exit(*st.graceful.cc, caf::exit_reason::user_shutdown);
  st.graceful.cc.reset();
  for (auto& [id, b] : st.supervision.brokers())
    self->send_exit(b, caf::exit_reason::user_shutdown);
  st.supervision.brokers().clear();
  st.supervision.broker_ids.clear();
}

} // namespace kactor::actors
