#include "actors/kube_access.hpp"

namespace kactor::actors {

integrations::kubernetes::watch_cache* kube_access::cache_for(const std::string& resource) const {
  if (resource == "kafkaclusters") return clusters.get();
  if (resource == "pods") return pods.get();
  if (resource == "configmaps") return configmaps.get();
  if (resource == "persistentvolumeclaims") return pvcs.get();
  if (resource == "services") return services.get();
  if (resource == "poddisruptionbudgets") return pdbs.get();
  return nullptr;
}

} // namespace kactor::actors
