#include "runtime/sim/default_scenario.hpp"

#include <iomanip>
#include <mutex>
#include <ostream>
#include <set>
#include <thread>

#include "integrations/kubernetes/kafkacluster_crd.hpp"
#include "integrations/kubernetes/watch_cache.hpp"
#include "integrations/sim/control_plane.hpp"
#include "model/document.hpp"
#include "runtime/operator_runtime.hpp"
#include "runtime/sim/scenario_data.hpp"

namespace kactor::runtime {

namespace {

namespace k8s = integrations::kubernetes;
using nlohmann::json;
using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

const std::string ns = "kafka";

/// Watches pods and PVCs and checks the invariants that must hold at every change.
class invariant_monitor {
public:
  void on_pod(const k8s::change& c, k8s::watch_cache& pods) {
    std::lock_guard lock(mutex_);
    const auto& md = c.object["metadata"];
    uids_[c.name].insert(md.value("uid", ""));
    std::map<std::string, int> per_broker;
    int down = 0;
    for (const auto& p : pods.list()) {
      auto id = p["metadata"].value("labels", json::object()).value("brokerId", "");
      if (++per_broker[id] > 1)
        violation("broker " + id + " has two pods");
      down += !ready(p);
    }
    down += int(expected_ - std::min<size_t>(expected_, pods.size()));
    if (!in_fault_ && down > 1)
      violation(std::to_string(down) + " brokers down at once outside a fault");
  }
  void on_pvc(const k8s::change& c) {
    std::lock_guard lock(mutex_);
    if (c.type == k8s::change_type::deleted)
      violation("PVC " + c.name + " deleted");
  }
  void set_fault(bool on) {
    std::lock_guard lock(mutex_);
    in_fault_ = on;
  }
  void expect_brokers(size_t n) { expected_ = n; }
  size_t incarnations(const std::string& pod) {
    std::lock_guard lock(mutex_);
    return uids_[pod].size();
  }
  /// Remembers how many incarnations each pod had when a step begins.
  void mark() {
    std::lock_guard lock(mutex_);
    for (const auto& [pod, uids] : uids_)
      marked_[pod] = uids.size();
  }
  size_t seen_before(const std::string& pod) {
    std::lock_guard lock(mutex_);
    return marked_[pod];
  }
  /// Called with mutex_ held (from on_pod) or from the PVC watch.
  void violation(std::string what) { violations_.push_back(std::move(what)); }
  std::vector<std::string> violations() {
    std::lock_guard lock(mutex_);
    return violations_;
  }

  static bool ready(const json& pod) {
    if (pod["metadata"].contains("deletionTimestamp"))
      return false;
    for (const auto& c : pod.value("status", json::object()).value("conditions", json::array()))
      if (c.value("type", "") == "Ready")
        return c.value("status", "") == "True";
    return false;
  }

private:
  std::mutex mutex_;
  std::map<std::string, std::set<std::string>> uids_;
  std::map<std::string, size_t> marked_;
  std::vector<std::string> violations_;
  bool in_fault_ = false;
  size_t expected_ = 0;
};

/// The scenario's world: control plane, operator, a client and the monitor's caches.
struct world {
  std::unique_ptr<integrations::sim::control_plane> plane;
  k8s::client_config config;
  std::shared_ptr<k8s::kube_client> client;
  std::unique_ptr<operator_runtime> op;
  std::shared_ptr<k8s::watch_cache> pods, pvcs;
  invariant_monitor monitor;

  bool start_operator() {
    operator_options o;
    o.watch_namespace = ns;
    o.resync = 1s;
    o.settings.backoff_base = 100ms;
    o.settings.backoff_max = 2s;
    o.settings.respawn_base = 50ms;
    o.settings.kafka_poll = 100ms;
    o.kafka_admins = plane->kafka().admin_factory();
    o.cruise_controls = plane->cruise_control_factory();
    o.settings.cc_poll = std::chrono::milliseconds{200};
    o.settings.cc_retry_base = std::chrono::seconds{1};
    auto rt = operator_runtime::start(config, o);
    if (rt.is_ok())
      op = std::move(rt.value());
    return op != nullptr;
  }
  json cr() {
    auto r = client->get_sync(k8s::resources::kafka_clusters(), ns, "kafka");
    return r.is_ok() ? r.value() : json::object();
  }
  bool converged() {
    auto c = cr();
    json st = c.contains("status") && c["status"].is_object() ? c["status"] : json::object();
    if (st.value("state", "") != "ClusterRunning")
      return false;
    json brokers = st.value("brokersState", json::object()); // a named copy: items() of a temporary dangles
    for (const auto& [id, b] : brokers.items())
      if (!b.is_object() || b.value("configurationState", "") != "ConfigInSync")
        return false;
    return true;
  }
  std::string uid(const std::string& pod) {
    auto p = pods->get(ns, pod);
    return p ? (*p)["metadata"].value("uid", "") : "";
  }
  bool change_spec(const std::function<void(json&)>& change) {
    for (int i = 0; i < 20; ++i) {
      auto c = cr();
      change(c["spec"]);
      if (client->update_sync(k8s::resources::kafka_clusters(), ns, c).is_ok())
        return true;
    }
    return false;
  }
};

bool wait_until(const std::function<bool()>& cond, std::chrono::milliseconds bound) {
  auto deadline = clock::now() + bound;
  while (clock::now() < deadline) {
    if (cond())
      return true;
    std::this_thread::sleep_for(20ms);
  }
  return cond();
}

/// One step: its action, then convergence (status and the expected restarts) within `bound`.
struct step {
  std::string name;
  std::function<bool(world&)> act;
  std::set<std::string> restarts; ///< pods that must be replaced, each exactly once; no other pod may be
  bool fault = false;             ///< brokers may be down because of the fault itself
  bool idle_check = false;        ///< afterwards, 2 s without a single API write
  std::chrono::milliseconds bound{30000};
};

const std::vector<std::string> broker_pods = {"kafka-0", "kafka-1", "kafka-2"};

/// "" when exactly the expected pods were replaced since `uids`.
std::string restarts_problem(world& w, const std::map<std::string, std::string>& uids, const std::set<std::string>& expected) {
  for (const auto& pod : broker_pods) {
    bool replaced = w.uid(pod) != uids.at(pod);
    if (replaced != bool(expected.count(pod)))
      return pod + (replaced ? " was restarted though not concerned" : " was not restarted");
  }
  return "";
}

std::vector<step> timeline() {
  return {
      {"create a 3-broker cluster",
       [](world& w) {
         auto docs = model::load_documents(default_scenario_cluster_yaml());
         return docs.is_ok() && w.client->create_sync(k8s::resources::kafka_clusters(), ns, docs.value().at(0)).is_ok();
       },
       {"kafka-0", "kafka-1", "kafka-2"}, true /* brokers starting */},
      {"rolling change of a read-only config",
       [](world& w) { return w.change_spec([](json& s) { s["readOnlyConfig"] = s.value("readOnlyConfig", "") + "num.network.threads=5\n"; }); },
       {"kafka-0", "kafka-1", "kafka-2"}},
      {"new resources for broker 1 only",
       [](world& w) {
         return w.change_spec([](json& s) { s["brokers"][1]["brokerConfig"]["resourceRequirements"] = {{"requests", {{"cpu", "1500m"}}}}; });
       },
       {"kafka-1"}},
      {"pod kafka-2 deleted by hand", [](world& w) { return w.client->remove_sync(k8s::resources::pods(), ns, "kafka-2").is_ok(); },
       {"kafka-2"}, true},
      {"container of kafka-0 killed", [](world& w) { return w.plane->kubelet().kill_container(ns, "kafka-0"); }, {"kafka-0"}, true},
      {"node of kafka-1 lost for a second",
       [](world& w) {
         auto p = w.pods->get(ns, "kafka-1");
         auto node = p ? (*p)["spec"].value("nodeName", "") : "";
         if (node.empty() || !w.plane->kubelet().set_node_ready(node, false))
           return false;
         std::this_thread::sleep_for(1s);
         return w.plane->kubelet().set_node_ready(node, true);
       },
       {}, true},
      {"broker 2's actor crashes",
       [](world& w) {
         w.op->inject_crash(ns, "kafka", 2);
         return true;
       },
       {}},
      {"operator restarted, then idle",
       [](world& w) {
         w.op->stop();
         w.op.reset();
         return w.start_operator();
       },
       {}, false, true},
  };
}

/// Runs one step; "" when it passed.
std::string run_step(world& w, const step& s, std::map<std::string, std::string>& uids) {
  w.monitor.set_fault(s.fault);
  bool acted = s.act(w);
  std::this_thread::sleep_for(300ms); // let the change reach the operator before judging
  bool done = acted && wait_until([&] { return w.converged() && restarts_problem(w, uids, s.restarts).empty(); }, s.bound);
  w.monitor.set_fault(false);
  if (!acted)
    return "the step's action failed";
  if (!done) {
    auto why = restarts_problem(w, uids, s.restarts);
    return why.empty() ? "did not converge within " + std::to_string(s.bound.count()) + " ms" : why;
  }
  for (const auto& pod : s.restarts)
    if (w.monitor.incarnations(pod) > w.monitor.seen_before(pod) + 1)
      return pod + " was restarted more than once";
  if (s.idle_check) {
    std::this_thread::sleep_for(500ms);
    auto before = w.plane->api().store().write_count();
    std::this_thread::sleep_for(2s);
    if (auto writes = w.plane->api().store().write_count() - before)
      return std::to_string(writes) + " API writes while idle";
  }
  return "";
}

bool set_up(world& w, std::ostream& out) {
  integrations::sim::control_plane_options o;
  o.kubelet.start_delay = 100ms;
  o.kubelet.ready_delay = 100ms;
  o.kubelet.terminate_delay = 100ms;
  o.kubelet.tick = 20ms;
  auto cp = integrations::sim::control_plane::start(o);
  if (!cp.is_ok()) {
    out << "cannot start the simulated control plane: " << cp.error().message() << '\n';
    return false;
  }
  w.plane = std::move(cp.value());
  w.config.server = w.plane->api().url();
  w.config.source = "kactor sim";
  (void)k8s::parse_server_url(w.config.server, w.config.endpoint);
  w.client = k8s::kube_client::make(w.config).value();
  w.client->create_sync({"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false}, "",
                        k8s::kafkacluster_crd());
  w.client->create_sync({"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false}, "",
                        k8s::cruisecontroloperation_crd());
  w.client->create_sync(k8s::resources::namespaces(), "", {{"metadata", {{"name", ns}}}});
  k8s::watch_cache_options po;
  po.type = k8s::resources::pods();
  po.namespace_ = ns;
  w.pods = k8s::watch_cache::start(w.client, po, [&w](const k8s::change& c) { w.monitor.on_pod(c, *w.pods); });
  po.type = k8s::resources::persistent_volume_claims();
  w.pvcs = k8s::watch_cache::start(w.client, po, [&w](const k8s::change& c) { w.monitor.on_pvc(c); });
  w.monitor.expect_brokers(3);
  if (!w.start_operator()) {
    out << "cannot start the operator\n";
    return false;
  }
  return true;
}

} // namespace

bool run_default_scenario(std::ostream& out) {
  auto started = clock::now();
  world w;
  if (!set_up(w, out))
    return false;
  std::map<std::string, std::string> uids;
  for (const auto& pod : broker_pods)
    uids[pod] = "";
  bool passed = true;
  out << "kactor sim: default scenario (3 brokers, " << w.plane->api().url() << ")\n";
  for (const auto& s : timeline()) {
    auto t0 = clock::now();
    w.monitor.mark();
    auto problem = run_step(w, s, uids);
    for (const auto& pod : broker_pods)
      uids[pod] = w.uid(pod);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - t0).count();
    out << (problem.empty() ? "  ok    " : "  FAIL  ") << std::left << std::setw(40) << s.name << std::right << std::setw(7)
        << ms << " ms" << (problem.empty() ? "" : "  " + problem) << '\n';
    out.flush();
    passed &= problem.empty();
  }
  auto violations = w.monitor.violations();
  for (const auto& v : violations)
    out << "  VIOLATION  " << v << '\n';
  passed &= violations.empty();
  auto total = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started).count();
  out << "kactor sim: " << (passed ? "PASSED" : "FAILED") << " in " << total << " ms; " << w.plane->api().store().write_count()
      << " API writes; invariants: at most one broker down by the operator, one pod per broker, no PVC deleted, "
         "convergence per step, only concerned brokers restarted, no writes when idle\n";
  w.op->stop();
  w.pods->stop();
  w.pvcs->stop();
  w.client->stop();
  w.plane->stop();
  return passed;
}

} // namespace kactor::runtime
