#include "integrations/kubernetes/secret_data.hpp"

#include "integrations/kubernetes/api.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace kactor::integrations::kubernetes {
namespace {

using nlohmann::json;

TEST(SecretData, DecodesEveryKeyAndNamesTheOneThatIsNotBase64) {
  auto ok = secret_data(json{{"metadata", {{"name", "cc"}}}, {"data", {{"username", "YWRtaW4="}, {"password", "czNj\ncmV0"}}}});
  ASSERT_TRUE(ok.is_ok()) << ok.error().message();
  EXPECT_EQ(ok.value().at("username"), "admin");
  EXPECT_EQ(ok.value().at("password"), "s3cret") << "wrapped values are read whole";
  EXPECT_TRUE(secret_data(json{{"metadata", {{"name", "cc"}}}}).value().empty()) << "no data: nothing, no error";

  auto bad = secret_data(json{{"metadata", {{"name", "cc"}}}, {"data", {{"username", "YWRtaW4="}, {"password", "c2=VjcmV0"}}}});
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.error().message(), "Secret cc: data.password: not a base64 string");
  auto wrong_type = secret_data(json{{"metadata", {{"name", 7}}}, {"data", {{"k", 1}}}});
  ASSERT_FALSE(wrong_type.is_ok());
  EXPECT_EQ(wrong_type.error().message(), "Secret: data.k: not a base64 string");
  EXPECT_FALSE(secret_data(json::array()).is_ok());
  EXPECT_FALSE(secret_data(json{{"data", "x"}}).is_ok());
}

TEST(SecretData, Base64IsStrictAboutPadding) {
  EXPECT_EQ(decode_base64("YQ=="), "a");
  EXPECT_EQ(decode_base64(""), "");
  EXPECT_FALSE(decode_base64("YQ="));
  EXPECT_FALSE(decode_base64("Y=Q="));
  EXPECT_FALSE(decode_base64("Y*Q="));
}

} // namespace
} // namespace kactor::integrations::kubernetes
