#include "model/render/cruise_control_service.hpp"

#include "model/render/cruise_control_configmap.hpp"
#include "model/render/cruise_control_deployment.hpp"
#include "model/defaults.hpp"
#include "model/render/metadata.hpp"

namespace kactor::model {

std::string cruise_control_service_name(const kafka_cluster& c) {
  return c.metadata.name + "-cruisecontrol-svc";
}

std::optional<json> render_cruise_control_service(const kafka_cluster& c) {
  if (!deploys_cruise_control(c))
    return std::nullopt;
  auto labels = cruise_control_labels(c);
  json port = {{"name", "cc"}, {"port", cruise_control_port}, {"targetPort", cruise_control_port}, {"protocol", "TCP"}};
  return json{{"apiVersion", "v1"},
              {"kind", "Service"},
              {"metadata", object_metadata(c, cruise_control_service_name(c), labels)},
              {"spec", {{"type", "ClusterIP"}, {"selector", labels}, {"ports", json::array({port})}}}};
}

std::string cruise_control_endpoint(const kafka_cluster& c) {
  if (!deploys_cruise_control(c)) {
    const auto& named = *c.spec.cruise_control.cruise_control_endpoint;
    return named.find("://") == std::string::npos ? "http://" + named : named;
  }
  return "http://" + cruise_control_service_name(c) + "." + cluster_namespace(c) + ".svc."
         + c.spec.kubernetes_cluster_domain.value_or(default_cluster_domain) + ":" + std::to_string(cruise_control_port);
}

} // namespace kactor::model
