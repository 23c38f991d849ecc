#include "model/render/all_broker_service.hpp"

#include "model/defaults.hpp"
#include "model/render/metadata.hpp"
#include "model/render/server_properties.hpp"
#include "model/render/service_ports.hpp"

namespace kactor::model {

json render_all_broker_service(const kafka_cluster& c) {
  string_map selector = cluster_labels(c);
  if (c.spec.k_raft)
    selector["isBrokerNode"] = "true";
  json meta = object_metadata(c, all_broker_service_name(c), cluster_labels(c));
  if (!c.spec.listeners.service_annotations.empty())
    meta["annotations"] = c.spec.listeners.service_annotations;
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", meta},
          {"spec", {{"type", "ClusterIP"}, {"selector", selector}, {"ports", broker_service_ports(c)}}}};
}

std::string all_broker_address(const kafka_cluster& c) {
  const auto* l = inner_broker_listener(c.spec);
  // With headlessServiceEnabled there is no all-broker Service; the headless one resolves to the brokers.
  auto service = c.spec.headless_service_enabled ? headless_service_name(c) : all_broker_service_name(c);
  return service + "." + c.metadata.namespace_ + ".svc."
         + c.spec.kubernetes_cluster_domain.value_or(default_cluster_domain) + ":" + std::to_string(l ? l->container_port : 9092);
}

} // namespace kactor::model
