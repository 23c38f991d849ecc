// The Cruise Control kactor deploys without cruiseControlEndpoint: capacity.json (checked against the format
// Cruise Control's BrokerCapacityConfigFileResolver reads), the ConfigMap, the Deployment and the Service.
#include <charconv>
#include <cstdlib>
#include <functional>
#include <set>

#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "model/defaults.hpp"
#include "model/effective_broker.hpp"
#include "model/render/cruise_control_capacity.hpp"
#include "model/render/cruise_control_configmap.hpp"
#include "model/render/cruise_control_deployment.hpp"
#include "model/render/cruise_control_service.hpp"
#include "model/render/server_properties.hpp"
#include "model/validate/kafka_cluster_validate.hpp"

using namespace kactor::model;
using namespace kactor::testing;

namespace {

// --- A checker of capacity.json as BrokerCapacityConfigFileResolver (linkedin/cruise-control) reads it ---
// Gson maps brokerId to an int and each capacity value to a String (DISK and CPU may be maps); every number
// goes through Double.parseDouble, num.cores through Short.parseShort; JBOD log dirs must be absolute; num.cores
// is given by every broker or by none; -1 is the default estimate for brokers without an entry.

bool cc_check_numeric(const json& v) {
  if (!v.is_string() || v.get<std::string>().empty())
    return false;
  const std::string s = v.get<std::string>();
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

bool cc_check_int(const std::string& s, long min, long max, long& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size() && !s.empty() && out >= min && out <= max;
}

/// "" when Cruise Control would load `doc`, else the first problem found.
std::string cc_capacity_problem(const json& doc) {
  if (!doc.is_object() || !doc.contains("brokerCapacities") || !doc["brokerCapacities"].is_array())
    return "no brokerCapacities array";
  bool has_default = false;
  std::set<bool> uses_num_cores;
  for (const auto& e : doc["brokerCapacities"]) {
    long id = 0;
    if (!e.is_object() || !e.contains("brokerId") || !e["brokerId"].is_string()
        || !cc_check_int(e["brokerId"].get<std::string>(), -2147483648L, 2147483647L, id))
      return "brokerId is not an integer in a string: " + e.dump();
    has_default |= id == -1;
    if (!e.contains("capacity") || !e["capacity"].is_object())
      return "broker " + std::to_string(id) + ": no capacity object";
    const json& cap = e["capacity"];
    for (const char* key : {"DISK", "CPU", "NW_IN", "NW_OUT"})
      if (!cap.contains(key))
        return "broker " + std::to_string(id) + ": no " + key;
    const json& disk = cap["DISK"];
    if (disk.is_object()) {
      for (const auto& [dir, size] : disk.items())
        if (dir.empty() || dir[0] != '/' || !cc_check_numeric(size))
          return "broker " + std::to_string(id) + ": DISK log dir " + dir + " → " + size.dump();
    } else if (!cc_check_numeric(disk)) {
      return "broker " + std::to_string(id) + ": DISK " + disk.dump();
    }
    const json& cpu = cap["CPU"];
    long cores = 0;
    if (cpu.is_object()) {
      if (!cpu.contains("num.cores") || !cpu["num.cores"].is_string()
          || !cc_check_int(cpu["num.cores"].get<std::string>(), -32768, 32767, cores))
        return "broker " + std::to_string(id) + ": CPU " + cpu.dump();
    } else if (!cc_check_numeric(cpu)) {
      return "broker " + std::to_string(id) + ": CPU " + cpu.dump();
    }
    uses_num_cores.insert(cpu.is_object());
    for (const char* key : {"NW_IN", "NW_OUT"})
      if (!cc_check_numeric(cap[key]))
        return "broker " + std::to_string(id) + ": " + key + " " + cap[key].dump();
  }
  if (uses_num_cores.size() > 1)
    return "num.cores given by some brokers only";
  return has_default ? "" : "no default entry (brokerId -1)";
}

json cc_fixture(const char* name) {
  return json::parse(read_file(fixtures_dir() / "cruise-control" / "capacity-config" / name));
}

/// The base cluster after `edit` on its JSON document.
kafka_cluster cc_cluster(const std::function<void(json&)>& edit) {
  json doc = load_documents(base_cluster_yaml)->front();
  edit(doc);
  auto parsed = parse_kafka_cluster(doc);
  for (const auto& e : parsed.errors)
    ADD_FAILURE() << e.to_string();
  return parsed.cluster;
}

const json* cc_entry(const json& capacity, const std::string& id) {
  for (const auto& e : capacity["brokerCapacities"])
    if (e["brokerId"] == id)
      return &e;
  return nullptr;
}

properties cc_properties_of(const json& configmap) {
  auto parsed = parse_properties(configmap["data"]["cruisecontrol.properties"].get<std::string>());
  EXPECT_TRUE(parsed) << parsed.error().to_string();
  return parsed ? *parsed : properties{};
}

std::string cc_hash(const kafka_cluster& c) {
  auto d = render_cruise_control_deployment(c);
  return d ? (*d)["spec"]["template"]["metadata"]["annotations"][config_hash_annotation].get<std::string>() : "";
}

json cc_storage(const char* path, const char* size) {
  return {{"mountPath", path}, {"pvcSpec", {{"resources", {{"requests", {{"storage", size}}}}}}}};
}

} // namespace

TEST(cruise_control_capacity, the_checker_accepts_cruise_controls_own_examples_and_refuses_broken_ones) {
  for (const char* name : {"capacity.json", "capacityCores.json", "capacityJBOD.json"})
    EXPECT_EQ(cc_capacity_problem(cc_fixture(name)), "") << name;
  json jbod = cc_fixture("capacityJBOD.json");
  json no_default = jbod;
  no_default["brokerCapacities"].erase(0);
  EXPECT_NE(cc_capacity_problem(no_default), "");
  json number_disk = jbod;
  number_disk["brokerCapacities"][1]["capacity"]["DISK"] = 500000;
  EXPECT_NE(cc_capacity_problem(number_disk), "");
  json relative_dir = jbod;
  relative_dir["brokerCapacities"][1]["capacity"]["DISK"] = {{"kafka-logs", "10"}};
  EXPECT_NE(cc_capacity_problem(relative_dir), "");
  json mixed_cores = jbod;
  mixed_cores["brokerCapacities"][1]["capacity"]["CPU"] = {{"num.cores", "8"}};
  EXPECT_NE(cc_capacity_problem(mixed_cores), "");
  json int_id = jbod;
  int_id["brokerCapacities"][2]["brokerId"] = 1;
  EXPECT_NE(cc_capacity_problem(int_id), "");
}

TEST(cruise_control_capacity, the_samples_capacity_sizes_every_broker_from_its_spec) {
  auto c = sample("simplekafkacluster.yaml");
  json capacity = render_cruise_control_capacity(c);
  EXPECT_EQ(cc_capacity_problem(capacity), "") << capacity.dump(2);
  ASSERT_EQ(capacity["brokerCapacities"].size(), 4u);
  EXPECT_EQ(capacity["brokerCapacities"][0]["brokerId"], "-1");
  for (const char* id : {"-1", "0", "1", "2"}) {
    const json* e = cc_entry(capacity, id);
    ASSERT_NE(e, nullptr) << id;
    // 10Gi on /kafka-logs, logging under /kafka-logs/kafka as log.dirs says; default limits.cpu 1500m.
    EXPECT_EQ((*e)["capacity"]["DISK"], json({{"/kafka-logs/kafka", "10240"}})) << id;
    EXPECT_EQ((*e)["capacity"]["CPU"], json({{"num.cores", "2"}})) << id;
    EXPECT_EQ((*e)["capacity"]["NW_IN"], "125000");
    EXPECT_EQ((*e)["capacity"]["NW_OUT"], "125000");
    EXPECT_TRUE((*e)["doc"].is_string());
  }
  auto b0 = make_effective_broker(c, 0);
  ASSERT_TRUE(b0);
  EXPECT_EQ(render_server_properties(c, *b0).at("log.dirs"), "/kafka-logs/kafka");
}

TEST(cruise_control_capacity, a_jbod_broker_lists_each_disk_in_mib_and_its_cores) {
  auto c = cc_cluster([](json& d) {
    d["spec"]["brokers"][1]["brokerConfig"] = {{"storageConfigs", json::array({cc_storage("/data2", "1000M")})},
                                               {"resourceRequirements", {{"limits", {{"cpu", "3500m"}}}}}};
    d["spec"]["brokers"][2]["brokerConfig"]
        = {{"resourceRequirements", {{"requests", {{"cpu", "100m"}}}, {"limits", {{"memory", "4Gi"}}}}},
           {"networkConfig", {{"incomingNetworkThroughPut", "250000"}}}};
  });
  ASSERT_TRUE(validate_kafka_cluster(c).empty());
  json capacity = render_cruise_control_capacity(c);
  EXPECT_EQ(cc_capacity_problem(capacity), "") << capacity.dump(2);
  const json* one = cc_entry(capacity, "1");
  ASSERT_NE(one, nullptr);
  // 1000M = 10^9 bytes = 953.67 MiB, truncated; the group's 10Gi disk stays beside the broker's own.
  EXPECT_EQ((*one)["capacity"]["DISK"], json({{"/kafka-logs/kafka", "10240"}, {"/data2/kafka", "953"}}));
  EXPECT_EQ((*one)["capacity"]["CPU"]["num.cores"], "4");
  auto b1 = make_effective_broker(c, 1);
  ASSERT_TRUE(b1);
  std::set<std::string> dirs;
  for (const auto& [dir, size] : (*one)["capacity"]["DISK"].items())
    dirs.insert(dir);
  EXPECT_EQ(dirs, (std::set<std::string>{"/data2/kafka", "/kafka-logs/kafka"}));
  auto log_dirs = render_server_properties(c, *b1).at("log.dirs");
  for (const auto& dir : dirs)
    EXPECT_NE(log_dirs.find(dir), std::string::npos) << "Cruise Control sizes the log dirs Kafka uses: " << log_dirs;
  const json* two = cc_entry(capacity, "2");
  ASSERT_NE(two, nullptr);
  EXPECT_EQ((*two)["capacity"]["CPU"]["num.cores"], "1") << "requests.cpu 100m, rounded up";
  EXPECT_EQ((*two)["capacity"]["NW_IN"], "250000");
  EXPECT_EQ((*two)["capacity"]["NW_OUT"], "125000");
}

TEST(cruise_control_capacity, the_users_capacity_config_is_returned_as_written) {
  auto c = sample("banzaicloud_v1beta1_kafkacluster.yaml");
  ASSERT_TRUE(c.spec.cruise_control.capacity_config);
  json capacity = render_cruise_control_capacity(c);
  EXPECT_EQ(capacity, json::parse(*c.spec.cruise_control.capacity_config));
  EXPECT_EQ(cc_capacity_problem(capacity), "");
}

TEST(cruise_control_configmap, holds_the_four_files_with_kactors_keys_over_the_users) {
  auto c = sample("simplekafkacluster.yaml");
  c.spec.cruise_control.config = *c.spec.cruise_control.config + "bootstrap.servers=elsewhere:9092\n"
                                 + "capacity.config.file=/tmp/capacity.json\n";
  auto cm = render_cruise_control_configmap(c);
  ASSERT_TRUE(cm);
  EXPECT_EQ((*cm)["metadata"]["name"], "kafka-cruisecontrol-config");
  EXPECT_EQ((*cm)["metadata"]["labels"], json({{"app", "cruisecontrol"}, {"kafka_cr", "kafka"}}))
      << "not app=kafka: the PDB and the all-broker Service select brokers by it";
  std::set<std::string> keys;
  for (const auto& [key, value] : (*cm)["data"].items())
    keys.insert(key);
  EXPECT_EQ(keys, (std::set<std::string>{"cruisecontrol.properties", "capacity.json", "clusterConfigs.json",
                                         "log4j.properties"}));
  auto props = cc_properties_of(*cm);
  EXPECT_EQ(props["metadata.max.age.ms"], "10000") << "the user's config is kept";
  auto b0 = make_effective_broker(c, 0);
  ASSERT_TRUE(b0);
  auto broker = render_server_properties(c, *b0);
  EXPECT_EQ(props["bootstrap.servers"], broker.at("cruise.control.metrics.reporter.bootstrap.servers"));
  EXPECT_EQ(props["bootstrap.servers"], "kafka-all-broker.default.svc.cluster.local:29092");
  EXPECT_EQ(props["zookeeper.connect"], broker.at("zookeeper.connect"));
  EXPECT_EQ(props["capacity.config.file"], "/opt/cruise-control/config/capacity.json");
  EXPECT_EQ(props["cluster.configs.file"], "/opt/cruise-control/config/clusterConfigs.json");
  EXPECT_EQ(props["webserver.http.port"], "8090") << "the sample says 9090; the Service and probe use 8090";
  // The brokers' reporter creates the metrics topic, sized by topicConfig (the sample: 3 × 3).
  EXPECT_EQ(broker.at("cruise.control.metrics.topic.auto.create"), "true");
  EXPECT_EQ(broker.at("cruise.control.metrics.topic.num.partitions"), "3");
  EXPECT_EQ(broker.at("cruise.control.metrics.topic.replication.factor"), "3");
  EXPECT_EQ(json::parse((*cm)["data"]["capacity.json"].get<std::string>()), render_cruise_control_capacity(c));
  EXPECT_EQ(json::parse((*cm)["data"]["clusterConfigs.json"].get<std::string>()), json({{"min.insync.replicas", 3}}));
  EXPECT_NE((*cm)["data"]["log4j.properties"].get<std::string>().find("appender.console.type=Console"),
            std::string::npos);
  EXPECT_EQ((*render_cruise_control_configmap(base_cluster()))["data"]["clusterConfigs.json"], "{}");
}

TEST(cruise_control_configmap, kraft_mode_reads_topics_through_kafka_not_zookeeper) {
  auto c = sample("kraft/simplekafkacluster_kraft.yaml");
  ASSERT_TRUE(c.spec.k_raft);
  auto cm = render_cruise_control_configmap(c);
  ASSERT_TRUE(cm);
  auto props = cc_properties_of(*cm);
  EXPECT_FALSE(props.contains("zookeeper.connect"));
  EXPECT_EQ(props["topic.config.provider.class"],
            "com.linkedin.kafka.cruisecontrol.config.KafkaAdminTopicConfigProvider");
  EXPECT_EQ(props["kafka.broker.failure.detection.enable"], "true");
  json capacity = render_cruise_control_capacity(c);
  EXPECT_EQ(cc_capacity_problem(capacity), "");
  // Controllers 0-2 log to /kafka-logs, brokers 100-102 to /kafka-logs-broker: a removed broker is sized
  // like the brokers.
  const json* fallback = cc_entry(capacity, "-1");
  ASSERT_NE(fallback, nullptr);
  EXPECT_EQ((*fallback)["capacity"], (*cc_entry(capacity, "100"))["capacity"]);
}

TEST(cruise_control_deployment, a_changed_capacity_rolls_cruise_control) {
  auto c = base_cluster();
  auto before = cc_hash(c);
  EXPECT_EQ(before.size(), 16u);
  EXPECT_EQ(cc_hash(base_cluster()), before) << "an unchanged spec renders the same hash";
  c.spec.broker_config_groups["default"].storage_configs[0].pvc_spec
      = json{{"resources", {{"requests", {{"storage", "20Gi"}}}}}};
  EXPECT_NE(cc_hash(c), before);
  auto added = base_cluster();
  added.spec.brokers.push_back({3, std::string{"default"}, std::nullopt, std::nullopt});
  EXPECT_NE(cc_hash(added), before) << "a new broker is a new capacity entry";
  auto configured = base_cluster();
  configured.spec.cruise_control.config = "num.metric.fetchers=2\n";
  EXPECT_NE(cc_hash(configured), before);
}

TEST(cruise_control_deployment, takes_its_pod_from_cruise_control_config) {
  std::string yaml = base_cluster_yaml;
  yaml.replace(yaml.find("cruiseControlConfig: {}"), 23, "cruiseControlConfig:");
  auto c = cluster_from_yaml(yaml + R"(    image: registry.example/cc:1
    serviceAccountName: cruise
    resourceRequirements: {requests: {cpu: "1", memory: 2Gi}, limits: {memory: 2Gi}}
    nodeSelector: {pool: tools}
    tolerations: [{key: tools, operator: Exists, effect: NoSchedule}]
    affinity: {nodeAffinity: {}}
    podSecurityContext: {runAsNonRoot: true}
    securityContext: {readOnlyRootFilesystem: true}
    cruiseControlAnnotations: {team: kafka}
)");
  auto d = render_cruise_control_deployment(c);
  ASSERT_TRUE(d);
  EXPECT_EQ((*d)["apiVersion"], "apps/v1");
  EXPECT_EQ((*d)["metadata"]["name"], "kafka-cruisecontrol");
  const json& spec = (*d)["spec"];
  EXPECT_EQ(spec["replicas"], 1);
  EXPECT_EQ(spec["strategy"]["type"], "Recreate");
  json labels = {{"app", "cruisecontrol"}, {"kafka_cr", "kafka"}};
  EXPECT_EQ(spec["selector"]["matchLabels"], labels);
  EXPECT_EQ(spec["template"]["metadata"]["labels"], labels);
  EXPECT_EQ(spec["template"]["metadata"]["annotations"]["team"], "kafka");
  EXPECT_TRUE(spec["template"]["metadata"]["annotations"].contains(config_hash_annotation));
  const json& pod = spec["template"]["spec"];
  EXPECT_EQ(pod["serviceAccountName"], "cruise");
  EXPECT_EQ(pod["nodeSelector"], json({{"pool", "tools"}}));
  EXPECT_EQ(pod["tolerations"][0]["key"], "tools");
  EXPECT_EQ(pod["affinity"], json({{"nodeAffinity", json::object()}}));
  EXPECT_EQ(pod["securityContext"], json({{"runAsNonRoot", true}}));
  EXPECT_EQ(pod["volumes"][0]["configMap"]["name"], "kafka-cruisecontrol-config");
  ASSERT_EQ(pod["containers"].size(), 1u);
  const json& cc = pod["containers"][0];
  EXPECT_EQ(cc["name"], "cruise-control");
  EXPECT_EQ(cc["image"], "registry.example/cc:1");
  EXPECT_EQ(cc["resources"]["requests"]["memory"], "2Gi");
  EXPECT_EQ(cc["securityContext"], json({{"readOnlyRootFilesystem", true}}));
  EXPECT_EQ(cc["ports"][0], json({{"name", "cc"}, {"containerPort", 8090}, {"protocol", "TCP"}}));
  EXPECT_EQ(cc["readinessProbe"]["httpGet"], json({{"path", "/kafkacruisecontrol/state"}, {"port", 8090}}));
  EXPECT_EQ(cc["readinessProbe"]["initialDelaySeconds"], 30);
  EXPECT_EQ(cc["readinessProbe"]["periodSeconds"], 10);
  EXPECT_EQ(cc["volumeMounts"][0], json({{"name", "config"}, {"mountPath", "/opt/cruise-control/config"}}));
}

TEST(cruise_control_deployment, defaults_mirror_koperators) {
  auto d = render_cruise_control_deployment(base_cluster());
  ASSERT_TRUE(d);
  const json& pod = (*d)["spec"]["template"]["spec"];
  EXPECT_EQ(pod["containers"][0]["image"], default_cruise_control_image);
  EXPECT_EQ(pod["containers"][0]["resources"]["limits"], json({{"cpu", "200m"}, {"memory", "768Mi"}}));
  EXPECT_EQ(pod["serviceAccountName"], "default");
  for (const char* absent : {"nodeSelector", "tolerations", "affinity", "securityContext"})
    EXPECT_FALSE(pod.contains(absent)) << absent;
  EXPECT_FALSE(pod["containers"][0].contains("securityContext"));
}

TEST(cruise_control_service, fronts_the_rest_api_under_the_name_kactor_calls) {
  auto s = render_cruise_control_service(base_cluster());
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)["metadata"]["name"], "kafka-cruisecontrol-svc");
  EXPECT_EQ((*s)["metadata"]["namespace"], "kafka");
  EXPECT_EQ((*s)["spec"]["type"], "ClusterIP");
  EXPECT_EQ((*s)["spec"]["selector"], json({{"app", "cruisecontrol"}, {"kafka_cr", "kafka"}}));
  ASSERT_EQ((*s)["spec"]["ports"].size(), 1u);
  const json& port = (*s)["spec"]["ports"][0];
  EXPECT_EQ(port["name"], "cc");
  EXPECT_EQ(port["port"], 8090);
  EXPECT_EQ(port["targetPort"], 8090);
}

TEST(cruise_control, nothing_is_deployed_when_an_endpoint_is_set) {
  auto c = base_cluster();
  c.spec.cruise_control.cruise_control_endpoint = "cc.tools.svc:8090";
  EXPECT_FALSE(render_cruise_control_configmap(c));
  EXPECT_FALSE(render_cruise_control_deployment(c));
  EXPECT_FALSE(render_cruise_control_service(c));
  c.spec.cruise_control.cruise_control_endpoint = "";
  EXPECT_TRUE(render_cruise_control_configmap(c)) << "an empty endpoint is no endpoint";
  EXPECT_TRUE(render_cruise_control_deployment(c));
  EXPECT_TRUE(render_cruise_control_service(c));
}

TEST(cruise_control, the_deployment_fields_are_read_and_written_back_without_warnings) {
  json doc = load_documents(base_cluster_yaml)->front();
  doc["spec"]["cruiseControlConfig"] = {{"nodeSelector", {{"pool", "tools"}}},
                                        {"cruiseControlAnnotations", {{"a", "b"}}},
                                        {"tolerations", json::array({{{"key", "k"}}})},
                                        {"serviceAccountName", "cc"},
                                        {"resourceRequirements", {{"limits", {{"cpu", "1"}}}}},
                                        {"log4jConfig", "x"}};
  auto parsed = parse_kafka_cluster(doc);
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.cluster.spec.cruise_control.node_selector.at("pool"), "tools");
  EXPECT_EQ(parsed.cluster.spec.cruise_control.service_account_name, "cc");
  EXPECT_EQ(to_json(parsed.cluster), doc);
  std::vector<std::string> cc_warnings;
  for (const auto& w : parsed.warnings)
    if (w.find("cruiseControlConfig") != std::string::npos)
      cc_warnings.push_back(w);
  ASSERT_EQ(cc_warnings.size(), 1u);
  EXPECT_EQ(cc_warnings[0].rfind("spec.cruiseControlConfig.log4jConfig:", 0), 0u) << cc_warnings[0];
}

TEST(cruise_control_deployment, a_working_one_is_not_rolled_while_it_has_operations_to_run) {
  auto c = sample("simplekafkacluster.yaml");
  auto desired = *render_cruise_control_deployment(c);
  json running = desired;
  running["spec"]["template"]["metadata"]["annotations"][config_hash_annotation] = "old";
  running["status"] = {{"availableReplicas", 1}};
  EXPECT_EQ(cruise_control_deployment_to_apply(desired, running, true), running) << "held while it drains";
  EXPECT_EQ(cruise_control_deployment_to_apply(desired, running, false), desired) << "rolled once idle";
  running["status"] = {{"availableReplicas", 0}};
  EXPECT_EQ(cruise_control_deployment_to_apply(desired, running, true), desired) << "a broken one is rolled at once";
  EXPECT_EQ(cruise_control_deployment_to_apply(desired, json{}, true), desired) << "none yet: created";
}

TEST(cruise_control_service, the_endpoint_is_the_specs_else_this_service) {
  auto c = sample("simplekafkacluster.yaml");
  c.metadata.namespace_ = "kafka";
  EXPECT_EQ(cruise_control_endpoint(c), "http://kafka-cruisecontrol-svc.kafka.svc.cluster.local:8090");
  c.spec.cruise_control.cruise_control_endpoint = "";
  EXPECT_EQ(cruise_control_endpoint(c), "http://kafka-cruisecontrol-svc.kafka.svc.cluster.local:8090");
  c.spec.cruise_control.cruise_control_endpoint = "cc.tools.svc:8090";
  EXPECT_EQ(cruise_control_endpoint(c), "http://cc.tools.svc:8090");
  c.spec.cruise_control.cruise_control_endpoint = "https://cc.tools.svc:8090";
  EXPECT_EQ(cruise_control_endpoint(c), "https://cc.tools.svc:8090");
}
