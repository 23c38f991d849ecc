// Golden files: the full rendered output of two Koperator samples, reviewed by hand against what
// Koperator creates. Regenerate with KACTOR_UPDATE_GOLDEN=1 and review the diff before committing.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "model/render/desired_state.hpp"

using namespace kactor::model;
using namespace kactor::testing;

namespace {

void check_golden(const std::string& sample_name, const std::string& golden_name) {
  auto c = sample(sample_name);
  c.metadata.namespace_ = "kafka";
  c.metadata.uid = "6d1c2b4e-0000-4000-8000-000000000001";
  auto state = render_cluster(c);
  ASSERT_TRUE(state.is_ok()) << state.error().to_string();
  auto rendered = to_yaml_stream(state->all());
  auto golden = std::filesystem::path{KACTOR_TEST_DATA_DIR} / "golden" / golden_name;
  if (std::getenv("KACTOR_UPDATE_GOLDEN")) {
    std::filesystem::create_directories(golden.parent_path());
    std::ofstream{golden, std::ios::binary} << rendered;
  }
  EXPECT_EQ(rendered, read_file(golden)) << "rendering of " << sample_name << " changed; see " << golden;
}

} // namespace

TEST(golden, simplekafkacluster_zookeeper) {
  check_golden("simplekafkacluster.yaml", "simplekafkacluster.yaml");
}

TEST(golden, simplekafkacluster_kraft) {
  check_golden("kraft/simplekafkacluster_kraft.yaml", "simplekafkacluster_kraft.yaml");
}

TEST(golden, rendering_is_deterministic) {
  auto c = sample("simplekafkacluster_2disk.yaml");
  auto a = render_cluster(c), b = render_cluster(c);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(to_yaml_stream(a->all()), to_yaml_stream(b->all()));
}
