// crd_schema's validation pass: kube-openapi's SchemaValidator as kube-apiserver v1.32 runs it on custom
// resources, with each error turned into a field.Error the way apiextensions' kubeOpenAPIResultToFieldErrors
// does. Per node the checks run in kube-openapi's order (type, anyOf/oneOf/allOf/not, string, number, array,
// enum, object) and each applies by the kind of the value, not the declared type; kube-openapi names paths
// "spec.brokers[0].id" (a map entry as ".key"), and the field is that name without a leading dot.
#include <algorithm>
#include <cmath>
#include <optional>

#include "sim/world/api_server/crd_schema.hpp"
#include "sim/world/api_server/crd_schema_node.hpp"
#include "sim/world/api_server/crd_structural_checks.hpp"
#include "sim/world/api_server/go_format.hpp"

namespace kactor::sim {

namespace {

using json = nlohmann::json;

// The JSON type kube-openapi infers for a decoded value, and the format it gives numbers.
std::string kind_of(const json& v) {
  if (v.is_object())
    return "object";
  if (v.is_array())
    return "array";
  if (v.is_string())
    return "string";
  if (v.is_boolean())
    return "boolean";
  return is_go_int(v) ? "integer" : "number";
}

std::string format_of(const json& v) {
  if (!v.is_number())
    return "";
  return is_go_int(v) ? "int64" : "float64";
}

// swag.IsFloat64AJSONInteger: a float64 with no fraction, within ±2^53.
bool is_json_integer(double f) {
  return std::isfinite(f) && std::fabs(f) <= 9007199254740992.0 && f == std::trunc(f);
}

std::string field_of(const std::string& name) {
  if (name.empty() || name == ".")
    return "<nil>";
  return name.front() == '.' ? name.substr(1) : name;
}

field_error invalid(const std::string& name, const json& value, const std::string& message) {
  return {"FieldValueInvalid", field_of(name), "Invalid value: " + go_bad_value(value) + ": " + message};
}

// errors.InvalidType: the bad value shown is the name of the type (or format) the value has.
field_error type_invalid(const std::string& name, const std::string& want, const std::string& got) {
  return {"FieldValueTypeInvalid", field_of(name),
          "Invalid value: " + go_quote(got) + ": " + name + " in body must be of type " + want + ": " + go_quote(got)};
}

// Errors kube-openapi raises without a field name (anyOf, ...): kube-apiserver reports them at "<nil>".
field_error unnamed(const std::string& message) {
  return {"FieldValueInvalid", "<nil>", "Invalid value: \"\": " + message};
}

bool contains(const std::vector<std::string>& types, const std::string& t) {
  return std::find(types.begin(), types.end(), t) != types.end();
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& s : v)
    out += (out.empty() ? "" : sep) + s;
  return out;
}

// Go prints an int64 bound as an integer and a float64 one with %v.
std::string bound(const json& value, double b) {
  return is_go_int(value) ? std::to_string(go_int64(b)) : go_float(b);
}

// The old value a new array element is compared with for ratcheting: only list-type map elements (by
// their keys) and set elements (by value) correlate; atomic lists do not.
const json* correlate(const schema_node& s, const json& item, const json* old) {
  if (!old || !old->is_array())
    return nullptr;
  if (s.list_type == "set") {
    auto it = std::find(old->begin(), old->end(), item);
    return it == old->end() ? nullptr : &*it;
  }
  if (s.list_type != "map" || !item.is_object())
    return nullptr;
  for (const auto& candidate : *old) {
    bool same = candidate.is_object();
    for (const auto& k : s.list_map_keys)
      same = same && candidate.value(k, json{}) == item.value(k, json{});
    if (same)
      return &candidate;
  }
  return nullptr;
}

class validator {
public:
  std::vector<field_error> errors;

  // SchemaValidator.Validate at one node; `old` is the correlated stored value on an update.
  void value(const schema_node& s, const json& v, const std::string& path, const json* old) {
    if (old && *old == v)
      return; // ratcheting: an unchanged value keeps whatever errors it had
    if (v.is_null()) {
      check_type(s, v, path);
      check_enum(s, v, path);
      return;
    }
    check_type(s, v, path);
    check_alternatives(s, v, path, old);
    if (v.is_string())
      check_string(s, v, path);
    if (v.is_number())
      check_number(s, v, path);
    if (v.is_array())
      check_array(s, v, path, old);
    check_enum(s, v, path);
    if (v.is_object())
      check_object(s, v, path, old);
  }

private:
  std::vector<field_error> sub(const schema_node& s, const json& v, const std::string& path, const json* old) {
    validator nested;
    nested.value(s, v, path, old);
    return std::move(nested.errors);
  }

  void append(std::vector<field_error> more) { errors.insert(errors.end(), more.begin(), more.end()); }

  // typeValidator, including its use of the format to accept or name a number type.
  void check_type(const schema_node& s, const json& v, const std::string& path) {
    if (s.types.empty() && s.format.empty())
      return;
    if (v.is_null()) {
      if (!s.types.empty() && !s.nullable)
        errors.push_back(type_invalid(path, join(s.types, ","), "null"));
      return;
    }
    std::string kind = kind_of(v), format = format_of(v);
    bool float_int = kind == "number" && is_json_integer(v.get<double>()) && contains(s.types, "integer");
    bool int_float = kind == "integer" && contains(s.types, "number");
    bool textual = v.is_string() || v.is_array();
    if (!textual && !s.format.empty() && !(contains(s.types, kind) || format == s.format || float_int || int_float))
      errors.push_back(type_invalid(path, s.format, format));
    else if (!(contains(s.types, "number") || contains(s.types, "integer")) && !s.format.empty() && textual)
      return;
    else if (!(contains(s.types, kind) || float_int || int_float))
      errors.push_back(type_invalid(path, join(s.types, ","), kind));
  }

  // schemaPropsValidator, in its order: anyOf, oneOf, allOf, not.
  void check_alternatives(const schema_node& s, const json& v, const std::string& path, const json* old) {
    if (!s.any_of.empty())
      check_any_of(s, v, path, old);
    if (!s.one_of.empty())
      check_one_of(s, v, path, old);
    size_t all_valid = 0;
    for (const auto& alt : s.all_of) {
      auto errs = sub(*alt, v, path, old);
      all_valid += errs.empty();
      append(std::move(errs));
    }
    if (all_valid != s.all_of.size())
      errors.push_back(unnamed(go_quote(path) + " must validate all the schemas (allOf)"
                               + (all_valid == 0 ? ". None validated" : "")));
    if (s.not_schema && sub(*s.not_schema, v, path, old).empty())
      errors.push_back(unnamed(go_quote(path) + " must not validate the schema (not)"));
  }

  // kube-openapi adds the failures of the branch that passed the most checks; the first failing branch
  // stands for it here (the same pick for int-or-string's two branches, which pass equally many).
  void check_any_of(const schema_node& s, const json& v, const std::string& path, const json* old) {
    std::optional<std::vector<field_error>> first_failure;
    for (const auto& alt : s.any_of) {
      auto errs = sub(*alt, v, path, old);
      if (errs.empty())
        return;
      if (!first_failure)
        first_failure = std::move(errs);
    }
    errors.push_back(unnamed(go_quote(path) + " must validate at least one schema (anyOf)"));
    append(std::move(*first_failure));
  }

  void check_one_of(const schema_node& s, const json& v, const std::string& path, const json* old) {
    size_t valid = 0;
    std::optional<std::vector<field_error>> first_failure;
    for (const auto& alt : s.one_of) {
      auto errs = sub(*alt, v, path, old);
      valid += errs.empty();
      if (!errs.empty() && !first_failure)
        first_failure = std::move(errs);
    }
    if (valid == 1)
      return;
    errors.push_back(unnamed(
        go_quote(path) + " must validate one and only one schema (oneOf). "
        + (valid == 0 ? std::string{"Found none valid"} : "Found " + std::to_string(valid) + " valid alternatives")));
    if (valid == 0)
      append(std::move(*first_failure));
  }

  // stringValidator: the first failing check only. Lengths count runes, as Go's utf8.RuneCount.
  void check_string(const schema_node& s, const json& v, const std::string& path) {
    const auto& str = v.get_ref<const std::string&>();
    auto runes = static_cast<int64_t>(std::count_if(str.begin(), str.end(), [](char c) { return (c & 0xC0) != 0x80; }));
    if (s.max_length && runes > *s.max_length) {
      auto n = *s.max_length;
      errors.push_back({"FieldValueTooLong", field_of(path),
                        "Too long: may not be more than " + std::to_string(n) + (n == 1 ? " byte" : " bytes")});
    } else if (s.min_length && runes < *s.min_length) {
      errors.push_back(
          invalid(path, v, path + " in body should be at least " + std::to_string(*s.min_length) + " chars long"));
    } else if (!s.pattern.empty() && !s.regex) {
      errors.push_back(invalid(
          path, v, path + " in body should match '" + s.pattern + ", but pattern is invalid: " + s.regex_error + "'"));
    } else if (s.regex && !std::regex_search(str, *s.regex)) {
      errors.push_back(invalid(path, v, path + " in body should match '" + s.pattern + "'"));
    }
  }

  // numberValidator: multipleOf, minimum, maximum, all reported. An int64 value is compared with the bound
  // converted to int64, as MinimumNativeType does.
  void check_number(const schema_node& s, const json& v, const std::string& path) {
    bool as_int = is_go_int(v);
    double d = v.get<double>();
    if (s.multiple_of) {
      double f = *s.multiple_of;
      int64_t factor = go_int64(f);
      bool ok = as_int && factor > 0 ? v.get<int64_t>() % factor == 0 : is_json_integer(f < 1 ? 1 / f * d : d / f);
      if (f < 0)
        errors.push_back(
            invalid(path, f, "factor MultipleOf declared for " + path + " must be positive: " + bound(v, f)));
      else if (!ok)
        errors.push_back(invalid(path, v, path + " in body should be a multiple of " + bound(v, f)));
    }
    auto below = [&](double b, bool exclusive) {
      return as_int ? (exclusive ? v.get<int64_t>() <= go_int64(b) : v.get<int64_t>() < go_int64(b))
                    : (exclusive ? d <= b : d < b);
    };
    auto above = [&](double b, bool exclusive) {
      return as_int ? (exclusive ? v.get<int64_t>() >= go_int64(b) : v.get<int64_t>() > go_int64(b))
                    : (exclusive ? d >= b : d > b);
    };
    if (s.minimum && below(*s.minimum, s.exclusive_minimum))
      errors.push_back(invalid(path, v,
                               path + " in body should be greater than " + (s.exclusive_minimum ? "" : "or equal to ")
                                   + bound(v, *s.minimum)));
    if (s.maximum && above(*s.maximum, s.exclusive_maximum))
      errors.push_back(invalid(path, v,
                               path + " in body should be less than " + (s.exclusive_maximum ? "" : "or equal to ")
                                   + bound(v, *s.maximum)));
  }

  // schemaSliceValidator: the items first, then the counts.
  void check_array(const schema_node& s, const json& v, const std::string& path, const json* old) {
    if (s.items)
      for (size_t i = 0; i < v.size(); ++i)
        value(*s.items, v[i], path + "[" + std::to_string(i) + "]", correlate(s, v[i], old));
    auto size = static_cast<int64_t>(v.size());
    if (s.min_items && size < *s.min_items)
      errors.push_back(
          invalid(path, size, path + " in body should have at least " + std::to_string(*s.min_items) + " items"));
    if (s.max_items && size > *s.max_items)
      errors.push_back(
          {"FieldValueTooMany", field_of(path),
           "Too many: " + std::to_string(size) + ": must have at most " + std::to_string(*s.max_items) + " items"});
    if (s.unique_items)
      for (size_t i = 1; i < v.size(); ++i)
        if (std::find(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v[i])
            != v.begin() + static_cast<std::ptrdiff_t>(i)) {
          errors.push_back(invalid(path, "", path + " in body shouldn't contain duplicates"));
          break;
        }
  }

  // basicCommonValidator: Go compares after converting the value to the enum value's type, so 1.0 matches 1
  // (and 1.5 matches 1: the conversion truncates); a null matches nothing.
  void check_enum(const schema_node& s, const json& v, const std::string& path) {
    if (!s.enumeration)
      return;
    for (const auto& allowed : *s.enumeration) {
      if (v.is_null() || allowed.is_null())
        continue;
      if (v.is_number() && allowed.is_number()) {
        bool match = is_go_int(allowed) ? go_int64(v.get<double>()) == allowed.get<int64_t>()
                                        : v.get<double>() == allowed.get<double>();
        if (match)
          return;
      } else if (v == allowed) {
        return;
      }
    }
    std::vector<std::string> listed;
    for (const auto& allowed : *s.enumeration)
      listed.push_back(go_quote(allowed.is_string() ? allowed.get<std::string>() : go_json(allowed)));
    errors.push_back({"FieldValueNotSupported", field_of(path),
                      "Unsupported value: " + go_bad_value(v) + ": supported values: " + join(listed, ", ")});
  }

  // objectValidator: property counts (which end the check), undeclared keys, declared ones, then required.
  void check_object(const schema_node& s, const json& v, const std::string& path, const json* old) {
    auto n = static_cast<int64_t>(v.size());
    if (s.min_properties && n < *s.min_properties) {
      errors.push_back(invalid(
          path, n, path + " in body should have at least " + std::to_string(*s.min_properties) + " properties"));
      return;
    }
    if (s.max_properties && n > *s.max_properties) {
      errors.push_back(
          {"FieldValueTooMany", field_of(path),
           "Too many: " + std::to_string(n) + ": must have at most " + std::to_string(*s.max_properties) + " items"});
      return;
    }
    auto old_child = [&](const std::string& key) -> const json* {
      if (!old || !old->is_object())
        return nullptr;
      auto it = old->find(key);
      return it == old->end() ? nullptr : &*it;
    };
    for (const auto& [key, item] : v.items()) {
      if (s.properties.contains(key))
        continue;
      if (s.additional_forbidden)
        errors.push_back(invalid(path, key, path + "." + key + " in body is a forbidden property"));
      else if (s.additional)
        value(*s.additional, item, path + "." + key, old_child(key));
    }
    for (const auto& [key, prop] : s.properties)
      if (auto it = v.find(key); it != v.end())
        value(*prop, *it, path.empty() ? key : path + "." + key, old_child(key));
    for (const auto& key : s.required)
      if (!v.contains(key))
        errors.push_back({"FieldValueRequired", field_of(path + "." + key), "Required value"});
  }
};

} // namespace

std::vector<field_error> validate_object(const schema_node& root, const json& object, const json* old) {
  validator v;
  v.value(root, object, "", old);
  auto errors = std::move(v.errors);
  auto embedded = validate_embedded_resources(root, object);
  errors.insert(errors.end(), embedded.begin(), embedded.end());
  // On an update, list-type checks run only when the stored object passed them (kube-apiserver's ratchet).
  if (!old || validate_list_types(root, *old).empty()) {
    auto lists = validate_list_types(root, object);
    errors.insert(errors.end(), lists.begin(), lists.end());
  }
  return errors;
}

} // namespace kactor::sim
