// How the simulated API server applies a custom resource's schema (resource_type::schema, see crd_schema.hpp),
// in kube-apiserver's order:
//
// 1. decode_custom_resource: a request body (create, PUT, the result of any patch, a status write) is
//    pruned, its disallowed nulls dropped and its defaults applied, with the schema of the version written.
// 2. The store merges it with the stored object (a main-resource write keeps the stored status when the
//    status subresource is enabled; a status write keeps everything but status).
// 3. validate_custom_resource: the merged object is validated — on an update against the stored object,
//    with ratcheting — and every error comes back as one 422 Invalid Status with details.causes[].
// 4. apply_read_defaults: an object read back (get, list, watch, a write's response) gets the defaults of
//    the storage version, as kube-apiserver applies them when decoding what it stored.
//
// Types without a schema (built-in kinds, schema-less CRD versions) pass through all of these untouched.
// Pure; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/world/api_server/crd_schema.hpp"
#include "sim/world/api_server/object_store.hpp"
#include "sim/world/api_server/resource_registry.hpp"

namespace kactor::sim {

/// Step 1, in place.
void decode_custom_resource(const resource_type& type, json& object);

/// Step 3: nullopt when `object` is valid. `old` is the stored object on an update, null on a create.
std::optional<api_error> validate_custom_resource(const resource_type& type, const json& object, const json* old);

/// True when objects of `type` need step 4 (it has a storage schema with defaults).
bool defaults_on_read(const resource_type& type);

/// Step 4, in place.
void apply_read_defaults(const resource_type& type, json& object);

/// The 422 Invalid error kube-apiserver sends for `errors` on object `name` of `type`: message
/// `Kind.group "name" is invalid: [field: body, ...]` (duplicates listed once), details.causes in order.
api_error invalid_error(const resource_type& type, const std::string& name, const std::vector<field_error>& errors);

} // namespace kactor::sim
