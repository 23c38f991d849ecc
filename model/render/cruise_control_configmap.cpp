#include "model/render/cruise_control_configmap.hpp"

#include "model/properties.hpp"
#include "model/render/cruise_control_capacity.hpp"
#include "model/render/cruise_control_deployment.hpp"
#include "model/render/metadata.hpp"
#include "model/render/server_properties.hpp"

namespace kactor::model {

namespace {

const char* cc_log4j_properties = R"(rootLogger.level=INFO
rootLogger.appenderRefs=console
rootLogger.appenderRef.console.ref=STDOUT
appenders=console
appender.console.type=Console
appender.console.name=STDOUT
appender.console.layout.type=PatternLayout
appender.console.layout.pattern=[%d] %p %m (%c)%n
)";

std::string cc_properties(const kafka_cluster& c) {
  const auto& cc = c.spec.cruise_control;
  properties own;
  if (cc.config)
    if (auto parsed = parse_properties(*cc.config))
      own = std::move(*parsed);
  properties generated;
  generated["bootstrap.servers"] = cruise_control_bootstrap_servers(c);
  if (c.spec.k_raft) {
    generated["topic.config.provider.class"] = "com.linkedin.kafka.cruisecontrol.config.KafkaAdminTopicConfigProvider";
    generated["kafka.broker.failure.detection.enable"] = "true";
  } else {
    generated["zookeeper.connect"] = zookeeper_connect(c.spec);
  }
  generated["capacity.config.file"] = std::string{cruise_control_config_dir} + "/capacity.json";
  generated["cluster.configs.file"] = std::string{cruise_control_config_dir} + "/clusterConfigs.json";
  // The port the Service, the probe and kactor use: Koperator's sample config says 9090, its Service 8090.
  generated["webserver.http.port"] = std::to_string(cruise_control_port);
  return render_properties(merge_properties(std::move(own), generated));
}

} // namespace

bool deploys_cruise_control(const kafka_cluster& c) {
  const auto& endpoint = c.spec.cruise_control.cruise_control_endpoint;
  return !endpoint || endpoint->empty();
}

std::string cruise_control_configmap_name(const kafka_cluster& c) {
  return c.metadata.name + "-cruisecontrol-config";
}

string_map cruise_control_labels(const kafka_cluster& c) {
  return {{"app", "cruisecontrol"}, {"kafka_cr", c.metadata.name}};
}

std::optional<json> render_cruise_control_configmap(const kafka_cluster& c) {
  if (!deploys_cruise_control(c))
    return std::nullopt;
  const auto& cluster_config = c.spec.cruise_control.cluster_config;
  json data = {{"cruisecontrol.properties", cc_properties(c)},
               {"capacity.json", render_cruise_control_capacity(c).dump(2)},
               {"clusterConfigs.json", cluster_config && !cluster_config->empty() ? *cluster_config : "{}"},
               {"log4j.properties", cc_log4j_properties}};
  return json{{"apiVersion", "v1"},
              {"kind", "ConfigMap"},
              {"metadata", object_metadata(c, cruise_control_configmap_name(c), cruise_control_labels(c))},
              {"data", std::move(data)}};
}

} // namespace kactor::model
