// Invalid input: each case edits the valid base cluster in one way and expects one error naming the field.
#include "model/validate/kafka_cluster_validate.hpp"

#include <gtest/gtest.h>

#include "../test_support.hpp"

using namespace kactor::model;
using namespace kactor::testing;

namespace {

struct invalid_case {
  const char* name;
  std::function<void(json&)> edit;
  const char* path;
  const char* message_part;
};

std::string errors_text(const field_errors& errs) {
  return to_status(errs).message();
}

void PrintTo(const invalid_case& c, std::ostream* os) {
  *os << c.name;
}

class invalid_cluster : public ::testing::TestWithParam<invalid_case> {};

json base_doc() {
  return load_documents(base_cluster_yaml)->front();
}

json storage(const char* path, const char* size) {
  return {{"mountPath", path}, {"pvcSpec", {{"resources", {{"requests", {{"storage", size}}}}}}}};
}

const invalid_case cases[] = {
  {"alert_may_choose_unknown", [](json& d) { d["spec"]["alertManagerConfig"]["allowedAnnotations"] = {"image", "command"}; },
   "spec.alertManagerConfig.allowedAnnotations[1]", "\"command\" is not one of image, storageClass, mountPath, diskSize"},
  {"cc_credentials_secret_not_a_name",
   [](json& d) { d["spec"]["cruiseControlConfig"]["credentialsSecretRef"] = {{"name", "CC Admin"}}; },
   "spec.cruiseControlConfig.credentialsSecretRef.name", "must be a Secret's name (a DNS subdomain), got \"CC Admin\""},
  {"cc_capacity_not_json", [](json& d) { d["spec"]["cruiseControlConfig"]["capacityConfig"] = "{\"brokerCapacities\": ["; },
   "spec.cruiseControlConfig.capacityConfig", "does not parse as JSON"},
  {"cc_capacity_without_broker_capacities",
   [](json& d) { d["spec"]["cruiseControlConfig"]["capacityConfig"] = R"({"brokerCapacities": {"brokerId": "-1"}})"; },
   "spec.cruiseControlConfig.capacityConfig", "a JSON object with a brokerCapacities array"},
  {"cc_capacity_a_list", [](json& d) { d["spec"]["cruiseControlConfig"]["capacityConfig"] = "[]"; },
   "spec.cruiseControlConfig.capacityConfig", "a JSON object with a brokerCapacities array"},
  {"cc_cluster_config_not_an_object", [](json& d) { d["spec"]["cruiseControlConfig"]["clusterConfig"] = "[1]"; },
   "spec.cruiseControlConfig.clusterConfig", "expected a JSON object"},
  {"cc_cluster_config_not_json", [](json& d) { d["spec"]["cruiseControlConfig"]["clusterConfig"] = "min.insync.replicas=2"; },
   "spec.cruiseControlConfig.clusterConfig", "expected a JSON object"},
  {"cc_config_not_properties", [](json& d) { d["spec"]["cruiseControlConfig"]["config"] = "a=1\n=2\n"; },
   "spec.cruiseControlConfig.config", "line 2"},
  {"cc_bad_resources",
   [](json& d) { d["spec"]["cruiseControlConfig"]["resourceRequirements"] = {{"limits", {{"memory", "lots"}}}}; },
   "spec.cruiseControlConfig.resourceRequirements.limits.memory", "invalid quantity"},
  {"duplicate_id", [](json& d) { d["spec"]["brokers"][2]["id"] = 1; }, "spec.brokers[2].id", "duplicate broker id 1"},
  {"negative_id", [](json& d) { d["spec"]["brokers"][0]["id"] = -1; }, "spec.brokers[0].id", "between 0 and"},
  {"id_out_of_range", [](json& d) { d["spec"]["brokers"][0]["id"] = 3000000000LL; }, "spec.brokers[0].id",
   "32-bit"},
  {"unknown_group", [](json& d) { d["spec"]["brokers"][1]["brokerConfigGroup"] = "big"; },
   "spec.brokers[1].brokerConfigGroup", "unknown brokerConfigGroup \"big\" (defined: default)"},
  {"bad_resource_quantity",
   [](json& d) { d["spec"]["brokerConfigGroups"]["default"]["resourceRequirements"] = {{"requests", {{"cpu", "lots"}}}}; },
   "spec.brokerConfigGroups.default.resourceRequirements.requests.cpu", "invalid quantity \"lots\""},
  {"request_above_limit",
   [](json& d) {
     d["spec"]["brokers"][0]["brokerConfig"] = {
       {"resourceRequirements", {{"requests", {{"memory", "4Gi"}}}, {"limits", {{"memory", "2Gi"}}}}}};
   },
   "spec.brokers[0].brokerConfig.resourceRequirements.requests.memory", "exceeds limit"},
  {"no_internal_listeners", [](json& d) { d["spec"]["listenersConfig"]["internalListeners"] = json::array(); },
   "spec.listenersConfig.internalListeners", "at least one internal listener"},
  {"no_inter_broker_listener",
   [](json& d) { d["spec"]["listenersConfig"]["internalListeners"][0]["usedForInnerBrokerCommunication"] = false; },
   "spec.listenersConfig", "usedForInnerBrokerCommunication"},
  {"two_inter_broker_listeners",
   [](json& d) { d["spec"]["listenersConfig"]["internalListeners"][1]["usedForInnerBrokerCommunication"] = true; },
   "spec.listenersConfig", "only one listener"},
  {"duplicate_listener_port",
   [](json& d) { d["spec"]["listenersConfig"]["internalListeners"][1]["containerPort"] = 29092; },
   "spec.listenersConfig.internalListeners[1].containerPort", "port 29092 is also used"},
  {"bad_listener_type", [](json& d) { d["spec"]["listenersConfig"]["internalListeners"][0]["type"] = "tls"; },
   "spec.listenersConfig.internalListeners[0].type", "must be one of"},
  {"duplicate_mount_path",
   [](json& d) {
     d["spec"]["brokerConfigGroups"]["default"]["storageConfigs"].push_back(storage("/kafka-logs", "5Gi"));
   },
   "spec.brokerConfigGroups.default.storageConfigs[1].mountPath", "used by another storageConfig"},
  {"relative_mount_path",
   [](json& d) { d["spec"]["brokerConfigGroups"]["default"]["storageConfigs"][0]["mountPath"] = "kafka-logs"; },
   "spec.brokerConfigGroups.default.storageConfigs[0].mountPath", "absolute path"},
  {"bad_storage_size",
   [](json& d) {
     d["spec"]["brokers"][2]["brokerConfig"] = {{"storageConfigs", json::array({storage("/data", "10 GB")})}};
   },
   "spec.brokers[2].brokerConfig.storageConfigs[0].pvcSpec.resources.requests.storage", "invalid quantity"},
  {"pvc_and_emptydir",
   [](json& d) {
     d["spec"]["brokerConfigGroups"]["default"]["storageConfigs"][0]["emptyDir"] = json::object();
   },
   "spec.brokerConfigGroups.default.storageConfigs[0]", "exactly one of pvcSpec and emptyDir"},
  {"failure_threshold_zero", [](json& d) { d["spec"]["rollingUpgradeConfig"]["failureThreshold"] = 0; },
   "spec.rollingUpgradeConfig.failureThreshold", "at least 1"},
  {"kraft_without_controllers",
   [](json& d) {
     d["spec"]["kRaft"] = true;
     d["spec"]["brokerConfigGroups"]["default"]["processRoles"] = {"broker"};
   },
   "spec.brokers", "at least one broker with processRoles containing \"controller\""},
  {"kraft_without_roles", [](json& d) { d["spec"]["kRaft"] = true; }, "spec.brokers[0].brokerConfig.processRoles",
   "required in KRaft mode"},
  {"process_roles_in_zookeeper_mode",
   [](json& d) { d["spec"]["brokerConfigGroups"]["default"]["processRoles"] = {"broker"}; },
   "spec.brokerConfigGroups.default.processRoles[0]", "only valid with spec.kRaft: true"},
  {"zookeeper_without_addresses", [](json& d) { d["spec"].erase("zkAddresses"); }, "spec.zkAddresses",
   "required in ZooKeeper mode"},
  {"bad_disruption_budget", [](json& d) { d["spec"]["disruptionBudget"] = {{"create", true}, {"budget", "150%"}}; },
   "spec.disruptionBudget.budget", "percentage"},
  {"bad_read_only_config", [](json& d) { d["spec"]["brokers"][1]["readOnlyConfig"] = "a=1\n=2\n"; },
   "spec.brokers[1].readOnlyConfig", "line 2"},
  {"no_brokers", [](json& d) { d["spec"]["brokers"] = json::array(); }, "spec.brokers", "at least one broker"},
  {"bad_name", [](json& d) { d["metadata"]["name"] = "Kafka_1"; }, "metadata.name", "DNS label"},
  {"env_without_name", [](json& d) { d["spec"]["envs"] = json::array({{{"value", "x"}}}); }, "spec.envs[0].name",
   "required"},
};

} // namespace

TEST(validate, base_cluster_is_valid) {
  EXPECT_TRUE(validate_kafka_cluster(base_cluster()).empty()) << errors_text(validate_kafka_cluster(base_cluster()));
}

TEST_P(invalid_cluster, names_the_field) {
  const auto& tc = GetParam();
  json doc = base_doc();
  tc.edit(doc);
  auto parsed = parse_kafka_cluster(doc);
  auto errors = parsed.errors;
  if (errors.empty())
    errors = validate_kafka_cluster(parsed.cluster);
  ASSERT_FALSE(errors.empty()) << "no error for " << tc.name;
  bool found = false;
  for (const auto& e : errors)
    found |= e.path == tc.path && e.message.find(tc.message_part) != std::string::npos;
  EXPECT_TRUE(found) << "want " << tc.path << ": ..." << tc.message_part << "...\ngot:\n" << errors_text(errors);
}

INSTANTIATE_TEST_SUITE_P(cases, invalid_cluster, ::testing::ValuesIn(cases),
                         [](const ::testing::TestParamInfo<invalid_case>& info) { return info.param.name; });

TEST(validate, reports_every_error_at_once) {
  json doc = base_doc();
  doc["spec"]["brokers"][2]["id"] = 1;
  doc["spec"]["rollingUpgradeConfig"]["failureThreshold"] = 0;
  doc["spec"]["brokers"][0]["brokerConfigGroup"] = "nope";
  auto errors = validate_kafka_cluster(parse_kafka_cluster(doc).cluster);
  EXPECT_EQ(errors.size(), 3u) << errors_text(errors);
}

TEST(validate, external_listener_without_hostname_is_a_warning_not_an_error) {
  json doc = base_doc();
  doc["spec"]["listenersConfig"]["externalListeners"] =
    json::array({{{"type", "plaintext"}, {"name", "external"}, {"containerPort", 9094}, {"externalStartingPort", 19090}}});
  auto c = parse_kafka_cluster(doc).cluster;
  EXPECT_TRUE(validate_kafka_cluster(c).empty());
  ASSERT_EQ(lint_kafka_cluster(c).size(), 1u);
  EXPECT_NE(lint_kafka_cluster(c)[0].find("spec.listenersConfig.externalListeners[0]"), std::string::npos);
}

TEST(validate, cruise_control_files_are_checked_only_when_kactor_deploys_it) {
  json doc = base_doc();
  doc["spec"]["cruiseControlConfig"]["capacityConfig"] = R"({"brokerCapacities": [{"brokerId": "-1"}]})";
  doc["spec"]["cruiseControlConfig"]["clusterConfig"] = R"({"min.insync.replicas": 2})";
  EXPECT_TRUE(validate_kafka_cluster(parse_kafka_cluster(doc).cluster).empty());
  // With an endpoint nothing reads them (Koperator ignores them too): a CR it accepts stays accepted.
  doc["spec"]["cruiseControlConfig"]["cruiseControlEndpoint"] = "cc.tools.svc:8090";
  doc["spec"]["cruiseControlConfig"]["capacityConfig"] = "not json";
  EXPECT_TRUE(validate_kafka_cluster(parse_kafka_cluster(doc).cluster).empty());
}
