#include "runtime/operator_runtime.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <caf/all.hpp>

#include "actors/alert_actor.hpp"
#include "actors/operator_actor.hpp"
#include "integrations/kubernetes/event_recorder.hpp"
#include "integrations/kubernetes/watch_cache.hpp"
#include "actors/spec_edit_actor.hpp"
#include "runtime/supervisor.hpp"
#include "model/identity.hpp"
#include "runtime/per_namespace_reader.hpp"

namespace kactor::runtime {

namespace k8s = integrations::kubernetes;
using nlohmann::json;

namespace {

/// Forwards cache notifications to the operator actor once it exists (before, the start-up resync
/// covers them).
class router {
public:
  void set(messages::operator_actor a) {
    std::lock_guard lock(mutex_);
    target_ = std::move(a);
  }
  void clear() {
    std::lock_guard lock(mutex_);
    target_.reset();
  }
  void forward(model::resource_kind resource, const k8s::change& c) {
    messages::object_changed ev{resource, c.namespace_, c.name, "", -1};
    const auto& obj = c.object;
    if (resource == model::resource_kind::kafka_cluster) {
      ev.cluster = c.name;
    } else {
      auto who = model::broker_identity_of(obj);
      ev.cluster = who.cluster;
      ev.broker_id = who.broker_id.value_or(-1);
    }
    std::lock_guard lock(mutex_);
    if (target_)
      caf::anon_send(*target_, std::move(ev));
  }

private:
  std::mutex mutex_;
  std::optional<messages::operator_actor> target_;
};

messages::alerts_received to_message(std::vector<integrations::alertmanager::alert> alerts) {
  messages::alerts_received msg;
  for (auto& a : alerts) {
    if (!a.firing)
      msg.resolved.push_back(a.fingerprint);
    else
      msg.firing.push_back({a.fingerprint, a.starts_at, std::move(a.labels), std::move(a.annotations)});
  }
  return msg;
}

/// Asks the spec-edit actor for `msg` and fulfils `done` with the answer (a short-lived actor per edit).
void ask_spec_edit(caf::event_based_actor* self, std::shared_ptr<std::promise<model::status>> done,
                   messages::spec_edit_actor editor, messages::edit_spec msg) {
  self->request(editor, std::chrono::minutes{5}, std::move(msg))
      .then([done](const messages::spec_edit_result& r) {
              done->set_value(r.ok ? model::status::ok() : model::status::invalid(r.error));
            },
            [done, self](const caf::error& e) {
              done->set_value(model::status::invalid("the spec edit did not complete: " + self->system().render(e)));
            });
}

} // namespace

struct operator_runtime::impl {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  /// What the actors get (ports only), frozen into `ports` before the first actor starts.
  actors::kube_access kube;
  actors::kube_ports ports;
  // The concrete implementations behind the ports, which only the runtime starts and stops.
  std::shared_ptr<k8s::kube_client> client;
  std::vector<std::shared_ptr<k8s::watch_cache>> caches;
  std::shared_ptr<k8s::kube_client> watch_client; ///< the caches' (see start)
  std::shared_ptr<router> routes = std::make_shared<router>();
  /// The top-level actors, as the supervisor last (re)spawned them (runtime/supervisor.hpp).
  struct top_actors {
    std::mutex mutex;
    std::optional<messages::operator_actor> root;
    std::optional<messages::alert_actor> alerts;
    std::optional<messages::spec_edit_actor> spec_edits;
  };
  std::shared_ptr<top_actors> top = std::make_shared<top_actors>();
  std::optional<caf::actor> supervisor;
  std::shared_ptr<supervision_health> health = std::make_shared<supervision_health>();
  std::mutex stop_mutex; ///< edit_spec against stop()
  std::unique_ptr<integrations::alertmanager::alert_receiver> receiver;
  bool stopped = false;
};

operator_runtime::operator_runtime(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

operator_runtime::~operator_runtime() { stop(); }

model::result<std::unique_ptr<operator_runtime>> operator_runtime::start(k8s::client_config config, operator_options opts) {
  auto p = std::make_unique<impl>();
  auto client_opts = opts.client;
  client_opts.metrics = std::make_shared<k8s::request_metrics>();
  auto client = k8s::kube_client::make(config, client_opts);
  if (!client.is_ok())
    return client.error();
  p->client = client.value();
  p->kube.client = p->client;
  // The watch caches on a client (an I/O thread) of their own: reading watch events does not wait behind
  // thousands of writes' answers, so the API server does not drop the watch as a slow reader (16 MB
  // behind at 3,000 brokers, then a relist of every pod). Counted with the other requests.
  auto watch_client = k8s::kube_client::make(std::move(config), client_opts);
  if (!watch_client.is_ok())
    return watch_client.error();
  p->watch_client = watch_client.value();
  p->kube.settings = opts.settings;
  p->kube.kafka_admins = opts.kafka_admins;
  p->kube.cruise_controls = opts.cruise_controls;
  p->kube.namespaces = {opts.namespaces.begin(), opts.namespaces.end()};
  p->kube.events = std::make_shared<k8s::event_recorder>(p->client, "kactor");
  auto watch_in = [&](const k8s::resource_type& type, const std::string& selector, bool compact, const std::string& ns) {
    k8s::watch_cache_options o;
    o.type = type;
    o.compact = compact; // one object per broker or more: text (a Pod parsed ~17 KB, as text ~3 KB)
    if (compact)
      o.summarize = actors::cluster_pass_summary;
    o.index_label = "kafka_cr"; // each cluster actor reads its own brokers' objects only
    o.namespace_ = ns;
    o.label_selector = selector;
    o.resync = opts.resync;
    o.backoff_base = opts.watch_backoff_base;
    o.backoff_max = opts.watch_backoff_max;
    // Every watched type is a kind kactor knows (model::resource_kind): routed by kind, never by its name.
    auto kind = model::resource_kind_of_plural(type.resource).value();
    auto cache = k8s::watch_cache::start(p->watch_client, o, [routes = p->routes, kind](const k8s::change& c) {
      routes->forward(kind, c);
    });
    p->caches.push_back(cache);
    return cache;
  };
  // Several namespaces: a cache per namespace, so that RoleBindings in each suffice (no cluster-wide list).
  auto watch = [&](const k8s::resource_type& type, const std::string& selector,
                   bool compact = false) -> std::shared_ptr<k8s::object_reader> {
    if (!opts.watch_namespace.empty() || opts.namespaces.empty())
      return watch_in(type, selector, compact, opts.watch_namespace);
    std::map<std::string, per_namespace_reader::reader> by_namespace;
    for (const auto& ns : opts.namespaces)
      by_namespace[ns] = watch_in(type, selector, compact, ns);
    return std::make_shared<per_namespace_reader>(std::move(by_namespace));
  };
  p->kube.clusters = watch(k8s::resources::kafka_clusters(), "");
  p->kube.pods = watch(k8s::resources::pods(), "app=kafka", true);
  // The Cruise Control kactor deploys for a cluster is labelled app=cruisecontrol (as Koperator's), so that
  // the brokers' PDB and Services, which select app=kafka, never take its pod.
  p->kube.configmaps = watch(k8s::resources::configmaps(), "app in (kafka,cruisecontrol)", true);
  p->kube.pvcs = watch(k8s::resources::persistent_volume_claims(), "app=kafka", true);
  p->kube.services = watch(k8s::resources::services(), "app in (kafka,cruisecontrol)", true);
  p->kube.pdbs = watch(k8s::resources::pod_disruption_budgets(), "app=kafka");
  p->kube.deployments = watch(k8s::resources::deployments(), "app=cruisecontrol");
  if (opts.cruise_controls)
    p->kube.cc_operations = watch(k8s::resources::cruise_control_operations(), "kafka_cr");
  auto deadline = std::chrono::steady_clock::now() + opts.sync_timeout;
  for (const auto& c : p->caches) {
    while (!c->synced() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    if (!c->synced()) {
      auto rt = std::unique_ptr<operator_runtime>(new operator_runtime(std::move(p)));
      rt->stop();
      return model::status::invalid("watch caches did not sync within " + std::to_string(opts.sync_timeout.count()) +
                                    " ms: is the API server reachable and the KafkaCluster (and, with Cruise Control, the "
                                    "CruiseControlOperation) CRD installed, and may kactor list and watch it (RBAC, deploy/rbac.yaml)?");
    }
  }
  p->cfg.set("scheduler.max-threads", static_cast<size_t>(std::max(1, opts.threads)));
  p->cfg.set("logger.console-verbosity", caf::atom("quiet"));
  p->sys = std::make_unique<caf::actor_system>(p->cfg);
  p->ports = std::make_shared<const actors::kube_access>(p->kube);
  std::vector<supervised_child> children;
  auto ports = p->ports;
  auto top = p->top;
  children.push_back({"operator actor",
                      [ports](caf::actor_system& sys) { return caf::actor_cast<caf::actor>(actors::spawn_operator_actor(sys, ports)); },
                      [top, routes = p->routes](const caf::actor& a) {
                        auto root = caf::actor_cast<messages::operator_actor>(a);
                        {
                          std::lock_guard lock(top->mutex);
                          top->root = root;
                        }
                        routes->set(root);
                        caf::anon_send(root, messages::resync_atom::value); // a respawned one learns from the caches
                      }});
  children.push_back({"alert actor",
                      [ports](caf::actor_system& sys) { return caf::actor_cast<caf::actor>(actors::spawn_alert_actor(sys, ports)); },
                      [top](const caf::actor& a) {
                        std::lock_guard lock(top->mutex);
                        top->alerts = caf::actor_cast<messages::alert_actor>(a);
                      }});
  children.push_back({"spec-edit actor",
                      [ports](caf::actor_system& sys) { return caf::actor_cast<caf::actor>(actors::spawn_spec_edit_actor(sys, ports)); },
                      [top](const caf::actor& a) {
                        std::lock_guard lock(top->mutex);
                        top->spec_edits = caf::actor_cast<messages::spec_edit_actor>(a);
                      }});
  p->supervisor = spawn_supervisor(*p->sys, std::move(children), p->health, p->ports);
  if (opts.alerts) {
    auto receiver = integrations::alertmanager::alert_receiver::start(
        *opts.alerts, [top](std::vector<integrations::alertmanager::alert> alerts) {
          std::lock_guard lock(top->mutex);
          if (top->alerts)
            caf::anon_send(*top->alerts, to_message(std::move(alerts)));
        });
    if (!receiver.is_ok()) {
      auto rt = std::unique_ptr<operator_runtime>(new operator_runtime(std::move(p)));
      rt->stop();
      return model::status::invalid("alert receiver on " + opts.alerts->address + ":" + std::to_string(opts.alerts->port) + ": "
                                    + receiver.error().message());
    }
    p->receiver = std::move(receiver.value());
  }
  return std::unique_ptr<operator_runtime>(new operator_runtime(std::move(p)));
}

void operator_runtime::inject_crash(const std::string& ns, const std::string& cluster, int32_t broker) {
  std::lock_guard lock(impl_->top->mutex);
  if (impl_->top->root)
    caf::anon_send(*impl_->top->root, messages::crash_atom::value, ns, cluster, broker);
}

void operator_runtime::inject_top_crash(const std::string& which) {
  std::lock_guard lock(impl_->top->mutex);
  auto crash = [](const auto& handle) { caf::anon_send_exit(handle, caf::exit_reason::unhandled_exception); };
  if (which == "operator" && impl_->top->root)
    crash(*impl_->top->root);
  else if (which == "alerts" && impl_->top->alerts)
    crash(*impl_->top->alerts);
  else if (which == "spec-edits" && impl_->top->spec_edits)
    crash(*impl_->top->spec_edits);
}

model::status operator_runtime::health() const {
  auto problem = impl_->health->problem();
  return problem.empty() ? model::status::ok() : model::status::invalid(problem);
}

k8s::request_metrics& operator_runtime::metrics() { return impl_->client->metrics(); }

const actors::kube_access& operator_runtime::kube() const { return impl_->kube; }

void operator_runtime::deliver_alerts(std::vector<integrations::alertmanager::alert> alerts) {
  std::lock_guard lock(impl_->top->mutex);
  if (impl_->top->alerts && !impl_->stopped)
    caf::anon_send(*impl_->top->alerts, to_message(std::move(alerts)));
}

std::future<model::status> operator_runtime::edit_spec(const std::string& ns, const std::string& cluster,
                                                      model::spec_intent intent) {
  auto done = std::make_shared<std::promise<model::status>>();
  auto answer = done->get_future();
  std::lock_guard lock(impl_->stop_mutex);
  std::optional<messages::spec_edit_actor> editor;
  {
    std::lock_guard top_lock(impl_->top->mutex);
    editor = impl_->top->spec_edits;
  }
  if (impl_->stopped || !editor) {
    done->set_value(model::status::invalid("the operator is stopped"));
    return answer;
  }
  // A short-lived actor asks and fulfils the promise: the caller waits on the future, no actor blocks.
  // The spec-edit actor answers every edit, also when it exits; the timeout is a last resort. Everything it
  // needs is a spawn argument, not a capture: CAF 0.17 dereferences a null argument tuple for an actor
  // spawned without arguments (UBSan: reference binding to null pointer).
  impl_->sys->spawn(ask_spec_edit, done, *editor, messages::edit_spec{ns, cluster, std::move(intent)});
  return answer;
}

uint16_t operator_runtime::alerts_port() const { return impl_->receiver ? impl_->receiver->port() : 0; }

uint64_t operator_runtime::alerts_received() const { return impl_->receiver ? impl_->receiver->alerts_received() : 0; }

void operator_runtime::stop() {
  {
    std::lock_guard lock(impl_->stop_mutex);
    if (impl_->stopped)
      return;
    impl_->stopped = true;
  }
  impl_->routes->clear();
  if (impl_->receiver)
    impl_->receiver->stop(); // no alert reaches the actors once they stop
  if (impl_->sys) {
    if (impl_->supervisor) // first: nothing is respawned while the others stop
      caf::anon_send_exit(*impl_->supervisor, caf::exit_reason::user_shutdown);
    impl_->supervisor.reset();
    std::lock_guard lock(impl_->top->mutex);
    auto& top = *impl_->top;
    if (top.alerts)
      caf::anon_send_exit(*top.alerts, caf::exit_reason::user_shutdown);
    top.alerts.reset();
    if (top.spec_edits)
      caf::anon_send_exit(*top.spec_edits, caf::exit_reason::user_shutdown); // answers its edits in flight
    top.spec_edits.reset();
    if (top.root)
      caf::anon_send_exit(*top.root, caf::exit_reason::user_shutdown);
    top.root.reset();
  }
  if (impl_->sys) {
    impl_->sys->await_all_actors_done();
  }
  for (const auto& c : impl_->caches)
    c->stop();
  if (impl_->client)
    impl_->client->stop();
  if (impl_->watch_client)
    impl_->watch_client->stop();
  impl_->sys.reset();
}

} // namespace kactor::runtime
