// The KafkaCluster CustomResourceDefinition (kafka.banzaicloud.io/v1beta1, Koperator's names, status
// subresource) in its minimal structural form: what `kactor sim` installs so that a KafkaCluster can be
// applied at once. Its schema keeps unknown fields (Koperator's full CRD is what deploy/ installs on a
// real cluster). Tests install it too.
#pragma once

#include <nlohmann/json.hpp>

namespace kactor::integrations::kubernetes {

nlohmann::json kafkacluster_crd();

/// The CruiseControlOperation CRD (kafka.banzaicloud.io/v1alpha1, status subresource), same minimal form.
nlohmann::json cruisecontroloperation_crd();

} // namespace kactor::integrations::kubernetes
