// Kubernetes' protobuf request encoding (`application/vnd.kubernetes.protobuf`), decoded to JSON for the
// kinds that kubectl's typed generators send that way: `kubectl create namespace|configmap|secret`.
//
// The body is the 4-byte magic "k8s\0" followed by a runtime.Unknown message (typeMeta, raw, ...) whose
// raw bytes hold the object. Known fields of Namespace, ConfigMap and Secret (with ObjectMeta and owner
// references) are decoded; unknown fields are skipped as the wire format allows. Errors name the byte
// offset and what was expected. Pure; safe from any thread.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "model/status.hpp"

namespace kactor::sim {

/// Decodes a protobuf request body into the object's JSON form (apiVersion and kind included).
model::result<nlohmann::json> decode_kubernetes_protobuf(const std::string& body);

} // namespace kactor::sim
