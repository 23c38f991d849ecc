// Scenario files: defaults, every key of the format, errors naming their field, the examples, and the
// seeded fault schedule (deterministic, within its bounds, fixed faults kept).
#include "sim/scenario/scenario.hpp"

#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

using namespace kactor::sim;
using namespace std::chrono_literals;

namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in{p, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

/// The error message of parsing `yaml`, or "parsed" when it parsed.
std::string error_of(const std::string& yaml) {
  auto s = parse_scenario(yaml);
  return s ? "parsed" : s.error().message();
}

/// A valid scenario with `extra` appended (as top-level keys).
std::string with(const std::string& extra) { return "name: t\n" + extra; }

/// The error for one timing.podStart value.
std::string duration_error(const std::string& value) { return error_of(with("timing: {podStart: " + value + "}\n")); }

scenario parsed(const std::string& yaml) {
  auto s = parse_scenario(yaml);
  EXPECT_TRUE(s.is_ok()) << s.error().message();
  return s ? s.value() : scenario{};
}

const char* full = R"(
name: remove-broker-during-node-loss
description: free text
scale: 250
seed: 7
namespace: kafka
convergeWithin: 8m
maxDisruptions: 2
nodes:
  - {name: node-1, zone: zone-a}
  - {name: node-2, zone: zone-b}
timing:
  podStart: 500ms
  podReady: 15
  podTerminate: 1m30s
  kafkaCatchUp: "20"
  moveBytesPerSecond: 50Mi
  ccCompute: 1.5s
topics:
  - {name: orders, partitions: 12, replicationFactor: 3, minInsyncReplicas: 2, produceBytesPerSecond: 1Mi}
  - {name: logs, replicationFactor: 1, produceBytesPerSecond: 1M}
steps:
  - {name: grow to 6, addBrokers: [3, 4, 5]}
  - waitConverged: 10m
  - removeBroker: 1
  - addDisk: {broker: 2, mountPath: /kafka-logs3}
  - removeDisk: {broker: 2, mountPath: /kafka-logs3}
  - readOnlyConfig: "num.network.threads=5"
  - brokerConfig: {broker: 0, config: "num.io.threads=9"}
  - patch: {rollingUpgradeConfig: {failureThreshold: 2}}
  - alert: {labels: {alertname: BrokerOverloaded, kafka_cr: kafka, namespace: kafka, brokerId: 1}, annotations: {command: upScale}, repeats: 3}
  - wait: 30s
  - fault: {kind: podKill, broker: 1}
  - waitConverged:
faults:
  - {at: 3m, kind: apiErrors, rate: 0.5, duration: 20s}
  - {at: 2m, kind: nodeDown, broker: 2, duration: 30s}
  - {at: 4m, kind: nodeDown, node: node-2, duration: 10s}
  - {at: 5m, kind: ccTaskFailure, count: 2}
  - {at: 6m, kind: operatorCrash, duration: 5s}
randomFaults:
  kinds: [podKill, containerKill, nodeDown, ccRestart]
  count: 3
  from: 1m
  to: 8m
  minDuration: 5s
  maxDuration: 30s
)";

} // namespace

TEST(scenario_parse, a_name_alone_gives_every_default) {
  auto s = parsed("name: minimal\n");
  EXPECT_EQ(s.name, "minimal");
  EXPECT_EQ(s.scale, 100);
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.namespace_, "kafka");
  EXPECT_EQ(s.converge_within, 10min);
  EXPECT_EQ(s.max_disruptions, 1);
  EXPECT_TRUE(s.cluster.is_null());
  EXPECT_TRUE(s.nodes.empty() && s.topics.empty() && s.steps.empty() && s.faults.empty());
  EXPECT_FALSE(s.random);
  EXPECT_EQ(s.timing.pod_start, 10s);
  EXPECT_EQ(s.timing.move_bytes_per_second, 50.0 * 1024 * 1024);
}

TEST(scenario_parse, every_key_of_the_format) {
  auto s = parsed(full);
  EXPECT_EQ(s.description, "free text");
  EXPECT_EQ(s.scale, 250);
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.converge_within, 8min);
  EXPECT_EQ(s.max_disruptions, 2);
  ASSERT_EQ(s.nodes.size(), 2u);
  EXPECT_EQ(s.nodes[1].zone, "zone-b");
  EXPECT_EQ(s.timing.pod_start, 500ms);
  EXPECT_EQ(s.timing.pod_ready, 15s);
  EXPECT_EQ(s.timing.pod_terminate, 90s);
  EXPECT_EQ(s.timing.kafka_catch_up, 20s);
  EXPECT_EQ(s.timing.cc_compute, 1500ms);
  ASSERT_EQ(s.topics.size(), 2u);
  EXPECT_EQ(s.topics[0].produce_bytes_per_second, 1 << 20);
  EXPECT_EQ(s.topics[1].partitions, 12);
  EXPECT_EQ(s.topics[1].min_insync_replicas, 1) << "the default 2 is lowered to the replication factor";
  EXPECT_EQ(s.topics[1].produce_bytes_per_second, 1000000);

  ASSERT_EQ(s.steps.size(), 12u);
  EXPECT_EQ(s.steps[0].kind, step_kind::add_brokers);
  EXPECT_EQ(s.steps[0].name, "grow to 6");
  EXPECT_EQ(s.steps[0].brokers, (std::vector<int32_t>{3, 4, 5}));
  EXPECT_EQ(s.steps[1].duration, 10min);
  EXPECT_EQ(s.steps[2].brokers, std::vector<int32_t>{1});
  EXPECT_EQ(s.steps[3].mount_path, "/kafka-logs3");
  EXPECT_EQ(s.steps[3].size, "10Gi");
  EXPECT_EQ(s.steps[4].kind, step_kind::remove_disk);
  EXPECT_EQ(s.steps[5].config, "num.network.threads=5");
  EXPECT_EQ(s.steps[6].brokers, std::vector<int32_t>{0});
  EXPECT_EQ(s.steps[6].config, "num.io.threads=9");
  EXPECT_EQ(s.steps[7].patch, nlohmann::json::parse(R"({"rollingUpgradeConfig":{"failureThreshold":2}})"));
  EXPECT_EQ(s.steps[8].alert["labels"]["brokerId"], "1") << "label values are strings";
  EXPECT_EQ(s.steps[8].alert["annotations"]["command"], "upScale");
  EXPECT_EQ(s.steps[8].repeats, 3);
  EXPECT_EQ(s.steps[9].duration, 30s);
  EXPECT_EQ(s.steps[10].fault.kind, fault_kind::pod_kill);
  EXPECT_EQ(s.steps[10].fault.broker, 1);
  EXPECT_EQ(s.steps[11].duration, 8min) << "waitConverged without a value waits convergeWithin";

  ASSERT_EQ(s.faults.size(), 5u);
  EXPECT_EQ(s.faults[0].kind, fault_kind::api_errors);
  EXPECT_EQ(s.faults[0].at, 3min);
  EXPECT_EQ(s.faults[0].rate, 0.5);
  EXPECT_EQ(s.faults[2].node, "node-2");
  EXPECT_EQ(s.faults[2].broker, -1);
  EXPECT_EQ(s.faults[3].count, 2);
  ASSERT_TRUE(s.random);
  EXPECT_EQ(s.random->kinds.size(), 4u);
  EXPECT_EQ(s.random->count, 3);
  EXPECT_EQ(s.random->from, 1min);
  EXPECT_EQ(s.random->to, 8min);
}

TEST(scenario_parse, unnamed_steps_are_named_after_what_they_do) {
  auto s = parsed(full);
  EXPECT_EQ(s.steps[1].name, "converge within 10m");
  EXPECT_EQ(s.steps[2].name, "remove broker 1");
  EXPECT_EQ(s.steps[3].name, "add disk /kafka-logs3 (10Gi) to broker 2");
  EXPECT_EQ(s.steps[5].name, "read-only config: num.network.threads=5");
  EXPECT_EQ(s.steps[7].name, "patch spec: rollingUpgradeConfig");
  EXPECT_EQ(s.steps[8].name, "alert BrokerOverloaded x3");
  EXPECT_EQ(s.steps[10].name, "podKill on broker 1");
}

TEST(scenario_parse, durations) {
  struct {
    const char* text;
    sim_ms ms;
  } good[] = {{"500ms", 500ms}, {"30s", 30s},       {"5m", 5min}, {"1h", 1h},      {"90", 90s},
              {"\"30\"", 30s},  {"1m30s", 90s},     {"1.5s", 1500ms}, {"0", 0ms}, {"2h0m1s", 7201s}};
  for (const auto& g : good) {
    auto s = parse_scenario(with(std::string{"timing: {podStart: "} + g.text + "}\n"));
    ASSERT_TRUE(s.is_ok()) << g.text << ": " << s.error().message();
    EXPECT_EQ(s->timing.pod_start, g.ms) << g.text;
  }
  EXPECT_EQ(duration_error("10 s"), R"(timing.podStart: bad duration "10 s" (use e.g. 500ms, 30s, 5m, 1h, 1m30s or a whole number of seconds))");
  for (const char* bad : {"-5s", "5x", "1.5", "\"\"", "0.0001s", "s", "9999999h", "-3", "[1]", "1e3"})
    EXPECT_NE(duration_error(bad).find("timing.podStart: bad duration"), std::string::npos) << bad << ": " << duration_error(bad);
  EXPECT_EQ(error_of(with("steps: [{wait: 0s}]\n")), "steps[0].wait: must be longer than 0s");
}

TEST(scenario_parse, byte_sizes_are_kubernetes_quantities_or_numbers) {
  EXPECT_EQ(parsed(with("timing: {moveBytesPerSecond: 1Gi}\n")).timing.move_bytes_per_second, 1073741824.0);
  EXPECT_EQ(parsed(with("timing: {moveBytesPerSecond: 1M}\n")).timing.move_bytes_per_second, 1e6);
  EXPECT_EQ(parsed(with("timing: {moveBytesPerSecond: 4096}\n")).timing.move_bytes_per_second, 4096.0);
  EXPECT_EQ(error_of(with("timing: {moveBytesPerSecond: 5Zi}\n")).rfind("timing.moveBytesPerSecond: invalid quantity \"5Zi\"", 0), 0u);
  EXPECT_EQ(error_of(with("timing: {moveBytesPerSecond: 0}\n")), "timing.moveBytesPerSecond: must be above 0 and at most 1Pi, got 0");
  EXPECT_EQ(error_of(with("topics: [{name: a, replicationFactor: 1, produceBytesPerSecond: -1Mi}]\n")),
            "topics[0].produceBytesPerSecond: must be at least 0 and at most 1Pi, got \"-1Mi\"");
  EXPECT_EQ(parsed(with("steps: [{addDisk: {broker: 0, mountPath: /d, size: 20Gi}}]\n")).steps[0].size, "20Gi");
  EXPECT_EQ(error_of(with("steps: [{addDisk: {broker: 0, mountPath: /d, size: lots}}]\n")).rfind("steps[0].addDisk.size: invalid quantity", 0), 0u);
}

TEST(scenario_parse, errors_name_the_field) {
  EXPECT_EQ(error_of(with("steps: [{addDisk: {broker: two, mountPath: /d}}]\n")),
            R"(steps[0].addDisk.broker: must be an integer broker id, got "two")");
  EXPECT_EQ(error_of(with("faults: [{at: 1m, kind: podkil, broker: 1}]\n")),
            R"(faults[0].kind: unknown fault kind "podkil" (one of podKill, containerKill, nodeDown, diskFailure, apiErrors, watchDrop, ccDown, ccRestart, ccTaskFailure, operatorCrash, operatorCutOff))");
  EXPECT_EQ(error_of(with("steps: [{wait: 1s}, {adBrokers: [3]}]\n")), R"(steps[1]: unknown key "adBrokers" (did you mean "addBrokers"?))");
  EXPECT_EQ(error_of(with("steps: [{wait: 1s, fault: {kind: watchDrop}}]\n")),
            R"(steps[0]: exactly one action key expected, got "wait", "fault")");
  EXPECT_EQ(error_of(with("steps: [{name: nothing}]\n")).rfind("steps[0]: no action key (one of patch, addBrokers,", 0), 0u);
  EXPECT_EQ(error_of(with("sclae: 5\n")), R"(unknown key "sclae" (did you mean "scale"?))");
  EXPECT_EQ(error_of("description: x\n"), "name: required");
  EXPECT_EQ(error_of(with("namespace: Kafka\n")),
            R"(namespace: must be a DNS-1123 label (lowercase letters, digits and '-', at most 63), got "Kafka")");
  EXPECT_EQ(error_of(with("scale: 20000\n")), "scale: must be a number above 0 and at most 10000, got 20000");
  EXPECT_EQ(error_of(with("seed: -1\n")), "seed: must be an integer >= 0, got -1");
  EXPECT_EQ(error_of(with("maxDisruptions: 0\n")), "maxDisruptions: must be an integer from 1 to 1000, got 0");
  EXPECT_EQ(error_of(with("timing: {podstart: 1s}\n")), R"(timing: unknown key "podstart" (did you mean "podStart"?))");
  EXPECT_EQ(error_of(with("topics: [{name: a, replicationFactor: 2, minInsyncReplicas: 3}]\n")),
            "topics[0].minInsyncReplicas: must not exceed replicationFactor (2)");
  EXPECT_EQ(error_of(with("steps: [{readOnlyConfig: \"\"}]\n")), "steps[0].readOnlyConfig: must hold at least one key=value line");
  EXPECT_EQ(error_of(with("steps: [{removeDisk: {broker: 1, mountPath: logs, size: 1Gi}}]\n")),
            "steps[0].removeDisk.mountPath: must be an absolute path such as /kafka-logs-3, got \"logs\"\n"
            "steps[0].removeDisk: unknown key \"size\"");
  EXPECT_EQ(error_of(with("randomFaults: {kinds: [], count: 1, from: 2m, to: 1m}\n")),
            "randomFaults.kinds: must name at least one fault kind\nrandomFaults.to: must not be before from (2m)");
}

TEST(scenario_parse, every_error_is_reported_at_once) {
  auto e = error_of("scale: 0\nsteps: [{wait: x}]\nfaults: [{kind: ccDown}]\n");
  EXPECT_NE(e.find("name: required"), std::string::npos) << e;
  EXPECT_NE(e.find("scale: must be"), std::string::npos) << e;
  EXPECT_NE(e.find("steps[0].wait: bad duration"), std::string::npos) << e;
  EXPECT_NE(e.find("faults[0].at: required"), std::string::npos) << e;
  EXPECT_NE(e.find("faults[0].duration: required for ccDown"), std::string::npos) << e;
}

TEST(scenario_parse, yaml_syntax_errors_give_line_and_column) {
  auto s = parse_scenario("name: t\n  bad: x\n");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind(), kactor::model::status_kind::parse_error);
  EXPECT_EQ(s.error().message(), "line 2, column 6: invalid YAML: illegal map value");
  EXPECT_EQ(error_of("name: t\nsteps: [1, 2\n"), "line 3, column 1: invalid YAML: end of sequence flow not found");
  EXPECT_EQ(error_of(""), "empty scenario file");
  EXPECT_EQ(error_of("- a\n- b\n"), "a scenario file holds exactly one YAML mapping");
  EXPECT_EQ(error_of("name: a\n---\nname: b\n"), "a scenario file holds exactly one YAML mapping");
}

TEST(scenario_parse, fault_fields_follow_the_kind) {
  EXPECT_EQ(error_of(with("faults: [{at: 1m, kind: podKill}]\n")), "faults[0].broker: required for podKill");
  EXPECT_EQ(error_of(with("faults: [{at: 1m, kind: nodeDown, duration: 5s}]\n")), "faults[0]: nodeDown needs exactly one of broker and node");
  EXPECT_EQ(error_of(with("faults: [{at: 1m, kind: nodeDown, broker: 1, node: node-1, duration: 5s}]\n")),
            "faults[0]: nodeDown needs exactly one of broker and node");
  EXPECT_EQ(error_of(with("faults: [{at: 1m, kind: diskFailure, broker: 1}]\n")), "faults[0].duration: required for diskFailure");
  EXPECT_EQ(error_of(with("faults: [{at: 1m, kind: operatorCrash, duration: 0s}]\n")), "faults[0].duration: must be longer than 0s");
  EXPECT_EQ(error_of(with("faults: [{at: 1m, kind: apiErrors, rate: 1.5, duration: 5s}]\n")),
            "faults[0].rate: must be a number above 0 and at most 1, got 1.5");
  EXPECT_EQ(error_of(with("faults: [{at: 1m, kind: ccRestart, broker: 1, duration: 5s, rate: 0.5}]\n")),
            "faults[0].broker: not used by ccRestart\nfaults[0].duration: not used by ccRestart\nfaults[0].rate: not used by ccRestart");
  EXPECT_EQ(error_of(with("faults: [{at: 1m, kind: ccTaskFailure, count: 0}]\n")),
            "faults[0].count: must be an integer from 1 to 1000, got 0");
  EXPECT_EQ(error_of(with("steps: [{fault: {at: 1m, kind: watchDrop}}]\n")), R"(steps[0].fault: unknown key "at")");
  EXPECT_EQ(parsed(with("faults: [{at: 1m, kind: apiErrors, duration: 5s}]\n")).faults[0].rate, 0.2);
}

TEST(scenario_parse, brokers_and_nodes_referenced_must_exist) {
  EXPECT_EQ(error_of(with("steps: [{removeBroker: 7}]\n")), "steps[0].removeBroker: no broker 7 at this step (brokers: 0, 1, 2)");
  EXPECT_EQ(error_of(with("steps: [{removeBroker: 1}, {brokerConfig: {broker: 1, config: a=b}}]\n")),
            "steps[1].brokerConfig.broker: no broker 1 at this step (brokers: 0, 2)");
  EXPECT_EQ(error_of(with("steps: [{addBrokers: [2, 3]}]\n")), "steps[0].addBrokers[0]: broker 2 already exists");
  EXPECT_EQ(error_of(with("steps: [{addBrokers: [3, 3]}]\n")), "steps[0].addBrokers[1]: broker 3 is listed twice");
  EXPECT_EQ(error_of(with("faults: [{at: 1m, kind: podKill, broker: 9}]\n")), "faults[0].broker: no broker 9 (brokers: 0, 1, 2)");
  EXPECT_EQ(error_of(with("faults: [{at: 1m, kind: nodeDown, node: node-4, duration: 1s}]\n")),
            R"(faults[0].node: unknown node "node-4" (nodes: node-1, node-2, node-3))");
  EXPECT_EQ(error_of(with("topics: [{name: a, replicationFactor: 4}]\n")),
            "topics[0].replicationFactor: 4 exceeds the 3 brokers the cluster starts with");
  // Added brokers can be used afterwards, and fixed faults may hit any broker the timeline ever has.
  parsed(with("steps: [{addBrokers: [3]}, {addDisk: {broker: 3, mountPath: /d}}, {removeBroker: 0}]\n"
              "faults: [{at: 1m, kind: podKill, broker: 3}, {at: 2m, kind: podKill, broker: 0}]\n"));
  parsed(with("nodes: [{name: n1}]\nfaults: [{at: 1m, kind: nodeDown, node: n1, duration: 1s}]\n"));
  // A patch of spec.brokers replaces the list.
  parsed(with("steps: [{patch: {brokers: [{id: 0}, {id: 7}]}}, {removeBroker: 7}]\n"));
  EXPECT_EQ(error_of(with("steps: [{patch: {brokers: [{id: 0}, {id: 7}]}}, {removeBroker: 1}]\n")),
            "steps[1].removeBroker: no broker 1 at this step (brokers: 0, 7)");
}

TEST(scenario_parse, the_cluster_is_validated_like_kactor_validate) {
  auto sample = read_file(std::filesystem::path{KACTOR_SOURCE_DIR} / "deploy/samples/kafkacluster.yaml");
  std::string indented;
  for (size_t i = 0; i < sample.size(); ++i)
    indented += (i == 0 || sample[i - 1] == '\n' ? "  " : "") + std::string{sample[i]};
  auto s = parsed(with("cluster:\n" + indented + "steps: [{removeBroker: 2}]\n"));
  EXPECT_EQ(s.cluster["metadata"]["name"], "kafka");

  auto e = error_of(with(R"(cluster:
  apiVersion: kafka.banzaicloud.io/v1beta1
  kind: KafkaCluster
  metadata: {name: kafka, namespace: other}
  spec: {zkAddresses: ["zk:2181"], brokers: [{id: 1}, {id: 1}], listenersConfig: {internalListeners: [{type: plaintext, name: internal, containerPort: 29092, usedForInnerBrokerCommunication: true}]}}
)"));
  EXPECT_NE(e.find("cluster.spec.brokers[1].id: duplicate broker id 1"), std::string::npos) << e;
  EXPECT_NE(e.find("cluster.metadata.namespace: \"other\" differs from the scenario's namespace \"kafka\""), std::string::npos) << e;
  EXPECT_EQ(error_of(with("cluster: {apiVersion: v1, kind: Pod}\n")).rfind("cluster.", 0), 0u);
  EXPECT_EQ(error_of(with("cluster: [1]\n")), "cluster: expected a KafkaCluster document as a mapping, got [1]");
}

TEST(scenario_parse, the_examples_and_the_default_scenario_parse) {
  const std::filesystem::path root{KACTOR_SOURCE_DIR};
  std::vector<std::filesystem::path> files{root / "sim/scenario/default_scenario.yaml"};
  for (const auto& entry : std::filesystem::directory_iterator(root / "examples/scenarios"))
    if (entry.path().extension() == ".yaml")
      files.push_back(entry.path());
  EXPECT_GE(files.size(), 4u);
  for (const auto& f : files) {
    auto s = parse_scenario(read_file(f));
    EXPECT_TRUE(s.is_ok()) << f << ": " << s.error().message();
    if (s) {
      EXPECT_FALSE(s->steps.empty()) << f;
    }
  }
}

TEST(scenario_parse, no_prefix_of_a_scenario_crashes) {
  // Cut anywhere, a file must give a scenario or an error, never a crash.
  std::string text = full;
  for (size_t n = 0; n <= text.size(); ++n)
    (void) parse_scenario(std::string_view{text}.substr(0, n));
}

TEST(fault_kinds, names_round_trip) {
  for (int k = 0; k <= static_cast<int>(fault_kind::operator_cut_off); ++k)
    EXPECT_EQ(fault_kind_from_string(to_string(static_cast<fault_kind>(k))), static_cast<fault_kind>(k));
  EXPECT_FALSE(fault_kind_from_string("podkill"));
}

namespace {

bool same(const std::vector<fault_spec>& a, const std::vector<fault_spec>& b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].kind != b[i].kind || a[i].at != b[i].at || a[i].broker != b[i].broker || a[i].node != b[i].node
        || a[i].duration != b[i].duration || a[i].rate != b[i].rate || a[i].count != b[i].count)
      return false;
  return true;
}

scenario chaos() {
  return parsed(R"(
name: chaos
steps: [{addBrokers: [3, 4]}, {waitConverged: 5m}]
faults:
  - {at: 90s, kind: watchDrop}
  - {at: 0s, kind: nodeDown, node: node-1, duration: 10s}
randomFaults:
  kinds: [podKill, containerKill, nodeDown, diskFailure, apiErrors, ccRestart, ccTaskFailure, operatorCrash]
  count: 40
  from: 1m
  to: 8m
  minDuration: 5s
  maxDuration: 30s
)");
}

} // namespace

TEST(fault_schedule, the_same_seed_gives_the_same_schedule) {
  auto s = chaos();
  EXPECT_TRUE(same(fault_schedule(s, 7), fault_schedule(s, 7)));
  EXPECT_TRUE(same(fault_schedule(s, 0), fault_schedule(s, 0)));
}

TEST(fault_schedule, different_seeds_give_different_schedules) {
  auto s = chaos();
  std::vector<std::vector<fault_spec>> seen;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    auto sched = fault_schedule(s, seed);
    for (const auto& other : seen)
      EXPECT_FALSE(same(sched, other)) << "seed " << seed;
    seen.push_back(sched);
  }
}

TEST(fault_schedule, random_faults_stay_within_their_bounds) {
  auto s = chaos();
  const std::set<int32_t> brokers{0, 1, 2, 3, 4};
  std::set<int32_t> hit;
  std::set<fault_kind> kinds;
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    auto sched = fault_schedule(s, seed);
    ASSERT_EQ(sched.size(), 42u);
    EXPECT_TRUE(std::is_sorted(sched.begin(), sched.end(), [](const auto& a, const auto& b) { return a.at < b.at; }));
    for (const auto& f : sched) {
      if (f.kind == fault_kind::watch_drop || !f.node.empty())
        continue; // the fixed ones
      kinds.insert(f.kind);
      EXPECT_GE(f.at, 1min);
      EXPECT_LE(f.at, 8min);
      bool on_broker = f.kind == fault_kind::pod_kill || f.kind == fault_kind::container_kill
                       || f.kind == fault_kind::node_down || f.kind == fault_kind::disk_failure;
      EXPECT_EQ(on_broker, brokers.contains(f.broker)) << to_string(f.kind) << " broker " << f.broker;
      if (on_broker)
        hit.insert(f.broker);
      bool lasting = f.kind == fault_kind::node_down || f.kind == fault_kind::disk_failure
                     || f.kind == fault_kind::api_errors || f.kind == fault_kind::operator_crash;
      if (lasting) {
        EXPECT_GE(f.duration, 5s);
        EXPECT_LE(f.duration, 30s);
      } else {
        EXPECT_EQ(f.duration, 0ms);
      }
      if (f.kind == fault_kind::api_errors) {
        EXPECT_EQ(f.rate, 0.3);
      }
      if (f.kind == fault_kind::cc_task_failure) {
        EXPECT_EQ(f.count, 1);
      }
    }
  }
  EXPECT_EQ(hit, brokers) << "added brokers are drawn too";
  EXPECT_EQ(kinds.size(), 8u);
}

TEST(fault_schedule, fixed_faults_are_kept_in_time_order) {
  auto s = chaos();
  s.random.reset();
  auto sched = fault_schedule(s, 3);
  ASSERT_EQ(sched.size(), 2u);
  EXPECT_EQ(sched[0].kind, fault_kind::node_down);
  EXPECT_EQ(sched[0].node, "node-1");
  EXPECT_EQ(sched[1].kind, fault_kind::watch_drop);
  EXPECT_EQ(sched[1].at, 90s);
}

TEST(fault_schedule, a_seed_draws_the_same_faults_on_every_platform) {
  // Pinned draws: mt19937_64's output is fixed by the standard and the draws use integer arithmetic only,
  // so these values hold for every compiler and library. A change here changes every recorded seed.
  auto s = parsed(R"(
name: pinned
randomFaults: {kinds: [podKill, nodeDown, ccRestart], count: 3, from: 0s, to: 10m, minDuration: 5s, maxDuration: 30s}
)");
  auto sched = fault_schedule(s, 42);
  std::string text;
  for (const auto& f : sched)
    text += std::string{to_string(f.kind)} + "@" + std::to_string(f.at.count()) + "/" + std::to_string(f.broker) + "/"
            + std::to_string(f.duration.count()) + " ";
  EXPECT_EQ(text, "nodeDown@206397/1/27015 podKill@234622/2/0 podKill@410177/1/0 ");
}
