#include "model/cruisecontrol/cc_credentials.hpp"

#include <gtest/gtest.h>

namespace kactor::model {
namespace {

const std::string pem = "-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n";
const std::string key = "-----BEGIN PRIVATE KEY-----\nS0VZ\n-----END PRIVATE KEY-----\n";

std::string error_of(const result<cruise_control_credentials>& r) { return r.is_ok() ? "ok" : r.error().message(); }

TEST(CcCredentials, ATlsSecretABasicAuthSecretOrBothAreRead) {
  auto tls = credentials_from_secret("cc-tls", {{"ca.crt", pem}, {"tls.crt", pem}, {"tls.key", key}, {"other", "x"}});
  ASSERT_TRUE(tls.is_ok()) << error_of(tls);
  EXPECT_EQ(tls.value().ca_pem, pem);
  EXPECT_EQ(tls.value().client_key_pem, key);
  EXPECT_TRUE(tls.value().username.empty());

  auto basic = credentials_from_secret("cc-admin", {{"username", "admin"}, {"password", "s3cret"},
                                                    {"endpoint", "https://cc.kafka.svc:8090"}});
  ASSERT_TRUE(basic.is_ok()) << error_of(basic);
  EXPECT_EQ(basic.value().username, "admin");
  EXPECT_EQ(basic.value().password, "s3cret");
  EXPECT_EQ(basic.value().endpoint, "https://cc.kafka.svc:8090");

  auto ca_only = credentials_from_secret("cc-ca", {{"ca.crt", pem}});
  ASSERT_TRUE(ca_only.is_ok()) << error_of(ca_only);
  EXPECT_FALSE(ca_only.value().empty());
}

TEST(CcCredentials, ErrorsNameTheSecretAndTheKeyButNeverAValue) {
  EXPECT_EQ(error_of(credentials_from_secret("s", {{"username", "admin"}})),
            "Secret s: key password: missing: basic authentication needs both username and password");
  EXPECT_EQ(error_of(credentials_from_secret("s", {{"password", "hunter2"}})),
            "Secret s: key username: missing: basic authentication needs both username and password");
  EXPECT_EQ(error_of(credentials_from_secret("s", {{"username", "admin"}, {"password", "hunter2"}})),
            "Secret s: key endpoint: missing: the Cruise Control URL the password is for (it is sent nowhere else)");
  EXPECT_EQ(error_of(credentials_from_secret("s", {{"tls.crt", pem}})),
            "Secret s: key tls.key: missing: a client certificate needs both tls.crt and tls.key");
  EXPECT_EQ(error_of(credentials_from_secret("s", {{"tls.key", "not-a-pem-secret-value"}, {"tls.crt", pem}})),
            "Secret s: key tls.key: not PEM (no \"-----BEGIN\" line)");
  EXPECT_EQ(error_of(credentials_from_secret("s", {{"unrelated", "v"}, {"username", ""}})),
            "Secret s: holds none of ca.crt, tls.crt + tls.key, username + password (or they are empty)");
  for (const auto& e : {error_of(credentials_from_secret("s", {{"password", "hunter2"}})),
                        error_of(credentials_from_secret("s", {{"tls.key", "not-a-pem-secret-value"}, {"tls.crt", pem}}))})
    EXPECT_EQ(e.find("hunter2") + e.find("not-a-pem-secret-value"), 2 * std::string::npos) << e;
}

TEST(CcCredentials, TheFingerprintTellsSetsApartWithoutShowingThem) {
  cruise_control_credentials a{"", "", "", "admin", "s3cret", "https://cc:8090"};
  auto b = a;
  b.password = "s3cres";
  cruise_control_credentials run_together{"", "", "", "admins", "3cret", "https://cc:8090"};
  EXPECT_EQ(a.fingerprint(), cruise_control_credentials(a).fingerprint());
  EXPECT_NE(a.fingerprint(), b.fingerprint());
  EXPECT_NE(a.fingerprint(), run_together.fingerprint());
  EXPECT_EQ(a.fingerprint().find("s3cret"), std::string::npos);
  EXPECT_TRUE(cruise_control_credentials{}.empty());
}

} // namespace
} // namespace kactor::model
