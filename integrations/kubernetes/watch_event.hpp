// Decoding what the API server sends: one line of a watch stream into a watch_event, and a response body
// into an object or list, checking the shape the API promises. Pure; never throws; errors say what is
// wrong and where (byte offset of a JSON error, field of a wrong type). Fuzzed (tests/fuzz).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/status.hpp"

namespace kactor::integrations::kubernetes {

enum class watch_event_type { added, modified, deleted, bookmark, error };

const char* to_string(watch_event_type type);

/// One watch event. For `error`, `object` is a Status (code 410 means the version is gone).
struct watch_event {
  watch_event_type type = watch_event_type::added;
  nlohmann::json object;
  /// Shortcuts into object.metadata (empty for error events).
  std::string name;
  std::string namespace_;
  std::string resource_version;
};

/// Decodes `{"type": "...", "object": {...}}`. Objects must have string metadata.name (except
/// bookmarks) and metadata.resourceVersion.
model::result<watch_event> decode_watch_event(std::string_view line);

/// Decodes a single object (get/create/update/patch answers): a JSON object with metadata.
model::result<nlohmann::json> decode_object(std::string_view body);

/// Decodes a List: `items` an array of objects with metadata, metadata.resourceVersion a string,
/// metadata.continue a string when present.
model::result<nlohmann::json> decode_list(std::string_view body);

/// obj.metadata.<field> when it is a string, else "" (never throws).
std::string metadata_field(const nlohmann::json& obj, const char* field);

/// Largest body or line accepted (64 MiB): a larger one is an error, not an allocation.
constexpr size_t k_max_document = 64ull * 1024 * 1024;

} // namespace kactor::integrations::kubernetes
