// Parsing request targets of the Kubernetes REST API: "/apis/g/v/namespaces/ns/res/name/status?x=y".
// Pure functions; safe from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace kactor::sim {

/// Query parameters, percent-decoded ('+' is a space, as Go's url.ParseQuery reads it).
using query_map = std::map<std::string, std::string>;

/// A target split into its path and query.
struct target {
  std::string path;
  query_map query;
};

/// Splits and decodes a request target.
target parse_target(const std::string& raw);

/// A request for a resource (or collection) of the REST API.
struct resource_path {
  std::string group; ///< "" for /api
  std::string version;
  std::string namespace_; ///< empty for cluster-scoped or all-namespace requests
  std::string resource;
  std::string name;        ///< empty for collections
  std::string subresource; ///< "status" or empty
};

/// Parses /api/v1/... or /apis/<group>/<version>/...; nullopt for other paths.
std::optional<resource_path> parse_resource_path(const std::string& path);

/// Go's strconv.ParseBool: 1, t, T, TRUE, true, True (and their false forms).
bool query_bool(const query_map& q, const std::string& key);

} // namespace kactor::sim
