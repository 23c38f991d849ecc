#include "sim/world/api_server/crd_structural_checks.hpp"

#include <algorithm>
#include <map>
#include <regex>
#include <string>

#include "sim/world/api_server/crd_schema.hpp"
#include "sim/world/api_server/crd_schema_node.hpp"
#include "sim/world/api_server/go_format.hpp"

namespace kactor::sim {

namespace {

using json = nlohmann::json;

// field.Path's spelling: Child joins with '.', Key and Index use brackets; "" is the nil (root) path.
std::string child(const std::string& p, const std::string& name) {
  return p.empty() ? name : p + "." + name;
}

std::string key(const std::string& p, const std::string& k) {
  return p + "[" + k + "]";
}

std::string index(const std::string& p, size_t i) {
  return p + "[" + std::to_string(i) + "]";
}

field_error required(const std::string& field) {
  return {"FieldValueRequired", field, "Required value"};
}

field_error structural_invalid(const std::string& field, const json& value, const std::string& detail) {
  return {"FieldValueInvalid", field, "Invalid value: " + go_bad_value(value) + ": " + detail};
}

// What json.Unmarshal says when metadata is not an object.
std::string go_json_type(const json& v) {
  if (v.is_string())
    return "string";
  if (v.is_boolean())
    return "bool";
  if (v.is_array())
    return "array";
  return "number";
}

// utilvalidation.IsDNS1035Label's messages (RegexError really puts two spaces before "or").
std::vector<std::string> dns1035_label_errors(const std::string& value) {
  static const std::regex label{"^[a-z]([-a-z0-9]*[a-z0-9])?$"};
  std::vector<std::string> errs;
  if (value.size() > 63)
    errs.push_back("must be no more than 63 characters");
  if (!std::regex_match(value, label))
    errs.push_back("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                   "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
                   "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
  return errs;
}

void check_embedded(const std::string& p, const json& x, std::vector<field_error>& out) {
  if (!x.contains("apiVersion"))
    out.push_back(required(child(p, "apiVersion")));
  if (!x.contains("kind"))
    out.push_back(required(child(p, "kind")));
  if (auto it = x.find("apiVersion"); it != x.end()) {
    auto f = child(p, "apiVersion");
    if (!it->is_string())
      out.push_back(structural_invalid(f, *it, "must be a string"));
    else if (it->get_ref<const std::string&>().empty())
      out.push_back(required(f));
    else if (std::count(it->get_ref<const std::string&>().begin(), it->get_ref<const std::string&>().end(), '/') > 1)
      out.push_back(structural_invalid(f, *it, "unexpected GroupVersion string: " + it->get<std::string>()));
  }
  if (auto it = x.find("kind"); it != x.end()) {
    auto f = child(p, "kind");
    if (!it->is_string()) {
      out.push_back(structural_invalid(f, *it, "must be a string"));
    } else if (it->get_ref<const std::string&>().empty()) {
      out.push_back(required(f));
    } else {
      std::string lower = it->get<std::string>();
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      auto errs = dns1035_label_errors(lower);
      std::string joined;
      for (const auto& e : errs)
        joined += (joined.empty() ? "" : ",") + e;
      if (!errs.empty())
        out.push_back(structural_invalid(f, *it, "may have mixed case, but should otherwise match: " + joined));
    }
  }
  if (auto it = x.find("metadata"); it != x.end() && !it->is_object() && !it->is_null())
    out.push_back(structural_invalid(child(p, "metadata"), *it,
                          "json: cannot unmarshal " + go_json_type(*it) + " into Go value of type v1.ObjectMeta"));
}

void walk_embedded(const schema_node* s, const json& x, const std::string& p, std::vector<field_error>& out) {
  if (!s)
    return;
  if (x.is_object()) {
    if (s->embedded_resource)
      check_embedded(p, x, out);
    for (const auto& [k, v] : x.items()) {
      if (auto it = s->properties.find(k); it != s->properties.end())
        walk_embedded(it->second.get(), v, child(p, k), out);
      else if (s->has_additional)
        walk_embedded(s->additional.get(), v, key(p, k), out);
    }
  } else if (x.is_array()) {
    for (size_t i = 0; i < x.size(); ++i)
      walk_embedded(s->items.get(), x[i], index(p, i), out);
  }
}

// validateListSet: the indices of second occurrences. Values compare as kube-apiserver compares them
// (compounds by their JSON, scalars by type and value: 1 and 1.0 differ), which their dump() gives.
std::vector<size_t> non_unique(const std::vector<json>& values) {
  std::map<std::string, int> seen;
  std::vector<size_t> out;
  for (size_t i = 0; i < values.size(); ++i)
    if (++seen[values[i].dump()] == 2)
      out.push_back(i);
  return out;
}

void check_list_map(const std::string& p, const schema_node& s, const json& arr, std::vector<field_error>& out) {
  for (size_t i = 0; i < arr.size(); ++i)
    if (!arr[i].is_null() && !arr[i].is_object()) {
      out.push_back(structural_invalid(index(p, i), arr[i], "must be an object for an array of list-type map"));
      return;
    }
  std::vector<json> keys;
  for (const auto& item : arr) {
    json k = json::object();
    for (const auto& field : s.list_map_keys)
      if (item.is_object() && item.contains(field))
        k[field] = item[field];
    keys.push_back(std::move(k));
  }
  for (size_t i : non_unique(keys))
    out.push_back({"FieldValueDuplicate", index(p, i), "Duplicate value: " + go_bad_value(keys[i])});
}

void walk_lists(const schema_node* s, const json& x, const std::string& p, std::vector<field_error>& out);

void check_array(const schema_node& s, const json& arr, const std::string& p, std::vector<field_error>& out) {
  if (s.list_type == "set") {
    std::vector<json> values(arr.begin(), arr.end());
    for (size_t i : non_unique(values))
      out.push_back({"FieldValueDuplicate", index(p, i), "Duplicate value: " + go_bad_value(arr[i])});
  } else if (s.list_type == "map" && arr.size() > 0) {
    check_list_map(p, s, arr, out);
  }
  for (size_t i = 0; s.items && i < arr.size(); ++i)
    walk_lists(s.items.get(), arr[i], index(p, i), out);
}

void walk_lists(const schema_node* s, const json& x, const std::string& p, std::vector<field_error>& out) {
  if (!s)
    return;
  if (x.is_array()) {
    check_array(*s, x, p, out);
  } else if (x.is_object()) {
    if (s->additional)
      for (const auto& [k, v] : x.items())
        walk_lists(s->additional.get(), v, key(p, k), out);
    for (const auto& [k, v] : x.items())
      if (auto it = s->properties.find(k); it != s->properties.end())
        walk_lists(it->second.get(), v, child(p, k), out);
  }
}

} // namespace

std::vector<field_error> validate_embedded_resources(const schema_node& root, const json& object) {
  std::vector<field_error> out;
  walk_embedded(&root, object, "", out);
  return out;
}

std::vector<field_error> validate_list_types(const schema_node& root, const json& object) {
  std::vector<field_error> out;
  if (object.is_object())
    walk_lists(&root, object, "", out);
  return out;
}

} // namespace kactor::sim
