#include "actors/cluster/cluster_actor.hpp"
#include "model/json_read.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/clock.hpp"
#include "actors/cluster/broker_supervision.hpp"
#include "actors/cluster/cluster_config.hpp"
#include "actors/cluster/cluster_objects.hpp"
#include "actors/cluster/cluster_state.hpp"
#include "actors/cluster/graceful_operations.hpp"
#include "actors/cluster/roll_permits.hpp"
#include "actors/cluster/status_writer.hpp"
#include "actors/retry_policy.hpp"
#include "model/parse/kafka_cluster_io.hpp"
#include "model/render/cruise_control_deployment.hpp"
#include "model/resource_kind.hpp"
#include "model/render/desired_state.hpp"
#include "model/validate/kafka_cluster_validate.hpp"

namespace kactor::actors {

using nlohmann::json;
using namespace messages;

void queue_pass(cluster_self self) {
  auto& st = self->state;
  if (!st.pass_queued) {
    st.pass_queued = true;
    st.queued_at = steady_now();
    st.kube->metrics->queued("kafkacluster");
    self->send(self, pass_atom::value);
  }
}

write_done completion(cluster_self self) {
  cluster_actor handle = self;
  ++self->state.writes_in_flight;
  return [handle](write_completed wc) { caf::anon_send(handle, std::move(wc)); };
}

integrations::kubernetes::object_reference reference(const json& cr) {
  return {model::kafka_cluster_api_version, "KafkaCluster", model::string_or(cr, "/metadata/namespace"_json_pointer), model::string_or(cr, "/metadata/name"_json_pointer),
          model::string_or(cr, "/metadata/uid"_json_pointer)};
}

namespace {

/// Test-only (model::operator_flaw::leak_broker_config): proves the checker catches restarts of brokers a
/// change does not concern (scope) — every broker's own readOnlyConfig is rendered into every broker.
void leak_broker_config(model::kafka_cluster& c) {
  for (const auto& b : c.spec.brokers)
    if (b.read_only_config)
      c.spec.read_only_config = c.spec.read_only_config.value_or("") + "\n" + *b.read_only_config;
}

/// One pass: read the CR, validate, then every concern in order — graceful operations (they decide which
/// disks stay mounted), the cluster objects, the brokers, the roll, the cluster-wide config, the status.
void run_pass(cluster_self self) {
  auto& st = self->state;
  auto started = steady_now();
  if (st.pass_queued)
    st.kube->metrics->dequeued("kafkacluster", std::chrono::duration<double>(started - st.queued_at).count());
  st.pass_queued = false;
  if (st.writes_in_flight > 0) {
    st.dirty = true;
    return;
  }
  st.dirty = false;
  auto cr = st.kube->clusters->get(st.ns, st.name_);
  if (!cr) {
    stop_brokers(self);
    return self->quit();
  }
  if (cr->contains("/metadata/deletionTimestamp"_json_pointer))
    return finalize(self, *cr);
  auto parsed = model::parse_kafka_cluster(*cr);
  if (st.kube->settings.flaw == model::operator_flaw::leak_broker_config)
    leak_broker_config(parsed.cluster); // test-only
  auto errors = parsed.errors.empty() ? model::validate_kafka_cluster(parsed.cluster) : parsed.errors;
  if (!errors.empty()) {
    refuse_spec(self, *cr, std::move(errors));
    return write_status(self, parsed.cluster, *cr);
  }
  accept_spec(self);
  if (!has_finalizer(st, *cr))
    return add_finalizer(self, *cr);
  auto observed = observe_brokers(st);
  auto graceful = plan_operations(self, parsed.cluster, observed);
  auto overrides = kept_disks(graceful, observed);
  broker_feed feed;
  if (auto error = prepare_feed(st, parsed.cluster, overrides, graceful, feed))
    return refuse_spec(self, *cr, {{"spec", *error}});
  aim_admin(st, parsed.cluster); // the bootstrap Service follows headlessServiceEnabled
  auto cluster_objects = model::render_cluster_objects(parsed.cluster);
  if (!st.kube->settings.deploy_cruise_control) // an operator-wide Cruise Control, or none: kactor deploys none
    std::erase_if(cluster_objects, [](const json& o) {
      return o.value("/metadata/labels/app"_json_pointer, json("")) == "cruisecontrol"; // Koperator's label
    });
  for (auto& o : cluster_objects) // Cruise Control is not rolled while it has work (model's rule)
    if (auto* cache = st.kube->cache_for(model::resource_kind::deployment);
        cache && model::resource_kind_of(o) == model::resource_kind::deployment)
      o = model::cruise_control_deployment_to_apply(
          o, cache->get(st.ns, o["metadata"]["name"].get<std::string>()).value_or(json{}),
          graceful.needs_cruise_control || !graceful.create.empty());
  reconcile_cluster_objects(self, parsed.cluster, cluster_objects);
  feed_brokers(self, parsed.cluster, overrides, feed, graceful);
  grant_permits(self, parsed.cluster, *cr);
  reconcile_cluster_config(self, parsed.cluster);
  write_status(self, parsed.cluster, *cr, &graceful);
  st.kube->metrics->reconciled("kafkacluster", st.writes_in_flight > 0 ? "requeue" : "success",
                              std::chrono::duration<double>(steady_now() - started).count());
}

void on_write_completed(cluster_self self, const write_completed& wc) {
  auto& st = self->state;
  --st.writes_in_flight;
  if (!wc.ok && wc.key.verb == write_verb::create && wc.key.kind == model::resource_kind::cruise_control_operation)
    on_operation_create_failed(self, wc.key.name); // never made: the next pass decides again
  st.creates.answered(wc, steady_now() + st.kube->settings.cache_lag);
  if (!wc.ok && !wc.conflict) {
    ++st.failures;
    st.kube->metrics->reconcile_error("kafkacluster");
    spdlog::warn("cluster {}/{}: {}: {}", st.ns, st.name_, wc.key.to_string(), wc.error);
    auto delay = retry_delay(st.kube->settings, retry_reason::write_failed, st.failures);
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

/// A watched object of this cluster changed: a broker's goes to its actor, the rest queue a pass.
void on_object_changed(cluster_self self, const object_changed& ev) {
  auto& sv = self->state.supervision;
  if (ev.resource == model::resource_kind::cruise_control_operation)
    return on_operation_changed(self, ev);
  auto it = sv.brokers().find(ev.broker_id);
  if (ev.broker_id < 0 || it == sv.brokers().end())
    return queue_pass(self);
  self->send(it->second, ev);
  // A stopped broker's pod going away (Kafka is asked again before its PVCs go), a removed broker's
  // objects going away (once the last is gone the cluster forgets the broker; found by the simulation:
  // without this pass the removal finished only at the next resync).
  if (sv.leaving_sent.count(ev.broker_id))
    queue_pass(self);
}

cluster_actor::behavior_type cluster_behavior(cluster_self self, std::string ns, std::string name, kube_ports kube) {
  self->state.ns = std::move(ns);
  self->state.name_ = std::move(name);
  self->state.kube = std::move(kube);
  self->state.born = steady_now();
  self->set_down_handler([=](caf::down_msg& dm) {
    if (!on_cruise_control_actor_down(self, dm))
      on_broker_actor_down(self, dm);
  });
  self->attach_functor([children = self->state.supervision.children, metrics = self->state.kube->metrics,
                        key = self->state.ns + "/" + self->state.name_] {
    metrics->cluster_gone(key);
    for (auto& [id, b] : *children)
      caf::anon_send_exit(b, caf::exit_reason::user_shutdown);
  });
  queue_pass(self);
  return {
      [=](const object_changed& ev) { on_object_changed(self, ev); },
      [=](const broker_reported& r) { on_broker_report(self, r); },
      [=](const restart_permit_returned& p) { on_permit_returned(self, p); },
      [=](const write_completed& wc) { on_write_completed(self, wc); },
      [=](kafka_described& d) { on_kafka_described(self, d); },
      [=](const config_reconciled& r) { on_config_reconciled(self, r); },
      [=](cruise_control_observed& o) { on_cruise_control_observed(self, o); },
      [=](cc_credentials_read& r) { on_cc_credentials_read(self, r); },
      [=](pass_atom) { run_pass(self); },
      [=](tick_atom, uint64_t generation) {
        if (generation == self->state.timer) // an older back-off timer is stale
          queue_pass(self);
      },
      [=](kafka_poll_atom) { on_kafka_poll(self); },
      [=](cc_poll_atom) { on_cc_poll(self); },
      [=](crash_atom, int32_t id) -> void {
        if (auto it = self->state.supervision.brokers().find(id); it != self->state.supervision.brokers().end())
          return self->send(it->second, crash_atom::value);
        throw std::runtime_error("injected crash");
      },
  };
}

} // namespace

cluster_actor spawn_cluster_actor(caf::actor_system& sys, std::string ns, std::string name, kube_ports kube) {
  return sys.spawn(cluster_behavior, std::move(ns), std::move(name), std::move(kube));
}

} // namespace kactor::actors
