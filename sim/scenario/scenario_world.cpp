// scenario_run's world (scenario_run.hpp): the simulated control plane and kactor's operator on scaled time,
// set up and torn down, and the KafkaCluster's spec read and changed.
#include "sim/scenario/scenario_run.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "integrations/kubernetes/kafkacluster_crd.hpp"
#include "model/document.hpp"
#include "sim/scenario/scenario_data.hpp"

namespace kactor::sim::detail {

using namespace std::chrono_literals;

scenario_run::~scenario_run() {
  {
    std::lock_guard lock(op_queue_mutex_);
    op_thread_quit_ = true;
  }
  op_queue_cv_.notify_all();
  if (op_thread_.joinable())
    op_thread_.join();
}

bool scenario_run::set_up(std::string& why) {
  if (s_.cluster.is_null()) {
    auto docs = model::load_documents(default_scenario_cluster_yaml());
    if (!docs.is_ok() || docs.value().empty()) {
      why = "the built-in sample does not load";
      return false;
    }
    cluster_doc_ = docs.value().at(0);
  } else
    cluster_doc_ = s_.cluster;
  ns_ = s_.namespace_;
  cluster_doc_["metadata"]["namespace"] = ns_;
  cluster_ = cluster_doc_["metadata"].value("name", "kafka");

  sim::control_plane_options cp;
  auto tick = [&](std::initializer_list<sim_ms> ds) {
    sim_ms shortest = *std::min_element(ds.begin(), ds.end());
    return std::clamp(clock_.wall(shortest) / 5, std::chrono::milliseconds{1}, std::chrono::milliseconds{20});
  };
  cp.kubelet.start_delay = clock_.wall(s_.timing.pod_start);
  cp.kubelet.ready_delay = clock_.wall(s_.timing.pod_ready);
  cp.kubelet.terminate_delay = clock_.wall(s_.timing.pod_terminate);
  cp.kubelet.tick = tick({s_.timing.pod_start, s_.timing.pod_ready, s_.timing.pod_terminate});
  if (!s_.nodes.empty()) {
    cp.kubelet.nodes.clear();
    for (const auto& n : s_.nodes)
      cp.kubelet.nodes.push_back({n.name, n.zone});
  }
  cp.kafka.catch_up = clock_.wall(s_.timing.kafka_catch_up);
  cp.kafka.tick = tick({s_.timing.kafka_catch_up});
  cp.kafka.move_bytes_per_second = s_.timing.move_bytes_per_second * s_.scale;
  cp.cruise_control.compute_delay = clock_.wall(s_.timing.cc_compute, 0ms);
  cp.cruise_control.tick = tick({s_.timing.cc_compute, 1000ms});
  // Completed tasks are forgotten an hour (simulated) after they end: shorter than CC's default day, still
  // far longer than the operator's polls, so only a long outage of the operator meets the eviction.
  cp.cruise_control.completed_task_retention = clock_.wall(std::chrono::hours{1});
  auto started = sim::control_plane::start(cp);
  if (!started.is_ok()) {
    why = "cannot start the simulated control plane: " + started.error().message();
    return false;
  }
  plane_ = std::move(started.value());
  plane_->kafka().on_change([this](const sim::sim_cluster_view& v) {
    if (v.namespace_ != ns_ || v.name != cluster_)
      return;
    std::lock_guard lock(mutex_);
    static const bool states = std::getenv("KACTOR_SIM_STATES") != nullptr; // prints every state judged
    if (states) {
      std::string line = std::to_string(clock_.now_ms()) + " up:";
      for (auto& [id, b] : v.brokers)
        line += b.up ? " " + std::to_string(id) : "";
      for (auto& t : v.topics)
        for (auto& p : t.partitions) {
          line += " " + t.name + "-" + std::to_string(p.partition) + "(L" + std::to_string(p.leader) + " isr";
          for (auto r : p.isr)
            line += " " + std::to_string(r);
          line += ")";
        }
      std::fprintf(stderr, "STATE %s\n", line.c_str());
    }
    checker_.on_state(v, clock_.now_ms(), rec_.violations);
    // What each log dir held while its broker last had it: a broker restarted without a disk gets the
    // disk's replicas re-pinned to its other dirs by the simulated Kafka, so a PVC deleted after that
    // restart is judged on what the disk held when it was unmounted.
    for (const auto& [id, b] : v.brokers)
      for (const auto& dir : b.log_dirs)
        if (!dir.empty()) {
          auto n = b.replicas_by_log_dir.find(dir);
          placed_on_dir_[{id, dir}] = n == b.replicas_by_log_dir.end() ? 0 : n->second;
        }
  });
  config_.server = plane_->api().url();
  config_.source = "kactor sim";
  (void) k8s::parse_server_url(config_.server, config_.endpoint);
  k8s::kube_client_options co;
  co.user_agent = "kactor-scenario"; // API faults aimed at the operator ("kactor") spare the scenario's driver
  auto client = k8s::kube_client::make(config_, co);
  if (!client.is_ok()) {
    why = client.error().message();
    return false;
  }
  client_ = client.value();
  client_->create_sync({"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false},
                       "", k8s::kafkacluster_crd());
  client_->create_sync({"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false},
                       "", k8s::cruisecontroloperation_crd());
  client_->create_sync(k8s::resources::namespaces(), "", {{"metadata", {{"name", ns_}}}});
  k8s::watch_cache_options wo;
  wo.namespace_ = ns_;
  wo.backoff_base = clock_.wall(2s);
  wo.backoff_max = clock_.wall(30s);
  wo.type = k8s::resources::pods();
  pods_ = k8s::watch_cache::start(client_, wo, [this](const k8s::change& c) { on_pod(c); });
  wo.type = k8s::resources::persistent_volume_claims();
  pvcs_ = k8s::watch_cache::start(client_, wo, [this](const k8s::change& c) { on_pvc(c); });
  wo.type = k8s::resources::cruise_control_operations();
  ccos_ = k8s::watch_cache::start(client_, wo, [this](const k8s::change& c) { on_cc_operation(c); });
  wo.type = k8s::resources::kafka_clusters();
  clusters_ = k8s::watch_cache::start(client_, wo, [this](const k8s::change& c) { on_cluster(c); });
  if (!start_operator()) {
    why = "cannot start the operator";
    return false;
  }
  return true;
}

bool scenario_run::start_operator() {
  runtime::operator_options o;
  o.watch_namespace = ns_;
  o.resync = clock_.wall(300s, 50ms);
  o.settings.backoff_base = clock_.wall(1s);
  o.settings.backoff_max = clock_.wall(60s);
  o.settings.respawn_base = clock_.wall(1s);
  o.settings.roll_timeout = clock_.wall(300s);
  // How long a create is trusted to show up in the cache. Unscaled (5 s wall = 2500 s simulated at 500x), an
  // object deleted before the cache saw it (a pod killed while Pending) is not created again within the run:
  // seed 85 of sweep.yaml, about 1 run in 20.
  o.settings.cache_lag = clock_.wall(5s, 50ms);
  // The status hold after a cluster actor starts (until every broker reported): unscaled, 10 s wall would
  // span a whole run and hold status writes whenever a broker actor is respawned.
  o.settings.status_report_wait = clock_.wall(10s, 20ms);
  o.settings.kafka_poll = clock_.wall(2s);
  o.settings.alert_cooldown = std::chrono::seconds(int64_t(300 / s_.scale));
  o.settings.alert_recheck = clock_.wall(10s);
  o.settings.cc_poll = clock_.wall(5s);
  o.settings.cc_retry_base = clock_.wall(10s);
  o.settings.cc_retry_max = clock_.wall(600s); // scaled too: else a few failures back off for hours simulated
  o.settings.flaw = s_.flaw;
  o.watch_backoff_base = clock_.wall(2s);
  o.watch_backoff_max = clock_.wall(30s);
  o.client.backoff_base = clock_.wall(1s);
  o.client.backoff_max = clock_.wall(10s);
  o.kafka_admins = plane_->kafka().admin_factory();
  o.cruise_controls = plane_->cruise_control_factory(clock_.wall(1s)); // a real client's 1 s follow-ups
  std::shared_ptr<runtime::operator_runtime> started;
  on_operator_thread([&] {
    auto rt = runtime::operator_runtime::start(config_, o);
    if (rt.is_ok())
      started = std::move(rt.value());
  });
  std::lock_guard lock(op_mutex_);
  op_ = std::move(started);
  return op_ != nullptr;
}

void scenario_run::stop_operator() {
  std::shared_ptr<runtime::operator_runtime> op;
  {
    std::lock_guard lock(op_mutex_);
    op = std::move(op_);
  }
  if (op)
    on_operator_thread([&] { op->stop(); });
}

void scenario_run::on_operator_thread(const std::function<void()>& work) {
  // CAF 0.17's actor system hangs in its destructor when it is destroyed on another thread than the one
  // that made it (seen: every stop from another thread waited forever). Operators are started and
  // stopped on this one thread, whichever thread asks (the timeline or the faults).
  std::lock_guard serial(op_thread_mutex_);
  std::packaged_task<void()> task(work);
  auto done = task.get_future();
  {
    std::lock_guard lock(op_queue_mutex_);
    op_queue_.push_back(std::move(task));
  }
  op_queue_cv_.notify_all();
  done.wait();
}

void scenario_run::operator_thread_loop() {
  while (true) {
    std::packaged_task<void()> task;
    {
      std::unique_lock lock(op_queue_mutex_);
      op_queue_cv_.wait(lock, [&] { return !op_queue_.empty() || op_thread_quit_; });
      if (op_queue_.empty())
        return;
      task = std::move(op_queue_.front());
      op_queue_.pop_front();
    }
    task();
  }
}

void scenario_run::tear_down() {
  stop_operator();
  {
    std::lock_guard lock(op_queue_mutex_);
    op_thread_quit_ = true;
  }
  op_queue_cv_.notify_all();
  if (op_thread_.joinable())
    op_thread_.join();
  for (auto& c : {pods_, pvcs_, ccos_, clusters_})
    if (c)
      c->stop();
  if (client_)
    client_->stop();
  if (plane_)
    plane_->stop();
}

json scenario_run::stored_cr() {
  auto type = plane_->api().registry().find("kafka.banzaicloud.io", "v1beta1", "kafkaclusters");
  if (!type)
    return json::object();
  auto r = plane_->api().store().get(*type, ns_, cluster_);
  return r.error ? json::object() : r.object;
}

json scenario_run::cr() {
  auto r = client_->get_sync(k8s::resources::kafka_clusters(), ns_, cluster_);
  return r.is_ok() ? r.value() : json::object();
}

std::set<int32_t> scenario_run::spec_ids(const json& spec) const {
  std::set<int32_t> ids;
  for (const auto& b : spec.value("brokers", json::array()))
    if (b.contains("id") && b["id"].is_number_integer())
      ids.insert(b["id"].get<int32_t>());
  return ids;
}

bool scenario_run::change_spec(const std::function<std::string(json& spec)>& change, std::string& why) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto c = cr();
    if (!c.contains("spec")) {
      why = "the KafkaCluster cannot be read";
      continue;
    }
    why = change(c["spec"]);
    if (!why.empty())
      return false;
    auto r = client_->update_sync(k8s::resources::kafka_clusters(), ns_, c);
    if (r.is_ok()) {
      refresh_spec(r.value());
      return true;
    }
    why = "update refused: " + r.error().to_string();
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

void scenario_run::sleep_sim(sim_ms d) {
  std::this_thread::sleep_until(steady::now()
                                + std::chrono::microseconds(int64_t(double(d.count()) * 1000.0 / s_.scale)));
}

} // namespace kactor::sim::detail
