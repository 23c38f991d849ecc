#include "integrations/kubernetes/kafkacluster_crd.hpp"

namespace kactor::integrations::kubernetes {

namespace {

nlohmann::json minimal_crd(const char* version_name, const char* plural, const char* singular, const char* kind,
                           const char* short_name) {
  using nlohmann::json;
  json schema = {{"openAPIV3Schema", {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}}}};
  json version = {{"name", version_name}, {"served", true}, {"storage", true}, {"subresources", {{"status", json::object()}}},
                  {"schema", schema}};
  return {{"apiVersion", "apiextensions.k8s.io/v1"},
          {"kind", "CustomResourceDefinition"},
          {"metadata", {{"name", std::string(plural) + ".kafka.banzaicloud.io"}}},
          {"spec",
           {{"group", "kafka.banzaicloud.io"},
            {"scope", "Namespaced"},
            {"names", {{"plural", plural}, {"singular", singular}, {"kind", kind},
                       {"listKind", std::string(kind) + "List"}, {"shortNames", json::array({short_name})}}},
            {"versions", json::array({version})}}}};
}

} // namespace

nlohmann::json kafkacluster_crd() { return minimal_crd("v1beta1", "kafkaclusters", "kafkacluster", "KafkaCluster", "kc"); }

nlohmann::json cruisecontroloperation_crd() {
  return minimal_crd("v1alpha1", "cruisecontroloperations", "cruisecontroloperation", "CruiseControlOperation", "cco");
}

} // namespace kactor::integrations::kubernetes
