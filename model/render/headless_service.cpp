#include "model/render/headless_service.hpp"

#include "model/render/metadata.hpp"
#include "model/render/service_ports.hpp"

namespace kactor::model {

namespace {

json headless(const kafka_cluster& c, const std::string& name, const string_map& selector) {
  json meta = object_metadata(c, name, cluster_labels(c));
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

} // namespace

json render_headless_service(const kafka_cluster& c) {
  string_map selector = cluster_labels(c);
  if (c.spec.k_raft)
    selector["isBrokerNode"] = "true";
  return headless(c, headless_service_name(c), selector);
}

json render_controller_headless_service(const kafka_cluster& c) {
  string_map selector = cluster_labels(c);
  selector["isControllerNode"] = "true";
  return headless(c, controller_headless_service_name(c), selector);
}

} // namespace kactor::model
