#include "model/edit/config.hpp"

#include <gtest/gtest.h>

using namespace kactor::model;
using nlohmann::json;

namespace {

json config_spec() {
  return json::parse(R"({"readOnlyConfig": "auto.create.topics.enable=false",
    "envs": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
    "brokers": [{"id": 0}, {"id": 1, "readOnlyConfig": "x=1\n"}]})");
}

} // namespace

TEST(edit_config, read_only_config_lines_are_appended_spec_wide) {
  auto sp = config_spec();
  ASSERT_TRUE(append_read_only_config(sp, "num.network.threads=5").is_ok());
  EXPECT_EQ(sp["readOnlyConfig"], "auto.create.topics.enable=false\nnum.network.threads=5\n");
  json empty;
  ASSERT_TRUE(append_read_only_config(empty, "a=b").is_ok());
  EXPECT_EQ(empty["readOnlyConfig"], "a=b\n");
  json bad = json::parse(R"({"readOnlyConfig": 5})");
  EXPECT_EQ(append_read_only_config(bad, "a=b").message(), "spec.readOnlyConfig: not text");
  EXPECT_EQ(bad, json::parse(R"({"readOnlyConfig": 5})"));
}

TEST(edit_config, broker_config_lines_go_to_one_broker) {
  auto sp = config_spec();
  ASSERT_TRUE(append_broker_config(sp, 1, "y=2").is_ok());
  EXPECT_EQ(sp["brokers"][1]["readOnlyConfig"], "x=1\ny=2\n");
  ASSERT_TRUE(append_broker_config(sp, 0, "z=3").is_ok());
  EXPECT_EQ(sp["brokers"][0]["readOnlyConfig"], "z=3\n");
  auto before = sp;
  auto st = append_broker_config(sp, 4, "y=2");
  EXPECT_EQ(st.kind(), status_kind::not_found);
  EXPECT_EQ(st.message(), "spec.brokers: no broker with id 4");
  sp["brokers"][0]["readOnlyConfig"] = json::array();
  before = sp;
  EXPECT_EQ(append_broker_config(sp, 0, "y=2").message(), "spec.brokers[0].readOnlyConfig: not text");
  EXPECT_EQ(sp, before);
}

TEST(edit_config, set_env_keeps_one_entry_per_name_moved_to_the_end) {
  auto sp = config_spec();
  ASSERT_TRUE(set_env(sp, "A", "3").is_ok());
  EXPECT_EQ(sp["envs"], json::parse(R"([{"name": "B", "value": "2"}, {"name": "A", "value": "3"}])"));
  json none = json::object();
  ASSERT_TRUE(set_env(none, "C", "x").is_ok());
  EXPECT_EQ(none["envs"], json::parse(R"([{"name": "C", "value": "x"}])"));
}

TEST(edit_config, set_env_errors_leave_the_spec) {
  auto sp = config_spec();
  auto before = sp;
  EXPECT_EQ(set_env(sp, "", "x").message(), "spec.envs[].name: required");
  EXPECT_EQ(sp, before);
  json bad = json::parse(R"({"envs": {"A": "1"}})");
  EXPECT_EQ(set_env(bad, "A", "2").message(), "spec.envs: not a list");
  EXPECT_EQ(bad, json::parse(R"({"envs": {"A": "1"}})"));
}

TEST(edit_config, merge_patch_follows_rfc_7386_and_refuses_a_non_object) {
  auto sp = config_spec();
  ASSERT_TRUE(merge_patch(sp, json::parse(R"({"readOnlyConfig": null, "clusterImage": "kafka:3"})")).is_ok());
  EXPECT_FALSE(sp.contains("readOnlyConfig"));
  EXPECT_EQ(sp["clusterImage"], "kafka:3");
  auto before = sp;
  auto st = merge_patch(sp, json::array({1}));
  EXPECT_EQ(st.kind(), status_kind::invalid);
  EXPECT_EQ(st.message(), "patch: a merge patch of the spec must be an object, got array");
  EXPECT_EQ(sp, before);
}
