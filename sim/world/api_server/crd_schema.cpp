#include "sim/world/api_server/crd_schema.hpp"

#include <algorithm>
#include <set>

#include "sim/world/api_server/crd_schema_node.hpp"
#include "sim/world/api_server/go_format.hpp"

namespace kactor::sim {

namespace {

using json = nlohmann::json;

// The string formats kube-apiserver validates (validation/formats.go at v1.32, names without '-'); any other
// format on a string is stripped when the CRD is loaded, and so never shows up in an error.
const std::set<std::string> supported_string_formats
    = {"bsonobjectid", "uri",   "email",    "hostname", "ipv4",     "ipv6",     "cidr",       "mac", "uuid",
       "uuid3",        "uuid4", "uuid5",    "isbn",     "isbn10",   "isbn13",   "creditcard", "ssn", "hexcolor",
       "rgbcolor",     "byte",  "password", "date",     "duration", "datetime", "quantity"};

// StripUnsupportedFormatsPostProcess: the format kube-apiserver keeps for this node, or "".
std::string kept_format(const std::string& format, const std::vector<std::string>& types) {
  std::string type = types.size() == 1 ? types.front() : "";
  if (type.empty() || type == "string") {
    std::string normalized = format;
    std::erase(normalized, '-');
    return supported_string_formats.contains(normalized) ? format : "";
  }
  if (type == "integer")
    return format == "int32" || format == "int64" ? format : "";
  if (type == "number")
    return format == "float" || format == "double" ? format : "";
  return "";
}

std::optional<double> number(const json& s, const char* key) {
  auto it = s.find(key);
  return it != s.end() && it->is_number() ? std::optional<double>{it->get<double>()} : std::nullopt;
}

std::optional<int64_t> integer(const json& s, const char* key) {
  auto it = s.find(key);
  if (it == s.end() || !it->is_number())
    return std::nullopt;
  return is_go_int(*it) ? it->get<int64_t>() : go_int64(it->get<double>());
}

bool flag(const json& s, const char* key) {
  auto it = s.find(key);
  return it != s.end() && it->is_boolean() && it->get<bool>();
}

// Go's RE2 knows inline flags; ECMAScript does not, so a leading (?i) becomes std::regex::icase.
void compile_pattern(schema_node& n, std::map<std::string, std::shared_ptr<const std::regex>>& regexes) {
  if (auto it = regexes.find(n.pattern); it != regexes.end()) {
    n.regex = it->second;
    return;
  }
  auto flags = std::regex::ECMAScript;
  std::string source = n.pattern;
  if (source.rfind("(?i)", 0) == 0) {
    source.erase(0, 4);
    flags |= std::regex::icase;
  }
  try {
    n.regex = std::make_shared<const std::regex>(source, flags);
    regexes.emplace(n.pattern, n.regex);
  } catch (const std::regex_error& e) {
    n.regex_error = e.what();
  }
}

void compile_children(schema_node& n, const json& s,
                      std::map<std::string, std::shared_ptr<const std::regex>>& regexes) {
  if (auto it = s.find("properties"); it != s.end() && it->is_object())
    for (const auto& [name, sub] : it->items())
      n.properties.emplace(name, compile_node(sub, regexes));
  if (auto it = s.find("items"); it != s.end() && it->is_object())
    n.items = compile_node(*it, regexes);
  if (auto it = s.find("additionalProperties"); it != s.end()) {
    n.has_additional = !(it->is_boolean() && !it->get<bool>());
    n.additional_forbidden = !n.has_additional;
    if (it->is_object())
      n.additional = compile_node(*it, regexes);
  }
  for (auto [key, list] : {std::pair{"anyOf", &n.any_of}, {"allOf", &n.all_of}, {"oneOf", &n.one_of}})
    if (auto it = s.find(key); it != s.end() && it->is_array())
      for (const auto& sub : *it)
        list->push_back(compile_node(sub, regexes));
  if (auto it = s.find("not"); it != s.end() && it->is_object())
    n.not_schema = compile_node(*it, regexes);
  n.subtree_has_default = n.default_value.has_value() || (n.items && n.items->subtree_has_default)
                          || (n.additional && n.additional->subtree_has_default)
                          || std::any_of(n.properties.begin(), n.properties.end(),
                                         [](const auto& p) { return p.second->subtree_has_default; });
}

// The keywords that need no recursion.
void compile_keywords(schema_node& n, const json& s) {
  if (flag(s, "x-kubernetes-int-or-string"))
    n.types = {"integer", "string"};
  else if (auto it = s.find("type"); it != s.end() && it->is_string() && !it->get_ref<const std::string&>().empty())
    n.types = {it->get<std::string>()};
  n.nullable = flag(s, "nullable");
  n.preserve_unknown = flag(s, "x-kubernetes-preserve-unknown-fields");
  n.embedded_resource = flag(s, "x-kubernetes-embedded-resource");
  n.format = kept_format(s.value("format", ""), n.types);
  n.minimum = number(s, "minimum");
  n.maximum = number(s, "maximum");
  n.multiple_of = number(s, "multipleOf");
  n.exclusive_minimum = flag(s, "exclusiveMinimum");
  n.exclusive_maximum = flag(s, "exclusiveMaximum");
  n.min_length = integer(s, "minLength");
  n.max_length = integer(s, "maxLength");
  n.min_items = integer(s, "minItems");
  n.max_items = integer(s, "maxItems");
  n.min_properties = integer(s, "minProperties");
  n.max_properties = integer(s, "maxProperties");
  n.unique_items = flag(s, "uniqueItems");
  if (auto it = s.find("enum"); it != s.end() && it->is_array() && !it->empty())
    n.enumeration = *it;
  if (auto it = s.find("required"); it != s.end() && it->is_array())
    for (const auto& r : *it)
      if (r.is_string())
        n.required.push_back(r.get<std::string>());
  if (auto it = s.find("default"); it != s.end())
    n.default_value = *it;
  n.list_type = s.value("x-kubernetes-list-type", "");
  for (const auto& k : s.value("x-kubernetes-list-map-keys", json::array()))
    if (k.is_string())
      n.list_map_keys.push_back(k.get<std::string>());
}

bool is_meta_field(const std::string& key) {
  return key == "apiVersion" || key == "kind" || key == "metadata";
}

// pruning/algorithm.go: prune() and skipPrune(). `resource` marks the root and embedded resources, whose
// apiVersion, kind and metadata are never pruned here.
void skip_prune(json& x, const schema_node* s, bool resource);

void prune_value(json& x, const schema_node* s, bool resource) {
  if (s && s->preserve_unknown) {
    skip_prune(x, s, resource);
    return;
  }
  if (x.is_object()) {
    if (!s) {
      x = json::object();
      return;
    }
    bool keep_meta = resource || s->embedded_resource;
    for (auto it = x.begin(); it != x.end();) {
      bool known = false;
      const schema_node* sub = s->entry(it.key(), &known);
      if (keep_meta && is_meta_field(it.key())) {
        ++it;
      } else if (!known) {
        it = x.erase(it);
      } else {
        prune_value(*it, sub, false);
        ++it;
      }
    }
  } else if (x.is_array()) {
    for (auto& v : x)
      prune_value(v, s ? s->items.get() : nullptr, false);
  }
}

void skip_prune(json& x, const schema_node* s, bool resource) {
  if (!s)
    return;
  if (x.is_object()) {
    bool keep_meta = resource || s->embedded_resource;
    for (auto& [key, v] : x.items()) {
      bool known = false;
      const schema_node* sub = s->entry(key, &known);
      if (known && !(keep_meta && is_meta_field(key)))
        prune_value(v, sub, false);
    }
  } else if (x.is_array()) {
    for (auto& v : x)
      skip_prune(v, s->items.get(), false);
  }
}

// defaulting/prunenulls.go: a null the schema neither allows nor defaults is dropped before defaulting.
void prune_nulls(json& x, const schema_node* s) {
  if (x.is_object()) {
    for (auto it = x.begin(); it != x.end();) {
      const schema_node* sub = s ? s->entry(it.key()) : nullptr;
      if (it->is_null() && sub && !sub->nullable && !sub->default_value) {
        it = x.erase(it);
        continue;
      }
      prune_nulls(*it, sub);
      ++it;
    }
  } else if (x.is_array()) {
    for (auto& v : x)
      prune_nulls(v, s ? s->items.get() : nullptr);
  }
}

// objectmeta/coerce.go: an embedded resource's metadata round-trips through metav1.ObjectMeta, which keeps
// only its own fields and (omitempty) drops empty ones; a zero creationTimestamp is removed.
void coerce_embedded(json& x, const schema_node* s) {
  static const std::set<std::string> object_meta = {"name",
                                                    "generateName",
                                                    "namespace",
                                                    "selfLink",
                                                    "uid",
                                                    "resourceVersion",
                                                    "generation",
                                                    "creationTimestamp",
                                                    "deletionTimestamp",
                                                    "deletionGracePeriodSeconds",
                                                    "labels",
                                                    "annotations",
                                                    "ownerReferences",
                                                    "finalizers",
                                                    "managedFields"};
  if (!s)
    return;
  if (x.is_object()) {
    if (s->embedded_resource && x.contains("metadata") && x["metadata"].is_object()) {
      auto& meta = x["metadata"];
      for (auto it = meta.begin(); it != meta.end();) {
        bool empty = it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty())
                     || ((it->is_object() || it->is_array()) && it->empty()) || (it.key() == "generation" && *it == 0);
        it = !object_meta.contains(it.key()) || empty ? meta.erase(it) : std::next(it);
      }
    }
    for (auto& [key, v] : x.items())
      if (!(s->embedded_resource && is_meta_field(key)))
        coerce_embedded(v, s->entry(key));
  } else if (x.is_array()) {
    for (auto& v : x)
      coerce_embedded(v, s->items.get());
  }
}

// defaulting/algorithm.go.
void apply_defaults(json& x, const schema_node* s) {
  if (!s || !s->subtree_has_default)
    return;
  auto fill_null = [](json& v, const schema_node* sub) {
    if (v.is_null() && sub && !sub->nullable && sub->default_value)
      v = *sub->default_value;
  };
  if (x.is_object()) {
    for (const auto& [key, prop] : s->properties) {
      if (!prop->default_value)
        continue;
      auto it = x.find(key);
      if (it == x.end() || (it->is_null() && !prop->nullable))
        x[key] = *prop->default_value;
    }
    for (auto& [key, v] : x.items()) {
      bool known = false;
      const schema_node* sub = s->entry(key, &known);
      if (!s->properties.contains(key))
        fill_null(v, sub);
      if (known)
        apply_defaults(v, sub);
    }
  } else if (x.is_array()) {
    for (auto& v : x) {
      fill_null(v, s->items.get());
      apply_defaults(v, s->items.get());
    }
  }
}

} // namespace

std::unique_ptr<schema_node> compile_node(const json& s,
                                          std::map<std::string, std::shared_ptr<const std::regex>>& regexes) {
  auto n = std::make_unique<schema_node>();
  if (!s.is_object())
    return n;
  compile_keywords(*n, s);
  if (auto it = s.find("pattern"); it != s.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) {
    n->pattern = it->get<std::string>();
    compile_pattern(*n, regexes);
  }
  compile_children(*n, s, regexes);
  return n;
}

crd_schema::crd_schema(std::unique_ptr<schema_node> root) : root_(std::move(root)) {}

crd_schema::~crd_schema() = default;

std::shared_ptr<const crd_schema> crd_schema::compile(const json& open_api_v3_schema) {
  std::map<std::string, std::shared_ptr<const std::regex>> regexes;
  auto root = compile_node(open_api_v3_schema, regexes);
  if (!open_api_v3_schema.is_object())
    root->preserve_unknown = true;
  return std::make_shared<const crd_schema>(std::move(root));
}

void crd_schema::prune(json& object) const {
  prune_value(object, root_.get(), true);
  prune_nulls(object, root_.get());
  coerce_embedded(object, root_.get());
}

void crd_schema::default_values(json& object) const {
  apply_defaults(object, root_.get());
}

bool crd_schema::has_defaults() const {
  return root_->subtree_has_default;
}

std::vector<field_error> crd_schema::validate(const json& object, const json* old) const {
  return validate_object(*root_, object, old);
}

} // namespace kactor::sim
