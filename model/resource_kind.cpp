#include "model/resource_kind.hpp"

#include <array>

namespace kactor::model {

namespace {

constexpr std::array all_kinds{resource_kind::pod,
                               resource_kind::configmap,
                               resource_kind::service,
                               resource_kind::persistent_volume_claim,
                               resource_kind::pod_disruption_budget,
                               resource_kind::deployment,
                               resource_kind::kafka_cluster,
                               resource_kind::cruise_control_operation,
                               resource_kind::event};

} // namespace

const char* plural_of(resource_kind k) {
  switch (k) {
  case resource_kind::pod: return "pods";
  case resource_kind::configmap: return "configmaps";
  case resource_kind::service: return "services";
  case resource_kind::persistent_volume_claim: return "persistentvolumeclaims";
  case resource_kind::pod_disruption_budget: return "poddisruptionbudgets";
  case resource_kind::deployment: return "deployments";
  case resource_kind::kafka_cluster: return "kafkaclusters";
  case resource_kind::cruise_control_operation: return "cruisecontroloperations";
  case resource_kind::event: return "events";
  }
  return "";
}

const char* kind_name(resource_kind k) {
  switch (k) {
  case resource_kind::pod: return "Pod";
  case resource_kind::configmap: return "ConfigMap";
  case resource_kind::service: return "Service";
  case resource_kind::persistent_volume_claim: return "PersistentVolumeClaim";
  case resource_kind::pod_disruption_budget: return "PodDisruptionBudget";
  case resource_kind::deployment: return "Deployment";
  case resource_kind::kafka_cluster: return "KafkaCluster";
  case resource_kind::cruise_control_operation: return "CruiseControlOperation";
  case resource_kind::event: return "Event";
  }
  return "";
}

std::optional<resource_kind> resource_kind_of_plural(const std::string& plural) {
  for (auto k : all_kinds)
    if (plural == plural_of(k))
      return k;
  return std::nullopt;
}

std::optional<resource_kind> resource_kind_of(const nlohmann::json& object) {
  if (!object.is_object())
    return std::nullopt;
  auto kind = object.find("kind");
  if (kind == object.end() || !kind->is_string())
    return std::nullopt;
  for (auto k : all_kinds)
    if (kind->get_ref<const std::string&>() == kind_name(k))
      return k;
  return std::nullopt;
}

} // namespace kactor::model
