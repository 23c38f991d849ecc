#include "model/render/service_ports.hpp"
#include "model/json_read.hpp"

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
    // additionalPorts is the user's raw list: a field of another type reads as absent.
    auto port = int_or(extra, "containerPort", 0);
    ports.push_back({{"name", string_or(extra, "name")}, {"port", port}, {"targetPort", port},
                     {"protocol", string_or(extra, "protocol", "TCP")}});
  }
  return ports;
}

} // namespace kactor::model
