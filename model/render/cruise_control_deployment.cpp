#include "model/render/cruise_control_deployment.hpp"

#include "model/defaults.hpp"
#include "model/hash.hpp"
#include "model/render/cruise_control_configmap.hpp"
#include "model/render/metadata.hpp"

namespace kactor::model {

namespace {

json cc_container(const cruise_control_config& cc) {
  json resources = cc.resource_requirements.value_or(
      json{{"requests", {{"cpu", default_cruise_control_cpu}, {"memory", default_cruise_control_memory}}},
           {"limits", {{"cpu", default_cruise_control_cpu}, {"memory", default_cruise_control_memory}}}});
  json container
      = {{"name", "cruise-control"},
         {"image", cc.image && !cc.image->empty() ? *cc.image : default_cruise_control_image},
         {"ports", json::array({{{"name", "cc"}, {"containerPort", cruise_control_port}, {"protocol", "TCP"}}})},
         // Ready when the REST API kactor calls answers a request, not merely when its port accepts.
         {"readinessProbe",
          {{"httpGet", {{"path", "/kafkacruisecontrol/state"}, {"port", cruise_control_port}}},
           {"initialDelaySeconds", 30},
           {"periodSeconds", 10}}},
         {"resources", std::move(resources)},
         {"volumeMounts", json::array({{{"name", "config"}, {"mountPath", cruise_control_config_dir}}})}};
  if (cc.security_context)
    container["securityContext"] = *cc.security_context;
  return container;
}

json cc_pod_spec(const kafka_cluster& c) {
  const auto& cc = c.spec.cruise_control;
  json spec = {
      {"serviceAccountName", cc.service_account_name && !cc.service_account_name->empty() ? *cc.service_account_name
                                                                                          : default_service_account},
      {"containers", json::array({cc_container(cc)})},
      // 0644 (420), as Koperator: readable whichever user the image runs Cruise Control as.
      {"volumes", json::array({{{"name", "config"},
                                {"configMap", {{"name", cruise_control_configmap_name(c)}, {"defaultMode", 420}}}}})}};
  if (!cc.node_selector.empty())
    spec["nodeSelector"] = cc.node_selector;
  if (!cc.tolerations.empty())
    spec["tolerations"] = cc.tolerations;
  if (cc.affinity)
    spec["affinity"] = *cc.affinity;
  if (cc.pod_security_context)
    spec["securityContext"] = *cc.pod_security_context;
  return spec;
}

} // namespace

std::string cruise_control_deployment_name(const kafka_cluster& c) {
  return c.metadata.name + "-cruisecontrol";
}

std::optional<json> render_cruise_control_deployment(const kafka_cluster& c) {
  auto configmap = render_cruise_control_configmap(c);
  if (!configmap)
    return std::nullopt;
  string_map annotations = c.spec.cruise_control.cruise_control_annotations;
  // Cruise Control reads its files only at start: a new hash rolls its pod, and only its pod.
  annotations[config_hash_annotation] = short_hash((*configmap)["data"].dump());
  auto labels = cruise_control_labels(c);
  json spec
      = {{"replicas", 1},
         {"strategy", {{"type", "Recreate"}}},
         {"selector", {{"matchLabels", labels}}},
         {"template", {{"metadata", {{"labels", labels}, {"annotations", annotations}}}, {"spec", cc_pod_spec(c)}}}};
  return json{{"apiVersion", "apps/v1"},
              {"kind", "Deployment"},
              {"metadata", object_metadata(c, cruise_control_deployment_name(c), labels)},
              {"spec", std::move(spec)}};
}

bool deployment_available(const json& deployment) {
  auto n = deployment.is_object() ? deployment.value("/status/availableReplicas"_json_pointer, json(0)) : json(0);
  return n.is_number_integer() && n.get<int64_t>() >= 1;
}

json cruise_control_deployment_to_apply(const json& desired, const json& running, bool operations_pending) {
  return operations_pending && deployment_available(running) ? running : desired;
}

} // namespace kactor::model
