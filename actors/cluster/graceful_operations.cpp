#include "actors/cluster/graceful_operations.hpp"
#include "model/json_read.hpp"

#include <algorithm>
#include <set>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/clock.hpp"
#include "actors/cruise_control_actor.hpp"
#include "integrations/kubernetes/api.hpp"
#include "model/cruisecontrol/cc_credentials.hpp"
#include "model/alerts/alert_action.hpp"
#include "model/cruisecontrol/cc_operation_io.hpp"
#include "model/defaults.hpp"
#include "model/effective_broker.hpp"
#include "model/identity.hpp"
#include "model/render/cruise_control_configmap.hpp"
#include "model/render/cruise_control_deployment.hpp"
#include "model/render/cruise_control_service.hpp"
#include "model/render/metadata.hpp"

namespace kactor::actors {

using nlohmann::json;
namespace k8s = integrations::kubernetes;
using namespace messages;

namespace {

/// Reads the Secret that spec.cruiseControlConfig.credentialsSecretRef names; the answer comes back as
/// cc_credentials_read.
void read_credentials(cluster_self self, const std::string& secret) {
  auto& g = self->state.graceful;
  g.credentials_reading = true;
  cluster_actor handle = self;
  self->state.kube->client->get(
      k8s::resources::secrets(), self->state.ns, secret, [handle, secret](k8s::api_result<json> r) {
        cc_credentials_read out{secret, std::nullopt, {}};
        if (r.is(k8s::api_error_kind::decode)) { // the parser's message may quote the body: a Secret's bytes
          out.error = "cannot read Secret " + secret + ": the API server's answer does not decode";
        } else if (!r.is_ok()) {
          out.error = "cannot read Secret " + secret + ": " + r.error().to_string();
        } else if (auto data = k8s::secret_data(r.value()); !data.is_ok()) {
          out.error = data.error().message();
        } else if (auto creds = model::credentials_from_secret(secret, data.value()); !creds.is_ok()) {
          out.error = creds.error().message();
        } else {
          out.credentials = std::move(creds.value());
        }
        caf::anon_send(handle, std::move(out));
      });
}

/// The credentials the spec asks for: true with `out` set (or left empty: none named) when they are known,
/// false while they are being read or could not be (a later pass tries again).
bool spec_credentials(cluster_self self, const model::kafka_cluster& c,
                      std::optional<model::cruise_control_credentials>& out) {
  auto& st = self->state;
  auto& g = st.graceful;
  const auto& secret = c.spec.cruise_control.credentials_secret;
  if (!secret) {
    g.credentials.reset(); // named again later: read afresh
    return true;
  }
  if (g.credentials_reading)
    return false;
  // Good credentials are read again every cc_retry_max (a rotation needs no restart); unreadable ones, or
  // ones Cruise Control or the client refused, every cc_retry_base.
  bool trusted = g.credentials && g.credentials->credentials && !g.credentials_refused && g.cc_failed_key.empty();
  auto age = steady_now() - g.credentials_read_at;
  bool stale = !g.credentials || g.credentials->secret != *secret
               || age >= (trusted ? st.kube->settings.cc_retry_max : st.kube->settings.cc_retry_base);
  if (stale) {
    read_credentials(self, *secret);
    return false;
  }
  if (!g.credentials->credentials)
    return false;
  out = g.credentials->credentials;
  return true;
}

void ensure_cruise_control(cluster_self self, const model::kafka_cluster& c) {
  auto& st = self->state;
  auto& g = st.graceful;
  if (!st.kube->cruise_controls || !st.kube->cc_operations)
    return;
  std::optional<model::cruise_control_credentials> credentials;
  if (!spec_credentials(self, c, credentials))
    return; // being read, or unreadable (said, and read again later): the client there is, if any, goes on
  bool deployed_by_kactor = st.kube->settings.deploy_cruise_control && model::deploys_cruise_control(c);
  if (deployed_by_kactor && !g.cc) {
    // The Cruise Control kactor deploys: asked nothing before its Deployment has an available replica (the
    // Deployment's watch event brings the pass that starts it). Removals wait meanwhile, undrained, visibly.
    auto* deployments = st.kube->cache_for(model::resource_kind::deployment);
    auto d = deployments ? deployments->get(st.ns, model::cruise_control_deployment_name(c)) : std::nullopt;
    if (!d || !model::deployment_available(*d)) {
      if (!g.cc_waiting_for_deployment)
        spdlog::info("cluster {}/{}: waiting for Deployment {} (Cruise Control) to be available", st.ns, st.name_,
                     model::cruise_control_deployment_name(c));
      g.cc_waiting_for_deployment = true;
      return;
    }
    g.cc_waiting_for_deployment = false;
  }
  auto endpoint = model::cruise_control_endpoint(c);
  auto key = endpoint + "\n" + (credentials ? credentials->fingerprint() : "");
  if (g.cc) {
    if (key != g.cc_key && !g.cc_restarting) {
      // Another endpoint or rotated credentials: the Cruise Control actor stops; its down message makes the
      // next pass start one with a client for these. Nothing is lost: operations live in their CRs.
      spdlog::info("cluster {}/{}: Cruise Control endpoint or credentials changed; restarting its client", st.ns, st.name_);
      g.cc_restarting = true;
      self->send_exit(*g.cc, caf::exit_reason::user_shutdown);
    }
    return;
  }
  if (key == g.cc_failed_key && steady_now() - g.cc_failed_at < st.kube->settings.cc_retry_base)
    return; // a pass is due when the wait is over
  std::string why;
  auto client = st.kube->cruise_controls({st.ns, st.name_, endpoint, credentials, [&why](const std::string& e) { why = e; }});
  if (!client) {
    if (key != g.cc_failed_key) { // said once per endpoint and credentials, not at every retry
      spdlog::warn("cluster {}/{}: no Cruise Control client for {}{}", st.ns, st.name_, endpoint, why.empty() ? "" : ": " + why);
      if (!why.empty())
        if (auto cr = st.kube->clusters->get(st.ns, st.name_); cr && st.kube->events)
          st.kube->events->warning(reference(*cr), "CruiseControlClient", why);
    }
    g.cc_failed_key = key;
    g.cc_failed_at = steady_now();
    self->delayed_send(self, st.kube->settings.cc_retry_base, pass_atom::value);
    return;
  }
  g.cc_failed_key.clear();
  g.cc_key = key;
  g.cc = spawn_cruise_control_actor(self->system(), st.ns, st.name_, st.kube, std::move(client), self);
  self->monitor(*g.cc); // a crash respawns it on the next pass; it ends with this actor (it monitors us)
}

/// The plan's inputs: the spec's disks, what the caches hold, the operations, a fresh Cruise Control view.
model::graceful_inputs graceful_inputs_of(cluster_state& st, const model::kafka_cluster& c, const observed_brokers& obs) {
  auto& g = st.graceful;
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
  if (!g.states) {
    g.states.emplace();
    for (const auto& [key, b] : c.status.brokers_state)
      if (b.graceful_action && !b.graceful_action->cruise_control_state.empty())
        if (auto id = model::parse_broker_id(key))
          (*g.states)[*id] = *b.graceful_action;
  }
  in.previous = *g.states;
  in.new_cluster = in.previous.empty();
  if (st.kube->cc_operations)
    in.operations = cluster_operations(*st.kube, st.ns, st.name_);
  for (auto it = g.expected_ops.begin(); it != g.expected_ops.end();) {
    bool seen = std::any_of(in.operations.begin(), in.operations.end(), [&](const auto& o) { return o.name == it->first; });
    if (seen)
      it = g.expected_ops.erase(it);
    else
      in.operations.push_back((it++)->second);
  }
  auto ops = in.operations;
  std::sort(ops.begin(), ops.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  if (ops != g.seen_ops) { // level-triggered: the step itself makes older answers stale
    g.seen_ops = std::move(ops);
    ++g.cc_seq;
    ++st.roll.change_seq;
  }
  if (g.cc_view && g.cc_view->ok && g.cc_view->seq == g.cc_seq)
    in.cruise_control = g.cc_view->brokers;
  // Kafka's own word counts only from an answer asked after the last change (a leaving broker's pod going
  // away, an operation's step, any broker's standing): see roll_slice::change_seq.
  std::set<int32_t> leaving_with_pod;
  for (const auto& [id, mounts] : obs.pod_mounts)
    if (!in.spec_disks.count(id) && !in.ignored.count(id))
      leaving_with_pod.insert(id);
  if (leaving_with_pod != g.leaving_with_pod) {
    g.leaving_with_pod = std::move(leaving_with_pod);
    ++st.roll.change_seq;
  }
  if (st.roll.kafka && st.roll.kafka->ok && st.roll.kafka->seq == st.roll.change_seq) {
    auto& held = in.kafka_replicas.emplace();
    for (const auto& p : st.roll.kafka->partitions)
      for (auto r : p.replicas)
        ++held[r];
  }
  in.pod_mounts = obs.pod_mounts;
  in.name_suffix = std::to_string(model::rfc3339_seconds(rfc3339_now())) + "-" + std::to_string(++g.op_counter);
  in.cruise_control_available = g.cc && st.kube->cc_operations;
  return in;
}

/// Asks the Cruise Control actor for a fresh view when the last one predates a change, and polls.
void refresh_view(cluster_self self) {
  auto& st = self->state;
  auto& g = st.graceful;
  auto now = steady_now();
  bool stale = !g.cc_view || g.cc_view->seq != g.cc_seq;
  if ((stale && g.cc_asked_seq != g.cc_seq) || now - g.cc_asked >= st.kube->settings.cc_poll) {
    g.cc_asked = now;
    g.cc_asked_seq = g.cc_seq;
    self->send(*g.cc, refresh_atom::value, g.cc_seq);
  }
  if (!g.cc_poll_scheduled) {
    g.cc_poll_scheduled = true;
    self->delayed_send(self, st.kube->settings.cc_poll, cc_poll_atom::value);
  }
}

/// Test-only: proves the checker catches an operator that deletes undrained brokers or disks or never drains
/// (model/operator_flaw.hpp); the plan as decided otherwise.
void apply_test_flaw(model::operator_flaw flaw, const model::kafka_cluster& c, model::graceful_plan& plan) {
  using model::operator_flaw;
  std::set<int32_t> spec;
  for (const auto& b : c.spec.brokers)
    spec.insert(b.id);
  if (flaw == operator_flaw::delete_leaving_at_once) // deleted-with-replicas: no wait for the drain
    for (const auto& [id, state] : plan.states)
      if (!spec.count(id) && std::find(plan.remove_brokers.begin(), plan.remove_brokers.end(), id) == plan.remove_brokers.end())
        plan.remove_brokers.push_back(id);
  if (flaw == operator_flaw::delete_undrained_disks) { // pvc-deleted: disks go while Kafka still uses them
    for (const auto& [id, mounts] : plan.keep_disks)
      plan.remove_disks[id].insert(mounts.begin(), mounts.end());
    plan.keep_disks.clear();
  }
  if (flaw == operator_flaw::never_drain) // convergence: a leaving broker is never drained, never deleted
    std::erase_if(plan.create, [](const auto& r) { return r.kind == model::cc_operation_kind::remove_broker; });
}

} // namespace

observed_brokers observe_brokers(const cluster_state& st) {
  observed_brokers out;
  // The broker this object belongs to, if it is one of this cluster's.
  auto broker_of = [&](const json& o) -> std::optional<model::object_identity> {
    auto who = model::broker_identity_of(o);
    if (!who.broker_id || who.namespace_ != st.ns || who.cluster != st.name_)
      return std::nullopt;
    return who;
  };
  // Summaries (actors::cluster_pass_summary), not whole objects: a pass reads a few fields of every object.
  for (const auto& cache : {st.kube->pods, st.kube->configmaps, st.kube->services})
    cache->visit_summaries_by_label(st.ns, st.name_, [&](const json& o) {
      if (auto who = broker_of(o)) {
        out.disks[*who->broker_id];
        if (cache == st.kube->pods) {
          auto& mounted = out.pod_mounts[*who->broker_id];
          // Observed objects: as the API server (or whoever edited them) has them, any shape.
          for (const auto& m : model::array_or_empty(o, "/spec/containers/0/volumeMounts"_json_pointer)) {
            out.mount_order[*who->broker_id].push_back(model::string_or(m, "mountPath"));
            mounted.insert(model::string_or(m, "mountPath"));
          }
        }
      }
    });
  st.kube->pvcs->visit_summaries_by_label(st.ns, st.name_, [&](const json& o) {
    auto who = broker_of(o);
    if (!who || who->mount_path.empty())
      return;
    auto id = who->broker_id;
    auto mount = who->mount_path;
    out.disks[*id].push_back(mount);
    const json* storage = model::find(o, "/spec/resources/requests/storage"_json_pointer);
    const json* modes = model::find(o, "/spec/accessModes"_json_pointer);
    json spec = {{"resources", {{"requests", {{"storage", storage ? *storage : json("1Gi")}}}}},
                 {"accessModes", modes ? *modes : json::array({"ReadWriteOnce"})}};
    if (const json* sc = model::find(o, "/spec/storageClassName"_json_pointer))
      spec["storageClassName"] = *sc;
    out.pvc_specs[*id][mount] = std::move(spec);
  });
  return out;
}

model::graceful_plan plan_operations(cluster_self self, const model::kafka_cluster& c, const observed_brokers& obs) {
  auto& st = self->state;
  auto& g = st.graceful;
  ensure_cruise_control(self, c);
  auto plan = model::plan_graceful(graceful_inputs_of(st, c, obs));
  if (st.kube->settings.flaw != model::operator_flaw::none)
    apply_test_flaw(st.kube->settings.flaw, c, plan);
  g.states = plan.states;
  g.needs_kafka = plan.needs_kafka;
  for (const auto& r : plan.create) { // only when Cruise Control is available (cruise_control_available)
    spdlog::info("cluster {}/{}: creating CruiseControlOperation {} ({})", st.ns, st.name_, r.name, model::to_string(r.kind));
    auto object = model::render_cc_operation(c, r);
    auto op = model::parse_cc_operation(object);
    if (op.is_ok())
      g.expected_ops[r.name] = op.value();
    start_object_write(*st.kube, st.ns, model::resource_kind::cruise_control_operation, model::object_action::create, object,
                       json{}, completion(self));
  }
  if (plan.needs_cruise_control && g.cc)
    refresh_view(self);
  return plan;
}

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

void on_operation_changed(cluster_self self, const object_changed& ev) {
  auto& g = self->state.graceful;
  ++g.cc_seq; // Cruise Control's last view may predate this step
  ++self->state.roll.change_seq; // so may Kafka's last answer (a drain that just completed)
  if (g.cc)
    self->send(*g.cc, ev);
  queue_pass(self);
}

void on_cruise_control_observed(cluster_self self, cruise_control_observed& o) {
  auto& st = self->state;
  auto& g = st.graceful;
  if (!o.ok && (!g.cc_view || g.cc_view->error != o.error))
    spdlog::warn("cluster {}/{}: Cruise Control: {}", st.ns, st.name_, o.error);
  if (o.http_status == 401 || o.http_status == 403)
    g.credentials_refused = true; // a rotated Secret: read it again soon rather than at cc_retry_max
  g.cc_view = std::move(o);
  queue_pass(self);
}

void on_cc_credentials_read(cluster_self self, cc_credentials_read& r) {
  auto& st = self->state;
  auto& g = st.graceful;
  g.credentials_reading = false;
  g.credentials_read_at = steady_now();
  g.credentials_refused = false;
  bool changed = !g.credentials || g.credentials->error != r.error || g.credentials->credentials != r.credentials;
  if (!r.error.empty()) {
    if (changed) { // said once per distinct failure, not every retry
      spdlog::warn("cluster {}/{}: Cruise Control credentials: {}", st.ns, st.name_, r.error);
      if (auto cr = st.kube->clusters->get(st.ns, st.name_); cr && st.kube->events)
        st.kube->events->warning(reference(*cr), "CruiseControlCredentials", r.error);
    }
    self->delayed_send(self, st.kube->settings.cc_retry_base, pass_atom::value);
  } else {
    self->delayed_send(self, st.kube->settings.cc_retry_max, pass_atom::value); // the re-read of a rotated Secret
  }
  g.credentials = std::move(r);
  queue_pass(self);
}

void on_cc_poll(cluster_self self) {
  self->state.graceful.cc_poll_scheduled = false;
  queue_pass(self);
}

bool on_cruise_control_actor_down(cluster_self self, const caf::down_msg& dm) {
  auto& st = self->state;
  auto& g = st.graceful;
  if (!g.cc || dm.source != g.cc->address())
    return false;
  if (g.cc_restarting)
    spdlog::info("cluster {}/{}: Cruise Control actor stopped for its new client", st.ns, st.name_);
  else
    spdlog::warn("cluster {}/{}: Cruise Control actor stopped ({}); respawning", st.ns, st.name_, caf::to_string(dm.reason));
  g.cc.reset();
  g.cc_restarting = false;
  self->delayed_send(self, st.kube->settings.respawn_base, pass_atom::value);
  return true;
}

void on_operation_create_failed(cluster_self self, const std::string& name) { self->state.graceful.expected_ops.erase(name); }

} // namespace kactor::actors
