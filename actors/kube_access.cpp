#include "actors/kube_access.hpp"

#include <algorithm>

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

} // namespace kactor::actors
