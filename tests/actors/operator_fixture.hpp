// The actor tests' world: the simulated control plane (API server, kubelet, Kafka) on loopback, a client,
// a pod history, and the operator runtime started against it with short test delays.
#pragma once

#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "integrations/kubernetes/kafkacluster_crd.hpp"
#include "integrations/kubernetes/watch_cache.hpp"
#include "model/document.hpp"
#include "runtime/operator_runtime.hpp"
#include "sim/world/control_plane.hpp"

namespace kactor::testing {

namespace k8s = integrations::kubernetes;
using nlohmann::json;
using namespace std::chrono_literals;

inline const std::string ns = "kafka";

inline json sample() {
  std::ifstream in(std::string{KACTOR_FIXTURES_DIR} + "/koperator-samples/simplekafkacluster.yaml");
  std::stringstream ss;
  ss << in.rdbuf();
  auto docs = model::load_documents(ss.str());
  EXPECT_TRUE(docs.is_ok());
  return docs.value().at(0);
}

inline bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout = 30s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond())
      return true;
    std::this_thread::sleep_for(20ms);
  }
  return cond();
}

/// Every pod uid ever seen, by pod name (to count recreations).
struct pod_history {
  std::mutex mutex;
  std::map<std::string, std::set<std::string>> uids;
  void operator()(const k8s::change& c) {
    std::lock_guard lock(mutex);
    uids[c.name].insert(c.object["metadata"].value("uid", ""));
  }
  size_t count(const std::string& pod) {
    std::lock_guard lock(mutex);
    return uids[pod].size();
  }
};

class Operator : public ::testing::Test {
protected:
  static sim::control_plane_options default_plane_options() {
    sim::control_plane_options o;
    o.api.bookmark_interval = 1s;
    o.kubelet.start_delay = 100ms;
    o.kubelet.ready_delay = 100ms;
    o.kubelet.terminate_delay = 100ms;
    o.kubelet.tick = 20ms;
    o.kafka.catch_up = 200ms;
    o.kafka.tick = 10ms;
    return o;
  }
  static runtime::operator_options default_operator_options() {
    runtime::operator_options o;
    o.settings.backoff_base = 100ms;
    o.settings.backoff_max = 2s;
    o.settings.respawn_base = 50ms;
    o.settings.kafka_poll = 50ms;
    o.settings.cc_poll = 100ms;
    o.settings.cc_retry_base = 1s;
    return o;
  }

  /// Tests tune the world before SetUp runs (in their constructor).
  sim::control_plane_options plane_options = default_plane_options();
  runtime::operator_options operator_options = default_operator_options();
  bool with_kafka_admin = true; ///< the operator talks to the simulated Kafka
  bool with_cruise_control = true; ///< ... and to the simulated Cruise Control

  void SetUp() override {
    const auto& o = plane_options;
    auto cp = sim::control_plane::start(o);
    ASSERT_TRUE(cp.is_ok()) << cp.error().message();
    plane = std::move(cp.value());
    ASSERT_TRUE(k8s::parse_server_url(plane->api().url(), config.endpoint).is_ok());
    config.server = plane->api().url();
    config.source = "test";
    client = k8s::kube_client::make(config).value();
    ASSERT_TRUE(client->create_sync({"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false}, "",
                                    k8s::kafkacluster_crd()).is_ok());
    ASSERT_TRUE(client->create_sync({"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false}, "",
                                    k8s::cruisecontroloperation_crd()).is_ok());
    ASSERT_TRUE(client->create_sync(k8s::resources::namespaces(), "", {{"metadata", {{"name", ns}}}}).is_ok());
    k8s::watch_cache_options w;
    w.type = k8s::resources::pods();
    w.namespace_ = ns;
    pods = k8s::watch_cache::start(client, w, std::ref(history));
  }

  void TearDown() override {
    if (op)
      op->stop();
    if (pods)
      pods->stop();
    client->stop();
    plane->stop();
  }

  void start_operator() {
    runtime::operator_options o = operator_options;
    o.watch_namespace = ns;
    o.resync = resync;
    if (with_kafka_admin)
      o.kafka_admins = plane->kafka().admin_factory();
    if (with_cruise_control)
      o.cruise_controls = plane->cruise_control_factory();
    // Under TSan one scheduler thread: CAF 0.17 is not instrumented, so hand-offs between its workers look
    // like races; the races that matter (actors vs. the client's I/O thread and the caches) remain visible.
    if (const char* threads = std::getenv("KACTOR_ACTOR_THREADS"))
      o.threads = std::atoi(threads);
    auto rt = runtime::operator_runtime::start(config, o);
    ASSERT_TRUE(rt.is_ok()) << rt.error().message();
    op = std::move(rt.value());
  }

  json cr() { return client->get_sync(k8s::resources::kafka_clusters(), ns, "kafka").value(); }

  /// Status says running, every broker in sync, pods Ready with the rendered revision.
  bool converged(size_t brokers = 3) {
    auto c = client->get_sync(k8s::resources::kafka_clusters(), ns, "kafka");
    if (!c.is_ok())
      return false;
    const auto& st = c.value().value("status", json::object());
    if (st.value("state", "") != "ClusterRunning" || st.value("brokersState", json::object()).size() != brokers)
      return false;
    for (const auto& [id, b] : st["brokersState"].items())
      if (b.value("configurationState", "") != "ConfigInSync")
        return false;
    return true;
  }

  /// The items of a list, by value (a range-for over a temporary result's member would dangle).
  json items(const k8s::resource_type& type) {
    auto l = client->list_sync(type, ns);
    return l.is_ok() ? l.value()["items"] : json::array();
  }

  /// What the cluster looks like, for failure messages.
  std::string dump() {
    std::string out = "pods:\n";
    for (const auto& p : items(k8s::resources::pods())) {
      out += "  " + p["metadata"]["name"].get<std::string>() + " uid=" + p["metadata"].value("uid", "") +
             " rev=" + p["metadata"].value("annotations", json::object()).value("kactor.io/revision", "") +
             (p["metadata"].contains("deletionTimestamp") ? " DELETING" : "") + " phase=" + p["status"].value("phase", "") +
             " conditions=" + p["status"].value("conditions", json::array()).dump() + "\n";
    }
    auto c = client->get_sync(k8s::resources::kafka_clusters(), ns, "kafka");
    if (c.is_ok())
      out += "status: " + c.value().value("status", json{}).dump() + "\n";
    return out;
  }

  std::map<std::string, std::string> pod_uids() {
    std::map<std::string, std::string> out;
    for (const auto& p : items(k8s::resources::pods()))
      out[p["metadata"]["name"]] = p["metadata"]["uid"];
    return out;
  }

  void create_cluster(json c = sample()) {
    auto r = client->create_sync(k8s::resources::kafka_clusters(), ns, std::move(c));
    ASSERT_TRUE(r.is_ok()) << r.error().to_string();
  }

  /// The sample with brokers 0..n-1 of its "default" group, created and converged.
  void create_converged_cluster(int n) {
    auto c = sample();
    c["spec"]["brokers"] = json::array();
    for (int id = 0; id < n; ++id)
      c["spec"]["brokers"].push_back({{"id", id}, {"brokerConfigGroup", "default"}});
    create_cluster(c);
    ASSERT_TRUE(eventually([&] { return converged(size_t(n)); })) << dump();
  }

  /// Applies `change` to the CR's spec (retrying on conflicts with the operator's status writes).
  void change_spec(const std::function<void(json& spec)>& change) {
    for (int i = 0; i < 20; ++i) {
      auto c = cr();
      change(c["spec"]);
      auto r = client->update_sync(k8s::resources::kafka_clusters(), ns, c);
      if (r.is_ok())
        return;
      ASSERT_TRUE(r.is(k8s::api_error_kind::conflict)) << r.error().to_string();
    }
    FAIL() << "spec update kept conflicting";
  }

  size_t count(const k8s::resource_type& type, const std::string& selector) {
    k8s::list_options lo;
    lo.label_selector = selector;
    return client->list_sync(type, ns, lo).value()["items"].size();
  }

  std::unique_ptr<sim::control_plane> plane;
  k8s::client_config config;
  std::shared_ptr<k8s::kube_client> client;
  std::shared_ptr<k8s::watch_cache> pods;
  pod_history history;
  std::chrono::milliseconds resync{200};
  std::unique_ptr<runtime::operator_runtime> op;
};

} // namespace kactor::testing
