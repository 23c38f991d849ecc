#include "model/packed_text.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace kactor::model;

TEST(packed_text, round_trips_text_of_every_size) {
  std::string big;
  for (int i = 0; i < 20000; ++i)
    big += "{\"name\":\"kafka-" + std::to_string(i) + "\",\"ready\":true},";
  for (const std::string& text : {std::string{}, std::string{"{}"}, std::string(1, '\0'), big}) {
    auto back = unpack(pack(text));
    ASSERT_TRUE(back.is_ok()) << back.error().message();
    EXPECT_EQ(*back, text);
  }
}

TEST(packed_text, keeps_json_in_a_fraction_of_its_size) {
  std::string pod = R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"kafka-1","labels":{"app":"kafka","brokerId":"1"}},)"
                    R"("spec":{"containers":[{"name":"kafka","image":"ghcr.io/banzaicloud/kafka:2.13-3.4.1"}]}})";
  std::string many;
  for (int i = 0; i < 20; ++i)
    many += pod;
  EXPECT_LT(pack(many).size(), many.size() / 5);
}

TEST(packed_text, rejects_what_pack_did_not_write_naming_the_byte) {
  auto packed = pack("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"kafka-0\"}}");
  auto truncated = unpack(std::string_view(packed).substr(0, packed.size() - 3));
  ASSERT_FALSE(truncated.is_ok());
  EXPECT_NE(truncated.error().message().find("at byte"), std::string::npos) << truncated.error().message();

  auto trailing = unpack(packed + "xy");
  ASSERT_FALSE(trailing.is_ok());
  EXPECT_NE(trailing.error().message().find("2 bytes after the end"), std::string::npos) << trailing.error().message();

  auto garbage = unpack("{\"not\":\"packed\"}");
  ASSERT_FALSE(garbage.is_ok());
  EXPECT_NE(garbage.error().message().find("at byte"), std::string::npos) << garbage.error().message();

  EXPECT_FALSE(unpack("").is_ok());
}
