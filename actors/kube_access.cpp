#include "actors/kube_access.hpp"

#include <algorithm>

#include "model/render/metadata.hpp"

namespace kactor::actors {

integrations::kubernetes::object_reader* kube_access::cache_for(model::resource_kind kind) const {
  using model::resource_kind;
  switch (kind) {
  case resource_kind::kafka_cluster: return clusters.get();
  case resource_kind::pod: return pods.get();
  case resource_kind::configmap: return configmaps.get();
  case resource_kind::persistent_volume_claim: return pvcs.get();
  case resource_kind::service: return services.get();
  case resource_kind::pod_disruption_budget: return pdbs.get();
  case resource_kind::deployment: return deployments.get();
  case resource_kind::cruise_control_operation: return cc_operations.get();
  case resource_kind::event: return nullptr; // written, never watched
  }
  return nullptr;
}

nlohmann::json cluster_pass_summary(const nlohmann::json& object) {
  using nlohmann::json;
  json out = json::object();
  auto copy = [&](const char* pointer) {
    json::json_pointer p{pointer};
    if (object.contains(p))
      out[p] = object.at(p);
  };
  copy("/metadata/namespace");
  copy("/metadata/labels/kafka_cr"); // the two labels a pass reads, not all: 12,000 summaries at 3,000 brokers
  copy("/metadata/labels/brokerId");
  copy(("/metadata/annotations/" + std::string{model::mount_path_annotation}).c_str());
  copy("/spec/resources/requests/storage");
  copy("/spec/accessModes");
  copy("/spec/storageClassName");
  json::json_pointer mounts{"/spec/containers/0/volumeMounts"};
  if (object.contains(mounts) && object.at(mounts).is_array()) {
    json paths = json::array();
    for (const auto& m : object.at(mounts))
      paths.push_back({{"mountPath", m.is_object() ? m.value("mountPath", json("")) : json("")}});
    out["spec"]["containers"] = json::array({{{"volumeMounts", std::move(paths)}}});
  }
  return out;
}

} // namespace kactor::actors
