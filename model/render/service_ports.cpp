#include "model/render/service_ports.hpp"

#include "model/render/metadata.hpp"

namespace kactor::model {

json broker_service_ports(const kafka_cluster& c) {
  json ports = json::array();
  for (const auto* group : {&c.spec.listeners.internal_listeners, &c.spec.listeners.external_listeners})
    for (const auto& l : *group)
      ports.push_back({{"name", listener_port_name(l.name)},
                       {"port", l.container_port},
                       {"targetPort", l.container_port},
                       {"protocol", "TCP"}});
  for (const auto& extra : c.spec.additional_ports) {
    int port = extra.value("containerPort", 0);
    ports.push_back({{"name", extra.value("name", "")}, {"port", port}, {"targetPort", port},
                     {"protocol", extra.value("protocol", "TCP")}});
  }
  return ports;
}

} // namespace kactor::model
