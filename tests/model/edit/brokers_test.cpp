#include "model/edit/brokers.hpp"

#include <gtest/gtest.h>

using namespace kactor::model;
using nlohmann::json;

namespace {

json spec() {
  return json::parse(R"({"brokerConfigGroups": {"default": {}},
    "brokers": [{"id": 0, "brokerConfigGroup": "default"}, {"id": 2, "brokerConfigGroup": "default"}]})");
}

} // namespace

TEST(edit_brokers, broker_index_finds_by_integer_id_and_names_the_field_when_absent) {
  auto sp = spec();
  EXPECT_EQ(*broker_index(sp, 2), 1u);
  auto missing = broker_index(sp, 7);
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.error().kind(), status_kind::not_found);
  EXPECT_EQ(missing.error().message(), "spec.brokers: no broker with id 7");
  EXPECT_FALSE(broker_index(json::parse(R"({"brokers": [{"id": "7"}, 3]})"), 7).is_ok()) << "a string id is no id";
  EXPECT_FALSE(broker_index(json(), 0).is_ok());
  EXPECT_FALSE(broker_index(json::parse(R"({"brokers": {}})"), 0).is_ok());
}

TEST(edit_brokers, next_id_count_and_first_group) {
  EXPECT_EQ(next_broker_id(spec()), 3);
  EXPECT_EQ(next_broker_id(json::object()), 0);
  EXPECT_EQ(broker_count(spec()), 2u);
  EXPECT_EQ(broker_count(json()), 0u);
  EXPECT_EQ(first_broker_group(spec()), "default");
  EXPECT_EQ(first_broker_group(json::parse(R"({"brokers": [7]})")), "");
}

TEST(edit_brokers, add_broker_appends_the_entry_with_group_image_and_disks) {
  auto sp = spec();
  ASSERT_TRUE(add_broker(sp, {3, "default", "kafka:3.7", {{"/data", "10Gi", "fast"}}}).is_ok());
  EXPECT_EQ(sp["brokers"][2], json::parse(R"({"id": 3, "brokerConfigGroup": "default", "brokerConfig": {"image": "kafka:3.7",
    "storageConfigs": [{"mountPath": "/data", "pvcSpec": {"accessModes": ["ReadWriteOnce"],
      "resources": {"requests": {"storage": "10Gi"}}, "storageClassName": "fast"}}]}})"));
  json empty = json::object();
  ASSERT_TRUE(add_broker(empty, {0, "", "", {}}).is_ok());
  EXPECT_EQ(empty, json::parse(R"({"brokers": [{"id": 0}]})")) << "the list is created; unset fields stay out";
}

TEST(edit_brokers, add_broker_refuses_a_taken_or_negative_id_and_leaves_the_spec) {
  auto sp = spec();
  auto before = sp;
  auto taken = add_broker(sp, {2, "", "", {}});
  EXPECT_EQ(taken.kind(), status_kind::invalid);
  EXPECT_EQ(taken.message(), "spec.brokers[1].id: a broker with id 2 already exists");
  EXPECT_EQ(add_broker(sp, {-1, "", "", {}}).message(), "spec.brokers: broker id -1 is negative");
  EXPECT_EQ(add_broker(sp, {5, "", "", {{"", "1Gi", ""}}}).message(), "storageConfigs[].mountPath: required");
  EXPECT_EQ(sp, before);
  json not_a_list = json::parse(R"({"brokers": "x"})");
  EXPECT_EQ(add_broker(not_a_list, {0, "", "", {}}).message(), "spec.brokers: not a list");
  EXPECT_EQ(not_a_list, json::parse(R"({"brokers": "x"})"));
}

TEST(edit_brokers, add_brokers_copies_the_first_group_all_or_nothing) {
  auto sp = spec();
  ASSERT_TRUE(add_brokers(sp, {3, 4}).is_ok());
  EXPECT_EQ(sp["brokers"][3], (json{{"id", 4}, {"brokerConfigGroup", "default"}}));
  auto before = sp;
  EXPECT_EQ(add_brokers(sp, {5, 0}).message(), "spec.brokers[0].id: a broker with id 0 already exists");
  EXPECT_EQ(add_brokers(sp, {6, 6}).message(), "spec.brokers[4].id: a broker with id 6 already exists");
  EXPECT_EQ(sp, before) << "5 and the first 6 were not added";
  json none = json::parse(R"({"brokers": []})");
  EXPECT_EQ(add_brokers(none, {0}).message(), "spec.brokers: no broker to copy the config group from");
  EXPECT_EQ(none, json::parse(R"({"brokers": []})"));
}

TEST(edit_brokers, remove_broker_erases_only_it) {
  auto sp = spec();
  ASSERT_TRUE(remove_broker(sp, 0).is_ok());
  ASSERT_EQ(sp["brokers"].size(), 1u);
  EXPECT_EQ(sp["brokers"][0]["id"], 2);
  auto before = sp;
  auto st = remove_broker(sp, 0);
  EXPECT_EQ(st.kind(), status_kind::not_found);
  EXPECT_EQ(st.message(), "spec.brokers: no broker with id 0");
  EXPECT_EQ(sp, before);
}
