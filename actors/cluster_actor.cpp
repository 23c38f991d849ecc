#include "actors/cluster_actor.hpp"

#include <algorithm>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/api_writes.hpp"
#include "actors/broker_actor.hpp"
#include "actors/clock.hpp"
#include "actors/create_expectations.hpp"
#include "actors/cruise_control_actor.hpp"
#include "actors/kafka_calls.hpp"
#include "model/alerts/alert_action.hpp"
#include "model/diff/graceful_plan.hpp"
#include "model/effective_broker.hpp"
#include "model/defaults.hpp"
#include "model/hash.hpp"
#include "model/packed_text.hpp"
#include "model/diff/dynamic_config.hpp"
#include "model/diff/roll_plan.hpp"
#include "model/render/metadata.hpp"
#include "model/render/server_properties.hpp"
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
  /// Digest of the inputs of the last desired state sent to each broker (model::broker_render_digest and
  /// the disks it may release): a broker is rendered again only when they change.
  std::map<int32_t, uint64_t> sent;
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
  std::chrono::steady_clock::time_point queued_at; ///< when the queued pass was asked for (metrics)

  // Kafka, for restart decisions: an answer counts only if no broker changed since it was asked for.
  std::shared_ptr<integrations::kafka::kafka_admin> admin;
  uint64_t change_seq = 1;
  std::optional<messages::kafka_described> kafka;
  bool describe_in_flight = false, poll_scheduled = false;
  std::chrono::steady_clock::time_point last_describe;
  // The roll: when each permit was granted, and whether it stopped on a broker that did not come back.
  std::map<int32_t, std::chrono::steady_clock::time_point> restart_started;
  std::optional<int32_t> stopped_on;
  std::string stop_message;
  std::map<int32_t, std::string> roll_waiting;
  // clusterWideConfig, as the broker actors do their own config.
  config_tracker config;
  // Graceful operations through Cruise Control. The states are read from the CR once, then this actor —
  // their only writer — is their authority (the cache may lag behind its own status writes).
  std::optional<std::map<int32_t, model::graceful_action_state>> graceful;
  std::optional<cruise_control_actor> cc;
  bool cc_tried = false;
  uint64_t cc_seq = 1;                                 ///< bumped by every operation change
  std::optional<messages::cruise_control_observed> cc_view;
  std::chrono::steady_clock::time_point cc_asked;
  uint64_t cc_asked_seq = 0;
  bool cc_poll_scheduled = false;
  std::map<std::string, model::cc_operation> expected_ops; ///< created, not in the cache yet
  uint64_t op_counter = 0;
  std::set<int32_t> drained_sent;                      ///< leaving brokers told to delete their objects
  create_expectations creates;                         ///< cluster objects created, not in the cache yet
};

using cluster_self = cluster_actor::stateful_pointer<cluster_state>;

namespace {

void queue_pass(cluster_self self) {
  if (!self->state.pass_queued) {
    self->state.pass_queued = true;
    self->state.queued_at = steady_now();
    self->state.kube.metrics->queued("kafkacluster");
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
  if (self->state.cc)
    self->send_exit(*self->state.cc, caf::exit_reason::user_shutdown);
  self->state.cc.reset();
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

void reconcile_cluster_objects(cluster_self self, const std::vector<json>& cluster_objects) {
  auto& st = self->state;
  auto now = steady_now();
  st.creates.settle(now, st.kube, st.ns);
  for (const auto& obj : cluster_objects) {
    auto resource = plural_of(obj);
    auto name = obj["metadata"]["name"].get<std::string>();
    auto* cache = st.kube.cache_for(resource);
    auto observed = cache ? cache->get(st.ns, name).value_or(json{}) : json{};
    auto action = model::plan_object(obj, observed);
    if (action == model::object_action::create) {
      if (st.creates.expected(resource + "/" + name))
        continue; // created a moment ago; the watch brings it
      st.creates.expect(resource + "/" + name, now + st.kube.settings.cache_lag);
      // A pass after the deadline, should the watch never show it.
      self->delayed_send(self, st.kube.settings.cache_lag + std::chrono::milliseconds{1}, pass_atom::value);
    }
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
  auto b = spawn_broker_actor(self->system(), {st.ns, st.name_, id}, st.kube, self, st.admin);
  self->monitor(b);
  st.brokers()[id] = b;
  st.broker_ids[b.address()] = id;
  st.sent.erase(id);
}

/// What the brokers of the spec get to work from, rendered only where the inputs changed since it was sent.
struct broker_feed {
  std::set<int32_t> in_spec;
  std::map<int32_t, uint64_t> digest;            ///< per broker in the spec
  std::map<int32_t, std::set<std::string>> released; ///< PVCs a broker may delete (disks moved off)
  std::map<int32_t, model::broker_objects> rendered; ///< only the brokers whose digest changed
};

/// Renders the brokers whose inputs changed; the first rendering error (nothing written then).
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
    auto digest = model::fnv1a64(json{model::broker_render_digest(inputs, id, overrides), released}.dump());
    feed.digest[id] = digest;
    if (auto sent = st.sent.find(id); sent != st.sent.end() && sent->second == digest)
      continue; // the broker already works from these
    auto objects = model::render_broker(c, id, overrides);
    if (!objects)
      return objects.error().message();
    feed.rendered[id] = std::move(*objects);
  }
  return std::nullopt;
}

void feed_brokers(cluster_self self, const model::kafka_cluster& c, const model::render_overrides& overrides,
                  broker_feed& feed, const model::graceful_plan& graceful) {
  auto& st = self->state;
  for (auto id : feed.in_spec) {
    if (st.drained_sent.count(id)) {
      // Put back after its objects were being deleted: the deleting actor goes, a fresh one rebuilds.
      if (auto old = st.brokers().find(id); old != st.brokers().end()) {
        self->demonitor(old->second.address());
        st.broker_ids.erase(old->second.address());
        self->send_exit(old->second, caf::exit_reason::user_shutdown);
        st.brokers().erase(old);
      }
      st.drained_sent.erase(id);
      st.reports.erase(id);
    }
    ensure_broker(self, id);
    auto it = st.brokers().find(id);
    if (it == st.brokers().end())
      continue;
    // A digest, not a copy: 3,000 brokers' rendered objects would otherwise be held twice.
    auto digest = feed.digest[id];
    if (auto sent = st.sent.find(id); sent != st.sent.end() && sent->second == digest)
      continue; // the broker already works from these
    auto objects = feed.rendered.find(id);
    if (objects == feed.rendered.end()) {
      // A fresh actor for a broker whose inputs did not change (respawned, or put back after a drain).
      auto rendered = model::render_broker(c, id, overrides);
      if (!rendered) // rendered fine from the same inputs before; cannot fail, but never send half
        continue;
      objects = feed.rendered.emplace(id, std::move(*rendered)).first;
    }
    st.sent[id] = digest;
    auto dynamic = model::desired_broker_dynamic_config(c, id);
    auto dynamic_config = dynamic.is_ok() ? dynamic.value() : model::properties{};
    std::string image = objects->second.pod["spec"]["containers"][0].value("image", "");
    auto colon = image.rfind(':');
    self->send(it->second, broker_desired{model::pack(model::to_text(objects->second)), image,
                                          colon == std::string::npos ? "" : image.substr(colon + 1),
                                          std::move(dynamic_config), feed.released[id]});
    feed.rendered.erase(objects);
  }
  // Brokers that left the spec: an actor each (it deletes their objects once drained), until they are gone.
  for (const auto& [id, state] : graceful.states) {
    if (feed.in_spec.count(id))
      continue;
    ensure_broker(self, id);
    bool drained = std::find(graceful.remove_brokers.begin(), graceful.remove_brokers.end(), id) != graceful.remove_brokers.end();
    auto it = st.brokers().find(id);
    if (drained && it != st.brokers().end() && !st.drained_sent.count(id)) {
      spdlog::info("cluster {}/{}: broker {} holds no replicas any more; deleting its objects", st.ns, st.name_, id);
      if (auto cr = st.kube.clusters->get(st.ns, st.name_); cr && st.kube.events)
        st.kube.events->normal(reference(*cr), "BrokerRemoved",
                               "broker " + std::to_string(id) + " drained by Cruise Control; deleting its pod, ConfigMap, Service and PVCs");
      st.drained_sent.insert(id);
      self->send(it->second, drained_atom::value);
    }
  }
  // Gone from the spec and from the cluster: forget it.
  for (auto it = st.brokers().begin(); it != st.brokers().end();) {
    auto id = it->first;
    if (feed.in_spec.count(id) || graceful.states.count(id)) {
      ++it;
      continue;
    }
    self->demonitor(it->second.address());
    st.broker_ids.erase(it->second.address());
    self->send_exit(it->second, caf::exit_reason::user_shutdown);
    st.reports.erase(id);
    st.waiting.erase(id);
    st.permits.erase(id);
    st.sent.erase(id);
    st.drained_sent.erase(id);
    it = st.brokers().erase(it);
  }
  for (auto& [id, report] : st.reports)
    report.removed_from_spec = !feed.in_spec.count(id);
}

/// Asks Kafka for its partitions when a restart decision needs a fresh answer, and keeps polling while a
/// roll runs (ISR changes are not Kubernetes events).
void describe_kafka(cluster_self self, bool needed) {
  auto& st = self->state;
  if (!st.admin || !needed)
    return;
  bool stale = !st.kafka || st.kafka->seq != st.change_seq;
  if (!st.describe_in_flight && (stale || steady_now() - st.last_describe >= st.kube.settings.kafka_poll)) {
    st.describe_in_flight = true;
    st.last_describe = steady_now();
    cluster_actor handle = self;
    start_kafka_describe(st.admin, st.change_seq, [handle](kafka_described d) { caf::anon_send(handle, std::move(d)); });
  }
  if (!st.poll_scheduled) {
    st.poll_scheduled = true;
    self->delayed_send(self, st.kube.settings.kafka_poll, tick_atom::value, uint64_t{0});
  }
}

/// Ends the wait on restarted brokers that are back (Ready, in their ISRs) and stops the roll on one that
/// is not back in time.
void check_restarts(cluster_self self, const std::vector<int32_t>& lagging, bool fresh, const json& cr) {
  auto& st = self->state;
  auto now = steady_now();
  for (auto it = st.restart_started.begin(); it != st.restart_started.end();) {
    auto id = it->first;
    auto rep = st.reports.find(id);
    const auto r = rep == st.reports.end() ? model::broker_report{} : rep->second;
    bool back = r.pod_ready && !r.restarting && !st.permits.count(id) && fresh
                && std::find(lagging.begin(), lagging.end(), id) == lagging.end();
    if (back) {
      if (st.stopped_on == id) {
        st.stopped_on.reset();
        if (st.kube.events)
          st.kube.events->normal(reference(cr), "RollResumed", "broker " + std::to_string(id) + " is back; the roll goes on");
      }
      it = st.restart_started.erase(it);
      continue;
    }
    if (!st.stopped_on && now - it->second >= st.kube.settings.roll_timeout) {
      st.stopped_on = id;
      st.stop_message = "broker " + std::to_string(id) + " did not become Ready and rejoin its partitions' ISRs within "
                        + std::to_string(st.kube.settings.roll_timeout.count() / 1000) + " s; the roll is stopped";
      spdlog::warn("cluster {}/{}: {}", st.ns, st.name_, st.stop_message);
      if (st.kube.events)
        st.kube.events->warning(reference(cr), "RollStopped", st.stop_message);
    }
    ++it;
  }
}

void grant_permits(cluster_self self, const model::kafka_cluster& c, const json& cr) {
  auto& st = self->state;
  model::roll_inputs in;
  auto placements = model::roll_placements(c);
  std::set<int32_t> ids;
  for (const auto& [id, r] : st.reports)
    ids.insert(id);
  for (const auto& [id, t] : st.waiting)
    ids.insert(id);
  // A spec broker that has not reported yet (its actor just started) counts as not Ready: no restart is
  // granted on the guess that it is fine.
  for (const auto& [id, place] : placements)
    ids.insert(id);
  for (auto id : ids) {
    auto rep = st.reports.find(id);
    const auto r = rep == st.reports.end() ? model::broker_report{id} : rep->second;
    auto place = placements[id];
    in.brokers.push_back({id, place.rack, place.controller, st.waiting.count(id) > 0, r.pod_ready, r.restarting,
                          st.permits.count(id) > 0, r.removed_from_spec});
  }
  // Without an admin only the pod-level gates apply; with one, only an answer newer than every change counts.
  bool fresh = !st.admin || (st.kafka && st.kafka->seq == st.change_seq && st.kafka->ok);
  if (!st.admin)
    in.partitions = std::vector<model::roll_partition>{};
  else if (fresh)
    in.partitions = st.kafka->partitions;
  else if (st.kafka && !st.kafka->ok)
    in.kafka_error = st.kafka->error;
  in.active_controller = st.kafka ? st.kafka->controller : -1;
  in.kraft = c.spec.k_raft;
  in.concurrent_per_rack = c.spec.rolling_upgrade.concurrent_broker_restart_count_per_rack.value_or(1);
  in.failure_threshold = c.spec.rolling_upgrade.failure_threshold.value_or(model::default_failure_threshold);
  in.alert_count = cr.value("/status/rollingUpgradeStatus/errorCount"_json_pointer, json(0)).get<int64_t>();
  auto lagging = in.partitions ? model::catching_up(*in.partitions) : std::vector<int32_t>{};
  check_restarts(self, lagging, in.partitions.has_value(), cr);
  in.stopped = st.stopped_on.has_value();
  in.unsafe_two_at_once = st.kube.settings.unsafe_roll;
  auto decision = model::plan_roll(in);
  for (auto id : decision.grant) {
    auto permit = st.next_permit++;
    st.permits[id] = permit;
    st.waiting.erase(id);
    st.restart_started[id] = steady_now();
    self->delayed_send(self, st.kube.settings.roll_timeout + std::chrono::milliseconds{1}, pass_atom::value);
    ++st.change_seq;
    spdlog::info("cluster {}/{}: broker {} may restart (permit {})", st.ns, st.name_, id, permit);
    st.kube.metrics->restart_granted();
    self->send(st.brokers()[id], restart_permit_granted{id, permit});
  }
  for (const auto& [id, why] : decision.waiting)
    if (st.roll_waiting[id] != why)
      spdlog::info("cluster {}/{}: broker {} waits to restart: {}", st.ns, st.name_, id, why);
  st.roll_waiting = decision.waiting;
  describe_kafka(self, !st.waiting.empty() || !st.permits.empty() || !st.restart_started.empty());
}

/// Brings clusterWideConfig in force once any broker serves.
void reconcile_cluster_config(cluster_self self, const model::kafka_cluster& c) {
  auto& st = self->state;
  bool any_ready = std::any_of(st.reports.begin(), st.reports.end(), [](const auto& r) { return r.second.pod_ready; });
  auto desired = model::desired_cluster_wide_config(c);
  if (!st.admin || !any_ready || !desired.is_ok())
    return;
  auto generation = st.config.begin(model::render_properties(desired.value()));
  if (generation == 0)
    return;
  cluster_actor handle = self;
  start_config_reconcile(st.admin, integrations::kafka::config_resource::cluster_default(), desired.value(), generation,
                         [handle](config_reconciled r) { caf::anon_send(handle, std::move(r)); });
}

void on_config_reconciled(cluster_self self, const config_reconciled& r) {
  auto& st = self->state;
  if (!st.config.finish(r))
    return;
  if (r.state == "Retry")
    self->delayed_send(self, st.kube.settings.kafka_poll, pass_atom::value);
  if (r.state == "Error")
    spdlog::warn("cluster {}/{}: clusterWideConfig refused: {}", st.ns, st.name_, r.message);
  queue_pass(self);
}

std::shared_ptr<integrations::kafka::kafka_admin> make_admin(const kube_access& kube, const std::string& ns,
                                                              const model::kafka_cluster& c) {
  if (!kube.kafka_admins)
    return nullptr;
  const auto* l = model::inner_broker_listener(c.spec);
  auto host = model::all_broker_service_name(c) + "." + ns + ".svc."
              + c.spec.kubernetes_cluster_domain.value_or(model::default_cluster_domain);
  return kube.kafka_admins({ns, c.metadata.name, host + ":" + std::to_string(l ? l->container_port : 9092)});
}

/// What the caches hold of the cluster's brokers: disks (mount paths of their PVCs), their PVCs' specs, and
/// the order the running pod mounts its disks in.
struct observed_brokers {
  std::map<int32_t, std::vector<std::string>> disks;
  std::map<int32_t, std::map<std::string, json>> pvc_specs; ///< id → mount path → PVC spec
  std::map<int32_t, std::vector<std::string>> mount_order;
};

std::optional<int32_t> broker_label(const json& obj) {
  auto id = obj.value("/metadata/labels/brokerId"_json_pointer, std::string{});
  if (id.empty() || id.size() > 9 || id.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoi(id);
}

observed_brokers observe_brokers(const cluster_state& st) {
  observed_brokers out;
  auto mine = [&](const json& o) {
    return o.value("/metadata/namespace"_json_pointer, std::string{}) == st.ns
           && o.value("/metadata/labels/kafka_cr"_json_pointer, std::string{}) == st.name_;
  };
  // Summaries (actors::cluster_pass_summary), not whole objects: a pass reads a few fields of every object.
  for (const auto& cache : {st.kube.pods, st.kube.configmaps, st.kube.services})
    cache->visit_summaries_by_label(st.ns, st.name_, [&](const json& o) {
      if (auto id = broker_label(o); id && mine(o)) {
        out.disks[*id];
        if (cache == st.kube.pods)
          for (const auto& m : o.value("/spec/containers/0/volumeMounts"_json_pointer, json::array()))
            out.mount_order[*id].push_back(m.value("mountPath", ""));
      }
    });
  st.kube.pvcs->visit_summaries_by_label(st.ns, st.name_, [&](const json& o) {
    auto id = broker_label(o);
    if (!id || !mine(o))
      return;
    auto mount = o.value("/metadata/annotations"_json_pointer, json::object()).value(model::mount_path_annotation, "");
    if (mount.empty())
      return;
    out.disks[*id].push_back(mount);
    json spec = {{"resources", {{"requests", {{"storage", o.value("/spec/resources/requests/storage"_json_pointer, json("1Gi"))}}}}},
                 {"accessModes", o.value("/spec/accessModes"_json_pointer, json::array({"ReadWriteOnce"}))}};
    if (o.contains("/spec/storageClassName"_json_pointer))
      spec["storageClassName"] = o.at("/spec/storageClassName"_json_pointer);
    out.pvc_specs[*id][mount] = std::move(spec);
  });
  return out;
}

void ensure_cruise_control(cluster_self self, const model::kafka_cluster& c) {
  auto& st = self->state;
  if (st.cc || st.cc_tried || !st.kube.cruise_controls || !st.kube.cc_operations)
    return;
  st.cc_tried = true;
  auto endpoint = c.spec.cruise_control.cruise_control_endpoint.value_or(
      "http://" + c.metadata.name + "-cruisecontrol-svc." + st.ns + ".svc."
      + c.spec.kubernetes_cluster_domain.value_or(model::default_cluster_domain) + ":8090");
  if (endpoint.find("://") == std::string::npos)
    endpoint = "http://" + endpoint;
  auto client = st.kube.cruise_controls({st.ns, st.name_, endpoint});
  if (!client) {
    spdlog::warn("cluster {}/{}: no Cruise Control client for {}", st.ns, st.name_, endpoint);
    return;
  }
  st.cc = spawn_cruise_control_actor(self->system(), st.ns, st.name_, st.kube, std::move(client), self);
  self->monitor(*st.cc); // a crash respawns it on the next pass; it ends with this actor (it monitors us)
}

/// Decides the graceful operations (model::plan_graceful), creates the operations it asks for and keeps
/// Cruise Control's view fresh while anything waits on it.
model::graceful_plan plan_operations(cluster_self self, const model::kafka_cluster& c, const observed_brokers& obs) {
  auto& st = self->state;
  ensure_cruise_control(self, c);
  model::graceful_inputs in;
  in.cluster = st.name_;
  for (const auto& b : c.spec.brokers) {
    auto eb = model::make_effective_broker(c, b.id);
    if (eb && !eb->is_broker()) {
      in.ignored.insert(b.id); // a KRaft controller-only node holds no partitions
      continue;
    }
    auto& disks = in.spec_disks[b.id];
    if (eb)
      for (const auto& s : eb->config.storage_configs)
        if (s.pvc_spec)
          disks.push_back(s.mount_path);
  }
  in.observed_disks = obs.disks;
  if (!st.graceful) {
    st.graceful.emplace();
    for (const auto& [key, b] : c.status.brokers_state)
      if (b.graceful_action && !b.graceful_action->cruise_control_state.empty())
        if (auto id = broker_label({{"metadata", {{"labels", {{"brokerId", key}}}}}}))
          (*st.graceful)[*id] = *b.graceful_action;
  }
  in.previous = *st.graceful;
  in.new_cluster = in.previous.empty();
  if (st.kube.cc_operations)
    in.operations = cluster_operations(st.kube, st.ns, st.name_);
  for (auto it = st.expected_ops.begin(); it != st.expected_ops.end();) {
    bool seen = std::any_of(in.operations.begin(), in.operations.end(), [&](const auto& o) { return o.name == it->first; });
    if (seen)
      it = st.expected_ops.erase(it);
    else
      in.operations.push_back((it++)->second);
  }
  if (st.cc_view && st.cc_view->ok && st.cc_view->seq == st.cc_seq)
    in.cruise_control = st.cc_view->brokers;
  in.name_suffix = std::to_string(model::rfc3339_seconds(rfc3339_now())) + "-" + std::to_string(++st.op_counter);
  auto plan = model::plan_graceful(in);
  st.graceful = plan.states;
  if (st.cc && st.kube.cc_operations) {
    for (const auto& r : plan.create) {
      spdlog::info("cluster {}/{}: creating CruiseControlOperation {} ({})", st.ns, st.name_, r.name, model::to_string(r.kind));
      auto object = model::render_cc_operation(c, r);
      auto op = model::parse_cc_operation(object);
      if (op.is_ok())
        st.expected_ops[r.name] = op.value();
      start_object_write(st.kube, st.ns, "cruisecontroloperations", model::object_action::create, object, json{},
                         completion(self));
    }
  } else if (!plan.create.empty() || plan.needs_cruise_control) {
    // Without Cruise Control nothing is created: the items stay Required and say why.
    for (const auto& r : plan.create)
      for (auto& [id, s] : st.graceful.value()) {
        if (s.cruise_control_operation_name == r.name) {
          s.cruise_control_state.replace(s.cruise_control_state.find("Scheduled"), 9, "Required");
          s.cruise_control_operation_name.reset();
        }
        for (auto& [m, v] : s.volume_states)
          if (v.cruise_control_operation_name == r.name) {
            v.cruise_control_volume_state.replace(v.cruise_control_volume_state.find("Scheduled"), 9, "Required");
            v.cruise_control_operation_name.reset();
          }
      }
    plan.states = *st.graceful;
  }
  if (plan.needs_cruise_control && st.cc) {
    auto now = steady_now();
    bool stale = !st.cc_view || st.cc_view->seq != st.cc_seq;
    if ((stale && st.cc_asked_seq != st.cc_seq) || now - st.cc_asked >= st.kube.settings.cc_poll) {
      st.cc_asked = now;
      st.cc_asked_seq = st.cc_seq;
      self->send(*st.cc, refresh_atom::value, st.cc_seq);
    }
    if (!st.cc_poll_scheduled) {
      st.cc_poll_scheduled = true;
      self->delayed_send(self, st.kube.settings.cc_poll, tick_atom::value, uint64_t{1} << 62);
    }
  }
  return plan;
}

/// The disks kept mounted until Cruise Control has moved their data off.
model::render_overrides kept_disks(const model::graceful_plan& plan, const observed_brokers& obs) {
  model::render_overrides o;
  for (const auto& [id, mounts] : plan.keep_disks) {
    auto& k = o.keep[id];
    if (auto order = obs.mount_order.find(id); order != obs.mount_order.end())
      k.order = order->second;
    for (const auto& m : mounts) {
      auto specs = obs.pvc_specs.find(id);
      if (specs == obs.pvc_specs.end() || !specs->second.count(m))
        continue;
      k.disks.push_back({m, specs->second.at(m), std::nullopt});
    }
  }
  return o;
}

void write_status(cluster_self self, const model::kafka_cluster& c, const json& cr, const model::graceful_plan* graceful = nullptr);

void write_status(cluster_self self, const model::kafka_cluster& c, const json& cr, const model::graceful_plan* graceful) {
  auto& st = self->state;
  model::status_inputs in;
  in.brokers = st.reports;
  in.spec_errors = st.spec_errors;
  for (const auto& [id, permit] : st.permits)
    in.restarting.push_back(id);
  in.roll_waiting = st.roll_waiting;
  if (st.stopped_on)
    in.roll_stopped = st.stop_message;
  in.dynamic_config_managed = st.admin != nullptr;
  in.cluster_config_state = st.config.state;
  in.cluster_config_error = st.config.error;
  if (graceful) {
    in.graceful = graceful->states;
    in.cruise_control_involved = graceful->needs_cruise_control;
    in.cruise_control_waiting = graceful->waiting;
    if (graceful->needs_cruise_control) {
      if (!st.kube.cruise_controls || !st.kube.cc_operations)
        in.cruise_control_error = "no Cruise Control is configured: brokers and disks wait to be added or removed";
      else if (!st.cc)
        in.cruise_control_error = "no Cruise Control client for this cluster";
      else if (st.cc_view && !st.cc_view->ok)
        in.cruise_control_error = "Cruise Control: " + st.cc_view->error;
    }
  }
  in.now = rfc3339_now();
  std::map<std::string, int> by_state;
  for (const auto& [id, r] : st.reports)
    ++by_state[r.removed_from_spec ? "removing" : (r.restarting || st.permits.count(id)) ? "restarting"
                                                : r.pod_ready ? "ready" : "not_ready"];
  st.kube.metrics->cluster_standing(st.ns + "/" + st.name_, std::move(by_state),
                                    !in.restarting.empty() || !in.roll_waiting.empty() || !in.roll_stopped.empty());
  auto status = model::render_cluster_status(c, in, cr.value("status", json{}));
  if (status != cr.value("status", json{}))
    start_status_write(st.kube, cr, std::move(status), completion(self));
}

void run_pass(cluster_self self) {
  auto& st = self->state;
  auto started = steady_now();
  if (st.pass_queued)
    st.kube.metrics->dequeued("kafkacluster", std::chrono::duration<double>(started - st.queued_at).count());
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
  auto observed = observe_brokers(st);
  auto graceful = plan_operations(self, parsed.cluster, observed);
  auto overrides = kept_disks(graceful, observed);
  broker_feed feed;
  if (auto error = prepare_feed(st, parsed.cluster, overrides, graceful, feed))
    return refuse_spec(self, *cr, {{"spec", *error}});
  if (!st.admin)
    st.admin = make_admin(st.kube, st.ns, parsed.cluster);
  reconcile_cluster_objects(self, model::render_cluster_objects(parsed.cluster));
  feed_brokers(self, parsed.cluster, overrides, feed, graceful);
  grant_permits(self, parsed.cluster, *cr);
  reconcile_cluster_config(self, parsed.cluster);
  write_status(self, parsed.cluster, *cr, &graceful);
  st.kube.metrics->reconciled("kafkacluster", st.writes_in_flight > 0 ? "requeue" : "success",
                              std::chrono::duration<double>(steady_now() - started).count());
}

void on_write_completed(cluster_self self, const write_completed& wc) {
  auto& st = self->state;
  --st.writes_in_flight;
  static const std::string cco_create = "create cruisecontroloperations/";
  if (!wc.ok && wc.what.rfind(cco_create, 0) == 0)
    st.expected_ops.erase(wc.what.substr(cco_create.size())); // never made: the next pass decides again
  st.creates.answered(wc, steady_now() + st.kube.settings.cache_lag);
  if (!wc.ok && !wc.conflict) {
    ++st.failures;
    st.kube.metrics->reconcile_error("kafkacluster");
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
  auto& old = st.reports[id];
  if (old.pod_ready != r.report.pod_ready || old.restarting != r.report.restarting)
    ++st.change_seq; // Kafka's last answer predates this: ask again before the next restart
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
  if (auto it = st.permits.find(p.id); it != st.permits.end() && it->second == p.permit) {
    st.permits.erase(it);
    ++st.change_seq;
  }
  queue_pass(self);
}

void on_broker_down(cluster_self self, const caf::down_msg& dm) {
  auto& st = self->state;
  if (st.cc && dm.source == st.cc->address()) {
    spdlog::warn("cluster {}/{}: Cruise Control actor stopped ({}); respawning", st.ns, st.name_, caf::to_string(dm.reason));
    st.cc.reset();
    st.cc_tried = false;
    self->delayed_send(self, st.kube.settings.respawn_base, pass_atom::value);
    return;
  }
  auto it = st.broker_ids.find(dm.source);
  if (it == st.broker_ids.end())
    return;
  auto id = it->second;
  st.broker_ids.erase(it);
  st.brokers().erase(id);
  st.permits.erase(id); // a crashed broker's permit goes back to the pool
  st.drained_sent.erase(id); // a respawned actor of a drained broker is told again
  ++st.change_seq;
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
  self->attach_functor([children = self->state.children, metrics = self->state.kube.metrics,
                        key = self->state.ns + "/" + self->state.name_] {
    metrics->cluster_gone(key);
    for (auto& [id, b] : *children)
      caf::anon_send_exit(b, caf::exit_reason::user_shutdown);
  });
  queue_pass(self);
  return {
      [=](const object_changed& ev) {
        if (ev.resource == "cruisecontroloperations") {
          ++self->state.cc_seq; // Cruise Control's last view may predate this step
          if (self->state.cc)
            self->send(*self->state.cc, ev);
          return queue_pass(self);
        }
        auto it = self->state.brokers().find(ev.broker_id);
        if (ev.broker_id >= 0 && it != self->state.brokers().end()) {
          self->send(it->second, ev);
          // A drained broker's objects going away: once the last is gone the cluster forgets the broker
          // (found by the simulation: without this pass the removal finished only at the next resync).
          if (self->state.drained_sent.count(ev.broker_id))
            queue_pass(self);
        } else
          queue_pass(self);
      },
      [=](const broker_reported& r) { on_broker_report(self, r); },
      [=](const restart_permit_returned& p) { on_permit_returned(self, p); },
      [=](const write_completed& wc) { on_write_completed(self, wc); },
      [=](kafka_described& d) {
        self->state.describe_in_flight = false;
        if (!d.ok && d.error != (self->state.kafka ? self->state.kafka->error : ""))
          spdlog::warn("cluster {}/{}: Kafka could not be described: {}", self->state.ns, self->state.name_, d.error);
        self->state.kafka = std::move(d);
        queue_pass(self);
      },
      [=](const config_reconciled& r) { on_config_reconciled(self, r); },
      [=](cruise_control_observed& o) {
        auto& st = self->state;
        if (!o.ok && (!st.cc_view || st.cc_view->error != o.error))
          spdlog::warn("cluster {}/{}: Cruise Control: {}", st.ns, st.name_, o.error);
        st.cc_view = std::move(o);
        queue_pass(self);
      },
      [=](pass_atom) { run_pass(self); },
      [=](tick_atom, uint64_t generation) {
        if (generation == 0) { // the Kafka poll
          self->state.poll_scheduled = false;
          queue_pass(self);
        } else if (generation == uint64_t{1} << 62) { // the Cruise Control poll
          self->state.cc_poll_scheduled = false;
          queue_pass(self);
        } else if (generation == self->state.timer)
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
