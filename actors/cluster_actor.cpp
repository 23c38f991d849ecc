#include "actors/cluster_actor.hpp"

#include <algorithm>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/api_writes.hpp"
#include "actors/broker_actor.hpp"
#include "actors/clock.hpp"
#include "model/parse/kafka_cluster_io.hpp"
#include "model/render/desired_state.hpp"
#include "model/validate/kafka_cluster_validate.hpp"

namespace kactor::actors {

using nlohmann::json;
using namespace messages;

struct cluster_state {
  static inline const char* name = "kactor.cluster";
  std::string ns, name_;
  kube_access kube;
  /// Shared with the exit hook, which stops the brokers after the state is gone.
  std::shared_ptr<std::map<int32_t, broker_actor>> children = std::make_shared<std::map<int32_t, broker_actor>>();
  std::map<int32_t, broker_actor>& brokers() { return *children; }
  std::map<caf::actor_addr, int32_t> broker_ids;
  std::map<int32_t, json> sent;                      ///< last desired objects sent to each broker
  std::map<int32_t, model::broker_report> reports;
  std::map<int32_t, uint64_t> waiting;               ///< brokers wanting a permit → their ticket (first come)
  uint64_t next_ticket = 1;
  std::map<int32_t, uint64_t> permits;               ///< holder → permit id
  uint64_t next_permit = 1;
  std::map<int32_t, int> crashes;                    ///< for the respawn backoff
  std::map<int32_t, std::chrono::steady_clock::time_point> respawn_after;
  model::field_errors spec_errors;
  std::string reported_errors;                       ///< the invalid-spec Event last recorded
  int writes_in_flight = 0;
  bool dirty = false, pass_queued = false, finalizing = false;
  int failures = 0;
  uint64_t timer = 0;
};

using cluster_self = cluster_actor::stateful_pointer<cluster_state>;

namespace {

void queue_pass(cluster_self self) {
  if (!self->state.pass_queued) {
    self->state.pass_queued = true;
    self->send(self, pass_atom::value);
  }
}

write_done completion(cluster_self self) {
  cluster_actor handle = self;
  ++self->state.writes_in_flight;
  return [handle](write_completed wc) { caf::anon_send(handle, std::move(wc)); };
}

integrations::kubernetes::object_reference reference(const json& cr) {
  return {model::kafka_cluster_api_version, "KafkaCluster", cr["metadata"].value("namespace", ""), cr["metadata"].value("name", ""),
          cr["metadata"].value("uid", "")};
}

void stop_brokers(cluster_self self) {
  for (auto& [id, b] : self->state.brokers())
    self->send_exit(b, caf::exit_reason::user_shutdown);
  self->state.brokers().clear();
  self->state.broker_ids.clear();
}

/// The CR is being deleted: stop the brokers, drop the finalizer, end.
void finalize(cluster_self self, const json& cr) {
  auto& st = self->state;
  stop_brokers(self);
  const auto& fins = cr["metadata"].value("finalizers", json::array());
  if (std::find(fins.begin(), fins.end(), st.kube.settings.finalizer) == fins.end())
    return self->quit();
  if (!st.finalizing) {
    st.finalizing = true;
    start_finalizer_write(st.kube, cr, st.kube.settings.finalizer, false, completion(self));
  }
}

/// The spec does not validate: leave every object alone, say why.
void refuse_spec(cluster_self self, const json& cr, model::field_errors errors) {
  auto& st = self->state;
  auto text = model::to_status(errors).message();
  if (text != st.reported_errors && st.kube.events) {
    st.kube.events->warning(reference(cr), "InvalidSpec", text);
    spdlog::warn("cluster {}/{}: invalid spec, nothing changed: {}", st.ns, st.name_, text);
  }
  st.reported_errors = text;
  st.spec_errors = std::move(errors);
}

void reconcile_cluster_objects(cluster_self self, const model::desired_state& desired) {
  auto& st = self->state;
  for (const auto& obj : desired.cluster_objects) {
    auto resource = plural_of(obj);
    auto* cache = st.kube.cache_for(resource);
    auto observed = cache ? cache->get(st.ns, obj["metadata"]["name"].get<std::string>()).value_or(json{}) : json{};
    auto action = model::plan_object(obj, observed);
    if (action != model::object_action::none)
      start_object_write(st.kube, st.ns, resource, action, obj, observed, completion(self));
  }
}

void ensure_broker(cluster_self self, int32_t id) {
  auto& st = self->state;
  if (st.brokers().count(id))
    return;
  if (auto it = st.respawn_after.find(id); it != st.respawn_after.end() && steady_now() < it->second)
    return; // crashed recently: the delayed pass respawns it
  auto b = spawn_broker_actor(self->system(), {st.ns, st.name_, id}, st.kube, self);
  self->monitor(b);
  st.brokers()[id] = b;
  st.broker_ids[b.address()] = id;
  st.sent.erase(id);
}

void feed_brokers(cluster_self self, const model::desired_state& desired) {
  auto& st = self->state;
  for (const auto& [id, objects] : desired.brokers) {
    ensure_broker(self, id);
    auto it = st.brokers().find(id);
    if (it == st.brokers().end())
      continue;
    auto all = json(objects.all());
    if (st.sent[id] == all)
      continue; // the broker already works from these
    st.sent[id] = all;
    std::string image = objects.pod["spec"]["containers"][0].value("image", "");
    auto colon = image.rfind(':');
    self->send(it->second, broker_desired{objects, image, colon == std::string::npos ? "" : image.substr(colon + 1)});
  }
  for (auto& [id, report] : st.reports)
    report.removed_from_spec = !desired.brokers.count(id);
}

void grant_permits(cluster_self self) {
  auto& st = self->state;
  // First come, first served: a broker that failed and asks again queues behind the others.
  std::vector<std::pair<uint64_t, int32_t>> queue;
  for (const auto& [id, ticket] : st.waiting)
    queue.emplace_back(ticket, id);
  std::sort(queue.begin(), queue.end());
  for (const auto& [ticket, id] : queue) {
    if (st.permits.count(id) || int(st.permits.size()) >= st.kube.settings.max_concurrent_restarts)
      continue;
    bool others_ready = true; // the health gate: never take a second broker down
    for (const auto& [other, r] : st.reports)
      if (other != id && !r.removed_from_spec && (!r.pod_ready || r.restarting))
        others_ready = false;
    if (!others_ready || !st.brokers().count(id))
      continue;
    auto permit = st.next_permit++;
    st.permits[id] = permit;
    st.waiting.erase(id);
    spdlog::info("cluster {}/{}: broker {} may restart (permit {})", st.ns, st.name_, id, permit);
    self->send(st.brokers()[id], restart_permit_granted{id, permit});
  }
}

void write_status(cluster_self self, const model::kafka_cluster& c, const json& cr) {
  auto& st = self->state;
  model::status_inputs in;
  in.brokers = st.reports;
  in.spec_errors = st.spec_errors;
  if (!st.permits.empty())
    in.permit_holder = st.permits.begin()->first;
  in.now = rfc3339_now();
  auto status = model::render_cluster_status(c, in, cr.value("status", json{}));
  if (status != cr.value("status", json{}))
    start_status_write(st.kube, cr, std::move(status), completion(self));
}

void run_pass(cluster_self self) {
  auto& st = self->state;
  st.pass_queued = false;
  if (st.writes_in_flight > 0) {
    st.dirty = true;
    return;
  }
  st.dirty = false;
  auto cr = st.kube.clusters->get(st.ns, st.name_);
  if (!cr) {
    stop_brokers(self);
    return self->quit();
  }
  if (cr->contains("/metadata/deletionTimestamp"_json_pointer))
    return finalize(self, *cr);
  auto parsed = model::parse_kafka_cluster(*cr);
  auto errors = parsed.errors.empty() ? model::validate_kafka_cluster(parsed.cluster) : parsed.errors;
  if (!errors.empty()) {
    refuse_spec(self, *cr, std::move(errors));
    return write_status(self, parsed.cluster, *cr);
  }
  st.spec_errors.clear();
  st.reported_errors.clear();
  const auto& fins = (*cr)["metadata"].value("finalizers", json::array());
  if (std::find(fins.begin(), fins.end(), st.kube.settings.finalizer) == fins.end())
    return start_finalizer_write(st.kube, *cr, st.kube.settings.finalizer, true, completion(self));
  auto desired = model::render_cluster(parsed.cluster);
  if (!desired.is_ok())
    return refuse_spec(self, *cr, {{"spec", desired.error().message()}});
  reconcile_cluster_objects(self, desired.value());
  feed_brokers(self, desired.value());
  grant_permits(self);
  write_status(self, parsed.cluster, *cr);
}

void on_write_completed(cluster_self self, const write_completed& wc) {
  auto& st = self->state;
  --st.writes_in_flight;
  if (!wc.ok && !wc.conflict) {
    ++st.failures;
    spdlog::warn("cluster {}/{}: {}: {}", st.ns, st.name_, wc.what, wc.error);
    auto delay = std::min(st.kube.settings.backoff_base * (1 << std::min(st.failures, 10)), st.kube.settings.backoff_max);
    self->delayed_send(self, std::max(delay, std::chrono::milliseconds{wc.retry_after_ms}), tick_atom::value, ++st.timer);
    return;
  }
  if (wc.ok)
    st.failures = 0;
  if (wc.conflict)
    st.dirty = true;
  if (st.writes_in_flight == 0 && st.dirty)
    queue_pass(self);
}

void on_broker_report(cluster_self self, const broker_reported& r) {
  auto& st = self->state;
  auto id = r.report.id;
  bool removed = st.reports.count(id) && st.reports[id].removed_from_spec;
  st.reports[id] = r.report;
  st.reports[id].removed_from_spec = removed;
  if (!r.wants_permit)
    st.waiting.erase(id);
  else if (!st.waiting.count(id))
    st.waiting[id] = st.next_ticket++;
  queue_pass(self); // grants and status follow from the new standing
}

void on_permit_returned(cluster_self self, const restart_permit_returned& p) {
  auto& st = self->state;
  if (auto it = st.permits.find(p.id); it != st.permits.end() && it->second == p.permit)
    st.permits.erase(it);
  queue_pass(self);
}

void on_broker_down(cluster_self self, const caf::down_msg& dm) {
  auto& st = self->state;
  auto it = st.broker_ids.find(dm.source);
  if (it == st.broker_ids.end())
    return;
  auto id = it->second;
  st.broker_ids.erase(it);
  st.brokers().erase(id);
  st.permits.erase(id); // a crashed broker's permit goes back to the pool
  auto n = ++st.crashes[id];
  auto delay = respawn_delay(st.kube.settings, n);
  spdlog::warn("cluster {}/{}: broker actor {} stopped ({}); respawning in {} ms", st.ns, st.name_, id,
               caf::to_string(dm.reason), delay.count());
  st.respawn_after[id] = steady_now() + delay;
  self->delayed_send(self, delay, pass_atom::value);
}

cluster_actor::behavior_type cluster_behavior(cluster_self self, std::string ns, std::string name, kube_access kube) {
  self->state.ns = std::move(ns);
  self->state.name_ = std::move(name);
  self->state.kube = std::move(kube);
  self->set_down_handler([=](caf::down_msg& dm) { on_broker_down(self, dm); });
  self->attach_functor([children = self->state.children] {
    for (auto& [id, b] : *children)
      caf::anon_send_exit(b, caf::exit_reason::user_shutdown);
  });
  queue_pass(self);
  return {
      [=](const object_changed& ev) {
        auto it = self->state.brokers().find(ev.broker_id);
        if (ev.broker_id >= 0 && it != self->state.brokers().end())
          self->send(it->second, ev);
        else
          queue_pass(self);
      },
      [=](const broker_reported& r) { on_broker_report(self, r); },
      [=](const restart_permit_returned& p) { on_permit_returned(self, p); },
      [=](const write_completed& wc) { on_write_completed(self, wc); },
      [=](pass_atom) { run_pass(self); },
      [=](tick_atom, uint64_t generation) {
        if (generation == self->state.timer)
          queue_pass(self);
      },
      [=](crash_atom, int32_t id) -> void {
        if (auto it = self->state.brokers().find(id); it != self->state.brokers().end())
          return self->send(it->second, crash_atom::value);
        throw std::runtime_error("injected crash");
      },
  };
}

} // namespace

cluster_actor spawn_cluster_actor(caf::actor_system& sys, std::string ns, std::string name, kube_access kube) {
  return sys.spawn(cluster_behavior, std::move(ns), std::move(name), std::move(kube));
}

} // namespace kactor::actors
