// Roll overhead: how much longer a rolling restart of N brokers takes than the brokers' own restarts laid
// end to end. A broker's own restart runs from its pod going down (deletion) to its new pod serving and
// back in every ISR — what the roll must wait for anyway; the rest (Kafka polls, permit hand-offs, API
// round trips) is the operator's overhead. Measured on the simulated Kafka's state changes, with RF 3 /
// min.insync.replicas 2 topics. Prints a table; --json FILE writes the figures; --small runs a 4-broker
// smoke (CI; no timing is asserted anywhere). Goal: overhead ≤ 1.05 with 12 brokers.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>

#include "integrations/kubernetes/kafkacluster_crd.hpp"
#include "model/document.hpp"
#include "runtime/operator_runtime.hpp"
#include "sim/scenario/scenario_data.hpp"
#include "sim/world/control_plane.hpp"

using namespace kactor;
using namespace std::chrono_literals;
using nlohmann::json;
using clock_type = std::chrono::steady_clock;
namespace k8s = integrations::kubernetes;

namespace {

/// Per broker: when it went down and when it was back in every ISR, from the simulated Kafka.
struct restart_log {
  std::mutex mutex;
  bool armed = false;
  std::map<int32_t, clock_type::time_point> down, back;

  void operator()(const sim::sim_cluster_view& v) {
    std::lock_guard lock(mutex);
    if (!armed)
      return;
    auto now = clock_type::now();
    std::set<int32_t> behind;
    for (const auto& t : v.topics)
      for (const auto& p : t.partitions)
        for (auto r : p.replicas)
          if (std::find(p.isr.begin(), p.isr.end(), r) == p.isr.end())
            behind.insert(r);
    for (const auto& [id, b] : v.brokers) {
      if (!b.up && !down.count(id))
        down[id] = now;
      if (b.up && down.count(id) && !back.count(id) && !behind.count(id))
        back[id] = now;
    }
  }
};

bool wait_for(const std::function<bool()>& cond, std::chrono::seconds timeout) {
  auto deadline = clock_type::now() + timeout;
  while (clock_type::now() < deadline) {
    if (cond())
      return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

} // namespace

int main(int argc, char** argv) {
  int brokers = 12;
  std::string json_out;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--small"))
      brokers = 4;
    else if (!std::strcmp(argv[i], "--brokers") && i + 1 < argc)
      brokers = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--json") && i + 1 < argc)
      json_out = argv[++i];
    else {
      std::fprintf(stderr, "usage: %s [--small] [--brokers N] [--json FILE]\n", argv[0]);
      return 2;
    }
  }
  spdlog::set_level(spdlog::level::warn);
  sim::control_plane_options po;
  po.kubelet.nodes.clear();
  for (int i = 1; i <= brokers; ++i)
    po.kubelet.nodes.push_back({"node-" + std::to_string(i), std::string{"zone-"} + char('a' + (i - 1) % 3)});
  po.kubelet.start_delay = 300ms;
  po.kubelet.ready_delay = 300ms;
  po.kubelet.terminate_delay = 200ms;
  po.kubelet.tick = 10ms;
  po.kafka.catch_up = 300ms;
  po.kafka.tick = 5ms;
  auto plane = sim::control_plane::start(po);
  if (!plane.is_ok()) {
    std::fprintf(stderr, "error: %s\n", plane.error().message().c_str());
    return 1;
  }
  auto& cp = *plane.value();
  restart_log log;
  cp.kafka().on_change([&log](const auto& v) { log(v); });

  k8s::client_config config;
  config.server = cp.api().url();
  (void)k8s::parse_server_url(config.server, config.endpoint);
  auto client = k8s::kube_client::make(config).value();
  (void)client->create_sync({"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false}, "",
                            k8s::kafkacluster_crd());
  (void)client->create_sync(k8s::resources::namespaces(), "", {{"metadata", {{"name", "kafka"}}}});
  runtime::operator_options oo;
  oo.watch_namespace = "kafka";
  oo.settings.kafka_poll = 20ms;
  oo.kafka_admins = cp.kafka().admin_factory();
  auto op = runtime::operator_runtime::start(config, oo);
  if (!op.is_ok()) {
    std::fprintf(stderr, "error: %s\n", op.error().message().c_str());
    return 1;
  }

  auto cr = model::load_documents(std::string{sim::default_scenario_cluster_yaml()}).value().at(0);
  cr["metadata"]["namespace"] = "kafka";
  cr["spec"]["brokers"] = json::array();
  for (int id = 0; id < brokers; ++id)
    cr["spec"]["brokers"].push_back({{"id", id}, {"brokerConfigGroup", "default"}});
  auto created = client->create_sync(k8s::resources::kafka_clusters(), "kafka", cr);
  if (!created.is_ok()) {
    std::fprintf(stderr, "error: %s\n", created.error().to_string().c_str());
    return 1;
  }
  auto running = [&] {
    auto c = client->get_sync(k8s::resources::kafka_clusters(), "kafka", cr["metadata"]["name"].get<std::string>());
    return c.is_ok() && c.value().value("/status/state"_json_pointer, json("")) == "ClusterRunning";
  };
  const auto name = cr["metadata"]["name"].get<std::string>();
  if (!wait_for([&] { return running() && cp.kafka().view("kafka", name).down().empty(); }, 120s)) {
    std::fprintf(stderr, "error: the cluster did not converge\n");
    return 1;
  }
  (void)cp.kafka().create_topic("kafka", name, {"orders", brokers * 4, 3, 2, 0});
  std::this_thread::sleep_for(200ms);
  {
    std::lock_guard lock(log.mutex);
    log.armed = true;
  }
  for (int i = 0; i < 20; ++i) {
    auto c = client->get_sync(k8s::resources::kafka_clusters(), "kafka", name).value();
    c["spec"]["readOnlyConfig"] = c["spec"].value("readOnlyConfig", "") + "\nlog.retention.check.interval.ms=1000\n";
    if (client->update_sync(k8s::resources::kafka_clusters(), "kafka", c).is_ok())
      break;
  }
  bool done = wait_for([&] {
    std::lock_guard lock(log.mutex);
    return int(log.back.size()) == brokers;
  }, std::chrono::seconds(30 + brokers * 10));
  op.value()->stop();
  std::lock_guard lock(log.mutex);
  if (!done) {
    std::fprintf(stderr, "error: only %zu of %d brokers restarted\n", log.back.size(), brokers);
    return 1;
  }
  double own = 0;
  auto first = clock_type::time_point::max(), last = clock_type::time_point::min();
  for (const auto& [id, t] : log.down) {
    own += std::chrono::duration<double>(log.back[id] - t).count();
    first = std::min(first, t);
    last = std::max(last, log.back[id]);
  }
  double total = std::chrono::duration<double>(last - first).count();
  json rows = json::array();
  auto add = [&](const char* figure, double value, const char* unit) {
    rows.push_back({{"name", figure}, {"value", value}, {"unit", unit}});
    std::printf("%-48s %10.3f %s\n", figure, value, unit);
  };
  add("brokers rolled", brokers, "");
  add("total roll time", total, "s");
  add("sum of the brokers' own restart times", own, "s");
  add("mean own restart time", own / brokers, "s");
  add("roll overhead (total / sum), goal <= 1.05", total / own, "x");
  if (!json_out.empty())
    std::ofstream{json_out} << json{{"benchmark", "roll"}, {"figures", rows}}.dump(2) << '\n';
  return 0;
}
