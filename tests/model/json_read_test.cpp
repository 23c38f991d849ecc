// model/json_read: every accessor takes any JSON value and never throws; a found value of another type
// reads as absent.
#include "model/json_read.hpp"

#include <gtest/gtest.h>

namespace kactor::model {
namespace {

using nlohmann::json;

TEST(json_read, keys_of_the_right_type_are_read) {
  json j = {{"s", "x"}, {"i", 3}, {"u", 7u}, {"f", 4.0}, {"b", true}, {"o", {{"a", {{"b", "deep"}}}}}, {"a", {1, 2}}};
  EXPECT_EQ(find_string(j, "s"), "x");
  EXPECT_EQ(find_int(j, "i"), 3);
  EXPECT_EQ(find_int(j, "u"), 7);
  EXPECT_EQ(find_int(j, "f"), 4) << "a whole float counts (other writers send 4.0)";
  EXPECT_EQ(find_bool(j, "b"), true);
  EXPECT_EQ(string_or(j, "/o/a/b"_json_pointer), "deep");
  EXPECT_EQ(object_or_empty(j, "o").size(), 1u);
  EXPECT_EQ(array_or_empty(j, "a").size(), 2u);
  EXPECT_EQ(find(j, "/a/1"_json_pointer)->get<int>(), 2);
}

TEST(json_read, wrong_types_and_missing_steps_read_as_absent) {
  json j = {{"s", {}}, {"i", "3"}, {"f", 4.5}, {"big", 1e300}, {"huge", 18446744073709551615u}, {"b", "true"},
            {"o", "not an object"}, {"a", json::array({json::object({{"k", 1}})})}};
  EXPECT_EQ(find_string(j, "s"), std::nullopt);
  EXPECT_EQ(string_or(j, "s", "d"), "d");
  EXPECT_EQ(int_or(j, "i", -1), -1);
  EXPECT_EQ(int_or(j, "f", -1), -1);
  EXPECT_EQ(int_or(j, "big", -1), -1);
  EXPECT_EQ(int_or(j, "huge", -1), -1);
  EXPECT_EQ(bool_or(j, "b", false), false);
  EXPECT_EQ(string_or(j, "/o/a"_json_pointer, "d"), "d") << "an intermediate that is a string";
  EXPECT_EQ(string_or(j, "/a/k/x"_json_pointer, "d"), "d") << "a key into an array";
  EXPECT_EQ(find(j, "/a/1"_json_pointer), nullptr) << "past the end";
  EXPECT_EQ(int_or(j, "/a/0/k"_json_pointer, -1), 1);
  EXPECT_TRUE(object_or_empty(j, "a").is_object());
  EXPECT_TRUE(object_or_empty(j, "a").empty());
  EXPECT_TRUE(array_or_empty(j, "o").is_array());
  for (const json& odd : {json(), json(3), json("x"), json::array({1, 2})}) {
    EXPECT_EQ(find(odd, "k"), nullptr);
    EXPECT_EQ(find(odd, "/k/0"_json_pointer), nullptr);
    EXPECT_EQ(string_or(odd, "k", "d"), "d");
  }
  json arr = json::array({json::object({{"k", "v"}})});
  EXPECT_EQ(string_or(arr, "/0/k"_json_pointer), "v");
  EXPECT_EQ(string_or(arr, "/x/k"_json_pointer, "d"), "d") << "a key into an array";
  EXPECT_EQ(string_or(arr, "/99999999999999999999999/k"_json_pointer, "d"), "d") << "an index past size_t";
}

TEST(json_read, describe_mismatch_names_both_types) {
  EXPECT_EQ(describe_mismatch("a string", json::object()), "expected a string, got object");
}

} // namespace
} // namespace kactor::model
