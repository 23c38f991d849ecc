#include "model/render/jmx_exporter_configmap.hpp"

#include "model/render/metadata.hpp"

namespace kactor::model {

std::string jmx_exporter_configmap_name(const kafka_cluster& c) {
  return c.metadata.name + "-kafka-jmx-exporter";
}

const std::string& default_jmx_exporter_config() {
  // jmx_exporter matches each pattern against "domain<key=value, ...><>attribute" (anchored, after
  // wrapping it in ^.*(?: ... ).*$), and names are lowercased. The first rule that matches wins, so the
  // labelled forms come before the plain ones.
  static const std::string text = R"(lowercaseOutputName: true
rules:
  # kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=orders -> kafka_server_brokertopicmetrics_messagesinpersec_total{topic="orders"}
  - pattern: 'kafka\.(\w+)<type=(.+), name=(.+), (.+)=(.+)><>Count'
    name: kafka_$1_$2_$3_total
    labels:
      "$4": "$5"
    type: COUNTER
  # kafka.log:type=LogManager,name=LogDirectoryOffline,logDirectory=/kafka-logs/kafka -> kafka_log_logmanager_logdirectoryoffline{logDirectory=...}
  - pattern: 'kafka\.(\w+)<type=(.+), name=(.+), (.+)=(.+)><>Value'
    name: kafka_$1_$2_$3
    labels:
      "$4": "$5"
    type: GAUGE
  # kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions -> kafka_server_replicamanager_underreplicatedpartitions
  - pattern: 'kafka\.(\w+)<type=(.+), name=(.+)><>Value'
    name: kafka_$1_$2_$3
    type: GAUGE
  - pattern: 'kafka\.(\w+)<type=(.+), name=(.+)><>Count'
    name: kafka_$1_$2_$3_total
    type: COUNTER
)";
  return text;
}

std::optional<json> render_jmx_exporter_configmap(const kafka_cluster& c) {
  if (!c.spec.monitoring)
    return std::nullopt;
  const auto& own = c.spec.monitoring->kafka_jmx_exporter_config;
  auto text = own && !own->empty() ? *own : default_jmx_exporter_config();
  return json{{"apiVersion", "v1"},
              {"kind", "ConfigMap"},
              {"metadata", object_metadata(c, jmx_exporter_configmap_name(c), cluster_labels(c))},
              {"data", {{jmx_exporter_config_key, text}}}};
}

} // namespace kactor::model
