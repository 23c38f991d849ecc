// crd_schema keyword by keyword: pruning, null dropping, defaulting and each validation, with the exact
// messages kube-apiserver v1.32 sends.
#include "sim/world/api_server/crd_schema.hpp"

#include <gtest/gtest.h>

#include "model/document.hpp"

using namespace kactor::sim;
using nlohmann::json;

namespace {

// "---" first: load_documents takes text opening with '{' for JSON, and these are YAML flow mappings.
json yaml(const std::string& text) {
  auto docs = kactor::model::load_documents("---\n" + text, "test");
  EXPECT_TRUE(docs.is_ok()) << docs.error().to_string();
  return docs && !docs->empty() ? docs->front() : json{};
}

std::vector<std::string> errors(const std::string& schema, const json& object, const json* old = nullptr) {
  std::vector<std::string> out;
  for (const auto& e : crd_schema::compile(yaml(schema))->validate(object, old))
    out.push_back(e.to_string());
  return out;
}

using strings = std::vector<std::string>;

const char* spec_schema = R"(
type: object
properties:
  spec:
    type: object
    required: [zkAddresses]
    properties:
      zkAddresses: {type: array, items: {type: string}}
      brokers:
        type: array
        items:
          type: object
          required: [id]
          properties:
            id: {type: integer, format: int32}
            config: {type: string}
)";

} // namespace

TEST(crd_schema, type_errors_name_the_type_found) {
  json o = {{"spec", {{"zkAddresses", json::array()}, {"brokers", {{{"id", "string"}}}}}}};
  EXPECT_EQ(errors(spec_schema, o), strings{"spec.brokers[0].id: Invalid value: \"string\": spec.brokers[0].id in body "
                                            "must be of type integer: \"string\""});
  o["spec"]["zkAddresses"] = "zk:2181";
  o["spec"]["brokers"][0] = {{"id", 1}, {"config", 5}};
  EXPECT_EQ(
      errors(spec_schema, o),
      (strings{
          "spec.brokers[0].config: Invalid value: \"integer\": spec.brokers[0].config in body must be of type "
          "string: \"integer\"",
          "spec.zkAddresses: Invalid value: \"string\": spec.zkAddresses in body must be of type array: \"string\""}));
  // The whole object: kube-apiserver reports it at "<nil>".
  EXPECT_EQ(errors(spec_schema, json::array()),
            strings{"<nil>: Invalid value: \"array\":  in body must be of type object: \"array\""});
}

TEST(crd_schema, required_and_every_error_at_once) {
  json o = {{"spec", {{"brokers", {{{"config", "x"}}, {{"id", true}}}}}}};
  EXPECT_EQ(errors(spec_schema, o),
            (strings{"spec.brokers[0].id: Required value",
                     // kube-openapi's quirk: with a format, a non-number is named by its (empty) number format.
                     "spec.brokers[1].id: Invalid value: \"\": spec.brokers[1].id in body must be of type int32: \"\"",
                     "spec.zkAddresses: Required value"}));
}

TEST(crd_schema, integer_formats_accept_integral_floats_and_set_no_range) {
  auto s = "{type: object, properties: {a: {type: integer, format: int32}, b: {type: integer}, c: {type: number}}}";
  EXPECT_TRUE(errors(s, {{"a", 1.0}, {"b", 2.0}, {"c", 3}}).empty());
  EXPECT_TRUE(errors(s, {{"a", 99999999999LL}}).empty()) << "kube-apiserver never range-checks int32";
  // With a format, a fractional number is named by its Go format.
  EXPECT_EQ(errors(s, {{"a", 1.5}, {"b", 1.5}}),
            (strings{"a: Invalid value: \"float64\": a in body must be of type int32: \"float64\"",
                     "b: Invalid value: \"number\": b in body must be of type integer: \"number\""}));
  EXPECT_EQ(errors(s, {{"a", 1e300}}),
            strings{"a: Invalid value: \"float64\": a in body must be of type int32: \"float64\""});
}

TEST(crd_schema, nullable) {
  auto s = "{type: object, properties: {a: {type: string, nullable: true}, l: {type: array, items: {type: string}}}}";
  EXPECT_TRUE(errors(s, {{"a", nullptr}}).empty());
  EXPECT_EQ(errors(s, {{"l", {"x", nullptr}}}),
            strings{"l[1]: Invalid value: \"null\": l[1] in body must be of type string: \"null\""});
}

TEST(crd_schema, int_or_string) {
  auto s = R"(
type: object
properties:
  q:
    anyOf: [{type: integer}, {type: string}]
    x-kubernetes-int-or-string: true
    pattern: ^[0-9]+Gi$
)";
  EXPECT_TRUE(errors(s, {{"q", 5}}).empty());
  EXPECT_TRUE(errors(s, {{"q", "10Gi"}}).empty());
  EXPECT_EQ(errors(s, {{"q", "10G"}}), strings{"q: Invalid value: \"10G\": q in body should match '^[0-9]+Gi$'"});
  EXPECT_EQ(errors(s, {{"q", true}}),
            (strings{"q: Invalid value: \"boolean\": q in body must be of type integer,string: \"boolean\"",
                     "<nil>: Invalid value: \"\": \"q\" must validate at least one schema (anyOf)",
                     "q: Invalid value: \"boolean\": q in body must be of type integer: \"boolean\""}));
}

TEST(crd_schema, enum_values) {
  auto s = "{type: object, properties: {m: {type: string, enum: [a, b]}, n: {type: integer, enum: [1, 2]}}}";
  EXPECT_TRUE(errors(s, {{"m", "a"}, {"n", 2.0}}).empty());
  EXPECT_EQ(errors(s, {{"m", "c"}, {"n", 3}}), (strings{"m: Unsupported value: \"c\": supported values: \"a\", \"b\"",
                                                        "n: Unsupported value: 3: supported values: \"1\", \"2\""}));
}

TEST(crd_schema, minimum_and_maximum) {
  auto s = R"(
type: object
properties:
  port: {type: integer, minimum: 1, maximum: 65535}
  ratio: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 1000000}
)";
  EXPECT_TRUE(errors(s, {{"port", 1}, {"ratio", 0.5}}).empty());
  EXPECT_EQ(errors(s, {{"port", 0}, {"ratio", 0}}),
            (strings{"port: Invalid value: 0: port in body should be greater than or equal to 1",
                     "ratio: Invalid value: 0: ratio in body should be greater than 0"}));
  EXPECT_EQ(errors(s, {{"port", 70000}, {"ratio", 2e6}}),
            (strings{"port: Invalid value: 70000: port in body should be less than or equal to 65535",
                     "ratio: Invalid value: 2e+06: ratio in body should be less than or equal to 1e+06"}));
}

TEST(crd_schema, string_lengths_count_characters) {
  auto s = "{type: object, properties: {n: {type: string, minLength: 2, maxLength: 3}}}";
  EXPECT_TRUE(errors(s, {{"n", "ééé"}}).empty()) << "three characters, six bytes";
  EXPECT_EQ(errors(s, {{"n", "abcd"}}), strings{"n: Too long: may not be more than 3 bytes"});
  EXPECT_EQ(errors(s, {{"n", "a"}}), strings{"n: Invalid value: \"a\": n in body should be at least 2 chars long"});
}

TEST(crd_schema, patterns) {
  auto s
      = R"yaml({type: object, properties: {a: {type: string, pattern: "^[a-z0-9\\-]+"}, b: {type: string, pattern: "(?i)^abc$"},
               c: {type: string, pattern: "(?P<x>a)"}}})yaml";
  EXPECT_TRUE(errors(s, {{"a", "kafka-0 and more"}, {"b", "ABC"}}).empty()) << "patterns search, unanchored";
  EXPECT_EQ(errors(s, {{"a", "Kafka"}}),
            strings{"a: Invalid value: \"Kafka\": a in body should match '^[a-z0-9\\-]+'"});
  auto bad = errors(s, {{"c", "a"}});
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].rfind("c: Invalid value: \"a\": c in body should match '(?P<x>a), but pattern is invalid: ", 0), 0u);
}

TEST(crd_schema, item_counts) {
  auto s = "{type: object, properties: {l: {type: array, minItems: 2, maxItems: 3, items: {type: integer}}}}";
  EXPECT_EQ(errors(s, {{"l", {1}}}), strings{"l: Invalid value: 1: l in body should have at least 2 items"});
  EXPECT_EQ(errors(s, {{"l", {1, 2, 3, 4}}}), strings{"l: Too many: 4: must have at most 3 items"});
}

TEST(crd_schema, multiple_of_property_counts_and_closed_objects) {
  auto s = R"(
type: object
properties:
  n: {type: integer, multipleOf: 3}
  m: {type: object, minProperties: 1, maxProperties: 2, additionalProperties: {type: string}}
  closed: {type: object, additionalProperties: false, properties: {a: {type: string}}}
)";
  EXPECT_TRUE(errors(s, {{"n", 6}, {"m", {{"a", "b"}}}, {"closed", {{"a", "x"}}}}).empty());
  EXPECT_EQ(errors(s, {{"n", 7}, {"m", json::object()}, {"closed", {{"b", "x"}}}}),
            (strings{"closed: Invalid value: \"b\": closed.b in body is a forbidden property",
                     "m: Invalid value: 0: m in body should have at least 1 properties",
                     "n: Invalid value: 7: n in body should be a multiple of 3"}));
  EXPECT_EQ(errors(s, {{"m", {{"a", "1"}, {"b", "2"}, {"c", "3"}}}}),
            strings{"m: Too many: 3: must have at most 2 items"});
}

TEST(crd_schema, one_of_all_of_and_not) {
  auto s = R"(
type: object
properties:
  x:
    type: object
    properties: {a: {type: string}, b: {type: string}}
    oneOf: [{required: [a]}, {required: [b]}]
    not: {required: [c]}
  y: {type: integer, allOf: [{minimum: 1}, {maximum: 5}]}
)";
  EXPECT_TRUE(errors(s, {{"x", {{"a", "1"}}}, {"y", 3}}).empty());
  EXPECT_EQ(
      errors(s, {{"x", {{"a", "1"}, {"b", "2"}}}, {"y", 9}}),
      (strings{
          "<nil>: Invalid value: \"\": \"x\" must validate one and only one schema (oneOf). Found 2 valid alternatives",
          "y: Invalid value: 9: y in body should be less than or equal to 5",
          "<nil>: Invalid value: \"\": \"y\" must validate all the schemas (allOf)"}));
  EXPECT_EQ(
      errors(s, {{"x", {{"c", "1"}}}}),
      (strings{"<nil>: Invalid value: \"\": \"x\" must validate one and only one schema (oneOf). Found none valid",
               "x.a: Required value", "<nil>: Invalid value: \"\": \"x\" must not validate the schema (not)"}));
}

TEST(crd_schema, list_type_map_and_set_are_unique) {
  auto s = R"(
type: object
properties:
  ports:
    type: array
    x-kubernetes-list-type: map
    x-kubernetes-list-map-keys: [containerPort, protocol]
    items: {type: object, properties: {containerPort: {type: integer}, protocol: {type: string}}}
  tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}
)";
  json o = {{"ports", {{{"containerPort", 9092}, {"protocol", "TCP"}}, {{"containerPort", 9092}, {"protocol", "TCP"}}}},
            {"tags", {"a", "b", "a", "a"}}};
  EXPECT_EQ(errors(s, o),
            (strings{"ports[1]: Duplicate value: map[string]interface {}{\"containerPort\":9092, \"protocol\":\"TCP\"}",
                     "tags[2]: Duplicate value: \"a\""}));
}

TEST(crd_schema, embedded_resources) {
  auto s = R"(
type: object
properties:
  template: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}
)";
  EXPECT_EQ(errors(s, {{"template", json::object()}}),
            (strings{"template.apiVersion: Required value", "template.kind: Required value"}));
  EXPECT_EQ(
      errors(s, {{"template", {{"apiVersion", "a/b/c"}, {"kind", "Pod_"}, {"metadata", "x"}}}}),
      (strings{"template.apiVersion: Invalid value: \"a/b/c\": unexpected GroupVersion string: a/b/c",
               "template.kind: Invalid value: \"Pod_\": may have mixed case, but should otherwise match: a DNS-1035 "
               "label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, "
               "and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
               "'[a-z]([-a-z0-9]*[a-z0-9])?')",
               "template.metadata: Invalid value: \"x\": json: cannot unmarshal string into Go value of type "
               "v1.ObjectMeta"}));
  // Its metadata is cut to ObjectMeta's fields; apiVersion and kind survive pruning.
  json o = {{"template", {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", {{"name", "p"}, {"bogus", 1}}}}}};
  crd_schema::compile(yaml(s))->prune(o);
  EXPECT_EQ(o["template"], json({{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", {{"name", "p"}}}}));
}

TEST(crd_schema, pruning) {
  auto s = R"(
type: object
properties:
  spec:
    type: object
    properties:
      known: {type: string}
      labels: {type: object, additionalProperties: {type: string}}
      groups: {type: object, additionalProperties: {type: object, properties: {size: {type: integer}}}}
      free: {type: object, x-kubernetes-preserve-unknown-fields: true, properties: {typed: {type: object, properties: {a: {type: string}}}}}
      list: {type: array, items: {type: object, properties: {a: {type: string}}}}
)";
  json o = yaml(R"(
apiVersion: example.com/v1
kind: Thing
metadata: {name: t, anything: kept}
status: {phase: gone}
spec:
  known: x
  unknown: y
  labels: {a: b}
  groups: {g: {size: 1, colour: red}}
  free: {anything: [1, 2], typed: {a: x, b: pruned}}
  list: [{a: x, b: y}]
)");
  crd_schema::compile(yaml(s))->prune(o);
  EXPECT_EQ(o, yaml(R"(
apiVersion: example.com/v1
kind: Thing
metadata: {name: t, anything: kept}
spec:
  known: x
  labels: {a: b}
  groups: {g: {size: 1}}
  free: {anything: [1, 2], typed: {a: x}}
  list: [{a: x}]
)"));
}

TEST(crd_schema, nulls_not_allowed_are_dropped_before_defaulting) {
  auto s = "{type: object, properties: {a: {type: string}, b: {type: string, nullable: true}, c: {type: string, "
           "default: x}}}";
  json o = {{"a", nullptr}, {"b", nullptr}, {"c", nullptr}};
  auto schema = crd_schema::compile(yaml(s));
  schema->prune(o);
  EXPECT_EQ(o, json({{"b", nullptr}, {"c", nullptr}}));
  schema->default_values(o);
  EXPECT_EQ(o, json({{"b", nullptr}, {"c", "x"}}));
}

TEST(crd_schema, defaults_fill_absent_fields_recursively) {
  auto s = R"(
type: object
properties:
  spec:
    type: object
    default: {}
    properties:
      replicas: {type: integer, default: 3}
      tls: {type: object, default: {enabled: false}, properties: {enabled: {type: boolean}, port: {type: integer, default: 9093}}}
      groups: {type: object, additionalProperties: {type: object, properties: {size: {type: integer, default: 1}}}}
      disks: {type: array, items: {type: object, properties: {class: {type: string, default: standard}}}}
)";
  auto schema = crd_schema::compile(yaml(s));
  EXPECT_TRUE(schema->has_defaults());
  json o = json::object();
  schema->default_values(o);
  EXPECT_EQ(o, json::parse(R"({"spec": {"replicas": 3, "tls": {"enabled": false, "port": 9093}}})"));
  o = json::parse(R"({"spec": {"replicas": 5, "groups": {"g": {}}, "disks": [{}, {"class": "fast"}]}})");
  schema->default_values(o);
  EXPECT_EQ(o["spec"]["replicas"], 5);
  EXPECT_EQ(o["spec"]["groups"]["g"]["size"], 1);
  EXPECT_EQ(o["spec"]["disks"], json::parse(R"([{"class": "standard"}, {"class": "fast"}])"));
  EXPECT_FALSE(crd_schema::compile(yaml(spec_schema))->has_defaults());
}

TEST(crd_schema, updates_ratchet_unchanged_values) {
  auto s = "{type: object, properties: {a: {type: string, maxLength: 2}, b: {type: string, maxLength: 2}}}";
  json old = {{"a", "too long"}, {"b", "ok"}};
  json next = {{"a", "too long"}, {"b", "xx"}};
  EXPECT_TRUE(errors(s, next, &old).empty()) << "a was already invalid and did not change";
  next["b"] = "changed";
  EXPECT_EQ(errors(s, next, &old), strings{"b: Too long: may not be more than 2 bytes"});
  EXPECT_EQ(errors(s, next).size(), 2u) << "a create reports both";
}

TEST(crd_schema, root_preserving_unknown_fields_accepts_anything) {
  auto schema = crd_schema::compile(yaml("{type: object, x-kubernetes-preserve-unknown-fields: true}"));
  json o = yaml("{apiVersion: a/v1, kind: K, metadata: {name: n}, spec: {anything: [1, {x: y}]}, status: {s: 1}}");
  json copy = o;
  schema->prune(o);
  schema->default_values(o);
  EXPECT_EQ(o, copy);
  EXPECT_TRUE(schema->validate(o).empty());
}
