// Every KafkaCluster among Koperator's samples must validate and render: users switching from Koperator
// bring exactly these.
#include <filesystem>

#include <gtest/gtest.h>

#include "model/render/desired_state.hpp"
#include "model/validate/kafka_cluster_validate.hpp"
#include "test_support.hpp"

using namespace kactor::model;
using namespace kactor::testing;

namespace {

std::vector<std::string> sample_files() {
  std::vector<std::string> out;
  auto root = fixtures_dir() / "koperator-samples";
  if (!std::filesystem::exists(root))
    return out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    auto ext = entry.path().extension();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) // .tmpl Go templates are skipped
      out.push_back(std::filesystem::relative(entry.path(), root).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class koperator_sample : public ::testing::TestWithParam<std::string> {};

} // namespace

TEST(koperator_samples, fixtures_are_present) {
  EXPECT_GE(sample_files().size(), 20u) << "expected ../shared/fixtures/koperator-samples beside the checkout";
}

TEST_P(koperator_sample, every_kafka_cluster_validates_and_renders) {
  auto path = fixtures_dir() / "koperator-samples" / GetParam();
  auto docs = load_documents(read_file(path), GetParam());
  ASSERT_TRUE(docs.is_ok()) << docs.error().to_string();
  for (const auto& doc : *docs) {
    if (!is_kafka_cluster(doc))
      continue;
    auto parsed = parse_kafka_cluster(doc);
    ASSERT_TRUE(parsed.errors.empty()) << to_status(parsed.errors).message();
    auto errors = validate_kafka_cluster(parsed.cluster);
    ASSERT_TRUE(errors.empty()) << to_status(errors).message();
    auto state = render_cluster(parsed.cluster);
    ASSERT_TRUE(state.is_ok()) << state.error().to_string();
    EXPECT_EQ(state->brokers.size(), parsed.cluster.spec.brokers.size());
    for (const auto& [id, objects] : state->brokers) {
      EXPECT_EQ(objects.pod["metadata"]["name"], parsed.cluster.metadata.name + "-" + std::to_string(id));
      EXPECT_FALSE(objects.revision.empty());
      EXPECT_TRUE(objects.configmap["data"].contains("broker-config"));
    }
    // A round trip through to_json changes nothing.
    EXPECT_EQ(to_json(parsed.cluster), doc);
  }
}

INSTANTIATE_TEST_SUITE_P(fixtures, koperator_sample, ::testing::ValuesIn(sample_files()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name;
                           for (char c : info.param)
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });
