// crd_schema against Koperator's real CRDs (../shared/fixtures/koperator-crds): every sample of the matching
// kind validates cleanly after pruning and defaulting, and broken copies fail with kube-apiserver's messages.
#include "sim/world/api_server/crd_schema.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>

#include <gtest/gtest.h>

#include "model/document.hpp"

using namespace kactor::sim;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

fs::path fixtures() {
  return KACTOR_FIXTURES_DIR;
}

std::vector<json> load(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
  std::string text{std::istreambuf_iterator<char>{in}, {}};
  auto docs = kactor::model::load_documents(text, p.string());
  EXPECT_TRUE(docs.is_ok()) << p << ": " << docs.error().to_string();
  return docs ? *docs : std::vector<json>{};
}

// The storage version's compiled schema of a Koperator CRD, loaded once per test binary.
std::shared_ptr<const crd_schema> koperator_schema(const std::string& plural) {
  static std::map<std::string, std::shared_ptr<const crd_schema>> cache;
  if (auto it = cache.find(plural); it != cache.end())
    return it->second;
  auto docs = load(fixtures() / "koperator-crds" / ("kafka.banzaicloud.io_" + plural + ".yaml"));
  if (docs.empty())
    return nullptr;
  for (const auto& v : docs.front()["spec"]["versions"])
    if (v.value("storage", false))
      return cache[plural] = crd_schema::compile(v["schema"]["openAPIV3Schema"]);
  return nullptr;
}

// Every document of `kind` in the samples (koperator-samples and its subfolders).
std::vector<std::pair<std::string, json>> samples(const std::string& kind) {
  std::vector<std::pair<std::string, json>> out;
  for (const auto& entry : fs::recursive_directory_iterator(fixtures() / "koperator-samples"))
    if (entry.path().extension() == ".yaml")
      for (auto& doc : load(entry.path()))
        if (doc.value("kind", "") == kind)
          out.emplace_back(fs::relative(entry.path(), fixtures()).string() + " " + doc["metadata"].value("name", ""),
                           doc);
  return out;
}

// What kube-apiserver does to a create: prune, default, validate.
std::vector<std::string> admit(const crd_schema& schema, json object) {
  schema.prune(object);
  schema.default_values(object);
  std::vector<std::string> out;
  for (const auto& e : schema.validate(object))
    out.push_back(e.to_string());
  return out;
}

json simple_cluster() {
  auto docs = load(fixtures() / "koperator-samples" / "simplekafkacluster.yaml");
  for (auto& d : docs)
    if (d.value("kind", "") == "KafkaCluster")
      return d;
  return {};
}

} // namespace

TEST(crd_schema_fixtures, every_kafkacluster_sample_is_valid) {
  auto schema = koperator_schema("kafkaclusters");
  ASSERT_TRUE(schema);
  auto all = samples("KafkaCluster");
  EXPECT_GE(all.size(), 18u);
  // Upstream's annotated reference sample does not match its own CRD: rollingUpgradeConfig (required) is
  // commented out and an envoy `annotations` map is written as a string. kube-apiserver refuses it too.
  const std::string reference = "koperator-samples/banzaicloud_v1beta1_kafkacluster.yaml kafka";
  const std::string annotations
      = "spec.listenersConfig.externalListeners[0].config.ingressConfig.ingress-az1.envoyConfig"
        ".annotations";
  const std::vector<std::string> reference_errors
      = {annotations + ": Invalid value: \"string\": " + annotations + " in body must be of type object: \"string\"",
         "spec.rollingUpgradeConfig: Required value"};
  for (const auto& [name, doc] : all)
    EXPECT_EQ(admit(*schema, doc), name == reference ? reference_errors : std::vector<std::string>{}) << name;
}

TEST(crd_schema_fixtures, topic_user_and_cruise_control_operation_samples_are_valid) {
  for (auto [plural, kind] : {std::pair{"kafkatopics", "KafkaTopic"},
                              {"kafkausers", "KafkaUser"},
                              {"cruisecontroloperations", "CruiseControlOperation"}}) {
    auto schema = koperator_schema(plural);
    ASSERT_TRUE(schema) << plural;
    auto all = samples(kind);
    EXPECT_FALSE(all.empty()) << kind;
    for (const auto& [name, doc] : all)
      EXPECT_EQ(admit(*schema, doc), std::vector<std::string>{}) << name;
  }
}

TEST(crd_schema_fixtures, broken_kafkacluster_copies_fail_with_kube_apiserver_messages) {
  auto schema = koperator_schema("kafkaclusters");
  ASSERT_TRUE(schema);
  json bad = simple_cluster();
  ASSERT_TRUE(bad.is_object());
  bad["spec"]["brokers"][0]["id"] = "string";
  bad["spec"].erase("listenersConfig");
  bad["spec"]["rollingUpgradeConfig"]["failureThreshold"] = "1";
  bad["spec"]["ingressController"] = "nginx";
  EXPECT_EQ(admit(*schema, bad),
            (std::vector<std::string>{
                "spec.brokers[0].id: Invalid value: \"string\": spec.brokers[0].id in body must be of type integer: "
                "\"string\"",
                "spec.ingressController: Unsupported value: \"nginx\": supported values: \"envoy\", \"contour\"",
                "spec.rollingUpgradeConfig.failureThreshold: Invalid value: \"string\": "
                "spec.rollingUpgradeConfig.failureThreshold in body must be of type integer: \"string\"",
                "spec.listenersConfig: Required value"}));
}

TEST(crd_schema_fixtures, pruning_and_defaulting_a_kafkacluster) {
  auto schema = koperator_schema("kafkaclusters");
  ASSERT_TRUE(schema);
  json kc = simple_cluster();
  kc["spec"]["notAField"] = 1;
  kc["status"] = {{"state", "ClusterRunning"}, {"alertCount", 0}, {"bogus", true}};
  schema->prune(kc);
  schema->default_values(kc);
  EXPECT_FALSE(kc["spec"].contains("notAField"));
  EXPECT_FALSE(kc["status"].contains("bogus"));
  EXPECT_EQ(kc["spec"]["kRaft"], false);
  EXPECT_EQ(kc["spec"]["rollingUpgradeConfig"]["concurrentBrokerRestartCountPerRack"], 1);
  EXPECT_TRUE(schema->validate(kc).empty());
}

TEST(crd_schema_fixtures, validating_a_kafkacluster_is_fast) {
  auto started = std::chrono::steady_clock::now();
  auto docs = load(fixtures() / "koperator-crds" / "kafka.banzaicloud.io_kafkaclusters.yaml");
  ASSERT_FALSE(docs.empty());
  auto loaded = std::chrono::steady_clock::now();
  auto schema = crd_schema::compile(docs.front()["spec"]["versions"][0]["schema"]["openAPIV3Schema"]);
  auto compiled = std::chrono::steady_clock::now();
  json kc = simple_cluster();
  constexpr int rounds = 200;
  size_t errors = 0;
  for (int i = 0; i < rounds; ++i) {
    json copy = kc;
    schema->prune(copy);
    schema->default_values(copy);
    errors += schema->validate(copy, i % 2 ? &kc : nullptr).size();
  }
  auto done = std::chrono::steady_clock::now();
  auto us = [](auto d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count(); };
  auto per_object = us(done - compiled) / rounds;
  std::cout << "[ timing   ] CRD YAML load " << us(loaded - started) / 1000 << " ms, schema compile "
            << us(compiled - loaded) / 1000 << " ms, prune+default+validate of one KafkaCluster " << per_object
            << " us\n";
  EXPECT_EQ(errors, 0u);
  EXPECT_LT(per_object, 20000) << "one KafkaCluster must not cost a walk over the whole schema";
}
