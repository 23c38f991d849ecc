// kactor::runtime (include/kactor/runtime.hpp): the operator runtime, optionally with the simulated
// control plane, behind a std-only API. Events come from a watch on the KafkaClusters (broker states,
// operations) and, in simulation, from the simulated Kafka's state (invariants).
#include "kactor/runtime.hpp"
#include "model/json_read.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "actors/clock.hpp"
#include "integrations/alertmanager/alert_payload.hpp"
#include "integrations/kubernetes/kafkacluster_crd.hpp"
#include "integrations/kubernetes/watch_cache.hpp"
#include "model/document.hpp"
#include "model/edit/intent.hpp"
#include "model/identity.hpp"
#include "runtime/cli/listen_address.hpp"
#include "runtime/embed/simulated_cluster.hpp"
#include "runtime/operator_runtime.hpp"

namespace kactor::api {

namespace detail {
simulated_cluster_factory start_simulated_cluster = nullptr;
} // namespace detail

namespace k8s = integrations::kubernetes;
namespace rt = kactor::runtime;
using nlohmann::json;

const char* to_string(event::kind k) {
  switch (k) {
  case event::kind::broker_state_changed: return "broker_state_changed";
  case event::kind::operation_started: return "operation_started";
  case event::kind::operation_finished: return "operation_finished";
  case event::kind::invariant_violated: return "invariant_violated";
  }
  return "event";
}

struct runtime::impl {
  runtime_options opts;
  std::mutex mutex;
  enum class phase { created, running, stopped } now = phase::created;
  std::unique_ptr<detail::simulated_cluster> plane; ///< in simulation
  std::shared_ptr<k8s::kube_client> client;
  std::unique_ptr<rt::operator_runtime> op;
  std::shared_ptr<k8s::watch_cache> clusters;

  // Event delivery: one thread, in order.
  std::mutex events_mutex;
  std::condition_variable events_wake;
  std::deque<event> queue;
  std::map<uint64_t, std::function<void(const event&)>> subscribers;
  uint64_t next_subscriber = 1;
  bool events_running = true;
  std::thread dispatcher;

  // What the last version of each cluster said: broker → state; rolling.
  std::map<std::string, std::map<int32_t, std::string>> brokers;
  std::map<std::string, bool> rolling;
  std::set<std::tuple<std::string, int32_t, std::string>> pending; ///< (cluster, broker, operation)
  std::set<std::string> violations;

  void emit(event e) {
    std::lock_guard lock(events_mutex);
    queue.push_back(std::move(e));
    events_wake.notify_one();
  }
  void on_cluster(const k8s::change& c);
  status edit(const std::string& ns, const std::string& cluster, model::spec_intent intent);
};

namespace {

std::string broker_state(const json& entry) {
  if (model::string_or(entry, "/gracefulActionState/cruiseControlState"_json_pointer).rfind("GracefulDownscale", 0) == 0)
    return "removing";
  return model::string_or(entry, "configurationState") == "ConfigInSync" ? "in_sync" : "out_of_sync";
}

void dispatch(const std::shared_ptr<runtime::impl>& p) {
  std::unique_lock lock(p->events_mutex);
  while (true) {
    p->events_wake.wait(lock, [&] { return !p->events_running || !p->queue.empty(); });
    if (p->queue.empty() && !p->events_running)
      return;
    auto e = std::move(p->queue.front());
    p->queue.pop_front();
    auto subscribers = p->subscribers;
    lock.unlock();
    for (const auto& [id, cb] : subscribers)
      cb(e);
    lock.lock();
  }
}

} // namespace

void runtime::impl::on_cluster(const k8s::change& c) {
  auto key = c.namespace_ + "/" + c.name;
  std::map<int32_t, std::string> now;
  bool roll = false;
  if (c.type != k8s::change_type::deleted) {
    // The status as the API server holds it: anyone may have written it.
    const json& states = model::object_or_empty(c.object, "/status/brokersState"_json_pointer);
    for (const auto& [key, entry] : states.items())
      if (auto id = model::parse_broker_id(key))
        now[*id] = broker_state(entry);
    for (const auto& cond : model::array_or_empty(c.object, "/status/conditions"_json_pointer))
      if (model::string_or(cond, "type") == "RollingUpgrade")
        roll = model::string_or(cond, "status") == "True";
  }
  std::lock_guard lock(mutex);
  auto& before = brokers[key];
  for (const auto& [id, st] : now)
    if (before[id] != st) {
      emit({event::kind::broker_state_changed, c.namespace_, c.name, id, st});
      if (st == "in_sync" && pending.erase({key, id, "add_disk"}))
        emit({event::kind::operation_finished, c.namespace_, c.name, id, "add_disk"});
    }
  for (const auto& [id, st] : before)
    if (!st.empty() && !now.count(id)) {
      emit({event::kind::broker_state_changed, c.namespace_, c.name, id, "gone"});
      if (pending.erase({key, id, "remove_broker"}))
        emit({event::kind::operation_finished, c.namespace_, c.name, id, "remove_broker"});
    }
  before = now;
  if (rolling[key] && !roll && pending.erase({key, -1, "roll"}))
    emit({event::kind::operation_finished, c.namespace_, c.name, -1, "roll"});
  rolling[key] = roll;
}

runtime::runtime(runtime_options opts) : impl_(std::make_shared<impl>()) {
  impl_->opts = std::move(opts);
}

runtime::~runtime() { stop(); }

bool runtime::running() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->now == impl::phase::running;
}

status runtime::start() {
  auto& p = *impl_;
  {
    std::lock_guard lock(p.mutex);
    if (p.now == impl::phase::running)
      return status::failure("the runtime is already running");
    if (p.now == impl::phase::stopped)
      return status::failure("a stopped runtime cannot be started again: create a new one");
  }
  const auto& o = p.opts;
  if (o.threads < 1 || o.simulated_nodes < 1)
    return status::failure(o.threads < 1 ? "threads must be at least 1" : "simulated_nodes must be at least 1");
  k8s::client_config config;
  rt::operator_options oo;
  if (o.access == runtime_options::kubernetes::simulation) {
    if (!detail::start_simulated_cluster)
      return status::failure("simulation is the separate component kactor::sim: link it (find_package(kactor COMPONENTS sim), "
                             "target kactor::sim) or choose kubeconfig or in_cluster access");
    auto plane = detail::start_simulated_cluster({o.simulated_nodes});
    if (!plane.is_ok())
      return status::failure("the simulated control plane did not start: " + plane.error().message());
    p.plane = std::move(plane.value());
    config.server = p.plane->api_url();
    config.source = "simulation";
    (void)k8s::parse_server_url(config.server, config.endpoint);
    oo.kafka_admins = p.plane->kafka_admins();
    oo.cruise_controls = p.plane->cruise_controls();
    oo.settings.cc_poll = std::chrono::milliseconds{200};
    oo.settings.cc_retry_base = std::chrono::seconds{1};
    oo.settings.kafka_poll = std::chrono::milliseconds{100};
    std::weak_ptr<impl> weak = impl_;
    p.plane->on_below_min_isr([weak](const std::string& ns, const std::string& name, const std::string& part) {
      auto self = weak.lock();
      if (!self)
        return;
      std::lock_guard lock(self->mutex);
      if (self->violations.insert(ns + "/" + name + "/" + part).second)
        self->emit({event::kind::invariant_violated, ns, name, -1, part + " below min.insync.replicas"});
    });
  } else {
    auto loaded = o.access == runtime_options::kubernetes::in_cluster
                    ? k8s::load_in_cluster([](const std::string& n) -> std::optional<std::string> {
                        const char* v = std::getenv(n.c_str());
                        return v ? std::optional<std::string>{v} : std::nullopt;
                      })
                    : k8s::load_default_config(o.kubeconfig_path, o.context);
    if (!loaded.is_ok())
      return status::failure(loaded.error().message());
    config = loaded.value();
  }
  if (o.kafka_admins)
    oo.kafka_admins = o.kafka_admins;
  oo.watch_namespace = o.watch_namespace;
  oo.threads = o.threads;
  if (!o.alerts_addr.empty()) {
    auto a = rt::listen_address("alerts_addr", o.alerts_addr);
    if (!a.is_ok())
      return status::failure(a.error().message());
    integrations::alertmanager::receiver_options ro;
    ro.address = a.value().address;
    ro.port = a.value().port;
    ro.bearer_token_file = o.alerts_bearer_token_file;
    oo.alerts = ro;
  }
  auto client = k8s::kube_client::make(config);
  if (!client.is_ok())
    return status::failure(client.error().message());
  p.client = client.value();
  if (p.plane) {
    auto crd = p.client->create_sync({"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false},
                                     "", k8s::kafkacluster_crd());
    if (!crd.is_ok() && !crd.is(k8s::api_error_kind::already_exists))
      return status::failure("installing the KafkaCluster CRD: " + crd.error().to_string());
    auto cco = p.client->create_sync({"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false},
                                     "", k8s::cruisecontroloperation_crd());
    if (!cco.is_ok() && !cco.is(k8s::api_error_kind::already_exists))
      return status::failure("installing the CruiseControlOperation CRD: " + cco.error().to_string());
  }
  auto op = rt::operator_runtime::start(config, oo);
  if (!op.is_ok())
    return status::failure(op.error().message());
  p.op = std::move(op.value());
  k8s::watch_cache_options w;
  w.type = k8s::resources::kafka_clusters();
  w.namespace_ = o.watch_namespace;
  std::weak_ptr<impl> weak = impl_;
  p.clusters = k8s::watch_cache::start(p.client, w, [weak](const k8s::change& c) {
    if (auto self = weak.lock())
      self->on_cluster(c);
  });
  p.dispatcher = std::thread([self = impl_] { dispatch(self); });
  std::lock_guard lock(p.mutex);
  p.now = impl::phase::running;
  return status::success();
}

void runtime::stop() {
  auto& p = *impl_;
  {
    std::lock_guard lock(p.mutex);
    if (p.now != impl::phase::running) {
      if (p.now == impl::phase::created)
        p.now = impl::phase::stopped;
      return;
    }
    p.now = impl::phase::stopped;
  }
  if (p.op)
    p.op->stop();
  if (p.clusters)
    p.clusters->stop();
  if (p.client)
    p.client->stop();
  if (p.plane)
    p.plane->stop();
  {
    std::lock_guard lock(p.events_mutex);
    p.events_running = false;
    p.events_wake.notify_all();
  }
  if (p.dispatcher.joinable())
    p.dispatcher.join();
}

std::string runtime::kubeconfig() const {
  return impl_->plane ? impl_->plane->kubeconfig() : "";
}

namespace {

class subscription_impl : public runtime::subscription {
public:
  subscription_impl(std::weak_ptr<runtime::impl> p, uint64_t id) : p_(std::move(p)), id_(id) {}
  ~subscription_impl() override {
    if (auto p = p_.lock()) {
      std::lock_guard lock(p->events_mutex);
      p->subscribers.erase(id_);
    }
  }

private:
  std::weak_ptr<runtime::impl> p_;
  uint64_t id_;
};

} // namespace

std::unique_ptr<runtime::subscription> runtime::subscribe(std::function<void(const event&)> callback) {
  std::lock_guard lock(impl_->events_mutex);
  auto id = impl_->next_subscriber++;
  impl_->subscribers[id] = std::move(callback);
  return std::make_unique<subscription_impl>(impl_, id);
}

/// Through the operator's spec-edit actor, as alert edits are written: read, edit (model/edit), a
/// conflict-checked PUT, again after a conflict. Waits on a future: the caller's thread blocks, no actor does.
status runtime::impl::edit(const std::string& ns, const std::string& cluster, model::spec_intent intent) {
  auto st = op->edit_spec(ns, cluster, std::move(intent)).get();
  return st.is_ok() ? status::success() : status::failure(st.message());
}

namespace {

status not_running() { return status::failure("the runtime is not running"); }

model::spec_intent intent(model::spec_intent::kind what, int32_t id = -1) {
  model::spec_intent i;
  i.what = what;
  i.broker_id = id;
  return i;
}

} // namespace

status runtime::apply_cluster(const std::string& document) {
  if (!running())
    return not_running();
  auto docs = model::load_documents(document);
  if (!docs.is_ok())
    return status::failure(docs.error().message());
  if (docs.value().size() != 1)
    return status::failure("expected one KafkaCluster document, got " + std::to_string(docs.value().size()));
  json cr = docs.value()[0];
  if (auto kind = model::string_or(cr, "kind"); kind != "KafkaCluster")
    return status::failure("kind: expected KafkaCluster, got \"" + kind + "\"");
  auto ns = model::string_or(cr, "/metadata/namespace"_json_pointer, "default");
  auto name = model::string_or(cr, "/metadata/name"_json_pointer);
  if (name.empty())
    return status::failure("metadata.name: required");
  auto& c = *impl_->client;
  if (impl_->plane)
    (void)c.create_sync(k8s::resources::namespaces(), "", {{"metadata", {{"name", ns}}}});
  auto existing = c.get_sync(k8s::resources::kafka_clusters(), ns, name);
  if (existing.is_ok()) {
    cr["metadata"]["resourceVersion"] = existing.value()["metadata"]["resourceVersion"];
    auto r = c.update_sync(k8s::resources::kafka_clusters(), ns, cr);
    return r.is_ok() ? status::success() : status::failure(r.error().to_string());
  }
  auto r = c.create_sync(k8s::resources::kafka_clusters(), ns, cr);
  return r.is_ok() ? status::success() : status::failure(r.error().to_string());
}

status runtime::create_topic(const std::string& ns, const std::string& cluster, const std::string& topic, int partitions,
                             int replication_factor, int min_insync_replicas) {
  if (!running())
    return not_running();
  if (!impl_->plane)
    return status::failure("create_topic works in simulation only (use Kafka's own tools on a real cluster)");
  auto r = impl_->plane->create_topic(ns, cluster, topic, partitions, replication_factor, min_insync_replicas);
  return r.is_ok() ? status::success() : status::failure(r.message());
}

status runtime::remove_broker(const std::string& ns, const std::string& cluster, int32_t id) {
  if (!running())
    return not_running();
  auto st = impl_->edit(ns, cluster, intent(model::spec_intent::kind::remove_broker, id));
  if (st.is_ok()) {
    std::lock_guard lock(impl_->mutex);
    impl_->pending.insert({ns + "/" + cluster, id, "remove_broker"});
    impl_->emit({event::kind::operation_started, ns, cluster, id, "remove_broker"});
  }
  return st;
}

status runtime::add_disk(const std::string& ns, const std::string& cluster, int32_t id, const std::string& mount_path,
                         const std::string& size) {
  if (!running())
    return not_running();
  if (mount_path.empty() || mount_path[0] != '/')
    return status::failure("mount_path: must be an absolute path, got \"" + mount_path + "\"");
  auto add = intent(model::spec_intent::kind::add_disk, id);
  add.new_disk = {mount_path, size, ""};
  auto st = impl_->edit(ns, cluster, std::move(add));
  if (st.is_ok()) {
    std::lock_guard lock(impl_->mutex);
    impl_->pending.insert({ns + "/" + cluster, id, "add_disk"});
    impl_->emit({event::kind::operation_started, ns, cluster, id, "add_disk"});
  }
  return st;
}

status runtime::trigger_roll(const std::string& ns, const std::string& cluster) {
  if (!running())
    return not_running();
  // As `kubectl rollout restart` does: a changed value in the pods' template (here the environment)
  // gives every broker a new revision; the roll then goes through the permits and gates.
  auto stamp = std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  auto stamp_env = intent(model::spec_intent::kind::set_env);
  stamp_env.env_name = "KACTOR_RESTARTED_AT";
  stamp_env.env_value = stamp;
  auto st = impl_->edit(ns, cluster, std::move(stamp_env));
  if (st.is_ok()) {
    std::lock_guard lock(impl_->mutex);
    impl_->pending.insert({ns + "/" + cluster, -1, "roll"});
    impl_->emit({event::kind::operation_started, ns, cluster, -1, "roll"});
  }
  return st;
}

status runtime::submit_alerts(const std::string& payload) {
  if (!running())
    return not_running();
  auto alerts = integrations::alertmanager::parse_alerts(payload, actors::rfc3339_now());
  if (!alerts.is_ok())
    return status::failure(alerts.error().message());
  impl_->op->deliver_alerts(std::move(alerts.value()));
  return status::success();
}

} // namespace kactor::api
