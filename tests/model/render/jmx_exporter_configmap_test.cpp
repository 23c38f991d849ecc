#include <algorithm>
#include <fstream>
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "model/defaults.hpp"
#include "model/render/desired_state.hpp"
#include "model/render/jmx_exporter_configmap.hpp"
#include "model/validate/kafka_cluster_validate.hpp"

using namespace kactor::model;
using namespace kactor::testing;

namespace {

const json* named(const json& list, const std::string& name) {
  for (const auto& x : list)
    if (x.value("name", "") == name)
      return &x;
  return nullptr;
}

std::string env_value(const json& container, const std::string& name) {
  const json* e = named(container["env"], name);
  return e ? e->value("value", "") : "";
}

/// What jmx_exporter names an MBean attribute under `rules` (io.prometheus.jmx.JmxCollector: each pattern
/// wrapped in ^.*(?:...).*$ and matched against "domain<key=value, ...><>attribute", the first match wins,
/// $n substituted, lowercased with lowercaseOutputName); "" when no rule matches.
std::string exported_name(const json& config, const std::string& bean) {
  for (const auto& rule : config["rules"]) {
    std::regex pattern{"^.*(?:" + rule["pattern"].get<std::string>() + ").*$"};
    std::smatch m;
    if (!std::regex_match(bean, m, pattern))
      continue;
    std::string name = rule["name"];
    for (size_t i = m.size() - 1; i >= 1; --i) {
      std::string ref = "$" + std::to_string(i);
      for (size_t at; (at = name.find(ref)) != std::string::npos;)
        name.replace(at, ref.size(), m[i].str());
    }
    if (config.value("lowercaseOutputName", false))
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return name;
  }
  return "";
}

kafka_cluster monitored(const std::string& monitoring_yaml) {
  std::string yaml = base_cluster_yaml;
  auto at = yaml.find("spec:\n");
  yaml.insert(at + 6, monitoring_yaml);
  return cluster_from_yaml(yaml);
}

} // namespace

TEST(jmx_exporter, nothing_without_monitoring_config) {
  auto c = base_cluster();
  EXPECT_FALSE(render_jmx_exporter_configmap(c));
  auto b = render_broker(c, 0);
  ASSERT_TRUE(b);
  const auto& kafka = b->pod["spec"]["containers"][0];
  EXPECT_EQ(named(b->pod["spec"]["initContainers"], "jmx-exporter"), nullptr);
  EXPECT_EQ(named(kafka["ports"], "metrics"), nullptr);
  EXPECT_EQ(env_value(kafka, "KAFKA_OPTS"), "");
  EXPECT_FALSE(b->pod["metadata"]["annotations"].contains("prometheus.io/scrape"));
}

TEST(jmx_exporter, every_broker_runs_the_agent_as_koperator_lays_it_out) {
  auto c = monitored("  monitoringConfig: {}\n");
  ASSERT_TRUE(c.spec.monitoring);
  auto state = render_cluster(c);
  ASSERT_TRUE(state) << state.error().to_string();
  const json* cm = nullptr;
  for (const auto& o : state->cluster_objects)
    if (o["kind"] == "ConfigMap" && o["metadata"]["labels"]["app"] == "kafka") // not Cruise Control's
      cm = &o;
  ASSERT_NE(cm, nullptr) << "the exporter's ConfigMap is a cluster object";
  EXPECT_EQ((*cm)["metadata"]["name"], "kafka-kafka-jmx-exporter");
  EXPECT_EQ((*cm)["metadata"]["labels"], json({{"app", "kafka"}, {"kafka_cr", "kafka"}}))
    << "no brokerId: no broker actor takes it for one of its own";
  EXPECT_EQ((*cm)["data"]["config.yaml"], default_jmx_exporter_config());

  for (const auto& [id, b] : state->brokers) {
    const auto& spec = b.pod["spec"];
    const json* init = named(spec["initContainers"], "jmx-exporter");
    ASSERT_NE(init, nullptr) << "broker " << id;
    EXPECT_EQ((*init)["image"], default_jmx_image);
    EXPECT_EQ((*init)["command"], json({"cp", "/jmx_prometheus_javaagent.jar", "/opt/jmx-exporter/jmx_prometheus.jar"}));
    const auto& kafka = spec["containers"][0];
    EXPECT_EQ(env_value(kafka, "KAFKA_OPTS"), "-javaagent:/opt/jmx-exporter/jmx_prometheus.jar=9020:/etc/jmx-exporter/config.yaml");
    const json* port = named(kafka["ports"], "metrics");
    ASSERT_NE(port, nullptr);
    EXPECT_EQ((*port)["containerPort"], 9020);
    const json* jar = named(spec["volumes"], "jmx-jar-data");
    const json* config = named(spec["volumes"], "exporter-config");
    ASSERT_TRUE(jar && config);
    EXPECT_TRUE(jar->contains("emptyDir"));
    EXPECT_EQ((*config)["configMap"]["name"], "kafka-kafka-jmx-exporter");
    std::set<std::string> mounts;
    for (const auto& m : kafka["volumeMounts"])
      mounts.insert(m["name"].get<std::string>() + ":" + m["mountPath"].get<std::string>());
    EXPECT_TRUE(mounts.contains("jmx-jar-data:/opt/jmx-exporter"));
    EXPECT_TRUE(mounts.contains("exporter-config:/etc/jmx-exporter"));
    EXPECT_EQ((*init)["volumeMounts"][0]["mountPath"], "/opt/jmx-exporter") << "the jar lands where the agent is loaded from";
    EXPECT_EQ(b.pod["metadata"]["annotations"]["prometheus.io/scrape"], "true");
    EXPECT_EQ(b.pod["metadata"]["annotations"]["prometheus.io/port"], "9020");
  }
}

TEST(jmx_exporter, the_users_image_jar_rules_and_annotations_win) {
  auto c = monitored("  monitoringConfig:\n    jmxImage: registry.example/jmx:2\n    pathToJar: /agent.jar\n"
                     "    kafkaJMXExporterConfig: |\n      rules:\n        - pattern: '.*'\n");
  c.spec.broker_config_groups["default"].broker_annotations["prometheus.io/port"] = "19020";
  auto b = render_broker(c, 1);
  ASSERT_TRUE(b);
  const json* init = named(b->pod["spec"]["initContainers"], "jmx-exporter");
  ASSERT_NE(init, nullptr);
  EXPECT_EQ((*init)["image"], "registry.example/jmx:2");
  EXPECT_EQ((*init)["command"][1], "/agent.jar");
  EXPECT_EQ(b->pod["metadata"]["annotations"]["prometheus.io/port"], "19020");
  EXPECT_EQ((*render_jmx_exporter_configmap(c))["data"]["config.yaml"], "rules:\n  - pattern: '.*'\n");
}

TEST(jmx_exporter, a_config_the_exporter_cannot_read_is_refused_naming_the_field) {
  auto broken = monitored("  monitoringConfig:\n    kafkaJMXExporterConfig: \"rules: [unclosed\"\n");
  auto errors = validate_kafka_cluster(broken);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "spec.monitoringConfig.kafkaJMXExporterConfig");
  EXPECT_FALSE(render_cluster(broken)) << "nothing is rendered from it";
  auto not_rules = monitored("  monitoringConfig:\n    kafkaJMXExporterConfig: \"rules: 3\"\n");
  errors = validate_kafka_cluster(not_rules);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "spec.monitoringConfig.kafkaJMXExporterConfig.rules");
  EXPECT_TRUE(validate_kafka_cluster(monitored("  monitoringConfig:\n    kafkaJMXExporterConfig: \"\"\n")).empty());
}

TEST(jmx_exporter, the_default_rules_name_the_series_kactors_alert_rules_read) {
  auto docs = load_documents(default_jmx_exporter_config(), "default");
  ASSERT_TRUE(docs) << docs.error().to_string();
  const json& config = docs->at(0);
  // Every JMX name deploy/prometheus/series.txt lists comes out of the default rules from its MBean.
  std::set<std::string> listed;
  std::ifstream list(std::string{KACTOR_SOURCE_DIR} + "/deploy/prometheus/series.txt");
  ASSERT_TRUE(list);
  for (std::string line; std::getline(list, line);)
    if (line.rfind("kafka_", 0) == 0)
      listed.insert(line);
  std::set<std::string> produced;
  for (const char* bean : {"kafka.server<type=ReplicaManager, name=PartitionCount><>Value",
                           "kafka.server<type=ReplicaManager, name=LeaderCount><>Value",
                           "kafka.server<type=ReplicaManager, name=UnderReplicatedPartitions><>Value",
                           "kafka.server<type=ReplicaManager, name=UnderMinIsrPartitionCount><>Value",
                           "kafka.controller<type=KafkaController, name=ActiveControllerCount><>Value",
                           "kafka.controller<type=KafkaController, name=OfflinePartitionsCount><>Value"})
    produced.insert(exported_name(config, bean));
  EXPECT_EQ(produced, listed);
  EXPECT_EQ(exported_name(config, "kafka.server<type=BrokerTopicMetrics, name=MessagesInPerSec, topic=orders><>Count"),
            "kafka_server_brokertopicmetrics_messagesinpersec_total");
  EXPECT_EQ(exported_name(config, "kafka.log<type=LogManager, name=LogDirectoryOffline, logDirectory=/kafka-logs/kafka><>Value"),
            "kafka_log_logmanager_logdirectoryoffline");
}
