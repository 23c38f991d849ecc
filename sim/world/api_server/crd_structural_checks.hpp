// Internal to crd_schema: the two checks kube-apiserver runs on a custom resource after the schema validator,
// in its order and words. Field paths here are apimachinery field.Paths: a map entry is "spec.labels[key]".
//
// - validate_embedded_resources (objectmeta.Validate): every x-kubernetes-embedded-resource object needs a
//   string apiVersion (a group/version) and kind (a DNS-1035 label, any case); its metadata must be an object.
// - validate_list_types (listtype.ValidateListSetsAndMaps): x-kubernetes-list-type set items and map keys
//   (x-kubernetes-list-map-keys) must be unique; each duplicate after the first is a "Duplicate value".
//
// Pure; safe from any thread.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

namespace kactor::sim {

struct field_error;
struct schema_node;

/// Errors of the embedded resources in `object` (the root itself is not one unless its schema says so).
std::vector<field_error> validate_embedded_resources(const schema_node& root, const nlohmann::json& object);

/// Uniqueness errors of the list-type map and set arrays in `object`.
std::vector<field_error> validate_list_types(const schema_node& root, const nlohmann::json& object);

} // namespace kactor::sim
