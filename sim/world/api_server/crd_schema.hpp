// A CustomResourceDefinition version's structural schema (spec.versions[].schema.openAPIV3Schema), compiled
// once, and the three things kube-apiserver (v1.32) does with it to every custom resource it is sent:
//
// - prune():    structural pruning — fields the schema does not declare are dropped, except under
//               x-kubernetes-preserve-unknown-fields; apiVersion, kind and metadata are kept at the root and
//               in x-kubernetes-embedded-resource objects (whose metadata is cut to ObjectMeta's fields);
//               then null values the schema neither allows (nullable) nor defaults are dropped.
// - default_values(): every absent property with a `default` gets a copy of it (also a null where null is
//               not allowed), recursively, including inside defaults just applied.
// - validate(): every error at once, in kube-apiserver's words and field paths (see field_error): type
//               (x-kubernetes-int-or-string, nullable, format int32/int64/float/double as the type check
//               uses them), required, enum, minimum/maximum (exclusive), multipleOf, minLength/maxLength,
//               pattern, minItems/maxItems, uniqueItems, min/maxProperties, additionalProperties,
//               anyOf/allOf/oneOf/not, x-kubernetes-embedded-resource, x-kubernetes-list-type map/set.
//               Given the stored object, an update is validated with ratcheting (CRDValidationRatcheting,
//               on by default since v1.30): errors inside a value left unchanged are not reported.
//
// Not done (differences from kube-apiserver): x-kubernetes-validations (CEL) rules are ignored; string
// formats (date-time, uri, ...) are not checked; embedded ObjectMeta is pruned but its values (label
// syntax, name format) are not validated; `pattern` runs as an ECMAScript std::regex on bytes (Go's RE2
// works on runes; a Go-only construct makes the pattern report itself invalid, as kube-openapi does for
// patterns Go cannot compile; a leading (?i) is understood); format int32/int64 sets no range, exactly like
// kube-apiserver (its number validator never gets the format).
//
// Pure: no I/O, no clock, no randomness. A compiled schema is immutable and safe to share between threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kactor::sim {

/// One field error as k8s.io/apimachinery's field.Error: a cause of a 422 Invalid Status.
struct field_error {
  /// The cause reason: FieldValueInvalid, FieldValueTypeInvalid, FieldValueRequired, FieldValueNotSupported,
  /// FieldValueTooLong, FieldValueTooMany or FieldValueDuplicate.
  std::string reason;
  /// The field path, e.g. "spec.brokers[0].id"; "<nil>" for errors kube-apiserver reports without one
  /// (anyOf/oneOf/allOf/not failures, a type error on the whole object).
  std::string field;
  /// The message without the field (field.Error.ErrorBody()), e.g. `Invalid value: "string": spec.brokers[0].id
  /// in body must be of type integer: "string"` or `Required value`.
  std::string body;

  /// "field: body", as the Status message lists it.
  std::string to_string() const { return field + ": " + body; }
};

struct schema_node;

/// A compiled openAPIV3Schema; see the file comment.
class crd_schema {
public:
  /// Compiles `open_api_v3_schema` (a JSON object; anything else compiles to a schema accepting anything).
  /// Patterns are compiled here once; one that does not compile is reported by validate().
  static std::shared_ptr<const crd_schema> compile(const nlohmann::json& open_api_v3_schema);

  /// Drops undeclared fields and disallowed nulls from a whole object, in place.
  void prune(nlohmann::json& object) const;

  /// Applies the schema's defaults to a whole object, in place.
  void default_values(nlohmann::json& object) const;

  /// True when some node of the schema has a default (reads need defaulting only then).
  bool has_defaults() const;

  /// Every error of `object`; `old` (the stored object) makes it an update, with ratcheting. Empty: valid.
  std::vector<field_error> validate(const nlohmann::json& object, const nlohmann::json* old = nullptr) const;

  explicit crd_schema(std::unique_ptr<schema_node> root);
  ~crd_schema();
  crd_schema(const crd_schema&) = delete;
  crd_schema& operator=(const crd_schema&) = delete;

private:
  std::unique_ptr<schema_node> root_;
};

} // namespace kactor::sim
