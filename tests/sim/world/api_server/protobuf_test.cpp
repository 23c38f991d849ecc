#include "sim/world/api_server/protobuf.hpp"

#include <gtest/gtest.h>

using namespace kactor::sim;

namespace {

// Minimal protobuf writer for building test bodies.
std::string varint(uint64_t v) {
  std::string out;
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out += static_cast<char>(v ? b | 0x80 : b);
  } while (v);
  return out;
}
std::string field(uint32_t number, const std::string& bytes) {
  return varint((number << 3) | 2) + varint(bytes.size()) + bytes;
}
std::string entry(const std::string& k, const std::string& v) {
  return field(1, k) + field(2, v);
}
std::string envelope(const std::string& api_version, const std::string& kind, const std::string& raw) {
  return std::string{"k8s\0", 4} + field(1, field(1, api_version) + field(2, kind)) + field(2, raw);
}

} // namespace

TEST(protobuf, configmap_from_kubectl_create) {
  std::string meta = field(1, "gen") + field(3, "kafka") + field(11, entry("app", "kafka")) + field(14, "f1");
  std::string raw = field(1, meta) + field(2, entry("a", "1")) + varint((4 << 3) | 0) + varint(1);
  auto decoded = decode_kubernetes_protobuf(envelope("v1", "ConfigMap", raw));
  ASSERT_TRUE(decoded.is_ok()) << decoded.error().to_string();
  EXPECT_EQ((*decoded)["kind"], "ConfigMap");
  EXPECT_EQ((*decoded)["metadata"]["name"], "gen");
  EXPECT_EQ((*decoded)["metadata"]["labels"]["app"], "kafka");
  EXPECT_EQ((*decoded)["metadata"]["finalizers"][0], "f1");
  EXPECT_EQ((*decoded)["data"]["a"], "1");
  EXPECT_EQ((*decoded)["immutable"], true);
}

TEST(protobuf, secret_data_becomes_base64) {
  auto decoded = decode_kubernetes_protobuf(envelope("v1", "Secret", field(1, field(1, "s")) + field(2, entry("p", "pw"))));
  ASSERT_TRUE(decoded.is_ok());
  EXPECT_EQ((*decoded)["data"]["p"], "cHc=");
}

TEST(protobuf, errors_name_the_byte) {
  auto no_magic = decode_kubernetes_protobuf("{}");
  ASSERT_FALSE(no_magic.is_ok());
  EXPECT_NE(no_magic.error().message().find("byte 0"), std::string::npos);
  auto truncated = envelope("v1", "ConfigMap", field(1, field(1, "x")));
  truncated.resize(truncated.size() - 2);
  auto bad = decode_kubernetes_protobuf(truncated);
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.error().message().find("byte "), std::string::npos) << bad.error().message();
  auto unsupported = decode_kubernetes_protobuf(envelope("apps/v1", "Deployment", ""));
  EXPECT_EQ(unsupported.error().kind(), kactor::model::status_kind::unsupported);
}
