#include "actors/broker_actor.hpp"
#include "model/json_read.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/api_writes.hpp"
#include "actors/clock.hpp"
#include "actors/create_expectations.hpp"
#include "actors/kafka_calls.hpp"
#include "actors/retry_policy.hpp"
#include "model/diff/broker_plan.hpp"
#include "model/identity.hpp"
#include "model/packed_text.hpp"
#include "model/render/desired_state.hpp"

namespace kactor::actors {

using nlohmann::json;
using namespace messages;

struct broker_state {
  static inline const char* name = "kactor.broker";
  broker_identity who;
  kube_ports kube;
  cluster_actor cluster;
  /// Its objects are packed text (model::pack of model::to_text), parsed at each pass: 3,000 brokers'
  /// parsed objects would take ~66 MB between passes, their text 27 MB, packed ~5 MB.
  std::optional<broker_desired> desired;
  std::optional<uint64_t> permit;  ///< held restart permit
  int writes_in_flight = 0;
  bool dirty = false;              ///< a trigger arrived while writes were in flight
  bool pass_queued = false;
  bool backing_off = false;
  int failures = 0;
  uint64_t timer = 0;
  std::chrono::steady_clock::time_point queued_at; ///< when the queued pass was asked for (metrics)              ///< generation of the current backoff timer
  std::string last_error;
  std::optional<broker_reported> last_report;
  // Dynamic config: which (pod, desired config) was last brought in force, or refused; one call at a time.
  std::shared_ptr<integrations::kafka::kafka_admin> admin;
  config_tracker config;
  int config_failures = 0;
  std::chrono::steady_clock::time_point config_retry_at;
  std::string last_pod_name;
  /// Left the spec: how far its removal is (messages::leaving_stage); draining behaves as a spec broker.
  leaving_stage leaving = leaving_stage::draining;
  create_expectations creates; ///< created, not in the cache yet: not created again meanwhile
  /// Labels of the nodes its pods were scheduled on, read for the rack (model::broker_plan::node_to_read);
  /// a node's labels are read once per actor, `nodes_reading` while the GET is out.
  std::map<std::string, json> node_labels;
  std::set<std::string> nodes_reading;
  int node_read_failures = 0;
};

using broker_self = broker_actor::stateful_pointer<broker_state>;

namespace {

/// What the caches hold for this broker.
model::broker_observed observe(const broker_state& st, const model::broker_objects& d) {
  model::broker_observed o;
  const auto& ns = st.who.namespace_;
  auto get = [&](const std::shared_ptr<integrations::kubernetes::object_reader>& c, const json& obj) {
    return c->get(ns, obj["metadata"]["name"].get<std::string>()).value_or(json{});
  };
  o.pod = get(st.kube->pods, d.pod);
  o.configmap = get(st.kube->configmaps, d.configmap);
  if (d.service)
    o.service = get(st.kube->services, *d.service);
  for (const auto& pvc : d.pvcs)
    if (auto found = get(st.kube->pvcs, pvc); !found.is_null())
      o.pvcs[pvc["metadata"]["name"].get<std::string>()] = std::move(found);
  for (const auto& name : st.desired->released_pvcs)
    if (auto found = st.kube->pvcs->get(ns, name))
      o.released_pvcs[name] = std::move(*found);
  if (!d.rack_labels.empty() && !o.pod.is_null())
    if (auto n = st.node_labels.find(model::string_or(o.pod, "/spec/nodeName"_json_pointer)); n != st.node_labels.end())
      o.node_labels = n->second;
  return o;
}

void queue_pass(broker_self self) {
  if (!self->state.pass_queued) {
    self->state.pass_queued = true;
    self->state.queued_at = steady_now();
    self->state.kube->metrics->queued("broker");
    self->send(self, pass_atom::value);
  }
}

/// Reads the labels of `node` (the rack of a pod scheduled there), unless read or being read.
void read_node(broker_self self, const std::string& node) {
  auto& st = self->state;
  if (node.empty() || st.node_labels.contains(node) || !st.nodes_reading.insert(node).second)
    return;
  broker_actor handle = self;
  st.kube->client->get(integrations::kubernetes::resources::nodes(), "", node,
                       [handle, node](integrations::kubernetes::api_result<json> r) {
                         node_read m{node, r.is_ok(), "", ""};
                         if (r.is_ok())
                           m.labels = r.value().value("/metadata/labels"_json_pointer, json::object()).dump();
                         else
                           m.error = r.error().to_string()
                                     + (r.error().kind == integrations::kubernetes::api_error_kind::forbidden
                                          ? " (kactor needs get on nodes: deploy/rbac-nodes.yaml, Helm readNodes=true)"
                                          : "");
                         caf::anon_send(handle, std::move(m));
                       });
}

void on_node_read(broker_self self, const node_read& m) {
  auto& st = self->state;
  st.nodes_reading.erase(m.node);
  if (!m.ok) {
    // Not cached: the next pass asks again, after a backoff (RBAC missing, the API server busy).
    st.last_error = "get node " + m.node + " (for the broker's rack): " + m.error;
    spdlog::warn("broker {}/{}-{}: {}", st.who.namespace_, st.who.cluster, st.who.id, st.last_error);
    self->delayed_send(self, retry_delay(st.kube->settings, retry_reason::node_read_failed, ++st.node_read_failures),
                       pass_atom::value);
    return;
  }
  st.node_read_failures = 0;
  if (st.last_error.rfind("get node ", 0) == 0)
    st.last_error.clear();
  auto labels = json::parse(m.labels, nullptr, false);
  st.node_labels[m.node] = labels.is_object() ? labels : json::object();
  queue_pass(self);
}

void return_permit(broker_self self) {
  auto& st = self->state;
  if (st.permit)
    self->send(st.cluster, restart_permit_returned{st.who.id, *st.permit});
  st.permit.reset();
}

void report(broker_self self, const model::broker_plan& plan) {
  auto& st = self->state;
  broker_reported r;
  r.report = {st.who.id, plan.in_sync, plan.pod_ready, plan.restarting, false, st.desired->image,
              st.desired->version, plan.refusals, st.last_error, st.config.state, st.config.error, plan.rack};
  r.wants_permit = plan.wants_permit && !st.backing_off;
  if (!st.last_report || st.last_report->report != r.report || st.last_report->wants_permit != r.wants_permit)
    self->send(st.cluster, r);
  st.last_report = std::move(r);
}

const char* to_string(model::broker_write::kind k) {
  switch (k) {
  case model::broker_write::kind::create: return "create";
  case model::broker_write::kind::update: return "update";
  case model::broker_write::kind::grow_pvc: return "grow";
  case model::broker_write::kind::delete_pod: return "delete";
  case model::broker_write::kind::delete_object: return "delete";
  }
  return "write";
}

void record_event(broker_state& st, const model::broker_write& w) {
  if (w.resource != model::resource_kind::pod || !st.kube->events)
    return; // pods are what users watch; ConfigMap and PVC writes are visible on the objects
  integrations::kubernetes::object_reference ref{"v1", "Pod", st.who.namespace_, w.name, w.uid};
  st.kube->events->normal(ref, w.what == model::broker_write::kind::create ? "CreatingPod" : "DeletingPod",
                         "broker " + std::to_string(st.who.id) + ": " + w.reason);
}

void start_writes(broker_self self, const std::vector<model::broker_write>& writes) {
  auto& st = self->state;
  broker_actor handle = self;
  bool any_create = false;
  for (const auto& w : writes) {
    ++st.writes_in_flight;
    spdlog::info("broker {}/{}-{}: {} {}/{}: {}", st.who.namespace_, st.who.cluster, st.who.id, to_string(w.what),
                 model::plural_of(w.resource), w.name, w.reason);
    record_event(st, w);
    if (w.what == model::broker_write::kind::create) {
      st.creates.expect({w.resource, w.name}, steady_now() + st.kube->settings.cache_lag);
      any_create = true;
    }
    start_broker_write(*st.kube, st.who.namespace_, w, [handle](write_completed wc) { caf::anon_send(handle, std::move(wc)); });
  }
  if (any_create) // a pass after the deadline, should the watch never show what was created
    self->delayed_send(self, st.kube->settings.cache_lag + std::chrono::milliseconds{1}, pass_atom::value);
}

/// Brings the broker's dynamic config in force while its pod serves: once per (pod, desired config).
void reconcile_config(broker_self self, const model::broker_plan& plan, const json& pod) {
  auto& st = self->state;
  if (!st.admin || !plan.pod_ready || steady_now() < st.config_retry_at)
    return;
  auto generation = st.config.begin(model::string_or(pod, "/metadata/uid"_json_pointer) + "\n" + model::render_properties(st.desired->dynamic_config));
  if (generation == 0)
    return;
  broker_actor handle = self;
  start_config_reconcile(st.admin, integrations::kafka::config_resource::broker(st.who.id), st.desired->dynamic_config,
                         generation, [handle](config_reconciled r) { caf::anon_send(handle, std::move(r)); });
}

void on_config_reconciled(broker_self self, const config_reconciled& r) {
  auto& st = self->state;
  if (!st.config.finish(r))
    return;
  if (r.outcome == config_outcome::retry) {
    // Kafka is not reachable yet (the broker is starting): try again later, this broker alone.
    auto delay = retry_delay(st.kube->settings, retry_reason::config_unreachable, ++st.config_failures);
    st.config_retry_at = steady_now() + delay;
    self->delayed_send(self, delay, pass_atom::value);
    return;
  }
  st.config_failures = 0;
  if (r.outcome == config_outcome::in_sync && !r.message.empty())
    spdlog::info("broker {}/{}-{}: dynamic config applied: {}", st.who.namespace_, st.who.cluster, st.who.id, r.message);
  if (r.outcome == config_outcome::refused) {
    spdlog::warn("broker {}/{}-{}: dynamic config refused: {}", st.who.namespace_, st.who.cluster, st.who.id, r.message);
    if (st.kube->events)
      st.kube->events->warning({"v1", "Pod", st.who.namespace_, st.last_pod_name, ""}, "ConfigRejected",
                              "broker " + std::to_string(st.who.id) + ": " + r.message);
  }
  queue_pass(self);
}

/// The broker's objects as the caches hold them, by resource.
std::map<model::resource_kind, std::vector<json>> owned_objects(const broker_state& st) {
  using model::resource_kind;
  std::map<resource_kind, std::vector<json>> out;
  for (auto kind : {resource_kind::pod, resource_kind::configmap, resource_kind::service, resource_kind::persistent_volume_claim})
    for (auto& o : st.kube->cache_for(kind)->list_by_label(st.who.namespace_, st.who.cluster))
      if (auto who = model::broker_identity_of(o);
          who.namespace_ == st.who.namespace_ && who.cluster == st.who.cluster && who.broker_id == st.who.id)
        out[kind].push_back(std::move(o));
  return out;
}

/// Takes out of `writes` the creates of objects created before and not in the cache yet; true if any.
/// The expectations were settled before the pass observed the caches (see run_pass).
bool drop_expected_creates(broker_self self, std::vector<model::broker_write>& writes) {
  auto& st = self->state;
  auto before = writes.size();
  std::erase_if(writes, [&](const model::broker_write& w) {
    return w.what == model::broker_write::kind::create && st.creates.expected({w.resource, w.name});
  });
  return writes.size() != before;
}

void run_pass(broker_self self) {
  auto& st = self->state;
  auto started = steady_now();
  if (st.pass_queued)
    st.kube->metrics->dequeued("broker", std::chrono::duration<double>(started - st.queued_at).count());
  st.pass_queued = false;
  if (st.writes_in_flight > 0) {
    st.dirty = true; // decide again once the answers are in
    return;
  }
  st.dirty = false;
  if (st.leaving != leaving_stage::draining) {
    if (st.backing_off)
      return;
    auto objects = owned_objects(st);
    if (st.leaving == leaving_stage::stopped) // the pod goes first, alone: the rest waits for Kafka's word again
      std::erase_if(objects, [](const auto& kv) { return kv.first != model::resource_kind::pod; });
    start_writes(self, model::plan_broker_removal(objects));
    return;
  }
  if (!st.desired || st.backing_off)
    return;
  auto text = model::unpack(st.desired->objects);
  auto objects = text ? model::broker_objects_from_text(*text) : model::result<model::broker_objects>{text.error()};
  if (!objects) // written by model::pack(model::to_text(...)): does not happen
    return spdlog::error("broker {}/{}-{}: {}", st.who.namespace_, st.who.cluster, st.who.id, objects.error().message());
  // Settle before observing: settled after, an object whose watch event lands in between would count as
  // met although this pass saw it missing, and be created twice (409).
  st.creates.settle(steady_now(), *st.kube, st.who.namespace_);
  auto observed = observe(st, *objects);
  auto plan = model::plan_broker(*objects, observed, st.permit.has_value());
  read_node(self, plan.node_to_read);
  bool awaiting = drop_expected_creates(self, plan.writes);
  start_writes(self, plan.writes);
  if (!observed.pod.is_null())
    st.last_pod_name = model::string_or(observed.pod, "/metadata/name"_json_pointer);
  reconcile_config(self, plan, observed.pod);
  report(self, plan);
  st.kube->metrics->reconciled("broker", plan.writes.empty() ? "success" : "requeue",
                              std::chrono::duration<double>(steady_now() - started).count());
  if (st.permit && !plan.restarting && plan.writes.empty() && !awaiting)
    return_permit(self); // the restart is complete (or no longer needed)
}

void on_write_completed(broker_self self, const write_completed& wc) {
  auto& st = self->state;
  --st.writes_in_flight;
  st.creates.answered(wc, steady_now() + st.kube->settings.cache_lag);
  if (!wc.ok && !wc.conflict) {
    ++st.failures;
    st.kube->metrics->reconcile_error("broker");
    st.last_error = wc.key.to_string() + ": " + wc.error;
    spdlog::warn("broker {}/{}-{}: {} (retry #{})", st.who.namespace_, st.who.cluster, st.who.id, st.last_error, st.failures);
    return_permit(self); // let another broker restart while this one waits
    auto delay = std::max(retry_delay(st.kube->settings, retry_reason::write_failed, st.failures),
                          std::chrono::milliseconds{wc.retry_after_ms});
    st.backing_off = true;
    self->delayed_send(self, delay, tick_atom::value, ++st.timer);
    return;
  }
  if (wc.ok && st.writes_in_flight == 0 && !st.backing_off) {
    st.failures = 0;
    st.last_error.clear();
  }
  if (wc.conflict)
    st.dirty = true; // the cache is behind: the next event or pass sees the newer version
  if (st.writes_in_flight == 0 && st.dirty && !st.backing_off)
    queue_pass(self);
}

broker_actor::behavior_type broker_behavior(broker_self self, broker_identity who, kube_ports kube, cluster_actor cluster,
                                            std::shared_ptr<integrations::kafka::kafka_admin> admin) {
  self->state.who = std::move(who);
  self->state.admin = std::move(admin);
  self->state.kube = std::move(kube);
  self->state.cluster = std::move(cluster);
  return {
      [=](broker_desired& d) {
        self->state.desired = std::move(d);
        queue_pass(self);
      },
      [=](const object_changed&) { queue_pass(self); },
      [=](const restart_permit_granted& p) {
        self->state.permit = p.permit;
        queue_pass(self);
      },
      [=](const write_completed& wc) { on_write_completed(self, wc); },
      [=](const config_reconciled& r) { on_config_reconciled(self, r); },
      [=](const node_read& m) { on_node_read(self, m); },
      [=](pass_atom) { run_pass(self); },
      [=](tick_atom, uint64_t generation) {
        if (generation != self->state.timer)
          return; // a timer from before
        self->state.backing_off = false;
        queue_pass(self);
      },
      [=](const leaving_ordered& o) {
        auto& st = self->state;
        if (st.leaving == o.stage)
          return;
        spdlog::info("broker {}/{}-{}: {} → {}", st.who.namespace_, st.who.cluster, st.who.id, to_string(st.leaving),
                     to_string(o.stage));
        st.leaving = o.stage;
        if (o.stage == leaving_stage::removed)
          st.desired.reset(); // nothing is to be created any more
        if (o.stage != leaving_stage::draining)
          return_permit(self);
        st.last_report.reset(); // report again when it runs again
        queue_pass(self);
      },
      [=](crash_atom) -> void { throw std::runtime_error("injected crash"); },
  };
}

} // namespace

broker_actor spawn_broker_actor(caf::actor_system& sys, broker_identity who, kube_ports kube, cluster_actor cluster,
                                std::shared_ptr<integrations::kafka::kafka_admin> admin) {
  return sys.spawn(broker_behavior, std::move(who), std::move(kube), std::move(cluster), std::move(admin));
}

} // namespace kactor::actors
