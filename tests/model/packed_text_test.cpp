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

// Objects of one kind differ in a few fields: packed against the first, the next takes a tenth of the room.
TEST(packed_text, a_dictionary_of_the_same_kind_packs_far_smaller_and_is_needed_to_unpack) {
  auto pod = [](int id) {
    return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"kafka-)" + std::to_string(id)
           + R"(","namespace":"kafka","labels":{"app":"kafka","brokerId":")" + std::to_string(id)
           + R"(","kafka_cr":"kafka"},"uid":"5f0c6a1e-)" + std::to_string(1000 + id)
           + R"("},"spec":{"containers":[{"name":"kafka","image":"ghcr.io/banzaicloud/kafka:2.13-3.4.1",)"
             R"("volumeMounts":[{"name":"kafka-data-0","mountPath":"/kafka-logs"},{"name":"broker-config",)"
             R"("mountPath":"/config"}],"resources":{"requests":{"cpu":"1","memory":"2Gi"}}}]}})";
  };
  std::string dictionary = pod(0), text = pod(7);
  auto with = pack(text, dictionary);
  EXPECT_LT(with.size() * 3, pack(text).size()) << with.size() << " vs " << pack(text).size();
  auto back = unpack(with, dictionary);
  ASSERT_TRUE(back.is_ok()) << back.error().message();
  EXPECT_EQ(*back, text);

  auto none = unpack(with);
  ASSERT_FALSE(none.is_ok());
  EXPECT_NE(none.error().message().find("none given"), std::string::npos) << none.error().message();
  auto other = unpack(with, pod(3));
  ASSERT_FALSE(other.is_ok());
  EXPECT_NE(other.error().message().find("another dictionary"), std::string::npos) << other.error().message();
  // Text packed without one unpacks with or without.
  EXPECT_EQ(*unpack(pack(text), dictionary), text);
}
