#include "sim/world/api_server/patch.hpp"

#include <gtest/gtest.h>

using namespace kactor::sim;
using nlohmann::json;

TEST(patch, content_types) {
  EXPECT_EQ(patch_type_for("application/merge-patch+json"), patch_type::merge);
  EXPECT_EQ(patch_type_for("application/json-patch+json; charset=utf-8"), patch_type::json_patch);
  EXPECT_EQ(patch_type_for("application/strategic-merge-patch+json"), patch_type::strategic);
  EXPECT_EQ(patch_type_for("application/apply-patch+yaml"), patch_type::apply);
  EXPECT_FALSE(patch_type_for("text/plain"));
}

TEST(patch, merge_patch_deletes_with_null) {
  json target = {{"a", 1}, {"b", {{"c", 2}, {"d", 3}}}};
  auto r = apply_patch(patch_type::merge, target, {{"b", {{"c", nullptr}}}, {"e", 5}});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, (json{{"a", 1}, {"b", {{"d", 3}}}, {"e", 5}}));
}

TEST(patch, json_patch_and_its_errors) {
  json target = {{"a", {1, 2}}};
  auto r = apply_patch(patch_type::json_patch, target, json::parse(R"([{"op":"add","path":"/a/-","value":3}])"));
  EXPECT_EQ((*r)["a"], (json{1, 2, 3}));
  auto bad = apply_patch(patch_type::json_patch, target, json::parse(R"([{"op":"remove","path":"/zzz"}])"));
  EXPECT_FALSE(bad.is_ok());
}

TEST(patch, strategic_merges_lists_by_key) {
  json target = {{"spec", {{"containers", {{{"name", "kafka"}, {"image", "a"}}, {{"name", "side"}, {"image", "s"}}}}}},
                 {"metadata", {{"finalizers", {"x"}}}}};
  json p = {{"spec", {{"containers", {{{"name", "kafka"}, {"image", "b"}}}}}}, {"metadata", {{"finalizers", {"y"}}}}};
  auto r = apply_patch(patch_type::strategic, target, p);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ((*r)["spec"]["containers"].size(), 2u);
  EXPECT_EQ((*r)["spec"]["containers"][0]["image"], "b");
  EXPECT_EQ((*r)["metadata"]["finalizers"], (json{"x", "y"}));
  json del = {{"spec", {{"containers", {{{"name", "side"}, {"$patch", "delete"}}}}}}};
  EXPECT_EQ((*apply_patch(patch_type::strategic, *r, del))["spec"]["containers"].size(), 1u);
  json remove_finalizer = {{"metadata", {{"$deleteFromPrimitiveList/finalizers", {"x"}}}}};
  EXPECT_EQ((*apply_patch(patch_type::strategic, *r, remove_finalizer))["metadata"]["finalizers"], (json{"y"}));
}
