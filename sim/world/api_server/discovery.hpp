// The discovery documents kubectl and client libraries read before anything else: /version, /api, /apis,
// the APIResourceList of each group/version, and an OpenAPI v3 index with one document per group/version
// whose operations carry the `fieldValidation` parameter and `x-kubernetes-group-version-kind`, so kubectl
// leaves schema validation to the server. Built from the registry on each call (CRDs appear at once).
// Pure functions of the registry; safe from any thread.
#pragma once

#include <optional>
#include <string>

#include "sim/world/api_server/resource_registry.hpp"

namespace kactor::sim {

/// The Kubernetes version the simulator reports (kubectl's dispatcher picks its bundled client by minor).
inline constexpr const char* served_minor_version = "32";

json version_document();
json core_versions_document(const std::string& server_address);
json group_list_document(const resource_registry& reg);
/// APIResourceList for "v1" or "group/version"; nullopt when nothing is served there.
std::optional<json> resource_list_document(const resource_registry& reg, const std::string& group,
                                           const std::string& version);
json openapi_v3_index(const resource_registry& reg);
/// The OpenAPI v3 document for "api/v1" or "apis/group/version"; nullopt when unknown.
std::optional<json> openapi_v3_document(const resource_registry& reg, const std::string& path);

} // namespace kactor::sim
