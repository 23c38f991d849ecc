#include "model/render/broker_service.hpp"

#include "model/render/metadata.hpp"
#include "model/render/service_ports.hpp"

namespace kactor::model {

json render_broker_service(const kafka_cluster& c, const effective_broker& b) {
  string_map labels = cluster_labels(c);
  labels["brokerId"] = std::to_string(b.id);
  json meta = object_metadata(c, broker_service_name(c, b.id), labels);
  if (!c.spec.listeners.service_annotations.empty())
    meta["annotations"] = c.spec.listeners.service_annotations;
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", meta},
          {"spec",
           {{"type", "ClusterIP"},
            {"publishNotReadyAddresses", true},
            {"selector", labels},
            {"ports", broker_service_ports(c)}}}};
}

} // namespace kactor::model
