#include "integrations/kubernetes/kafkacluster_crd.hpp"

namespace kactor::integrations::kubernetes {

nlohmann::json kafkacluster_crd() {
  using nlohmann::json;
  json schema = {{"openAPIV3Schema", {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}}}};
  json version = {{"name", "v1beta1"}, {"served", true}, {"storage", true}, {"subresources", {{"status", json::object()}}},
                  {"schema", schema}};
  return {{"apiVersion", "apiextensions.k8s.io/v1"},
          {"kind", "CustomResourceDefinition"},
          {"metadata", {{"name", "kafkaclusters.kafka.banzaicloud.io"}}},
          {"spec",
           {{"group", "kafka.banzaicloud.io"},
            {"scope", "Namespaced"},
            {"names", {{"plural", "kafkaclusters"}, {"singular", "kafkacluster"}, {"kind", "KafkaCluster"},
                       {"listKind", "KafkaClusterList"}, {"shortNames", json::array({"kc"})}}},
            {"versions", json::array({version})}}}};
}

} // namespace kactor::integrations::kubernetes
