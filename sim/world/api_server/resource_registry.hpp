// The resource types the simulated API server serves: the built-in kinds kactor and kubectl use, plus
// every CustomResourceDefinition created at run time (served generically, with the status subresource
// when the CRD declares it, and with each version's openAPIV3Schema compiled once, when the CRD is created
// or updated, for pruning, defaulting and validation: see crd_schema.hpp).
//
// Thread-safe: all members lock. Lookups return copies.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kactor::sim {

using json = nlohmann::json;

class crd_schema;

/// One served resource type at one version.
struct resource_type {
  std::string group; ///< "" for core
  std::string version;
  std::string resource; ///< plural, e.g. "pods"
  std::string kind;
  std::string singular;
  bool namespaced = true;
  bool has_status = false; ///< status subresource
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  /// Printer columns for kubectl's Table output beyond NAME and AGE: {name, JSON path}.
  std::vector<std::pair<std::string, std::string>> columns;
  /// A CRD version's compiled schema; null for built-in types and CRD versions without a schema.
  std::shared_ptr<const crd_schema> schema;
  /// The schema of the CRD's storage version: objects read back get its defaults, as kube-apiserver applies
  /// them when it decodes what it stored.
  std::shared_ptr<const crd_schema> storage_schema;

  /// "v1" or "group/version".
  std::string group_version() const { return group.empty() ? version : group + "/" + version; }
  /// The storage key shared by all versions: "pods" or "kafkaclusters.kafka.banzaicloud.io".
  std::string key() const { return group.empty() ? resource : resource + "." + group; }
};

/// The registry of served types.
class resource_registry {
public:
  /// Starts with the built-in types.
  resource_registry();

  /// The type served at group/version/resource, if any.
  std::optional<resource_type> find(const std::string& group, const std::string& version,
                                    const std::string& resource) const;

  /// Every served type.
  std::vector<resource_type> all() const;

  /// Serves the versions of a CRD object (apiextensions.k8s.io/v1); returns an error message for a CRD
  /// it cannot read, empty on success.
  std::string add_crd(const json& crd);

  /// Stops serving a CRD's types (by its metadata.name "plural.group").
  void remove_crd(const std::string& crd_name);

private:
  mutable std::mutex mutex_;
  std::vector<resource_type> types_;
};

} // namespace kactor::sim
