#include "sim/world/kafka/sim_kafka.hpp"

#include <algorithm>

#include "model/identity.hpp"
#include "sim/world/kafka/sim_kafka_state.hpp"
#include "sim/world/integration_names.hpp"

// Decisions the header leaves open:
// - A broker's identity is (namespace, kafka_cr label, brokerId label); its pod may be replaced any number
//   of times. Brokers stay known after their pod is deleted: their replicas remain assigned to them until
//   something (Cruise Control) moves them.
// - Leadership after a failure goes to the first live ISR member in replica order, so the outcome is
//   deterministic for a given sequence of pod changes.
// - The ConfigMap is read when the broker comes up, like Kafka reading server.properties at start: a
//   ConfigMap edited later changes nothing until the next restart.

namespace kactor::sim {

namespace {

bool contains(const std::vector<int32_t>& v, int32_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool pod_up(const json& pod) {
  const auto& meta = pod["metadata"];
  if (meta.contains("deletionTimestamp") && !meta["deletionTimestamp"].is_null())
    return false;
  const auto& st = pod.value("status", json::object());
  if (st.value("phase", "") != "Running")
    return false;
  for (const auto& c : st.value("conditions", json::array()))
    if (c.value("type", "") == "Ready")
      return c.value("status", "") == "True";
  return false;
}

std::string label(const json& obj, const char* key) {
  const auto& labels = obj["metadata"].value("labels", json::object());
  auto it = labels.find(key);
  return it != labels.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::string partition_name(const std::string& topic, int32_t p) {
  return topic + "-" + std::to_string(p);
}

} // namespace

int32_t sim_topic::min_isr() const {
  auto it = configs.find("min.insync.replicas");
  return it == configs.end() ? 1 : std::stoi(it->second);
}

bool sim_cluster::any_up() const {
  return std::any_of(brokers.begin(), brokers.end(), [](const auto& b) { return b.second.up; });
}


namespace {

template <class Pred>
std::vector<std::string> partitions_where(const sim_cluster_view& v, Pred pred) {
  std::vector<std::string> out;
  for (const auto& t : v.topics)
    for (const auto& p : t.partitions)
      if (pred(t, p))
        out.push_back(partition_name(t.name, p.partition));
  return out;
}

// --- transitions (called with the mutex held) ---

void elect_controller(sim_cluster& c) {
  if (c.controller >= 0 && c.brokers.count(c.controller) && c.brokers[c.controller].up)
    return;
  c.controller = -1;
  for (const auto& [id, b] : c.brokers)
    if (b.up && b.controller_role) {
      c.controller = id;
      return;
    }
}

void went_down(sim_cluster& c, sim_broker& b) {
  b.up = false;
  for (auto& [tn, t] : c.topics)
    for (auto& p : t.partitions) {
      if (!contains(p.replicas, b.id))
        continue;
      if (contains(p.isr, b.id) && p.isr.size() > 1)
        p.isr.erase(std::find(p.isr.begin(), p.isr.end(), b.id));
      if (p.leader != b.id)
        continue;
      p.leader = -1;
      for (auto r : p.replicas)
        if (r != b.id && contains(p.isr, r) && c.brokers[r].up) {
          p.leader = r;
          break;
        }
    }
  elect_controller(c);
}

void came_up(sim_cluster& c, sim_broker& b, clock_type::time_point now) {
  b.up = true;
  b.up_since = now;
  if (b.ever_up)
    ++b.restarts;
  b.ever_up = true;
  // The last ISR member of an offline partition leads it again at once: nothing newer exists elsewhere.
  for (auto& [tn, t] : c.topics)
    for (auto& p : t.partitions)
      if (p.leader < 0 && contains(p.isr, b.id))
        p.leader = b.id;
  place_replicas(c);
  elect_controller(c);
}

bool catch_up(sim_cluster& c, sim_broker& b) {
  bool changed = false;
  for (auto& [tn, t] : c.topics)
    for (auto& p : t.partitions) {
      if (!contains(p.replicas, b.id) || p.leader < 0)
        continue;
      // A reassignment's target joins the ISR when its copy is complete (sim_kafka_moves.cpp).
      if (p.move && p.move->what.what == partition_move::kind::replica && p.move->what.to == b.id)
        continue;
      if (!contains(p.isr, b.id)) {
        p.isr.push_back(b.id);
        std::sort(p.isr.begin(), p.isr.end(), [&](int32_t x, int32_t y) {
          return std::find(p.replicas.begin(), p.replicas.end(), x) < std::find(p.replicas.begin(), p.replicas.end(), y);
        });
        changed = true;
      }
      if (p.replicas.front() == b.id && p.leader != b.id) {
        p.leader = b.id;
        changed = true;
      }
    }
  return changed;
}

void read_pod(object_store& store, const resource_type& configmaps, const json& pod, sim_broker& b) {
  b.pod = pod["metadata"].value("name", "");
  // KRaft pods carry processRoles; in ZooKeeper mode every broker may become the controller.
  bool kraft = !label(pod, "processRoles").empty();
  b.controller_role = !kraft || label(pod, "isControllerNode") == "true";
  b.broker_role = !kraft || label(pod, "isBrokerNode") == "true";
  b.pvcs.clear();
  b.log_dirs.clear();
  std::string ns = pod["metadata"].value("namespace", "");
  auto mount_of = [&](const std::string& volume) -> std::string {
    for (const auto& c : pod["spec"].value("containers", json::array()))
      for (const auto& m : c.value("volumeMounts", json::array()))
        if (m.value("name", "") == volume)
          return m.value("mountPath", "");
    return {};
  };
  for (const auto& v : pod["spec"].value("volumes", json::array())) {
    if (v.contains("persistentVolumeClaim")) {
      b.pvcs.push_back(v["persistentVolumeClaim"].value("claimName", ""));
      auto mount = mount_of(v.value("name", ""));
      b.log_dirs.push_back(mount.empty() ? "" : mount + "/kafka");
    }
    if (v.contains("configMap")) {
      auto cm = store.get(configmaps, ns, v["configMap"].value("name", ""));
      if (cm.error || !cm.object["data"].contains("broker-config"))
        continue;
      auto props = model::parse_properties(cm.object["data"]["broker-config"].get<std::string>());
      if (props.is_ok())
        b.static_config = props.value();
    }
  }
  auto rack = b.static_config.find("broker.rack");
  b.rack = rack == b.static_config.end() ? "" : rack->second;
}

} // namespace

std::vector<std::string> sim_cluster_view::below_min_isr() const {
  return partitions_where(*this, [](const auto& t, const auto& p) { return int32_t(p.isr.size()) < t.min_insync_replicas; });
}

std::vector<std::string> sim_cluster_view::offline() const {
  return partitions_where(*this, [](const auto&, const auto& p) { return p.leader < 0; });
}

std::vector<std::string> sim_cluster_view::under_replicated() const {
  return partitions_where(*this, [](const auto&, const auto& p) { return p.isr.size() < p.replicas.size(); });
}

std::vector<int32_t> sim_cluster_view::down() const {
  std::vector<int32_t> out;
  for (const auto& [id, b] : brokers)
    if (!b.up)
      out.push_back(id);
  return out;
}

sim_kafka::impl::impl(object_store& s, const resource_registry& r, sim_kafka_options o)
  : store(s), pods(*r.find("", "v1", "pods")), configmaps(*r.find("", "v1", "configmaps")),
    pvcs(*r.find("", "v1", "persistentvolumeclaims")), services(*r.find("", "v1", "services")), opts(o) {}

sim_cluster* sim_kafka::impl::find(const std::string& ns, const std::string& name) {
  auto it = clusters.find(ns + "/" + name);
  return it == clusters.end() ? nullptr : &it->second;
}

void sim_kafka::impl::notify(const std::vector<sim_cluster_view>& changed) {
  std::vector<observer> obs;
  {
    std::lock_guard lock(mutex);
    obs = observers;
  }
  for (const auto& v : changed)
    for (const auto& o : obs)
      o(v);
}

namespace {

/// One pod event; the view of its cluster when something changed.
std::optional<sim_cluster_view> apply_pod_event(sim_kafka::impl& k, const watch_event& ev, clock_type::time_point now) {
  const auto& pod = ev.object;
  auto who = model::broker_identity_of(pod);
  if (who.cluster.empty() || !who.broker_id)
    return std::nullopt;
  const auto& cluster = who.cluster;
  auto ns = pod["metadata"].value("namespace", "");
  std::lock_guard lock(k.mutex);
  auto& c = k.clusters[ns + "/" + cluster];
  c.ns = ns;
  c.name = cluster;
  auto id = *who.broker_id;
  auto& b = c.brokers[id];
  bool known = !b.pod.empty();
  b.id = id;
  bool up = ev.type != "DELETED" && pod_up(pod);
  if (up == b.up && known)
    return std::nullopt;
  if (!up && b.up)
    went_down(c, b);
  if (up) {
    read_pod(k.store, k.configmaps, pod, b);
    came_up(c, b, now);
  } else if (!known)
    read_pod(k.store, k.configmaps, pod, b);
  return c.view();
}

/// Timed work: catch-ups and data growth. The views of clusters whose state changed.
std::vector<sim_cluster_view> advance(sim_kafka::impl& k, clock_type::time_point now) {
  std::vector<sim_cluster_view> changed;
  std::lock_guard lock(k.mutex);
  double dt = std::chrono::duration<double>(now - k.last_tick).count();
  k.last_tick = now;
  for (auto& [key, c] : k.clusters) {
    bool any = false;
    for (auto& [id, b] : c.brokers)
      if (b.up && now - b.up_since >= k.opts.catch_up) // followers keep fetching: rejoin wherever a leader is live
        any = catch_up(c, b) || any;
    for (auto& [tn, t] : c.topics)
      for (auto& p : t.partitions)
        if (p.leader >= 0)
          p.bytes += double(t.produce_rate) * dt;
    any = advance_moves(k, c, dt) || any;
    if (any)
      changed.push_back(c.view());
  }
  return changed;
}

void run(const std::shared_ptr<sim_kafka::impl>& k) {
  std::unique_lock lock(k->queue_mutex);
  while (k->running) {
    k->wake.wait_for(lock, k->opts.tick, [&] { return !k->running || !k->queue.empty(); });
    std::deque<watch_event> batch;
    batch.swap(k->queue);
    lock.unlock();
    std::vector<sim_cluster_view> changed;
    auto now = clock_type::now();
    for (const auto& ev : batch)
      if (auto v = apply_pod_event(*k, ev, now)) {
        k->notify({*v});
      }
    k->notify(advance(*k, now));
    lock.lock();
  }
}

} // namespace

sim_kafka::sim_kafka(object_store& store, const resource_registry& registry, sim_kafka_options opts)
  : impl_(std::make_shared<impl>(store, registry, opts)) {
  watch_request req;
  req.resource_key = impl_->pods.key();
  req.labels = parse_label_selector("app=kafka").value();
  std::weak_ptr<impl> weak = impl_;
  req.deliver = [weak](const watch_event& ev) {
    if (auto k = weak.lock()) {
      std::lock_guard lock(k->queue_mutex);
      k->queue.push_back(ev);
      k->wake.notify_one();
    }
  };
  auto w = store.watch(std::move(req));
  if (auto* h = std::get_if<std::unique_ptr<watch_handle>>(&w))
    impl_->watch = std::move(*h);
  impl_->thread = std::thread([k = impl_] { run(k); });
}

sim_kafka::~sim_kafka() { stop(); }

void sim_kafka::stop() {
  if (impl_->watch)
    impl_->watch->cancel();
  {
    std::lock_guard lock(impl_->queue_mutex);
    impl_->running = false;
  }
  impl_->wake.notify_all();
  if (impl_->thread.joinable())
    impl_->thread.join();
}

void sim_kafka::on_change(observer o) {
  std::lock_guard lock(impl_->mutex);
  impl_->observers.push_back(std::move(o));
}

sim_cluster_view sim_kafka::view(const std::string& ns, const std::string& cluster) const {
  std::lock_guard lock(impl_->mutex);
  auto* c = impl_->find(ns, cluster);
  return c ? c->view() : sim_cluster_view{ns, cluster, {}, {}, -1};
}

void sim_kafka::set_extra_disk_usage(const std::string& ns, const std::string& pvc, int64_t bytes) {
  std::lock_guard lock(impl_->mutex);
  impl_->extra_usage[ns + "/" + pvc] = bytes;
}

kafka::admin_result<kafka::done> sim_kafka::create_topic(const std::string& ns, const std::string& cluster, topic_spec spec) {
  std::vector<sim_cluster_view> changed;
  {
    std::lock_guard lock(impl_->mutex);
    auto* c = impl_->find(ns, cluster);
    std::vector<int32_t> ids;
    if (c)
      for (const auto& [id, b] : c->brokers)
        if (b.broker_role)
          ids.push_back(id);
    if (spec.partitions < 1 || spec.replication_factor < 1)
      return kafka::admin_error{kafka::admin_error::kind::invalid_config, "partitions and replication factor must be at least 1"};
    if (int32_t(ids.size()) < spec.replication_factor)
      return kafka::admin_error{kafka::admin_error::kind::invalid_config,
                                "Replication factor: " + std::to_string(spec.replication_factor)
                                    + " larger than available brokers: " + std::to_string(ids.size()) + "."};
    if (c->topics.count(spec.name))
      return kafka::admin_error{kafka::admin_error::kind::invalid_config, "Topic '" + spec.name + "' already exists."};
    sim_topic t{spec.name, {{"min.insync.replicas", std::to_string(spec.min_insync_replicas)}}, spec.produce_bytes_per_second, {}};
    for (int32_t p = 0; p < spec.partitions; ++p) {
      sim_partition part{p, {}, {}, -1, 0};
      for (int32_t r = 0; r < spec.replication_factor; ++r)
        part.replicas.push_back(ids[(p + r) % ids.size()]);
      for (auto r : part.replicas)
        if (c->brokers[r].up) {
          part.isr.push_back(r);
          if (part.leader < 0)
            part.leader = r;
        }
      if (part.isr.empty())
        part.isr.push_back(part.replicas.front());
      t.partitions.push_back(std::move(part));
    }
    c->topics[spec.name] = std::move(t);
    place_replicas(*c);
    changed.push_back(c->view());
  }
  impl_->notify(changed);
  return kafka::done{};
}

} // namespace kactor::sim
