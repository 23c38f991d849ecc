#include "model/render/headless_service.hpp"

#include "model/render/metadata.hpp"
#include "model/render/service_ports.hpp"

namespace kactor::model {

json render_headless_service(const kafka_cluster& c) {
  string_map selector = cluster_labels(c);
  if (c.spec.k_raft)
    selector["isBrokerNode"] = "true";
  json meta = object_metadata(c, headless_service_name(c), cluster_labels(c));
  if (!c.spec.listeners.service_annotations.empty())
    meta["annotations"] = c.spec.listeners.service_annotations;
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", meta},
          {"spec",
           {{"type", "ClusterIP"},
            {"clusterIP", "None"},
            {"publishNotReadyAddresses", true},
            {"sessionAffinity", "None"},
            {"selector", selector},
            {"ports", broker_service_ports(c)}}}};
}

} // namespace kactor::model
