// The operator's own figures, with the operator alone in this process and the simulated API server (with
// its kubelet) in a child `kactor sim --serve --no-operator`, so that memory figures are the operator's:
//   reaction   watch event → first corrective write: a broker pod deleted (grace 0), until its
//              replacement is created — both seen by this process's own watch, so the two watch
//              deliveries cancel out (p50, p99 over --samples deletions)
//   idle       API writes while a converged cluster sits idle through several cache resyncs (goal 0)
//   idle_rss   resident memory with one converged 3-broker cluster (goal < 24 MiB)
//   scale      C clusters × B brokers created at once, converging from empty: wall time, peak RSS
//              (VmHWM), API requests (goal 100 × 30 in < 60 s, < 128 MiB)
//   per_actor  memory per broker actor: RSS growth over N idle broker actors / N
//   restart    C × B converged by one operator process, then a fresh operator process starts: time until its
//              caches are synced and it is ready, API writes while starting and over the idle period after
//              (goal 0), its peak RSS (goal: 3,000 brokers ready in < 10 s, 0 writes)
// --api-latency realistic runs the simulated API server with kube-apiserver's latency and Priority and
// Fairness (sim/world/api_server/flow_control.hpp): the figures then include the server's queue waits and
// 429s (from its /sim/stats), and the reaction is also given minus the latency the server added to the
// corrective create.
// No Kafka admin and no Cruise Control: rolls gate on pod readiness; the figures are the Kubernetes side.
// The scale wall time includes the simulated kubelet's work (in the child process, often the bottleneck);
// the operator's own CPU time is printed next to it.
// Prints a table; --json FILE writes it; --small is the CI smoke (no timing is asserted anywhere).
#include <csignal>
#include <filesystem>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <future>
#include <mutex>
#include <sstream>
#include <thread>

#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/broker_actor.hpp"
#include "integrations/http/async_client.hpp"
#include "integrations/kubernetes/client_config.hpp"
#include "integrations/kubernetes/kafkacluster_crd.hpp"
#include "integrations/kubernetes/watch_cache.hpp"
#include "model/document.hpp"
#include "model/packed_text.hpp"
#include "runtime/operator_runtime.hpp"
#include "sim/scenario/scenario_data.hpp"

using namespace kactor;
using namespace std::chrono_literals;
using nlohmann::json;
using clock_type = std::chrono::steady_clock;
namespace k8s = integrations::kubernetes;

namespace {

struct options {
  bool small = false;
  int samples = 200;
  int clusters = 100, brokers = 30;
  int actors = 20000;
  std::chrono::seconds idle{10};
  std::string json_out;
  std::string kactor = KACTOR_BINARY;
  std::string only; ///< "" every part; else one of reaction, per_actor, scale, restart
  std::string api_latency = "none"; ///< the simulated API server's load model: none or realistic
  int api_max_requests_inflight = 400, api_max_mutating_requests_inflight = 200;
  int max_in_flight = 32; ///< the operator's client bound (--kube-api-max-in-flight)
};

/// This process's CPU time (user + system), seconds.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/// kB from /proc/self/status ("VmRSS", "VmHWM").
double status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field, 0) == 0)
      return std::atof(line.c_str() + std::strlen(field) + 1);
  return 0;
}

bool wait_for(const std::function<bool()>& cond, std::chrono::seconds timeout,
              std::chrono::milliseconds poll = std::chrono::milliseconds{10}) {
  auto deadline = clock_type::now() + timeout;
  while (clock_type::now() < deadline) {
    if (cond())
      return true;
    std::this_thread::sleep_for(poll);
  }
  return cond();
}

/// `kactor sim --serve --no-operator` in a child process; stopped (SIGTERM) by the destructor.
class sim_server {
public:
  bool start(const options& o, int nodes) {
    const auto& kactor = o.kactor;
    dir_ = std::filesystem::temp_directory_path() / ("kactor-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    kubeconfig_ = (dir_ / "kubeconfig").string();
    auto nodes_text = std::to_string(nodes);
    pid_ = ::fork();
    if (pid_ == 0) {
      auto log = (dir_ / "server.log").string();
      std::freopen(log.c_str(), "w", stdout);
      std::freopen(log.c_str(), "a", stderr);
      auto max = std::to_string(o.api_max_requests_inflight), mutating = std::to_string(o.api_max_mutating_requests_inflight);
      ::execl(kactor.c_str(), kactor.c_str(), "sim", "--serve", "--no-operator", "--port", "0", "--nodes", nodes_text.c_str(),
              "--kubeconfig-out", kubeconfig_.c_str(), "--log-level", "warn", "--api-latency", o.api_latency.c_str(),
              "--api-max-requests-inflight", max.c_str(), "--api-max-mutating-requests-inflight", mutating.c_str(),
              static_cast<char*>(nullptr));
      std::_Exit(127);
    }
    return pid_ > 0 && wait_for([&] { return std::filesystem::exists(kubeconfig_); }, 30s);
  }
  ~sim_server() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  const std::string& kubeconfig() const { return kubeconfig_; }

private:
  pid_t pid_ = -1;
  std::filesystem::path dir_;
  std::string kubeconfig_;
};

/// The figures, printed as they come and kept for --json.
struct table {
  json rows = json::array();
  void add(const std::string& group, const std::string& figure, double value, const std::string& unit, const std::string& goal = "") {
    rows.push_back({{"group", group}, {"name", figure}, {"value", value}, {"unit", unit}, {"goal", goal}});
    std::printf("%-10s %-52s %12.3f %-4s %s\n", group.c_str(), figure.c_str(), value, unit.c_str(), goal.c_str());
    std::fflush(stdout);
  }
};

json cluster(const std::string& name, int brokers) {
  auto cr = model::load_documents(std::string{sim::default_scenario_cluster_yaml()}).value().at(0);
  cr["metadata"] = {{"name", name}, {"namespace", "kafka"}};
  cr["spec"]["brokers"] = json::array();
  for (int id = 0; id < brokers; ++id)
    cr["spec"]["brokers"].push_back({{"id", id}, {"brokerConfigGroup", "default"}});
  return cr;
}

/// Connects to the child server, installs the CRD and namespace.
std::shared_ptr<k8s::kube_client> connect(const sim_server& server, k8s::client_config& config) {
  config = k8s::load_default_config(server.kubeconfig(), "").value();
  auto client = k8s::kube_client::make(config).value();
  (void)client->create_sync({"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false}, "",
                            k8s::kafkacluster_crd());
  (void)client->create_sync(k8s::resources::namespaces(), "", {{"metadata", {{"name", "kafka"}}}});
  return client;
}

/// The simulated API server's GET /sim/stats (its flowControl part says what the load model did).
json sim_stats(const k8s::client_config& config) {
  auto http = integrations::http::make_async_client(config.endpoint);
  if (!http.is_ok())
    return json::object();
  std::promise<json> p;
  integrations::http::outgoing_request req;
  req.target = "/sim/stats";
  if (!config.token.empty())
    req.headers["authorization"] = "Bearer " + config.token;
  http.value()->send(req, [&](model::result<integrations::http::response> r) {
    p.set_value(r.is_ok() ? json::parse(r.value().body, nullptr, false) : json::object());
  });
  auto stats = p.get_future().get();
  http.value()->stop();
  return stats.is_object() ? stats : json::object();
}

/// What the server's load model did to the operator's requests (its User-Agent is "kactor/...").
void add_flow_figures(const options& o, const k8s::client_config& config, table& t, const std::string& group,
                      const std::string& label, uint64_t requests) {
  if (o.api_latency != "realistic")
    return;
  auto flow = sim_stats(config).value("/flowControl/flows/kactor"_json_pointer, json::object());
  double refused = flow.value("rejectedQueueFull", 0.0) + flow.value("rejectedTimeOut", 0.0);
  t.add(group, label + " 429s from Priority and Fairness", refused, "", "goal < 1 % of requests");
  t.add(group, label + " 429s, % of requests", requests ? 100 * refused / double(requests) : 0, "%");
  t.add(group, label + " requests queued at the server", flow.value("queued", 0.0), "");
  t.add(group, label + " longest queue wait", flow.value("queueWaitMsMax", 0.0), "ms");
  t.add(group, label + " most requests at the server at once", flow.value("inServerPeak", 0.0), "");
}

bool running(k8s::kube_client& client, const std::string& name) {
  auto c = client.get_sync(k8s::resources::kafka_clusters(), "kafka", name);
  return c.is_ok() && c.value().value("/status/state"_json_pointer, json("")) == "ClusterRunning";
}

double percentile(std::vector<double> v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

/// reaction, idle, idle_rss: one 3-broker cluster.
bool bench_one_cluster(const options& o, table& t) {
  sim_server server;
  if (!server.start(o, 3))
    return false;
  k8s::client_config config;
  auto client = connect(server, config);
  double rss_before = status_kib("VmRSS");
  runtime::operator_options oo;
  oo.watch_namespace = "kafka";
  oo.resync = 1s; // several full resyncs during the idle period
  oo.client.max_in_flight = o.max_in_flight;
  auto op = runtime::operator_runtime::start(config, oo);
  if (!op.is_ok()) {
    std::fprintf(stderr, "error: %s\n", op.error().message().c_str());
    return false;
  }
  (void)client->create_sync(k8s::resources::kafka_clusters(), "kafka", cluster("kafka", 3));
  if (!wait_for([&] { return running(*client, "kafka"); }, 60s)) {
    std::fprintf(stderr, "error: the cluster did not converge\n");
    return false;
  }
  // Let the last status and Event writes land, then count writes while nothing changes.
  std::this_thread::sleep_for(2s);
  auto writes_before = op.value()->metrics().writes();
  std::this_thread::sleep_for(o.idle);
  auto idle_writes = op.value()->metrics().writes() - writes_before;
  t.add("idle", "API writes while idle", double(idle_writes), "", "goal 0");
  t.add("idle", "idle period (cache resync every 1 s)", double(o.idle.count()), "s");
  t.add("idle_rss", "operator RSS, one converged 3-broker cluster", status_kib("VmRSS") / 1024, "MiB", "goal < 24");
  t.add("idle_rss", "of which before the operator started", rss_before / 1024, "MiB");

  // Reaction: this process's own pod watch sees the deletion and the replacement.
  std::mutex mutex;
  std::map<std::string, clock_type::time_point> deleted;
  std::vector<double> latencies, operator_part;
  k8s::watch_cache_options wo;
  wo.type = k8s::resources::pods();
  wo.namespace_ = "kafka";
  auto watch = k8s::watch_cache::start(client, wo, [&](const k8s::change& c) {
    std::lock_guard lock(mutex);
    auto now = clock_type::now();
    if (c.type == k8s::change_type::deleted)
      deleted[c.name] = now;
    else if (c.type == k8s::change_type::added && deleted.count(c.name)) {
      latencies.push_back(std::chrono::duration<double, std::milli>(now - deleted[c.name]).count());
      deleted.erase(c.name);
    }
  });
  wait_for([&] { return watch->synced(); }, 10s);
  k8s::delete_options now;
  now.grace_period_seconds = 0;
  for (int i = 0; i < o.samples; ++i) {
    auto pod = "kafka-" + std::to_string(i % 3);
    size_t before;
    {
      std::lock_guard lock(mutex);
      before = latencies.size();
    }
    (void)client->remove_sync(k8s::resources::pods(), "kafka", pod, now);
    bool seen = wait_for([&] {
      std::lock_guard lock(mutex);
      return latencies.size() > before;
    }, 10s);
    if (seen && o.api_latency == "realistic") { // minus what the server added to the corrective create
      auto added = sim_stats(config).value("/flowControl/lastLatencyMs/create pods kafka"_json_pointer, 0.0);
      std::lock_guard lock(mutex);
      operator_part.push_back(std::max(0.0, latencies.back() - added));
    }
    std::this_thread::sleep_for(20ms);
  }
  watch->stop();
  op.value()->stop();
  std::lock_guard lock(mutex);
  t.add("reaction", "pod deleted → replacement created, p50", percentile(latencies, 0.5), "ms");
  t.add("reaction", "pod deleted → replacement created, p99", percentile(latencies, 0.99), "ms", "goal <= 10");
  t.add("reaction", "samples", double(latencies.size()), "");
  if (!operator_part.empty()) {
    t.add("reaction", "same minus the server's latency for the create, p50", percentile(operator_part, 0.5), "ms");
    t.add("reaction", "same minus the server's latency for the create, p99", percentile(operator_part, 0.99), "ms",
          "goal <= 5");
  }
  return true;
}

/// scale: C clusters × B brokers from empty.
/// Waits until every one of the C clusters is ClusterRunning (polling every 250 ms: a list of 100 CRs every
/// 10 ms took most of a core of this process and of the simulator's; 250 ms is the wall figure's resolution).
bool all_running(const options& o, k8s::kube_client& client) {
  auto bound = std::getenv("KACTOR_BENCH_BOUND") ? std::atoi(std::getenv("KACTOR_BENCH_BOUND")) : 60 + o.clusters * o.brokers / 10;
  return wait_for([&] {
    // Five at a time: a KafkaCluster of 50 brokers with its status parses to ~130 KB, and 200 of them at
    // once every 250 ms were 26 MB of this process's peak, which is the operator's figure.
    k8s::list_options page;
    page.limit = 5;
    int n = 0;
    do {
      auto l = client.list_sync(k8s::resources::kafka_clusters(), "kafka", page);
      if (!l.is_ok())
        return false;
      for (const auto& c : l.value()["items"])
        n += c.value("/status/state"_json_pointer, json("")) == "ClusterRunning";
      page.continue_token = l.value().value("/metadata/continue"_json_pointer, json("")).get<std::string>();
    } while (!page.continue_token.empty());
    return n == o.clusters;
  }, std::chrono::seconds(bound), 250ms);
}

/// Nodes for C × B brokers: one per broker of a cluster (kactor's pods keep a cluster's brokers on distinct
/// hosts), and room for every pod at 100 per node (the simulated kubelet's --max-pods is 110, as
/// kubelet's default).
int nodes_for(const options& o) {
  int room = (o.clusters * o.brokers + 99) / 100;
  return std::min(1000, std::max({3, o.brokers, room}));
}

runtime::operator_options bench_operator(const options& o) {
  runtime::operator_options oo;
  oo.watch_namespace = "kafka";
  oo.client.max_in_flight = o.max_in_flight;
  return oo;
}

bool bench_scale(const options& o, table& t) {
  sim_server server;
  if (!server.start(o, nodes_for(o)))
    return false;
  k8s::client_config config;
  auto client = connect(server, config);
  auto oo = bench_operator(o);
  auto op = runtime::operator_runtime::start(config, oo);
  if (!op.is_ok()) {
    std::fprintf(stderr, "error: %s\n", op.error().message().c_str());
    return false;
  }
  auto started = clock_type::now();
  double cpu_before = cpu_seconds();
  for (int i = 0; i < o.clusters; ++i)
    (void)client->create_sync(k8s::resources::kafka_clusters(), "kafka", cluster("kafka-" + std::to_string(i), o.brokers));
  bool converged = all_running(o, *client);
  double wall = std::chrono::duration<double>(clock_type::now() - started).count();
  double cpu = cpu_seconds() - cpu_before;
  uint64_t requests = 0;
  for (const auto& [key, s] : op.value()->metrics().snapshot()) {
    requests += s.count;
    if (std::getenv("KACTOR_BENCH_REQUESTS")) // the breakdown, when a figure needs explaining
      std::fprintf(stderr, "  %-8s %-28s %3d %8llu\n", std::get<0>(key).c_str(), std::get<1>(key).c_str(), std::get<2>(key),
                   static_cast<unsigned long long>(s.count));
  }
  op.value()->stop();
  auto label = std::to_string(o.clusters) + " × " + std::to_string(o.brokers);
  if (!converged)
    std::fprintf(stderr, "warning: %s did not converge within the bound\n", label.c_str());
  t.add("scale", label + " simulated nodes", nodes_for(o), "");
  t.add("scale", label + " brokers converged from empty, wall", wall, "s", "goal < 60 (100 × 30)");
  t.add("scale", label + " peak RSS (VmHWM)", status_kib("VmHWM") / 1024, "MiB", "goal < 128 (100 × 30)");
  t.add("scale", label + " API requests", double(requests), "");
  t.add("scale", label + " operator CPU time (the simulator's is not counted)", cpu, "s");
  add_flow_figures(o, config, t, "scale", label, requests);
  return converged;
}

/// restart: one operator process converges C × B and exits; a fresh one starts against the converged world.
bool bench_restart(const options& o, table& t) {
  sim_server server;
  if (!server.start(o, nodes_for(o)))
    return false;
  // The first operator in a child process (forked before this process has a thread), so that this
  // process's peak RSS is the second operator's alone.
  pid_t first = ::fork();
  if (first == 0) {
    k8s::client_config config;
    auto client = connect(server, config);
    auto op = runtime::operator_runtime::start(config, bench_operator(o));
    if (!op.is_ok())
      std::_Exit(1);
    for (int i = 0; i < o.clusters; ++i)
      (void)client->create_sync(k8s::resources::kafka_clusters(), "kafka", cluster("kafka-" + std::to_string(i), o.brokers));
    bool converged = all_running(o, *client);
    std::this_thread::sleep_for(2s); // the last status and Event writes land
    op.value()->stop();
    client->stop();
    std::_Exit(converged ? 0 : 1);
  }
  int status = 0;
  ::waitpid(first, &status, 0);
  auto label = std::to_string(o.clusters) + " × " + std::to_string(o.brokers);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "error: the first operator did not converge %s\n", label.c_str());
    return false;
  }
  k8s::client_config config;
  auto client = connect(server, config);
  // Kept packed (the diff below needs it only when something was written): parsed, 100 KafkaClusters of
  // 30 brokers are ~8 MB of the new operator's peak.
  std::string before_packed;
  if (auto before = client->list_sync(k8s::resources::kafka_clusters(), "kafka"); before.is_ok())
    before_packed = model::pack(before.value().dump());
  double rss_before = status_kib("VmRSS");
  auto started = clock_type::now();
  double cpu_before = cpu_seconds();
  auto op = runtime::operator_runtime::start(config, bench_operator(o));
  if (!op.is_ok()) {
    std::fprintf(stderr, "error: %s\n", op.error().message().c_str());
    return false;
  }
  double ready = std::chrono::duration<double>(clock_type::now() - started).count();
  auto writes_starting = op.value()->metrics().writes();
  std::this_thread::sleep_for(o.idle);
  auto writes_after = op.value()->metrics().writes() - writes_starting;
  double cpu = cpu_seconds() - cpu_before;
  uint64_t requests = 0;
  for (const auto& [key, s] : op.value()->metrics().snapshot()) {
    requests += s.count;
    const auto& verb = std::get<0>(key);
    if (writes_starting + writes_after > 0 && verb != "get" && verb != "list" && verb != "watch") // what was written
      std::fprintf(stderr, "  written after the restart: %s %s %d ×%llu\n", verb.c_str(), std::get<1>(key).c_str(),
                   std::get<2>(key), static_cast<unsigned long long>(s.count));
  }
  op.value()->stop();
  if (writes_starting + writes_after > 0 && !before_packed.empty()) { // what changed in the KafkaClusters
    auto before = json::parse(model::unpack(before_packed).value());
    auto after = client->list_sync(k8s::resources::kafka_clusters(), "kafka");
    for (size_t i = 0; after.is_ok() && i < before["items"].size() && i < after.value()["items"].size(); ++i) {
      auto diff = json::diff(before["items"][i], after.value()["items"][i]);
      std::fprintf(stderr, "  %s: %s\n", after.value()["items"][i]["metadata"].value("name", "").c_str(), diff.dump().c_str());
    }
  }
  t.add("restart", label + " converged: new operator ready (caches synced)", ready, "s", "goal < 10 (100 × 30)");
  t.add("restart", label + " API writes while starting", double(writes_starting), "", "goal 0");
  t.add("restart", label + " API writes in the " + std::to_string(o.idle.count()) + " s after", double(writes_after), "",
        "goal 0");
  t.add("restart", label + " API requests in all", double(requests), "");
  t.add("restart", label + " new operator peak RSS (VmHWM)", status_kib("VmHWM") / 1024, "MiB");
  t.add("restart", label + " of which before the operator started", rss_before / 1024, "MiB");
  t.add("restart", label + " new operator CPU time (start and idle period)", cpu, "s");
  add_flow_figures(o, config, t, "restart", label, requests);
  return writes_starting + writes_after == 0;
}

/// per_actor: idle broker actors, nothing sent to them.
void bench_actor_memory(const options& o, table& t) {
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", size_t{2});
  cfg.set("logger.console-verbosity", caf::atom("quiet"));
  caf::actor_system sys{cfg};
  auto kube = std::make_shared<const actors::kube_access>();
  std::vector<messages::broker_actor> actors;
  actors.reserve(size_t(o.actors));
  std::this_thread::sleep_for(100ms);
  double before = status_kib("VmRSS");
  for (int i = 0; i < o.actors; ++i)
    actors.push_back(actors::spawn_broker_actor(sys, {"kafka", "kafka", i}, kube, messages::cluster_actor{}, nullptr));
  std::this_thread::sleep_for(200ms);
  double after = status_kib("VmRSS");
  t.add("per_actor", "memory per idle broker actor (" + std::to_string(o.actors) + " spawned)",
        (after - before) * 1024 / o.actors, "B");
  for (auto& a : actors)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  actors.clear();
  sys.await_all_actors_done();
}

} // namespace

int main(int argc, char** argv) {
  options o;
  CLI::App app{"The operator's own figures (see the file comment of bench/operator_bench.cpp)"};
  bool small = false;
  int idle_s = 10;
  app.add_flag("--small", small, "CI smoke sizes (nothing is timed)");
  app.add_option("--json", o.json_out, "Also write the figures here");
  app.add_option("--clusters", o.clusters, "scale, restart: clusters")->check(CLI::Range(1, 100000));
  app.add_option("--brokers", o.brokers, "scale, restart: brokers per cluster")->check(CLI::Range(1, 1000));
  app.add_option("--samples", o.samples, "reaction: pod deletions")->check(CLI::PositiveNumber);
  app.add_option("--idle", idle_s, "idle, restart: seconds of watching for writes")->check(CLI::PositiveNumber);
  app.add_option("--kactor", o.kactor, "The kactor binary (runs the simulated API server)");
  app.add_option("--only", o.only, "One part")->check(CLI::IsMember({"reaction", "per_actor", "scale", "restart"}));
  app.add_option("--api-latency", o.api_latency, "The simulated API server: none or realistic (kube-apiserver's latency and APF)")
      ->check(CLI::IsMember({"none", "realistic"}));
  app.add_option("--api-max-requests-inflight", o.api_max_requests_inflight, "With realistic: kube-apiserver's flag");
  app.add_option("--api-max-mutating-requests-inflight", o.api_max_mutating_requests_inflight, "With realistic: kube-apiserver's flag");
  app.add_option("--kube-api-max-in-flight", o.max_in_flight, "The operator's client bound")->check(CLI::Range(1, 10000));
  CLI11_PARSE(app, argc, argv);
  o.idle = std::chrono::seconds{idle_s};
  if (small) {
    o.small = true;
    o.samples = 20;
    o.clusters = 3;
    o.brokers = 3;
    o.actors = 1000;
    o.idle = 3s;
  }
  spdlog::set_level(spdlog::level::err);
  if (!std::getenv("MALLOC_ARENA_MAX"))
    mallopt(M_ARENA_MAX, 2); // as kactor's main does (runtime/main.cpp)
  if (!std::getenv("MALLOC_MMAP_THRESHOLD_"))
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  std::printf("%-10s %-52s %12s\n", "group", "figure", "value");
  // Each part in a process of its own (forked before any thread exists), so that RSS figures are its own.
  json rows = json::array();
  bool ok = true;
  auto rows_file = std::filesystem::temp_directory_path() / ("kactor-bench-rows-" + std::to_string(::getpid()));
  using part_fn = bool (*)(const options&, table&);
  const std::pair<const char*, part_fn> parts[] = {
    {"reaction", [](const options& o, table& t) { return bench_one_cluster(o, t); }},
    {"per_actor", [](const options& o, table& t) { bench_actor_memory(o, t); return true; }},
    {"scale", [](const options& o, table& t) { return bench_scale(o, t); }},
    {"restart", [](const options& o, table& t) { return bench_restart(o, t); }}};
  for (auto [name, part] : parts) {
    if (!o.only.empty() && o.only != name)
      continue;
    std::fflush(stdout);
    if (std::getenv("KACTOR_BENCH_NO_FORK")) { // the part in this process, for heaptrack and perf
      table t;
      ok = part(o, t) && ok;
      rows.insert(rows.end(), t.rows.begin(), t.rows.end());
      continue;
    }
    pid_t pid = ::fork();
    if (pid == 0) {
      table t;
      bool done = part(o, t);
      std::ofstream{rows_file} << t.rows.dump();
      std::fflush(stdout);
      std::_Exit(done ? 0 : 1);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    std::ifstream in(rows_file);
    auto part_rows = json::parse(in, nullptr, false);
    if (part_rows.is_array())
      rows.insert(rows.end(), part_rows.begin(), part_rows.end());
    std::filesystem::remove(rows_file);
  }
  if (!o.json_out.empty())
    std::ofstream{o.json_out} << json{{"benchmark", "operator"}, {"figures", rows}}.dump(2) << '\n';
  return ok ? 0 : 1;
}
