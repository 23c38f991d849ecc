#include "runtime/cli/commands.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "model/document.hpp"

using namespace kactor::runtime;

namespace {

std::string samples() {
  return std::string{KACTOR_FIXTURES_DIR} + "/koperator-samples/";
}

std::string temp_file(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("kactor_cli_test_" + std::to_string(::getpid()) + name);
  std::ofstream{path} << text;
  return path.string();
}

} // namespace

TEST(cli_validate, accepts_a_sample) {
  std::ostringstream out, err;
  EXPECT_EQ(validate_command(samples() + "simplekafkacluster.yaml", out, err), 0) << err.str();
  EXPECT_NE(out.str().find("valid, 3 brokers"), std::string::npos);
}

TEST(cli_validate, skips_other_kinds_and_fails_without_clusters) {
  std::ostringstream out, err;
  EXPECT_EQ(validate_command(samples() + "example-topic.yaml", out, err), exit_bad_input);
  EXPECT_NE(err.str().find("KafkaTopic"), std::string::npos);
  EXPECT_NE(err.str().find("no KafkaCluster document found"), std::string::npos);
}

TEST(cli_validate, invalid_cluster_names_field_and_exits_2) {
  auto path = temp_file("dup.yaml", R"(
apiVersion: kafka.banzaicloud.io/v1beta1
kind: KafkaCluster
metadata: {name: kafka}
spec:
  zkAddresses: [zk:2181]
  brokers: [{id: 0}, {id: 1}, {id: 1}]
  rollingUpgradeConfig: {failureThreshold: 1}
  listenersConfig:
    internalListeners: [{type: plaintext, name: internal, containerPort: 29092, usedForInnerBrokerCommunication: true}]
  cruiseControlConfig: {}
)");
  std::ostringstream out, err;
  EXPECT_EQ(validate_command(path, out, err), exit_bad_input);
  EXPECT_NE(err.str().find("spec.brokers[2].id: duplicate broker id 1"), std::string::npos) << err.str();
  EXPECT_TRUE(out.str().empty());
  std::filesystem::remove(path);
}

TEST(cli_validate, yaml_error_has_line_and_column) {
  auto path = temp_file("bad.yaml", "apiVersion: v1\nkind: [\n");
  std::ostringstream out, err;
  EXPECT_EQ(validate_command(path, out, err), exit_bad_input);
  EXPECT_NE(err.str().find("line "), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("column "), std::string::npos) << err.str();
  std::filesystem::remove(path);
}

TEST(cli_validate, missing_file_is_bad_input) {
  std::ostringstream out, err;
  EXPECT_EQ(validate_command("/nonexistent/kactor.yaml", out, err), exit_bad_input);
  EXPECT_NE(err.str().find("cannot open"), std::string::npos);
}

TEST(cli_render, yaml_stream_of_all_objects) {
  std::ostringstream out, err;
  render_options opts;
  opts.file = samples() + "simplekafkacluster.yaml";
  ASSERT_EQ(render_command(opts, out, err), 0) << err.str();
  auto docs = kactor::model::load_documents(out.str());
  ASSERT_TRUE(docs.is_ok());
  // all-broker Service, the JMX exporter's ConfigMap (the sample has monitoringConfig), Cruise Control's
  // ConfigMap, Service and Deployment (the sample names no cruiseControlEndpoint) + 3 × (Pod, ConfigMap,
  // PVC, Service)
  EXPECT_EQ(docs->size(), 17u);
  EXPECT_EQ(docs->at(1)["metadata"]["name"], "kafka-kafka-jmx-exporter");
  EXPECT_EQ(docs->at(4)["kind"], "Deployment");
  EXPECT_EQ(docs->at(4)["metadata"]["name"], "kafka-cruisecontrol");
}

TEST(cli_render, one_broker_as_json) {
  std::ostringstream out, err;
  render_options opts;
  opts.file = samples() + "simplekafkacluster.yaml";
  opts.broker = 2;
  opts.output = "json";
  opts.namespace_ = "team-a";
  ASSERT_EQ(render_command(opts, out, err), 0) << err.str();
  auto list = nlohmann::json::parse(out.str());
  EXPECT_EQ(list["kind"], "List");
  ASSERT_EQ(list["items"].size(), 4u);
  for (const auto& item : list["items"]) {
    EXPECT_EQ(item["metadata"]["labels"]["brokerId"], "2");
    EXPECT_EQ(item["metadata"]["namespace"], "team-a");
  }
}

TEST(cli_render, unknown_broker_is_bad_input) {
  std::ostringstream out, err;
  render_options opts;
  opts.file = samples() + "simplekafkacluster.yaml";
  opts.broker = 7;
  EXPECT_EQ(render_command(opts, out, err), exit_bad_input);
  EXPECT_NE(err.str().find("broker 7"), std::string::npos);
}
