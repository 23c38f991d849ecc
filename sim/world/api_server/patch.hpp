// The PATCH flavours the kube-apiserver accepts, applied to JSON objects.
//
// - JSON merge patch (RFC 7386, application/merge-patch+json).
// - JSON patch (RFC 6902, application/json-patch+json); a failing operation is an error.
// - Strategic merge patch (application/strategic-merge-patch+json): merge patch, except that lists with a
//   Kubernetes merge key (containers/volumes/env/volumeMounts by name, ports by containerPort,
//   ownerReferences by uid, conditions by type) merge element by element, `finalizers` merges as a set,
//   and the `$patch: replace|delete` and `$setElementOrder`/`$retainKeys` directives are understood.
// - Apply patch (application/apply-patch+yaml, server-side apply) is treated as a strategic merge of the
//   applied configuration.
// Pure functions; safe from any thread.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "model/status.hpp"

namespace kactor::sim {

/// The patch types by content type.
enum class patch_type { merge, json_patch, strategic, apply };

/// The patch type for a Content-Type header value (parameters ignored); nullopt if unsupported.
std::optional<patch_type> patch_type_for(const std::string& content_type);

/// Applies `patch` (already parsed) to `target`.
model::result<nlohmann::json> apply_patch(patch_type type, const nlohmann::json& target, const nlohmann::json& patch);

} // namespace kactor::sim
