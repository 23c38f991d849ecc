#include "model/render/pvc.hpp"

#include "model/render/metadata.hpp"

namespace kactor::model {

json render_pvc(const kafka_cluster& c, const effective_broker& b, const storage_config& s) {
  string_map labels = cluster_labels(c);
  labels["brokerId"] = std::to_string(b.id);
  json meta = object_metadata(c, pvc_name(c, b.id, s.mount_path), labels);
  meta.erase("ownerReferences"); // data outlives the CR; see the header
  meta["annotations"] = {{mount_path_annotation, s.mount_path}};
  return {{"apiVersion", "v1"},
          {"kind", "PersistentVolumeClaim"},
          {"metadata", meta},
          {"spec", s.pvc_spec.value_or(json::object())}};
}

std::vector<json> render_pvcs(const kafka_cluster& c, const effective_broker& b) {
  std::vector<json> out;
  for (const auto& s : b.config.storage_configs)
    if (s.pvc_spec)
      out.push_back(render_pvc(c, b, s));
  return out;
}

} // namespace kactor::model
