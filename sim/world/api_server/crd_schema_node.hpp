// Internal to crd_schema: one compiled node of a structural schema, and the walks that the pruning,
// defaulting and validation passes share. Built once by crd_schema::compile, then read-only.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kactor::sim {

/// One node of an openAPIV3Schema, with what kube-apiserver's validator actually looks at.
struct schema_node {
  /// The type names the value may have: {}, {"object"}, ... or {"integer", "string"} for
  /// x-kubernetes-int-or-string (kube-apiserver turns the extension into that type list).
  std::vector<std::string> types;
  bool nullable = false;
  bool preserve_unknown = false;  ///< x-kubernetes-preserve-unknown-fields
  bool embedded_resource = false; ///< x-kubernetes-embedded-resource
  /// The format as kube-apiserver keeps it (others are stripped at CRD load): int32/int64 on integers,
  /// float/double on numbers, the supported string formats on strings.
  std::string format;
  std::optional<double> minimum, maximum, multiple_of;
  bool exclusive_minimum = false;
  bool exclusive_maximum = false;
  std::optional<int64_t> min_length, max_length, min_items, max_items, min_properties, max_properties;
  bool unique_items = false;
  std::string pattern;
  std::shared_ptr<const std::regex> regex; ///< null when `pattern` is empty or did not compile
  std::string regex_error;                 ///< why `pattern` did not compile
  std::optional<nlohmann::json> enumeration;
  std::vector<std::string> required;
  std::map<std::string, std::unique_ptr<schema_node>> properties;
  std::unique_ptr<schema_node> items;
  /// additionalProperties was given; `additional` is its schema (null for `true`, which prunes everything
  /// below, as in kube-apiserver; `false` sets additional_forbidden instead).
  bool has_additional = false;
  bool additional_forbidden = false;
  std::unique_ptr<schema_node> additional;
  std::optional<nlohmann::json> default_value;
  bool subtree_has_default = false; ///< this node or one below it has a default
  std::vector<std::unique_ptr<schema_node>> any_of, all_of, one_of;
  std::unique_ptr<schema_node> not_schema;
  std::string list_type; ///< x-kubernetes-list-type
  std::vector<std::string> list_map_keys;

  /// The schema of the map entry `key`: its property, else additionalProperties' schema (null when neither,
  /// or for additionalProperties: true). `known` tells whether the key is declared at all.
  const schema_node* entry(const std::string& key, bool* known = nullptr) const {
    if (auto it = properties.find(key); it != properties.end()) {
      if (known)
        *known = true;
      return it->second.get();
    }
    if (known)
      *known = has_additional;
    return has_additional ? additional.get() : nullptr;
  }
};

/// Compiles one schema node (and everything below it); `regexes` shares compiled patterns between nodes.
std::unique_ptr<schema_node> compile_node(const nlohmann::json& s,
                                          std::map<std::string, std::shared_ptr<const std::regex>>& regexes);

/// The validation pass (crd_validation.cpp): schema errors, then embedded resources, then list-type
/// map/set uniqueness, as customResourceStrategy.Validate(Update) orders them.
struct field_error;
std::vector<field_error> validate_object(const schema_node& root, const nlohmann::json& object,
                                         const nlohmann::json* old);

} // namespace kactor::sim
