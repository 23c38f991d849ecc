// Typed API errors from status codes and Status bodies; resource paths.
#include "integrations/kubernetes/api_error.hpp"

#include <gtest/gtest.h>

#include "integrations/kubernetes/resource_type.hpp"

namespace kactor::integrations::kubernetes {
namespace {

using namespace std::chrono_literals;

TEST(ApiError, KindsFromCodesAndReasons) {
  auto status = [](int code, const std::string& reason) {
    return R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"m","reason":")" + reason +
           R"(","code":)" + std::to_string(code) + "}";
  };
  EXPECT_EQ(error_from_response(404, status(404, "NotFound"), "").kind, api_error_kind::not_found);
  EXPECT_EQ(error_from_response(409, status(409, "AlreadyExists"), "").kind, api_error_kind::already_exists);
  EXPECT_EQ(error_from_response(409, status(409, "Conflict"), "").kind, api_error_kind::conflict);
  EXPECT_EQ(error_from_response(410, status(410, "Expired"), "").kind, api_error_kind::gone);
  EXPECT_EQ(error_from_response(422, status(422, "Invalid"), "").kind, api_error_kind::invalid);
  EXPECT_EQ(error_from_response(403, status(403, "Forbidden"), "").kind, api_error_kind::forbidden);
  EXPECT_EQ(error_from_response(401, "", "").kind, api_error_kind::unauthorized);
  EXPECT_EQ(error_from_response(500, "oops", "").kind, api_error_kind::server_error);
  EXPECT_EQ(error_from_response(504, "", "").kind, api_error_kind::timeout);
  EXPECT_EQ(error_from_response(418, "", "").kind, api_error_kind::other);
  auto e = error_from_response(404, status(404, "NotFound"), "");
  EXPECT_EQ(e.to_string(), "NotFound (404): m");
  EXPECT_EQ(transport_error("GET /x: timed out after 10 ms").kind, api_error_kind::timeout);
  EXPECT_EQ(transport_error("connect: refused").kind, api_error_kind::transport);
}

TEST(ApiError, RetryAfterFromHeaderOrDetails) {
  EXPECT_EQ(error_from_response(429, "", "3").retry_after, 3s);
  EXPECT_EQ(error_from_response(429, R"({"kind":"Status","details":{"retryAfterSeconds":2},"code":429})", "").retry_after, 2s);
  EXPECT_EQ(error_from_response(429, "", "Wed, 21 Oct 2015 07:28:00 GMT").retry_after, 0s);
  EXPECT_EQ(error_from_response(429, "", "-5").retry_after, 0s);
  EXPECT_EQ(error_from_response(429, "", "99999999999999999999").retry_after, 0s);
}

// Found by fuzzing: `value("kind", "")` threw type_error 302 on the client's I/O thread (SIGABRT).
TEST(ApiError, ABodyWhoseKindIsNotAStringNamesTheField) {
  auto e = error_from_response(500, R"({"kind":{},"items":null})", "");
  EXPECT_EQ(e.kind, api_error_kind::server_error);
  EXPECT_NE(e.message.find("kind: expected a string, got object"), std::string::npos) << e.message;
  auto wrong = error_from_response(429, R"({"kind":"Status","reason":7,"message":[],"details":{"retryAfterSeconds":"2"}})", "");
  EXPECT_EQ(wrong.kind, api_error_kind::too_many_requests);
  EXPECT_EQ(wrong.reason, "TooManyRequests") << "a reason of another type reads as absent";
  EXPECT_EQ(wrong.retry_after, 0s);
  EXPECT_EQ(error_from_response(500, R"({"kind":"Status","details":"x"})", "").kind, api_error_kind::server_error);
}

TEST(ResourceType, Paths) {
  EXPECT_EQ(collection_path(resources::pods(), "kafka"), "/api/v1/namespaces/kafka/pods");
  EXPECT_EQ(collection_path(resources::pods(), ""), "/api/v1/pods");
  EXPECT_EQ(object_path(resources::nodes(), "ignored", "n1"), "/api/v1/nodes/n1");
  EXPECT_EQ(object_path(resources::kafka_clusters(), "kafka", "k", "status"),
            "/apis/kafka.banzaicloud.io/v1beta1/namespaces/kafka/kafkaclusters/k/status");
  EXPECT_EQ(object_path(resources::leases(), "default", "a b"), "/apis/coordination.k8s.io/v1/namespaces/default/leases/a%20b");
  EXPECT_EQ(query_escape("app=kafka,tier!=x"), "app%3Dkafka%2Ctier%21%3Dx");
  EXPECT_EQ(resources::kafka_clusters().api_version(), "kafka.banzaicloud.io/v1beta1");
}

} // namespace
} // namespace kactor::integrations::kubernetes
