#include "sim/world/api_server/crd_admission.hpp"

#include <set>

#include "sim/world/api_server/crd_schema.hpp"

namespace kactor::sim {

void decode_custom_resource(const resource_type& type, json& object) {
  if (!type.schema || !object.is_object())
    return;
  type.schema->prune(object);
  type.schema->default_values(object);
}

std::optional<api_error> validate_custom_resource(const resource_type& type, const json& object, const json* old) {
  if (!type.schema)
    return std::nullopt;
  auto errors = type.schema->validate(object, old);
  if (errors.empty())
    return std::nullopt;
  std::string name;
  if (object.contains("metadata") && object["metadata"].is_object())
    name = object["metadata"].value("name", "");
  return invalid_error(type, name, errors);
}

bool defaults_on_read(const resource_type& type) {
  return type.storage_schema && type.storage_schema->has_defaults();
}

void apply_read_defaults(const resource_type& type, json& object) {
  if (defaults_on_read(type) && object.is_object())
    type.storage_schema->default_values(object);
}

api_error invalid_error(const resource_type& type, const std::string& name, const std::vector<field_error>& errors) {
  // errors.NewInvalid: the message aggregates the distinct errors (bracketed when more than one); the
  // causes keep every one, with field.Error's type as the reason.
  std::set<std::string> seen;
  std::string listed;
  json causes = json::array();
  for (const auto& e : errors) {
    causes.push_back({{"reason", e.reason}, {"message", e.body}, {"field", e.field}});
    if (seen.insert(e.to_string()).second)
      listed += (listed.empty() ? "" : ", ") + e.to_string();
  }
  std::string qualified_kind = type.group.empty() ? type.kind : type.kind + "." + type.group;
  std::string message
      = qualified_kind + " \"" + name + "\" is invalid: " + (seen.size() > 1 ? "[" + listed + "]" : listed);
  return {422, "Invalid", message, {{"name", name}, {"group", type.group}, {"kind", type.kind}, {"causes", causes}}};
}

} // namespace kactor::sim
