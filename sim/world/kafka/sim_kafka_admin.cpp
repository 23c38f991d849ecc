// The simulated Kafka seen from outside: cluster views, the admin port and metrics. Answers come from the
// state under the mutex; the callback runs after the lock is released, before the call returns.
#include <cmath>
#include <set>

#include "model/quantity.hpp"
#include "sim/world/kafka/dynamic_configs.hpp"
#include "sim/world/kafka/sim_kafka_state.hpp"
#include "sim/world/integration_names.hpp"

namespace kactor::sim {

sim_cluster_view sim_cluster::view() const {
  sim_cluster_view v;
  v.namespace_ = ns;
  v.name = name;
  v.controller = controller;
  for (const auto& [id, b] : brokers) {
    auto& bv = v.brokers[id];
    bv = {id, b.pod, b.up, b.controller_role, b.rack, b.restarts, {}, 0, 0, {}};
    for (const auto& d : b.log_dirs)
      if (!d.empty()) {
        bv.log_dirs.push_back(d);
        bv.replicas_by_log_dir[d];
      }
  }
  for (const auto& [tn, t] : topics) {
    kafka::topic_description d{tn, false, t.min_isr(), {}};
    for (const auto& p : t.partitions) {
      d.partitions.push_back({p.id, p.leader, p.replicas, p.isr});
      sim_placement pl{tn, p.id, p.bytes, {}, p.move.has_value()};
      v.moves_in_progress += p.move.has_value();
      for (auto r : p.replicas) {
        auto it = brokers.find(r);
        auto dir = it == brokers.end() ? std::string{} : log_dir_of(it->second, p);
        pl.log_dirs[r] = dir;
        auto& bv = v.brokers[r];
        bv.id = r;
        ++bv.replicas;
        bv.leaders += p.leader == r;
        if (!dir.empty())
          ++bv.replicas_by_log_dir[dir];
      }
      v.placements.push_back(std::move(pl));
    }
    v.topics.push_back(std::move(d));
  }
  return v;
}

namespace {

using kafka::admin_error;
using ek = kafka::admin_error::kind;

admin_error unavailable(const std::string& what) {
  return {ek::unavailable, what};
}

/// Why a Kafka client bootstrapping from `servers` ("host:port,...") would reach no broker: as a client in
/// the cluster resolves "<service>.<namespace>.svc[.<domain>]" through cluster DNS, a host is reachable
/// only when that Service exists, and a port only when the Service exposes it. Empty when one of them
/// is reachable. The message is librdkafka's for the first failure.
std::string unreachable_bootstrap(const sim_kafka::impl& k, const std::string& servers) {
  std::string first_failure;
  size_t start = 0;
  while (start <= servers.size()) {
    auto end = servers.find(',', start);
    auto server = servers.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? servers.size() + 1 : end + 1;
    if (server.empty())
      continue;
    auto colon = server.rfind(':');
    auto host = server.substr(0, colon);
    auto port = colon == std::string::npos ? std::string{} : server.substr(colon + 1);
    std::vector<std::string> labels;
    for (size_t at = 0; at <= host.size();) {
      auto dot = host.find('.', at);
      labels.push_back(host.substr(at, dot == std::string::npos ? std::string::npos : dot - at));
      at = dot == std::string::npos ? host.size() + 1 : dot + 1;
    }
    bool service_form = labels.size() >= 2 && (labels.size() == 2 || labels[2] == "svc");
    auto svc = service_form ? k.store.get(k.services, labels[1], labels[0]) : store_result{{}, api_error{404, "", ""}};
    std::string why;
    if (svc.error) {
      why = "Failed to resolve '" + server + "': Name or service not known";
    } else {
      bool exposed = false;
      for (const auto& p : svc.object.value("/spec/ports"_json_pointer, json::array()))
        exposed |= p.is_object() && p.value("port", json()).is_number_integer()
                   && std::to_string(p["port"].get<int64_t>()) == port;
      if (exposed)
        return "";
      why = "Connect to " + server + " failed: Connection refused (Service " + labels[1] + "/" + labels[0]
            + " has no port " + port + ")";
    }
    if (first_failure.empty())
      first_failure = why;
  }
  return first_failure.empty() ? "bootstrap.servers is empty" : first_failure;
}

class sim_admin final : public kafka::kafka_admin {
public:
  /// `bootstrap` empty: a test's direct handle (sim_kafka::admin), not a client that must find the brokers.
  sim_admin(std::weak_ptr<sim_kafka::impl> k, std::string ns, std::string name, std::string bootstrap = {})
    : k_(std::move(k)), ns_(std::move(ns)), name_(std::move(name)), bootstrap_(std::move(bootstrap)) {}

  void describe_cluster(callback<kafka::cluster_description> cb) override {
    cb(with_cluster<kafka::cluster_description>([&](sim_cluster& c) -> kafka::admin_result<kafka::cluster_description> {
      kafka::cluster_description d{"sim-" + ns_ + "-" + name_, c.controller, {}};
      for (const auto& [id, b] : c.brokers)
        if (b.up)
          d.brokers.push_back({id, b.pod + "." + ns_ + ".svc.cluster.local", 29092, b.rack});
      return d;
    }));
  }

  void describe_topics(callback<std::vector<kafka::topic_description>> cb) override {
    cb(with_cluster<std::vector<kafka::topic_description>>(
        [&](sim_cluster& c) -> kafka::admin_result<std::vector<kafka::topic_description>> { return c.view().topics; }));
  }

  void describe_configs(kafka::config_resource r, callback<kafka::config_description> cb) override {
    cb(with_cluster<kafka::config_description>([&](sim_cluster& c) -> kafka::admin_result<kafka::config_description> {
      if (r.type == kafka::config_resource::kind::topic)
        return describe_topic(c, r);
      if (r.name.empty())
        return describe_default(c);
      auto* b = broker_of(c, r.name);
      if (!b)
        return admin_error{ek::unavailable, "broker " + r.name + " is not available"};
      return describe_broker(c, *b);
    }));
  }

  void incremental_alter_configs(kafka::config_resource r, std::vector<kafka::config_op> ops, callback<kafka::done> cb) override {
    cb(with_cluster<kafka::done>([&](sim_cluster& c) -> kafka::admin_result<kafka::done> { return alter(c, r, ops); }));
  }

private:
  template <class T, class F>
  kafka::admin_result<T> with_cluster(F f) {
    auto k = k_.lock();
    if (!k)
      return unavailable("the simulated Kafka has stopped");
    if (!bootstrap_.empty()) // read before Kafka's lock: the store has its own
      if (auto why = unreachable_bootstrap(*k, bootstrap_); !why.empty())
        return unavailable(why);
    std::lock_guard lock(k->mutex);
    auto* c = k->find(ns_, name_);
    if (!c || !c->any_up())
      return unavailable("no broker of " + ns_ + "/" + name_ + " is up");
    return f(*c);
  }

  static sim_broker* broker_of(sim_cluster& c, const std::string& id) {
    if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos || id.size() > 9)
      return nullptr;
    auto it = c.brokers.find(std::stoi(id));
    return it == c.brokers.end() || !it->second.up ? nullptr : &it->second;
  }

  static kafka::config_description describe_broker(const sim_cluster& c, const sim_broker& b) {
    // Precedence as in Kafka: per-broker dynamic > cluster-wide dynamic default > server.properties.
    std::map<std::string, kafka::config_entry> out;
    for (const auto& [k, v] : b.static_config)
      out[k] = {k, v, kafka::config_source::static_broker, false, false};
    for (const auto& [k, v] : c.defaults)
      out[k] = {k, v, kafka::config_source::dynamic_default_broker, false, false};
    for (const auto& [k, v] : b.dynamic)
      out[k] = {k, v, kafka::config_source::dynamic_broker, false, false};
    kafka::config_description d{kafka::config_resource::broker(b.id), {}};
    for (auto& [k, e] : out) {
      e.read_only = !is_dynamic_broker_config(k);
      if (k.find("password") != std::string::npos || k == "sasl.jaas.config") {
        e.sensitive = true;
        e.value.reset();
      }
      d.entries.push_back(std::move(e));
    }
    return d;
  }

  static kafka::config_description describe_default(const sim_cluster& c) {
    kafka::config_description d{kafka::config_resource::cluster_default(), {}};
    for (const auto& [k, v] : c.defaults)
      d.entries.push_back({k, v, kafka::config_source::dynamic_default_broker, false, false});
    return d;
  }

  static kafka::admin_result<kafka::config_description> describe_topic(const sim_cluster& c, const kafka::config_resource& r) {
    auto it = c.topics.find(r.name);
    if (it == c.topics.end())
      return admin_error{ek::not_found, "This server does not host this topic-partition: " + r.name};
    kafka::config_description d{r, {}};
    for (const auto& [k, v] : it->second.configs)
      d.entries.push_back({k, v, kafka::config_source::dynamic_topic, false, false});
    return d;
  }

  static kafka::admin_result<kafka::done> alter(sim_cluster& c, const kafka::config_resource& r,
                                                const std::vector<kafka::config_op>& ops) {
    std::map<std::string, std::string>* target = nullptr;
    bool per_broker = false, topic = r.type == kafka::config_resource::kind::topic;
    if (topic) {
      auto it = c.topics.find(r.name);
      if (it == c.topics.end())
        return admin_error{ek::not_found, "Topic " + r.name + " does not exist"};
      target = &it->second.configs;
    } else if (r.name.empty()) {
      target = &c.defaults;
    } else {
      auto* b = broker_of(c, r.name);
      if (!b)
        return admin_error{ek::unavailable, "broker " + r.name + " is not available"};
      target = &b->dynamic;
      per_broker = true;
    }
    // All or nothing, as Kafka validates the whole request before applying it.
    for (const auto& op : ops) {
      if (op.op != kafka::config_op::kind::set)
        continue;
      auto why = topic ? refuse_topic_config(op.name, op.value) : refuse_broker_config(op.name, op.value, per_broker);
      if (why)
        return admin_error{ek::invalid_config, *why};
    }
    for (const auto& op : ops) {
      if (op.op == kafka::config_op::kind::set)
        (*target)[op.name] = op.value;
      else if (!(topic && op.name == "min.insync.replicas"))
        target->erase(op.name);
      else
        (*target)[op.name] = "1"; // the topic falls back to the default
    }
    return kafka::done{};
  }

  std::weak_ptr<sim_kafka::impl> k_;
  std::string ns_, name_;
  std::string bootstrap_;
};

} // namespace

std::shared_ptr<kafka::kafka_admin> sim_kafka::admin(const std::string& ns, const std::string& cluster) {
  return std::make_shared<sim_admin>(impl_, ns, cluster);
}

kafka::admin_factory sim_kafka::admin_factory() {
  std::weak_ptr<impl> weak = impl_;
  return [weak](const kafka::cluster_address& a) -> std::shared_ptr<kafka::kafka_admin> {
    return std::make_shared<sim_admin>(weak, a.namespace_, a.name,
                                       a.bootstrap_servers.empty() ? "," : a.bootstrap_servers);
  };
}

namespace {

std::string labels(const sim_cluster& c, const sim_broker& b) {
  return "kafka_cr=\"" + c.name + "\",namespace=\"" + c.ns + "\",brokerId=\"" + std::to_string(b.id) + "\",pod=\"" + b.pod + "\"";
}

int64_t storage_bytes(const json& pvc) {
  std::string text;
  if (auto cap = pvc.value("/status/capacity/storage"_json_pointer, json{}); cap.is_string())
    text = cap.get<std::string>();
  else if (auto req = pvc.value("/spec/resources/requests/storage"_json_pointer, json{}); req.is_string())
    text = req.get<std::string>();
  auto q = model::parse_quantity(text);
  return q.is_ok() ? int64_t(q.value().value) : 0;
}

} // namespace

std::string sim_kafka::metrics() const {
  std::lock_guard lock(impl_->mutex);
  std::map<std::string, std::string> series; // metric name → lines
  auto add = [&](const std::string& metric, const std::string& lbl, double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", value);
    series[metric] += metric + "{" + lbl + "} " + buf + "\n";
  };
  for (const auto& [key, c] : impl_->clusters) {
    for (const auto& [id, b] : c.brokers) {
      if (!b.up)
        continue; // a down broker is not scraped
      auto lbl = labels(c, b);
      int partitions = 0, leaders = 0, urp = 0, under_min = 0, offline = 0;
      std::map<std::string, double> used; // pvc → bytes
      for (const auto& [tn, t] : c.topics)
        for (const auto& p : t.partitions) {
          if (id == c.controller && p.leader < 0)
            ++offline;
          auto pos = std::find(p.replicas.begin(), p.replicas.end(), id);
          if (pos == p.replicas.end())
            continue;
          ++partitions;
          if (auto dir = log_dir_of(b, p); !dir.empty()) {
            auto i = size_t(std::find(b.log_dirs.begin(), b.log_dirs.end(), dir) - b.log_dirs.begin());
            if (i < b.pvcs.size())
              used[b.pvcs[i]] += p.bytes;
          } else if (!b.pvcs.empty()) {
            used[b.pvcs[size_t(p.id) % b.pvcs.size()]] += p.bytes;
          }
          if (p.leader != id)
            continue;
          ++leaders;
          urp += p.isr.size() < p.replicas.size();
          under_min += int32_t(p.isr.size()) < t.min_isr();
        }
      add("kafka_server_replicamanager_partitioncount", lbl, partitions);
      add("kafka_server_replicamanager_leadercount", lbl, leaders);
      add("kafka_server_replicamanager_underreplicatedpartitions", lbl, urp);
      add("kafka_server_replicamanager_underminisrpartitioncount", lbl, under_min);
      add("kafka_controller_kafkacontroller_activecontrollercount", lbl, id == c.controller);
      add("kafka_controller_kafkacontroller_offlinepartitionscount", lbl, offline);
      for (const auto& pvc_name : b.pvcs) {
        auto pvc = impl_->store.get(impl_->pvcs, c.ns, pvc_name);
        if (pvc.error)
          continue;
        double capacity = double(storage_bytes(pvc.object));
        auto extra = impl_->extra_usage.find(c.ns + "/" + pvc_name);
        double use = used[pvc_name] + (extra == impl_->extra_usage.end() ? 0.0 : double(extra->second));
        use = std::min(use, capacity);
        // Disk space as a real cluster reports it: the kubelet's series per PVC (Kafka's JMX metrics have
        // no size per log dir). Only the names in deploy/prometheus/series.txt are exported here.
        auto kubelet = "namespace=\"" + c.ns + "\",persistentvolumeclaim=\"" + pvc_name + "\"";
        add("kubelet_volume_stats_used_bytes", kubelet, use);
        add("kubelet_volume_stats_capacity_bytes", kubelet, capacity);
        add("kubelet_volume_stats_available_bytes", kubelet, capacity - use);
      }
    }
  }
  std::string out;
  for (const auto& [metric, lines] : series)
    out += "# TYPE " + metric + " gauge\n" + lines;
  return out;
}

} // namespace kactor::sim
