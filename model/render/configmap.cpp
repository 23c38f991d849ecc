#include "model/render/configmap.hpp"

#include "model/render/metadata.hpp"
#include "model/render/server_properties.hpp"

namespace kactor::model {

json render_configmap(const kafka_cluster& c, const effective_broker& b) {
  string_map labels = cluster_labels(c);
  labels["brokerId"] = std::to_string(b.id);
  json data = {{broker_config_key, render_properties(render_server_properties(c, b))}};
  if (b.config.log4j_config && !b.config.log4j_config->empty())
    data[log4j_config_key] = *b.config.log4j_config;
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", object_metadata(c, configmap_name(c, b.id), labels)},
          {"data", data}};
}

} // namespace kactor::model
