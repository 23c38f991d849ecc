#include "actors/kube_access.hpp"

#include <algorithm>

#include "model/render/metadata.hpp"

namespace kactor::actors {

std::chrono::milliseconds respawn_delay(const actor_settings& s, int crashes) {
  return std::min(s.respawn_base * (1 << std::min(std::max(crashes, 1) - 1, 8)), s.backoff_max);
}

integrations::kubernetes::watch_cache* kube_access::cache_for(const std::string& resource) const {
  if (resource == "kafkaclusters") return clusters.get();
  if (resource == "pods") return pods.get();
  if (resource == "configmaps") return configmaps.get();
  if (resource == "persistentvolumeclaims") return pvcs.get();
  if (resource == "services") return services.get();
  if (resource == "poddisruptionbudgets") return pdbs.get();
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
